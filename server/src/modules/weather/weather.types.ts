import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum PrecipitationType {
  NONE = 'NONE',
  RAIN = 'RAIN',
  RAIN_SNOW = 'RAIN_SNOW',
  SNOW = 'SNOW',
  DRIZZLE = 'DRIZZLE',
  DRIZZLE_SNOW = 'DRIZZLE_SNOW',
  SNOW_FLURRY = 'SNOW_FLURRY',
}
registerEnumType(PrecipitationType, {
  name: 'PrecipitationType',
  description: 'Precipitation type reported by KMA (PTY of the ultra-short-term observation).',
  valuesConfig: {
    NONE: { description: '없음 (0)' },
    RAIN: { description: '비 (1)' },
    RAIN_SNOW: { description: '비/눈 (2)' },
    SNOW: { description: '눈 (3)' },
    DRIZZLE: { description: '빗방울 (5)' },
    DRIZZLE_SNOW: { description: '빗방울눈날림 (6)' },
    SNOW_FLURRY: { description: '눈날림 (7)' },
  },
});

@ObjectType('WeatherObservation', { description: 'The latest KMA ultra-short-term observation (초단기실황) of a 5 km grid cell.' })
export class WeatherObservation {
  @Field(() => Date, { description: 'The observation hour (KST run time as an instant).' })
  observedAt: Date;

  @Field(() => Float, { nullable: true, description: 'Air temperature, °C (T1H); null when KMA marks it missing.' })
  temperatureC: number | null;

  @Field(() => Float, { nullable: true, description: 'Relative humidity, % (REH).' })
  humidityPct: number | null;

  @Field(() => Float, { nullable: true, description: 'Precipitation in the last hour, mm (RN1).' })
  precipitationMm1h: number | null;

  @Field(() => PrecipitationType, { description: 'Precipitation type (PTY).' })
  precipitationType: PrecipitationType;

  @Field(() => Float, { nullable: true, description: 'Wind speed, m/s (WSD).' })
  windSpeedMs: number | null;

  @Field(() => Float, { nullable: true, description: 'Wind direction, degrees (VEC).' })
  windDirectionDeg: number | null;

  @Field(() => Int, { description: 'KMA grid column (nx).' })
  gridX: number;

  @Field(() => Int, { description: 'KMA grid row (ny).' })
  gridY: number;

  @Field({ description: 'True when KMA could not be reached and this is the last cached observation.' })
  stale: boolean;

  @Field({ description: 'True for the built-in demo data of a server without a KMA key (show it as "데모 데이터").' })
  demo: boolean;

  /** Same as precipitationMm1h, for the missions module's WeatherObserver. */
  rainfallMm: number | null;
}

@ObjectType('WeatherPollResult', { description: 'What one poll of the KMA warnings did.' })
export class WeatherPollResult {
  @Field(() => Int, { description: 'Announcement rows KMA returned.' })
  alertsSeen: number;

  @Field(() => Int, { description: 'Rows stored for the first time.' })
  alertsNew: number;

  @Field(() => Int, { description: 'Province rooms opened or reopened.' })
  roomsOpened: number;

  @Field(() => Int, { description: 'Province rooms archived.' })
  roomsArchived: number;

  @Field({ description: 'True when no KMA service key is configured and nothing was polled.' })
  idle: boolean;
}

@ObjectType('WeatherPollerStatus', { description: 'Health of the KMA warning poller.' })
export class WeatherPollerStatus {
  @Field({ description: 'IDLE (no service key), OK, FAILING or UNKNOWN (never ran).' })
  state: string;

  @Field({ description: 'True when the poller reads the built-in demo timeline instead of KMA (no key, demo on).' })
  demo: boolean;

  @Field(() => Date, { nullable: true, description: 'Last successful poll.' })
  lastSuccessAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Last failed poll.' })
  lastFailureAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Message of the last failure.' })
  lastError: string | null;

  @Field(() => Int, { description: 'Failures since the last success.' })
  consecutiveFailures: number;
}
