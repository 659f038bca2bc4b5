/** Redis topics of the system module and their JSON payloads. */
export const SystemTopic = { PINGED: 'system.pinged' } as const;

export interface PingedPayload {
  message: string;
  instanceId: string;
  at: string;
}
