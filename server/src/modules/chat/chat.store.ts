import type { Knex, MikroORM } from '@mikro-orm/mysql';
import type { Redis } from 'ioredis';
import type { Province } from '../geo/province.js';
import { ChatRoomStatus, type PinnedCard } from './chat.entity.js';
import type { ChatMessagePayload } from './chat.topics.js';

/** Messages kept per room in Redis (the newest page). */
export const CACHED_MESSAGES = 100;

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

interface MessageRow {
  id: number | string;
  room_id: number;
  author_id: number;
  body: string;
  seq: number;
  client_message_id: string | null;
  created_at: Date;
}

const toPayload = (r: MessageRow): ChatMessagePayload => ({
  id: Number(r.id),
  roomId: Number(r.room_id),
  authorId: Number(r.author_id),
  body: r.body,
  seq: Number(r.seq),
  clientMessageId: r.client_message_id || null,
  createdAt: new Date(r.created_at).toISOString(),
});

/** A message to append; its seq and time are given under the room's lock. */
export interface NewMessage {
  roomId: number;
  authorId: number;
  body: string;
  clientMessageId: string | null;
}

/** What a room looks like while a new message holds its lock; null when it does not exist. */
export type LockedRoom = { status: ChatRoomStatus } | null;

/** Every SQL statement of chat: `chat_rooms` (one per province, ever) and `chat_messages` (seq per room). */
export class ChatStore {
  constructor(private readonly orm: Pick<MikroORM, 'em'>) {}

  private get knex(): Knex {
    return this.orm.em.getConnection().getKnex();
  }

  /**
   * Appends a message with the room's next seq. `admit` sees the locked room and throws to refuse it; `beforeCommit`
   * gets the new message while the lock is still held.
   */
  async append(
    m: NewMessage,
    admit: (room: LockedRoom) => void,
    beforeCommit: (p: ChatMessagePayload) => Promise<void>,
  ): Promise<ChatMessagePayload> {
    return this.knex.transaction(async (trx) => {
      // The room row lock serialises senders of one room: seq is gapless, and whatever `beforeCommit` does (the Redis
      // push and publish) happens in seq order, so subscribers on every instance see messages in order.
      const room = await trx('chat_rooms').where({ id: m.roomId }).forUpdate().first('status', 'last_seq');
      admit(room ? { status: room.status } : null);
      const seq = Number(room.last_seq) + 1;
      const createdAt = new Date();
      await trx('chat_rooms').where({ id: m.roomId }).update({ last_seq: seq });
      const [id] = await trx('chat_messages').insert({
        room_id: m.roomId,
        seq,
        author_id: m.authorId,
        body: m.body,
        client_message_id: m.clientMessageId,
        created_at: createdAt,
      });
      const p: ChatMessagePayload = {
        id: Number(id),
        roomId: m.roomId,
        authorId: m.authorId,
        body: m.body,
        seq,
        clientMessageId: m.clientMessageId,
        createdAt: createdAt.toISOString(),
      };
      await beforeCommit(p);
      return p;
    });
  }

  async findByClientId(roomId: number, authorId: number, clientMessageId: string): Promise<ChatMessagePayload | null> {
    const row = await this.knex('chat_messages')
      .where({ room_id: roomId, author_id: authorId, client_message_id: clientMessageId })
      .first();
    return row ? toPayload(row) : null;
  }

  /** The seq of the room's newest message (0 when none). */
  async lastSeq(roomId: number): Promise<number> {
    return Number((await this.knex('chat_rooms').where({ id: roomId }).first('last_seq'))?.last_seq ?? 0);
  }

  /** Up to `limit` messages with seq at most `seq`, newest first. */
  async upTo(roomId: number, seq: number, limit: number): Promise<ChatMessagePayload[]> {
    const rows = await this.knex('chat_messages').where('room_id', roomId).andWhere('seq', '<=', seq).orderBy('seq', 'desc').limit(limit);
    return rows.map(toPayload);
  }

  /** Messages with after < seq < before, oldest first, at most `limit`. */
  async between(roomId: number, after: number, before: number, limit: number): Promise<ChatMessagePayload[]> {
    const rows = await this.knex('chat_messages')
      .where('room_id', roomId)
      .andWhere('seq', '>', after)
      .andWhere('seq', '<', before)
      .orderBy('seq', 'asc')
      .limit(limit);
    return rows.map(toPayload);
  }

  /** The newest `limit` messages, newest first. */
  async newest(roomId: number, limit: number): Promise<ChatMessagePayload[]> {
    return (await this.knex('chat_messages').where('room_id', roomId).orderBy('seq', 'desc').limit(limit)).map(toPayload);
  }

  /**
   * Makes sure the province's room is OPEN with `card` pinned: creates it, reopens it when archived, or refreshes
   * it. The row is locked while it changes. True when the room was created or reopened.
   */
  async openOrRefresh(province: Province, r: { title: string; card: PinnedCard; now: Date }): Promise<boolean> {
    return this.knex.transaction(async (trx) => {
      const row = await trx('chat_rooms').where({ province }).forUpdate().first('id', 'status');
      if (!row) {
        try {
          await trx('chat_rooms').insert({
            province,
            title: r.title,
            status: ChatRoomStatus.OPEN,
            opened_at: r.now,
            last_alert_at: r.now,
            pinned_card: JSON.stringify(r.card),
            created_at: r.now,
            updated_at: r.now,
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
          last_alert_at: r.now,
          pinned_card: JSON.stringify(r.card),
          updated_at: r.now,
          ...(reopen ? { status: ChatRoomStatus.OPEN, opened_at: r.now, archived_at: null } : {}),
        });
      return reopen;
    });
  }

  /** OPEN rooms outside `except` whose last warning is at or before `cutoff` (or that never had one). */
  async idleOpenRooms(except: readonly Province[], cutoff: Date): Promise<{ id: number; province: Province }[]> {
    return this.knex('chat_rooms')
      .where({ status: ChatRoomStatus.OPEN })
      .whereNotIn('province', except)
      .andWhere((q) => q.whereNull('last_alert_at').orWhere('last_alert_at', '<=', cutoff))
      .select('id', 'province');
  }

  /** Archives a room if it is still OPEN; false when it was not. */
  async archive(id: number, now: Date): Promise<boolean> {
    const n = await this.knex('chat_rooms')
      .where({ id, status: ChatRoomStatus.OPEN })
      .update({ status: ChatRoomStatus.ARCHIVED, archived_at: now, updated_at: now });
    return n > 0;
  }
}

/** The newest messages of each room as a Redis list (newest first), kept by a script that inserts each message once. */
export class MessageListStore {
  private readonly redis: ChatRedis;

  constructor(redis: Redis) {
    this.redis = redis as ChatRedis;
    if (!this.redis.chatPush) this.redis.defineCommand('chatPush', { numberOfKeys: 1, lua: PUSH_LUA });
  }

  /** Puts the message at its seq position unless it is there; the list keeps the newest CACHED_MESSAGES. */
  async push(p: ChatMessagePayload): Promise<void> {
    await this.redis.chatPush(listKey(p.roomId), p.seq, JSON.stringify(p), CACHED_MESSAGES);
  }

  /** The list as stored, newest first (empty when lost). */
  async read(roomId: number): Promise<ChatMessagePayload[]> {
    const raw = await this.redis.lrange(listKey(roomId), 0, CACHED_MESSAGES - 1);
    return raw.map((r) => JSON.parse(r) as ChatMessagePayload);
  }

  /** Replaces the list atomically with `messages` (newest first). */
  async replace(roomId: number, messages: readonly ChatMessagePayload[]): Promise<void> {
    const multi = this.redis.multi().del(listKey(roomId));
    if (messages.length) multi.rpush(listKey(roomId), ...messages.map((m) => JSON.stringify(m)));
    await multi.exec();
  }
}
