import { randomBytes } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';

/** A request a careless or hostile caller sends, and the status the issue expects for it. */
export interface GarbageCase {
  category: string;
  /** An exact status, or any 4xx. */
  expect: 400 | 401 | 413 | '4xx';
  method?: 'GET' | 'POST';
  /** Appended to /graphql (GET requests). */
  search?: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer | null;
  chunks?: Buffer[];
}

const JSON_TYPE = { 'content-type': 'application/json' };
const MB = 1024 * 1024;
const json = (category: string, body: string | Buffer, expect: GarbageCase['expect'] = 400): GarbageCase => ({
  category,
  expect,
  headers: JSON_TYPE,
  body,
});
const doc = (category: string, query: string, extra: Record<string, unknown> = {}): GarbageCase =>
  json(category, JSON.stringify({ query, ...extra }));

/** One of each kind of garbage; the suite cycles through them. */
export function garbageCases(): (() => GarbageCase)[] {
  return [
    // Bodies that are not JSON.
    () => json('malformed JSON', '{"query": "{ __typename }"'),
    () => json('malformed JSON', "{query: '{ __typename }'}"),
    () => json('malformed JSON', '{"query":"{ __typename }",}'),
    () => json('malformed JSON', randomBytes(64)),
    () => json('malformed JSON', '['.repeat(50_000)),
    () => json('malformed JSON', Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
    // JSON that is not a GraphQL request.
    () => json('not a GraphQL request', '[]'),
    () => json('not a GraphQL request', 'null'),
    () => json('not a GraphQL request', '42'),
    () => json('not a GraphQL request', '"{ __typename }"'),
    () => json('not a GraphQL request', '{}'),
    () => json('not a GraphQL request', '{"query": 5}'),
    () => json('not a GraphQL request', '[{"query":"{ __typename }"},{"query":"{ __typename }"}]'),
    () => doc('not a GraphQL request', '{ __typename }', { variables: 'x' }),
    () => doc('not a GraphQL request', '{ __typename }', { operationName: 5 }),
    () => doc('not a GraphQL request', '{ __typename }', { extensions: 'x' }),
    // Documents that do not parse.
    () => doc('syntax error', '{ me '),
    () => doc('syntax error', 'query {'),
    () => doc('syntax error', '}}}'),
    () => doc('syntax error', 'mutation { vote(targetId: ) }'),
    () => doc('syntax error', ''),
    // Documents that parse but do not validate, or break a limit.
    () => doc('validation error', '{ nope }'),
    () => doc('validation error', '{ post(id: 5) { nope } }'),
    () => doc('validation error', 'query($x: Int!) { __typename }'),
    () => doc('validation error', 'mutation { vote(targetId: "x", value: MAYBE) { likeCount } }'),
    () => doc('validation error', 'query A { __typename } query B { __typename }'),
    () => doc('validation error', '{ __typename }', { operationName: 'Missing' }),
    () => doc('token or alias limit', `{ ${'__typename '.repeat(2500)}}`),
    () => doc('token or alias limit', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: serverStatus { version }`).join(' ')} }`),
    // Subscriptions belong on the WebSocket.
    () => doc('subscription over HTTP', 'subscription { pinged { message } }'),
    () =>
      doc('subscription over HTTP', 'subscription($t: ID!) { voteCountsChanged(targetId: $t) { likeCount } }', { variables: { t: 'x' } }),
    // Bodies over the 1 MB limit.
    () => ({
      category: 'body over 1 MB, chunked',
      expect: 413,
      headers: JSON_TYPE,
      chunks: Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, 0x20)),
    }),
    () => json('body over 1 MB, with content-length', Buffer.alloc(MB + 1024, 0x20), 413),
    // Wrong or missing content types.
    () => ({
      category: 'wrong content type',
      expect: '4xx',
      headers: { 'content-type': 'text/plain' },
      body: '{"query":"{ __typename }"}',
    }),
    () => ({
      category: 'wrong content type',
      expect: '4xx',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B__typename%7D',
    }),
    () => ({ category: 'wrong content type', expect: '4xx', headers: { 'content-type': 'multipart/form-data' }, body: 'garbage' }),
    () => ({
      category: 'wrong content type',
      expect: '4xx',
      headers: { 'content-type': 'application/xml' },
      body: '<query>{ __typename }</query>',
    }),
    () => ({ category: 'wrong content type', expect: '4xx', headers: {}, body: '{"query":"{ __typename }"}' }),
    // GET requests with broken queries (with the CSRF preflight header, so the document itself is judged).
    () => ({ category: 'broken GET', expect: '4xx', method: 'GET', search: '?query=%7B', headers: { 'apollo-require-preflight': '1' } }),
    () => ({
      category: 'broken GET',
      expect: '4xx',
      method: 'GET',
      search: '?query=mutation%7Bping(message%3A%22x%22)%7D',
      headers: { 'apollo-require-preflight': '1' },
    }),
    () => ({
      category: 'broken GET',
      expect: '4xx',
      method: 'GET',
      search: '?variables=%7B',
      headers: { 'apollo-require-preflight': '1' },
    }),
    // A token that is not one.
    () => ({
      category: 'forged token',
      expect: 401,
      headers: { ...JSON_TYPE, authorization: 'Bearer not.a.jwt' },
      body: '{"query":"{ __typename }"}',
    }),
  ];
}

export function statusMatches(expect: GarbageCase['expect'], status: number | undefined): boolean {
  if (status === undefined) return false;
  return expect === '4xx' ? status >= 400 && status < 500 : status === expect;
}
