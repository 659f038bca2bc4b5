/** Pub/sub topics of the chat module; ids are room ids. */
export enum ChatTopic {
  MESSAGE_ADDED = 'chat.messageAdded',
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
