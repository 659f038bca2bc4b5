// A bench database's chat room and a sender: seeded in MySQL directly, with a token minted by the built server.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mysqlConnection, root } from '../lib.mjs';

/** Inserts a user and an OPEN room into `database` (already migrated); answers the sender's token and the room's id. */
export async function seedChatRoom(database, jwtSecret) {
  const db = await mysqlConnection(database);
  const now = new Date();
  await db.query('insert into users (email, nickname, nickname_key, role, created_at, updated_at) values (?, ?, ?, ?, ?, ?)', [
    'sender@bench.kr',
    'sender',
    'sender',
    'USER',
    now,
    now,
  ]);
  const [[user]] = await db.query('select id, role from users where email = ?', ['sender@bench.kr']);
  await db.query(
    "insert into chat_rooms (province, title, status, opened_at, created_at, updated_at) values ('SEOUL', 'bench', 'OPEN', ?, ?, ?)",
    [now, now, now],
  );
  const [[room]] = await db.query("select id from chat_rooms where province = 'SEOUL'");
  await db.end();
  const { createAccessTokens } = await import(pathToFileURL(join(root, 'server/dist/modules/auth/access-token.js')).href);
  const { toGlobalId } = await import(pathToFileURL(join(root, 'server/dist/app/graphql/global-id.js')).href);
  const token = createAccessTokens({ JWT_SECRET: jwtSecret, ACCESS_TOKEN_TTL_SECONDS: 3600 }).sign({ id: user.id, role: user.role }).token;
  return { token, roomId: toGlobalId('ChatRoom', room.id) };
}
