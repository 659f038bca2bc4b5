import type { Redis } from 'ioredis';
import { badInput, forbidden, notFound, rateLimited } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import { decodeCursor, encodeCursor, type ConnectionShape } from '../../app/graphql/relay.js';
import type { Infra } from '../../app/infra.js';
import { PROVINCE_NAMES, type Province } from '../geo/province.js';
import { ChatRoom, ChatRoomStatus, type PinnedCard } from './chat.entity.js';
import { ChatTopic, type ChatMessagePayload } from './chat.topics.js';
import { ChatMessage } from './chat.types.js';

/** Messages kept per room in Redis (the newest page). */
export const CACHED_MESSAGES = 100;
const MAX_BODY = 1000;

// Inserts a message into the room list (newest first) at its seq position, once; trims to ARGV[3].
const PUSH_LUA = `
local seq = tonumber(ARGV[1])
local max = tonumber(ARGV[3])
local head = redis.call('LINDEX', KEYS[1], 0)
if (not head) or cjson.decode(head).seq < seq then
  redis.call('LPUSH', KEYS[1], ARGV[2])
  redis.call('LTRIM', KEYS[1], 0, max - 1)
  return 1
end
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, item in ipairs(items) do
  local s = cjson.decode(item).seq
  if s == seq then return 0 end
  if s < seq then
    redis.call('LINSERT', KEYS[1], 'BEFORE', item, ARGV[2])
    redis.call('LTRIM', KEYS[1], 0, max - 1)
    return 1
  end
end
if #items < max then redis.call('RPUSH', KEYS[1], ARGV[2]) return 1 end
return 0`;

type ChatRedis = Redis & { chatPush(key: string, seq: number, json: string, max: number): Promise<number> };

const listKey = (roomId: number) => `chat:room:${roomId}:messages`;

const toPayload = (r: {
  id: number | string;
  room_id?: number;
  roomId?: number;
  author_id?: number;
  authorId?: number;
  body: string;
  seq: number;
  client_message_id?: string | null;
  clientMessageId?: string | null;
  created_at?: Date;
  createdAt?: Date;
}): ChatMessagePayload => ({
  id: Number(r.id),
  roomId: Number(r.roomId ?? r.room_id),
  authorId: Number(r.authorId ?? r.author_id),
  body: r.body,
  seq: Number(r.seq),
  clientMessageId: (r.clientMessageId ?? r.client_message_id) || null,
  createdAt: new Date((r.createdAt ?? r.created_at)!).toISOString(),
});

export interface RoomSync {
  opened: Province[];
  archived: Province[];
}

export class ChatService {
  private readonly redis: ChatRedis;

  constructor(
    private readonly infra: Pick<Infra, 'orm' | 'redis' | 'pubsub' | 'config' | 'logger'>,
    nodes: NodeRegistry,
  ) {
    this.redis = infra.redis.client as ChatRedis;
    if (!(this.redis as any).chatPush) this.redis.defineCommand('chatPush', { numberOfKeys: 1, lua: PUSH_LUA });
    nodes.register('ChatRoom', (ctx, id) => ctx.em.findOne(ChatRoom, { id }));
  }

  private get knex() {
    return this.infra.orm.em.getConnection().getKnex();
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
    const length = [...body].length;
    if (length < 1 || length > MAX_BODY) throw badInput({ body: [`must be 1 to ${MAX_BODY} characters after trimming`] });
    if (
      clientMessageId !== null &&
      (clientMessageId.length < 1 || clientMessageId.length > 64 || !/^[\x21-\x7e]+$/.test(clientMessageId))
    ) {
      throw badInput({ clientMessageId: ['must be 1 to 64 printable ASCII characters'] });
    }
    if (clientMessageId) {
      const existing = await this.findByClientId(roomId, userId, clientMessageId);
      if (existing) return ChatMessage.from(existing);
    }
    await this.checkRate(userId);

    try {
      const payload = await this.knex.transaction(async (trx) => {
        // The room row lock serialises senders of one room: seq is gapless, and the Redis push and publish happen in
        // seq order (before commit), so subscribers on every instance see messages in order.
        const room = await trx('chat_rooms').where({ id: roomId }).forUpdate().first('status', 'last_seq');
        if (!room) throw notFound('The chat room');
        if (room.status !== ChatRoomStatus.OPEN) throw forbidden('This chat room is archived; it takes no new messages.');
        const seq = Number(room.last_seq) + 1;
        const createdAt = new Date();
        await trx('chat_rooms').where({ id: roomId }).update({ last_seq: seq });
        const [id] = await trx('chat_messages').insert({
          room_id: roomId,
          seq,
          author_id: userId,
          body,
          client_message_id: clientMessageId,
          created_at: createdAt,
        });
        const p: ChatMessagePayload = {
          id: Number(id),
          roomId,
          authorId: userId,
          body,
          seq,
          clientMessageId,
          createdAt: createdAt.toISOString(),
        };
        await this.cache(p);
        await this.infra.pubsub.publish(ChatTopic.MESSAGE_ADDED, roomId, p);
        return p;
      });
      return ChatMessage.from(payload);
    } catch (err) {
      if ((err as { code?: string }).code === 'ER_DUP_ENTRY' && clientMessageId) {
        const existing = await this.findByClientId(roomId, userId, clientMessageId);
        if (existing) return ChatMessage.from(existing);
      }
      throw err;
    }
  }

  private async findByClientId(roomId: number, userId: number, clientMessageId: string): Promise<ChatMessagePayload | null> {
    const row = await this.knex('chat_messages').where({ room_id: roomId, author_id: userId, client_message_id: clientMessageId }).first();
    return row ? toPayload(row) : null;
  }

  /** Fixed window per user: CHAT_RATE_LIMIT_MESSAGES per CHAT_RATE_LIMIT_WINDOW_SECONDS. */
  private async checkRate(userId: number): Promise<void> {
    const key = `chat:rate:${userId}`;
    const windowMs = this.infra.config.CHAT_RATE_LIMIT_WINDOW_SECONDS * 1000;
    const [[, count], [, ttl]] = (await this.redis.multi().incr(key).pttl(key).exec()) as [[null, number], [null, number]];
    if (ttl < 0) await this.redis.pexpire(key, windowMs);
    if (count > this.infra.config.CHAT_RATE_LIMIT_MESSAGES) {
      throw rateLimited((ttl > 0 ? ttl : windowMs) / 1000, 'You are sending messages too fast; wait a few seconds.');
    }
  }

  private async cache(p: ChatMessagePayload): Promise<void> {
    try {
      await this.redis.chatPush(listKey(p.roomId), p.seq, JSON.stringify(p), CACHED_MESSAGES);
    } catch (err) {
      // MySQL has it; the next read finds the list inconsistent and rebuilds it.
      this.infra.logger.warn({ err, roomId: p.roomId, seq: p.seq }, 'chat: caching a message in Redis failed');
    }
  }

  // ---- reading ---------------------------------------------------------------------------------------------------

  /** Newest first. The newest page comes from Redis (rebuilt from MySQL when lost or inconsistent), older ones from MySQL. */
  async messages(room: ChatRoom, first: number, before: string | null | undefined): Promise<ConnectionShape<ChatMessage>> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput({ first: ['must be between 1 and 100'] });
    const beforeSeq = before ? decodeCursor<[number]>(before, ['number'], 'before')![0] : Number.MAX_SAFE_INTEGER;
    const lastSeq = Number((await this.knex('chat_rooms').where({ id: room.id }).first('last_seq'))?.last_seq ?? 0);
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
      page ??= (
        await this.knex('chat_messages').where('room_id', room.id).andWhere('seq', '<=', want).orderBy('seq', 'desc').limit(first)
      ).map(toPayload);
    }
    const nodes = (page ?? []).map(ChatMessage.from);
    const edges = nodes.map((node) => ({ cursor: encodeCursor([node.seq]), node }));
    const tail = nodes.at(-1);
    return { edges, pageInfo: { hasNextPage: !!tail && tail.seq > 1, endCursor: tail ? encodeCursor([tail.seq]) : null } };
  }

  /** The cached list if consistent (contiguous seqs down from at least `lastSeq`), else null. */
  private async readCache(roomId: number, lastSeq: number): Promise<ChatMessagePayload[] | null> {
    const raw = await this.redis.lrange(listKey(roomId), 0, CACHED_MESSAGES - 1);
    if (raw.length === 0) return null;
    const items = raw.map((r) => JSON.parse(r) as ChatMessagePayload);
    if (items[0].seq < lastSeq) return null;
    for (let i = 1; i < items.length; i++) if (items[i].seq !== items[i - 1].seq - 1) return null;
    if (items.length < Math.min(CACHED_MESSAGES, items[0].seq)) return null;
    return items;
  }

  /** Rewrites a room's Redis list from MySQL (the latest 100), atomically. */
  async rebuild(roomId: number): Promise<void> {
    const rows = (await this.knex('chat_messages').where('room_id', roomId).orderBy('seq', 'desc').limit(CACHED_MESSAGES)).map(toPayload);
    const multi = this.redis.multi().del(listKey(roomId));
    if (rows.length) multi.rpush(listKey(roomId), ...rows.map((r) => JSON.stringify(r)));
    await multi.exec();
    this.infra.logger.info({ roomId, messages: rows.length }, 'chat: rebuilt the Redis message list from MySQL');
  }

  // ---- room lifecycle (called by the weather poller) ---------------------------------------------------------------

  /**
   * Opens (or reopens) the room of every province with an active warning and refreshes its pinned card; archives open
   * rooms whose province has had no active warning for CHAT_ROOM_ARCHIVE_AFTER_HOURS. One room per province, ever
   * (unique key); the row is locked while it changes.
   */
  async syncRooms(cards: Map<Province, PinnedCard>, now: Date): Promise<RoomSync> {
    const result: RoomSync = { opened: [], archived: [] };
    for (const [province, card] of cards) {
      const opened = await this.knex.transaction(async (trx) => {
        const row = await trx('chat_rooms').where({ province }).forUpdate().first('id', 'status');
        if (!row) {
          try {
            await trx('chat_rooms').insert({
              province,
              title: `${PROVINCE_NAMES[province]} 기상특보 대화방`,
              status: ChatRoomStatus.OPEN,
              opened_at: now,
              last_alert_at: now,
              pinned_card: JSON.stringify(card),
              created_at: now,
              updated_at: now,
            });
            return true;
          } catch (err) {
            if ((err as { code?: string }).code !== 'ER_DUP_ENTRY') throw err;
            // Another poller created it between our read and insert: fall through to update it.
          }
        }
        const reopen = row?.status === ChatRoomStatus.ARCHIVED;
        await trx('chat_rooms')
          .where({ province })
          .update({
            last_alert_at: now,
            pinned_card: JSON.stringify(card),
            updated_at: now,
            ...(reopen ? { status: ChatRoomStatus.OPEN, opened_at: now, archived_at: null } : {}),
          });
        return reopen;
      });
      if (opened) result.opened.push(province);
    }
    const cutoff = new Date(now.getTime() - this.infra.config.CHAT_ROOM_ARCHIVE_AFTER_HOURS * 3600_000);
    const idle: { id: number; province: Province }[] = await this.knex('chat_rooms')
      .where({ status: ChatRoomStatus.OPEN })
      .whereNotIn('province', [...cards.keys()])
      .andWhere((q) => q.whereNull('last_alert_at').orWhere('last_alert_at', '<=', cutoff))
      .select('id', 'province');
    for (const room of idle) {
      const n = await this.knex('chat_rooms')
        .where({ id: room.id, status: ChatRoomStatus.OPEN })
        .update({ status: ChatRoomStatus.ARCHIVED, archived_at: now, updated_at: now });
      if (n) result.archived.push(room.province);
    }
    return result;
  }
}
