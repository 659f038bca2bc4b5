import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import type { WeatherService } from '../weather/weather.service.js';
import { ChatMessageRow, ChatRoom } from './chat.entity.js';
import { ChatMessageResolver, ChatRoomResolver } from './chat.resolver.js';
import { ChatRateLimit } from './chat.rate-limit.js';
import { ChatService } from './chat.service.js';
import { ChatStore, MessageListStore } from './chat.store.js';
import { ChatTopic } from './chat.topics.js';

export const CHAT_ENTITIES = [ChatRoom, ChatMessageRow];

/** The module's resolver classes (the schema is built from classes; instances come from the factory). */
export const CHAT_RESOLVERS = [ChatRoomResolver, ChatMessageResolver];

/** Province rooms opened by warnings; messages in seq order, the newest 100 per room in Redis. */
export function createChatModule(deps: { infra: Infra; nodes: NodeRegistry; weather: WeatherService }) {
  const { infra } = deps;
  const chat = new ChatService(
    infra,
    deps.nodes,
    new ChatStore(infra.orm),
    new MessageListStore(infra.redis.client),
    new ChatRateLimit(infra.redis.client, infra.config),
  );
  // Chat owns rooms: a province with warnings in force gets its room, one without for long is archived.
  deps.weather.activeWarnings.on(({ cards, now }) => chat.syncRooms(cards, now));
  return {
    chat,
    resolvers: [new ChatRoomResolver(chat, deps.weather), new ChatMessageResolver()],
    topics: ChatTopic,
  } satisfies ModuleParts & Record<string, unknown>;
}
