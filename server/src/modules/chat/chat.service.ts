import { conflict, forbidden, notFound } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import { decodeCursor, encodeCursor, type ConnectionShape } from '../../app/graphql/relay.js';
import type { Infra } from '../../app/infra.js';
import { PROVINCE_NAMES, type Province } from '../geo/province.js';
import { ChatRoom, ChatRoomStatus, type PinnedCard } from './chat.entity.js';
import type { ChatRateLimit } from './chat.rate-limit.js';
import { CACHED_MESSAGES, type ChatStore, type LockedRoom, type MessageListStore } from './chat.store.js';
import { ChatTopic, type ChatMessagePayload } from './chat.topics.js';
import { ChatMessage } from './chat.types.js';

export interface RoomSync {
  opened: Province[];
  archived: Province[];
}

/** A message may go to an existing, OPEN room only. */
function admit(room: LockedRoom): void {
  if (!room) throw notFound('The chat room');
  if (room.status !== ChatRoomStatus.OPEN) throw forbidden('This chat room is archived; it takes no new messages.');
}

/**
 * Province rooms and their messages: seq per room, the newest page served from a Redis list that MySQL can always
 * rebuild. Message bodies and client ids are checked by SendMessageArgs (chat.args.ts); bodies are stored trimmed.
 */
export class ChatService {
  constructor(
    private readonly infra: Pick<Infra, 'pubsub' | 'config' | 'logger'>,
    nodes: NodeRegistry,
    private readonly store: ChatStore,
    private readonly list: MessageListStore,
    private readonly rate: ChatRateLimit,
  ) {
    nodes.register('ChatRoom', (ctx, id) => ctx.em.findOne(ChatRoom, { id }));
  }

  rooms(ctx: Context, status?: ChatRoomStatus | null, province?: Province | null): Promise<ChatRoom[]> {
    const where: Record<string, unknown> = {};
    if (status) where.status = status;
    if (province) where.province = province;
    return ctx.em.find(ChatRoom, where, { orderBy: { openedAt: 'desc', id: 'desc' } });
  }

  room(ctx: Context, id: number): Promise<ChatRoom | null> {
    return ctx.em.findOne(ChatRoom, { id });
  }

  // ---- sending ---------------------------------------------------------------------------------------------------

  async send(userId: number, roomId: number, rawBody: string, clientMessageId: string | null): Promise<ChatMessage> {
    const body = rawBody.trim();
    if (clientMessageId) {
      const existing = await this.store.findByClientId(roomId, userId, clientMessageId);
      if (existing) return ChatMessage.from(existing);
    }
    await this.rate.take(userId);
    try {
      // Cached and published before the commit, under the room's lock: in seq order on every instance.
      const payload = await this.store.append({ roomId, authorId: userId, body, clientMessageId }, admit, async (p) => {
        await this.cache(p);
        await this.infra.pubsub.publish(ChatTopic.MESSAGE_ADDED, roomId, p);
      });
      return ChatMessage.from(payload);
    } catch (err) {
      if ((err as { code?: string }).code === 'ER_DUP_ENTRY' && clientMessageId) {
        const existing = await this.store.findByClientId(roomId, userId, clientMessageId);
        if (existing) return ChatMessage.from(existing);
      }
      throw err;
    }
  }

  private async cache(p: ChatMessagePayload): Promise<void> {
    try {
      await this.list.push(p);
    } catch (err) {
      // MySQL has it; the next read finds the list inconsistent and rebuilds it.
      this.infra.logger.warn({ err, roomId: p.roomId, seq: p.seq }, 'chat: caching a message in Redis failed');
    }
  }

  // ---- reading ---------------------------------------------------------------------------------------------------

  /**
   * Newest first, `first` of 1 to 100 (RoomMessagesArgs). The newest page comes from Redis (rebuilt from MySQL when
   * lost or inconsistent), older ones from MySQL.
   */
  async messages(room: ChatRoom, first: number, before: string | null | undefined): Promise<ConnectionShape<ChatMessage>> {
    const beforeSeq = before ? decodeCursor<[number]>(before, ['number'], 'before')![0] : Number.MAX_SAFE_INTEGER;
    const lastSeq = await this.store.lastSeq(room.id);
    const want = Math.min(beforeSeq - 1, lastSeq); // newest seq of the page
    let page: ChatMessagePayload[] | null = null;
    if (want >= 1) {
      const cached = await this.readCache(room.id, lastSeq);
      if (cached === null) {
        await this.rebuild(room.id);
      } else {
        const slice = cached.filter((m) => m.seq <= want).slice(0, first);
        // Served from Redis only when the cache covers the whole page (it is gapless, so seq tells).
        if (slice.length === Math.min(first, want)) page = slice;
      }
      page ??= await this.store.upTo(room.id, want, first);
    }
    const nodes = (page ?? []).map(ChatMessage.from);
    const edges = nodes.map((node) => ({ cursor: encodeCursor([node.seq]), node }));
    const tail = nodes.at(-1);
    return { edges, pageInfo: { hasNextPage: !!tail && tail.seq > 1, endCursor: tail ? encodeCursor([tail.seq]) : null } };
  }

  /**
   * What a subscriber resuming after `afterSeq` missed, oldest first: from the Redis list when it covers them, else
   * from MySQL. CONFLICT RESUME_GAP when the client's seq is ahead of the room (its history is another one: reload) or
   * when more was missed than a replay should carry (CHAT_RESUME_MAX: reloading the page is cheaper).
   */
  async messagesAfter(roomId: number, afterSeq: number): Promise<ChatMessagePayload[]> {
    const lastSeq = await this.store.lastSeq(roomId);
    if (afterSeq > lastSeq || lastSeq - afterSeq > this.infra.config.CHAT_RESUME_MAX) {
      throw conflict('RESUME_GAP', 'The messages you missed can no longer be replayed; reload the room and subscribe again.');
    }
    if (afterSeq === lastSeq) return [];
    const cached = await this.readCache(roomId, lastSeq);
    const oldest = cached?.at(-1)?.seq;
    if (cached && oldest !== undefined && oldest <= afterSeq + 1) return cached.filter((m) => m.seq > afterSeq).reverse();
    return this.store.between(roomId, afterSeq, lastSeq + 1, lastSeq - afterSeq);
  }

  /** Messages strictly between two seqs, oldest first (a live message skipped ahead of the last one delivered). */
  messagesBetween(roomId: number, afterSeq: number, beforeSeq: number): Promise<ChatMessagePayload[]> {
    return this.store.between(roomId, afterSeq, beforeSeq, this.infra.config.CHAT_RESUME_MAX);
  }

  /** The cached list if consistent (contiguous seqs down from at least `lastSeq`), else null. */
  private async readCache(roomId: number, lastSeq: number): Promise<ChatMessagePayload[] | null> {
    const items = await this.list.read(roomId);
    if (items.length === 0) return null;
    if (items[0].seq < lastSeq) return null;
    for (let i = 1; i < items.length; i++) if (items[i].seq !== items[i - 1].seq - 1) return null;
    if (items.length < Math.min(CACHED_MESSAGES, items[0].seq)) return null;
    return items;
  }

  /** Rewrites a room's Redis list from MySQL (the latest 100), atomically. */
  async rebuild(roomId: number): Promise<void> {
    const rows = await this.store.newest(roomId, CACHED_MESSAGES);
    await this.list.replace(roomId, rows);
    this.infra.logger.info({ roomId, messages: rows.length }, 'chat: rebuilt the Redis message list from MySQL');
  }

  // ---- room lifecycle (told by the weather poller) -----------------------------------------------------------------

  /**
   * Opens (or reopens) the room of every province with an active warning and refreshes its pinned card; archives open
   * rooms whose province has had no active warning for CHAT_ROOM_ARCHIVE_AFTER_HOURS. One room per province, ever.
   */
  async syncRooms(cards: Map<Province, PinnedCard>, now: Date): Promise<RoomSync> {
    const result: RoomSync = { opened: [], archived: [] };
    for (const [province, card] of cards) {
      const title = `${PROVINCE_NAMES[province]} 기상특보 대화방`;
      if (await this.store.openOrRefresh(province, { title, card, now })) result.opened.push(province);
    }
    const cutoff = new Date(now.getTime() - this.infra.config.CHAT_ROOM_ARCHIVE_AFTER_HOURS * 3600_000);
    for (const room of await this.store.idleOpenRooms([...cards.keys()], cutoff)) {
      if (await this.store.archive(room.id, now)) result.archived.push(room.province);
    }
    return result;
  }
}
