import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Extensions,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { Context } from '../../app/graphql/context.js';
import { parseGlobalId, toGlobalId } from '../../app/graphql/global-id.js';
import { Province } from '../geo/province.js';
import { User } from '../users/user.entity.js';
import { userById } from '../users/user.loaders.js';
import { WeatherAlert } from '../weather/weather-alert.entity.js';
import type { WeatherService } from '../weather/weather.service.js';
import { RoomMessagesArgs, SendMessageArgs } from './chat.args.js';
import type { ChatService } from './chat.service.js';
import { ChatRoom, ChatRoomStatus } from './chat.entity.js';
import { ChatTopic, type ChatMessagePayload, type RoomPresencePayload } from './chat.topics.js';
import { ChatMessage, ChatMessageConnection, RoomPresence } from './chat.types.js';
import type { RoomPresence as Presence } from './presence.js';

const roomId = (id: string, field = 'id') => parseGlobalId(id, 'ChatRoom', field).id;

@Resolver(() => ChatRoom)
export class ChatRoomResolver {
  constructor(
    private readonly chat: ChatService,
    private readonly weather: WeatherService,
    private readonly presence: Presence,
  ) {}

  @FieldResolver(() => Int, { description: 'People connected to the room now ("1,234명 참여 중"), across instances; approximate.' })
  presentCount(@Root() room: ChatRoom): Promise<number> {
    return this.presence.total(room.id);
  }

  @Extensions({ sharedEvents: true })
  @Subscription(() => RoomPresence, {
    topics: ChatTopic.PRESENCE_CHANGED,
    topicId: ({ args }) => parseGlobalId(args.roomId as string, 'ChatRoom', 'roomId').id,
    description: 'How many people are in a room, now and whenever it changes (bursts coalesced, a few updates a second at most).',
  })
  roomPresenceChanged(
    @Arg('roomId', () => ID, { description: 'The room.' }) _roomId: string,
    @Root() payload: RoomPresencePayload,
  ): RoomPresence {
    return { roomId: toGlobalId('ChatRoom', payload.roomId), presentCount: payload.presentCount };
  }

  @Query(() => [ChatRoom], { description: 'Province chat rooms, most recently opened first.' })
  chatRooms(
    @Arg('status', () => ChatRoomStatus, { nullable: true, description: 'Only OPEN or only ARCHIVED rooms.' })
    status: ChatRoomStatus | null,
    @Arg('province', () => Province, { nullable: true, description: 'Only the room of this province.' }) province: Province | null,
    @Ctx() ctx: Context,
  ): Promise<ChatRoom[]> {
    return this.chat.rooms(ctx, status, province);
  }

  @Query(() => ChatRoom, { nullable: true, description: 'One chat room; null when it does not exist.' })
  chatRoom(@Arg('id', () => ID, { description: 'The room.' }) id: string, @Ctx() ctx: Context): Promise<ChatRoom | null> {
    return this.chat.room(ctx, roomId(id));
  }

  @FieldResolver(() => [WeatherAlert], { description: 'The warnings in force in the province now.' })
  activeAlerts(@Root() room: ChatRoom, @Ctx() ctx: Context): Promise<WeatherAlert[]> {
    return this.weather.activeAlertsOf(ctx, room.province);
  }

  @FieldResolver(() => ChatMessageConnection, {
    description: 'Messages, newest first, at most 100 a page; pass `pageInfo.endCursor` as `before` for older ones.',
  })
  messages(@Root() room: ChatRoom, @Args(() => RoomMessagesArgs) { first, before }: RoomMessagesArgs) {
    return this.chat.messages(room, first, before);
  }

  @Authorized()
  @Mutation(() => ChatMessage, {
    description:
      'Posts a message to an OPEN room (FORBIDDEN when archived). 1 to 1,000 characters after trimming; the same clientMessageId twice stores one message; too many messages in a few seconds → RATE_LIMITED.',
  })
  sendMessage(@Args(() => SendMessageArgs) args: SendMessageArgs, @Ctx() ctx: Context): Promise<ChatMessage> {
    return this.chat.send(ctx.user!.id, roomId(args.roomId, 'roomId'), args.body, args.clientMessageId ?? null);
  }

  @Extensions({ sharedEvents: true })
  @Subscription(() => ChatMessage, {
    topics: ChatTopic.MESSAGE_ADDED,
    topicId: ({ args }) => ({
      id: parseGlobalId(args.roomId as string, 'ChatRoom', 'roomId').id,
      resume: (args as { afterSeq?: number | null }).afterSeq ?? undefined,
    }),
    description:
      'Messages added to a room, from any API instance, in seq order without gaps. With `afterSeq` (the last seq you have), first every later message, then live, with no gap or duplicate across the seam; when they can no longer be replayed the subscription ends with CONFLICT reason RESUME_GAP: reload the room, then subscribe again.',
  })
  chatMessageAdded(
    @Arg('roomId', () => ID, { description: 'The room.' }) _roomId: string,
    @Arg('afterSeq', () => Int, { nullable: true, description: 'The seq of the last message you have.' }) _afterSeq: number | null,
    @Root() payload: ChatMessagePayload,
    @Ctx() ctx: Context,
  ): ChatMessage {
    return ChatMessage.from(payload);
  }
}

@Resolver(() => ChatMessage)
export class ChatMessageResolver {
  @FieldResolver(() => User, { nullable: true, description: 'Who wrote it; null if the account was deleted.' })
  author(@Root() message: ChatMessage, @Ctx() ctx: Context): Promise<User | null> {
    return userById(ctx).load(message.authorId);
  }
}
