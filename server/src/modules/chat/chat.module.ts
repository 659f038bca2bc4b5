import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import type { WeatherService } from '../weather/weather.service.js';
import { ChatMessageRow, ChatRoom } from './chat.entity.js';
import { ChatMessageResolver, ChatRoomResolver } from './chat.resolver.js';
import { ChatRateLimit } from './chat.rate-limit.js';
import { ChatService } from './chat.service.js';
import { ChatStore, MessageListStore } from './chat.store.js';
import { ChatTopic, type ChatMessagePayload, type RoomPresencePayload } from './chat.topics.js';
import { RoomPresence } from './presence.js';
import { PresenceStore } from './presence.store.js';

export const CHAT_ENTITIES = [ChatRoom, ChatMessageRow];

/** The module's resolver classes (the schema is built from classes; instances come from the factory). */
export const CHAT_RESOLVERS = [ChatRoomResolver, ChatMessageResolver];

/** Province rooms opened by warnings; messages in seq order, the newest 100 per room in Redis. */
export function createChatModule(deps: { infra: Infra; nodes: NodeRegistry; weather: WeatherService }) {
  const { infra } = deps;
  const chat: ChatService = new ChatService(
    infra,
    deps.nodes,
    new ChatStore(infra.orm),
    new MessageListStore(infra.redis.client),
    new ChatRateLimit(infra.redis.client, infra.config),
  );
  const presence = new RoomPresence(infra, new PresenceStore(infra.redis.client));
  // A subscriber with afterSeq first gets what it missed; every subscriber gets a gap filled from MySQL when a live
  // message skips ahead (this instance's Redis link dropped meanwhile).
  infra.pubsub.registerStream<ChatMessagePayload>(ChatTopic.MESSAGE_ADDED, {
    replay: async (roomId, afterSeq) => (typeof afterSeq === 'number' ? chat.messagesAfter(Number(roomId), afterSeq) : []),
    start: (afterSeq) => (typeof afterSeq === 'number' ? { key: 'room', version: afterSeq } : null),
    key: () => 'room',
    version: (p) => p.seq,
    fill: (roomId, after, before) => chat.messagesBetween(Number(roomId), after, before),
    joined: (roomId) => presence.joined(Number(roomId)),
    left: (roomId) => presence.left(Number(roomId)),
  });
  infra.pubsub.registerStream<RoomPresencePayload>(ChatTopic.PRESENCE_CHANGED, {
    replay: async (roomId) => [await presence.current(Number(roomId))],
    key: () => 'room',
    version: (p) => p.version,
  });
  // Chat owns rooms: a province with warnings in force gets its room, one without for long is archived.
  deps.weather.activeWarnings.on(({ cards, now }) => chat.syncRooms(cards, now));
  return {
    chat,
    presence,
    resolvers: [new ChatRoomResolver(chat, deps.weather, presence), new ChatMessageResolver()],
    topics: ChatTopic,
    close: () => presence.close(),
  } satisfies ModuleParts & Record<string, unknown>;
}
