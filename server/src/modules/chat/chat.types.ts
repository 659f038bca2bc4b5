import { Field, ID, Int, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../app/graphql/global-id.js';
import { connectionType } from '../../app/graphql/relay.js';
import type { ChatMessagePayload } from './chat.topics.js';

@ObjectType('ChatMessage', { description: 'A message in a province chat room.' })
export class ChatMessage {
  @Field(() => ID, { description: 'Opaque id.' })
  id: string;

  @Field(() => ID, { description: 'Global id of the room.' })
  roomId: string;

  @Field({ description: 'Text, 1 to 1,000 characters.' })
  body: string;

  @Field(() => Int, { description: 'Position in the room: increases by one per message, no gaps.' })
  seq: number;

  @Field(() => String, { nullable: true, description: 'The id the sender chose to make retries idempotent.' })
  clientMessageId: string | null;

  @Field(() => Date, { description: 'When it was sent.' })
  createdAt: Date;

  authorId: number;

  static from(p: ChatMessagePayload): ChatMessage {
    const m = new ChatMessage();
    m.id = toGlobalId('ChatMessage', p.id);
    m.roomId = toGlobalId('ChatRoom', p.roomId);
    m.body = p.body;
    m.seq = p.seq;
    m.clientMessageId = p.clientMessageId;
    m.createdAt = new Date(p.createdAt);
    m.authorId = p.authorId;
    return m;
  }
}

export const ChatMessageConnection = connectionType(ChatMessage, 'ChatMessage');
export type ChatMessageConnection = InstanceType<typeof ChatMessageConnection>;

@ObjectType('RoomPresence', { description: 'How many people are in a room now (approximate, across every API instance).' })
export class RoomPresence {
  @Field(() => ID, { description: 'The room.' })
  roomId: string;

  @Field(() => Int, { description: 'People connected to the room now.' })
  presentCount: number;
}
