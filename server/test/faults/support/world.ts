import { randomBytes } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import type { GqlClient } from './http';

export interface User {
  index: number;
  /** Global id. */
  id: string;
  dbId: number;
  token: string;
}

export interface Post {
  id: string;
  dbId: number;
  authorIndex: number;
}

/** The MySQL id inside a global id (base64url of `Type:id`); the suite checks rows, so it may look inside. */
export function dbIdOf(globalId: string): number {
  const [, id] = Buffer.from(globalId, 'base64url').toString('utf8').split(':');
  return Number(id);
}

export const uniqueToken = (prefix: string) => `${prefix}-${randomBytes(6).toString('hex')}`;

const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }';
const CREATE_POST = 'mutation($input: CreatePostInput!) { createPost(input: $input) { id } }';

/** Around Seoul City Hall: every post is valid and near the others. */
export function postInput(title: string) {
  return {
    title,
    body: `${title} body`,
    latitude: 37.5665 + (Math.random() - 0.5) / 100,
    longitude: 126.978 + (Math.random() - 0.5) / 100,
  };
}

export async function signUpUsers(client: GqlClient, count: number, run = randomBytes(3).toString('hex')): Promise<User[]> {
  const users: User[] = [];
  for (let start = 0; start < count; start += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, count - start) }, async (_, i) => {
        const index = start + i;
        const data = await client.ok(SIGN_UP, {
          input: { email: `fault-${run}-${index}@example.com`, nickname: `f${run}${index}`.slice(0, 20), password: 'fault-password-1' },
        });
        return { index, id: data.signUp.user.id, dbId: dbIdOf(data.signUp.user.id), token: data.signUp.accessToken };
      }),
    );
    users.push(...batch);
  }
  return users;
}

export async function createPosts(client: GqlClient, author: User, count: number): Promise<Post[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const data = await client.ok(CREATE_POST, { input: postInput(uniqueToken('seed')) }, author.token);
      return { id: data.createPost.id, dbId: dbIdOf(data.createPost.id), authorIndex: author.index };
    }),
  );
}

/**
 * An OPEN chat room, inserted directly: rooms open when KMA announces a warning, which a fault scenario has no use
 * for. Answers the room's global id.
 */
export async function openChatRoom(conn: Connection, province = 'SEOUL'): Promise<{ id: string; dbId: number }> {
  const now = new Date();
  const [result] = await conn.query(
    'insert into chat_rooms (province, title, status, opened_at, last_seq, created_at, updated_at) values (?, ?, ?, ?, 0, ?, ?)',
    [province, `${province} fault drill`, 'OPEN', now, now, now],
  );
  const dbId = (result as { insertId: number }).insertId;
  return { id: Buffer.from(`ChatRoom:${dbId}`, 'utf8').toString('base64url'), dbId };
}
