// Shared by the community benchmarks: bench users and posts straight into MySQL, tokens from the server's signer.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from '../lib.mjs';

export const SEOUL = { lat: 37.5665, lng: 126.978 };

/** Deterministic PRNG so runs are comparable. */
export function rng(seed = 42) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function insertUsers(db, n, tag) {
  const now = new Date();
  const rows = Array.from({ length: n }, (_, i) => [`${tag}${i}@bench.kr`, `${tag}_${i}`, `${tag}_${i}`, 'USER', now, now]);
  for (let i = 0; i < rows.length; i += 2000) {
    await db.query('insert into users (email, nickname, nickname_key, role, created_at, updated_at) values ?', [rows.slice(i, i + 2000)]);
  }
  const [ids] = await db.query('select id from users order by id');
  return ids.map((r) => r.id);
}

export async function tokensFor(env, userIds) {
  const { createAccessTokens } = await import(pathToFileURL(join(root, 'server/dist/modules/auth/access-token.js')).href);
  const signer = createAccessTokens({ JWT_SECRET: env.JWT_SECRET, ACCESS_TOKEN_TTL_SECONDS: 3600 });
  return userIds.map((id) => signer.sign({ id, role: 'USER' }).token);
}

/**
 * Inserts `n` posts (multi-row INSERTs of 5,000) with `place(i)` → { lat, lng } and created_at one second apart
 * (a few sharing a second). The spatial index is dropped during the load and rebuilt after, which is much faster.
 */
export async function insertPosts(db, n, authorIds, place) {
  await db.query('alter table posts drop index posts_location_sidx');
  const start = Date.now() - n * 1000;
  const batch = 5000;
  for (let i = 0; i < n; i += batch) {
    const values = [];
    const params = [];
    for (let j = i; j < Math.min(n, i + batch); j++) {
      const { lat, lng } = place(j);
      const at = new Date(start + Math.floor(j / 2) * 2000); // pairs share a timestamp: the id tiebreaker matters
      values.push('(?, ?, ?, ?, point(?, ?), 0, ?, ?)');
      params.push(authorIds[j % authorIds.length], `post ${j}`, 'bench body', 'DAILY', lng, lat, at, at);
    }
    await db.query(
      `insert into posts (author_id, title, body, topic, location, view_count, created_at, updated_at) values ${values.join(',')}`,
      params,
    );
  }
  await db.query('alter table posts add spatial index posts_location_sidx (location)');
  await db.query('analyze table posts');
}

/** Latencies (ms) of `runs` sequential calls of `fn` after `warmup` unmeasured ones. */
export async function timeIt(fn, runs, warmup = 5) {
  for (let i = 0; i < warmup; i++) await fn();
  const out = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export const cursorOf = (createdAt, id) => Buffer.from(JSON.stringify([createdAt.getTime(), id]), 'utf8').toString('base64url');
