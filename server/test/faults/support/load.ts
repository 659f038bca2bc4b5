import type { GqlClient, GqlOutcome } from './http';
import { postInput, uniqueToken, type Post, type User } from './world';
import { sleep } from '../../infra/processes';

export type OpKind = 'vote' | 'comment' | 'post' | 'chat';

/** One attempt of one write, as the client saw it. */
export interface Op extends GqlOutcome {
  kind: OpKind;
  user: number;
  /** Which API instance answered (index into the clients). */
  via: number;
  /** Target of a vote or a comment. */
  target?: string;
  /** Vote value. */
  value?: 'LIKE' | 'DISLIKE' | 'NONE';
  /** Identifies a logical write across retries: the comment body, post title or chat clientMessageId (unique per write). */
  token?: string;
  attempt: number;
  /** Global id of what an acknowledged write created. */
  resultId?: string;
}

export interface LoadOptions {
  /** API instances; user i starts on clients[i % n] and moves to the next one after a transport error. */
  clients: GqlClient[];
  users: User[];
  posts: Post[];
  /** Relative weights of the operations. */
  mix: Partial<Record<OpKind, number>>;
  roomId?: string;
  /** Sends `idempotencyKey` (the write's token) with createPost and addComment. */
  idempotencyKeys?: boolean;
  /** Tries a failed write again (same token, same key), up to this many attempts in all; votes and chat are safe to retry. */
  attempts?: Partial<Record<OpKind, number>>;
  pauseAfterFailureMs?: number;
}

const VOTE = 'mutation($t: ID!, $v: VoteValue!) { vote(targetId: $t, value: $v) { likeCount dislikeCount } }';
const COMMENT = 'mutation($t: ID!, $b: String!) { addComment(targetId: $t, body: $b) { id } }';
const COMMENT_KEYED = 'mutation($t: ID!, $b: String!, $k: String) { addComment(targetId: $t, body: $b, idempotencyKey: $k) { id } }';
const POST = 'mutation($input: CreatePostInput!) { createPost(input: $input) { id } }';
const POST_KEYED = 'mutation($input: CreatePostInput!, $k: String) { createPost(input: $input, idempotencyKey: $k) { id } }';
const CHAT = 'mutation($r: ID!, $b: String!, $c: String) { sendMessage(roomId: $r, body: $b, clientMessageId: $c) { id seq } }';
const VALUES = ['LIKE', 'DISLIKE', 'NONE'] as const;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** The request of one write; the same token and key on every attempt. */
export function writeRequest(kind: OpKind, token: string, target: string | undefined, value: string | undefined, keyed: boolean) {
  switch (kind) {
    case 'vote':
      return { query: VOTE, variables: { t: target, v: value } };
    case 'comment':
      return { query: keyed ? COMMENT_KEYED : COMMENT, variables: { t: target, b: token, ...(keyed ? { k: token } : {}) } };
    case 'post':
      return { query: keyed ? POST_KEYED : POST, variables: { input: postInput(token), ...(keyed ? { k: token } : {}) } };
    case 'chat':
      return { query: CHAT, variables: { r: target, b: token, c: token } };
  }
}

function resultIdOf(kind: OpKind, data: any): string | undefined {
  if (kind === 'comment') return data?.addComment?.id;
  if (kind === 'post') return data?.createPost?.id;
  if (kind === 'chat') return data?.sendMessage?.id;
  return undefined;
}

/**
 * Writes from many users at once, each user one request at a time (so a user's votes on a target have an order), for
 * as long as it runs. Every attempt is kept for the checks.
 */
export class Load {
  readonly ops: Op[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly weights: [OpKind, number][];

  constructor(private readonly options: LoadOptions) {
    this.weights = Object.entries(options.mix).filter(([, w]) => w! > 0) as [OpKind, number][];
  }

  start(): this {
    this.running = true;
    this.loops = this.options.users.map((user) => this.loop(user));
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private chooseKind(): OpKind {
    const total = this.weights.reduce((s, [, w]) => s + w, 0);
    let r = Math.random() * total;
    for (const [kind, w] of this.weights) if ((r -= w) < 0) return kind;
    return this.weights[0]![0];
  }

  private async loop(user: User): Promise<void> {
    const { clients } = this.options;
    let via = user.index % clients.length;
    while (this.running) {
      const kind = this.chooseKind();
      const target = kind === 'chat' ? this.options.roomId : kind === 'post' ? undefined : pick(this.options.posts).id;
      const value = kind === 'vote' ? pick(VALUES) : undefined;
      const token = uniqueToken(kind);
      const max = this.options.attempts?.[kind] ?? 1;
      for (let attempt = 1; attempt <= max; attempt++) {
        const request = writeRequest(kind, token, target, value, !!this.options.idempotencyKeys);
        const outcome = await clients[via]!.request(request.query, request.variables, user.token);
        const op: Op = { ...outcome, kind, user: user.index, via, target, value, token, attempt, resultId: resultIdOf(kind, outcome.data) };
        this.ops.push(op);
        if (op.ok) break;
        // A refused or dropped connection: this instance is gone, try the next (a client with several endpoints).
        if (outcome.error && clients.length > 1) via = (via + 1) % clients.length;
        await sleep(this.options.pauseAfterFailureMs ?? 50);
      }
    }
  }
}

/**
 * Whether createPost and addComment take an `idempotencyKey` (API.md, second wave): a request naming an unknown
 * argument fails validation before anything is written, so probing with a bad target is harmless either way.
 */
export async function acceptsIdempotencyKeys(client: GqlClient, user: User): Promise<boolean> {
  const probes = [
    writeRequest('comment', 'comment-key-check', 'bm90LWEtcG9zdA', undefined, true),
    { query: POST_KEYED, variables: { input: { title: '', body: '', latitude: 0, longitude: 0 }, k: 'post-key-check' } },
  ];
  for (const request of probes) {
    const result = await client.request(request.query, request.variables, user.token);
    if (result.errors?.some((e) => /Unknown argument "idempotencyKey"/.test(e.message))) return false;
  }
  return true;
}

/** Calls `fn` every `everyMs` without waiting for the previous call (a prober), until stopped. */
export function every(everyMs: number, fn: () => Promise<unknown>): { stop(): Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  const timer = setInterval(() => {
    const p = fn().finally(() => pending.delete(p));
    pending.add(p);
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
    },
  };
}
