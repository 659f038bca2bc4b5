/** Pub/sub topics of the chat module; ids are room ids. */
export enum ChatTopic {
  MESSAGE_ADDED = 'chat.messageAdded',
  PRESENCE_CHANGED = 'chat.presenceChanged',
}

/** The number of people in a room after it changed. */
export interface RoomPresencePayload {
  roomId: number;
  presentCount: number;
  /** Orders totals published by different instances. */
  version: number;
}

/** What `sendMessage` publishes (also the shape cached in the room's Redis list). */
export interface ChatMessagePayload {
  id: number;
  roomId: number;
  authorId: number;
  body: string;
  seq: number;
  clientMessageId: string | null;
  createdAt: string;
}
