/** Pub/sub topics of the notifications module. */
export const NotificationTopic = {
  /** Per recipient user id: a NotificationPayload each time one of their notifications is added or grows. */
  ADDED: 'NOTIFICATION_ADDED',
} as const;

export interface NotificationPayload {
  id: number;
  recipientId: number;
  kind: string;
  actorId: number | null;
  actorIds: string;
  targetType: string | null;
  targetId: number | null;
  count: number;
  createdAt: string;
  updatedAt: string;
  readAt: string | null;
}
