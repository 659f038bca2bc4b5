/** Pub/sub topics of the weather module. */
export enum WeatherTopic {
  ALERT_ISSUED = 'weather.alertIssued',
}

/** Published once per newly stored alert; the subscription loads the row. */
export interface AlertIssuedPayload {
  id: number;
  province: string | null;
}
