import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from '../graphql/context.js';
import type { SharedEvents } from './shared-events.js';

/**
 * graphql-js `subscribe`, except that every event is executed with a context of its own (a new entity manager and new
 * DataLoaders, same user and request id). graphql-ws builds the context once per subscription and graphql-js reuses it
 * for every event, so without this an entity read for one event would be served from the identity map for the next.
 * The source stream (authorization, `topicId`, `filter`) still runs with the subscription's context.
 */
export function subscribeWithFreshContext(shared: SharedEvents) {
  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source;
    const context = args.contextValue as Context;
    return mapEvents(source, (payload) =>
      shared.run(args, payload, async () => execute({ ...args, rootValue: payload, contextValue: context.fresh() })),
    );
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}

/**
 * Maps each event; `return` goes straight to the source (an async generator would queue it behind a pending `next`,
 * and a quiet topic would then never release its Redis subscription).
 */
function mapEvents<T, R>(source: AsyncIterable<T>, map: (event: T) => R | Promise<R>): AsyncIterableIterator<R> {
  const iterator = source[Symbol.asyncIterator]();
  const done = (): IteratorResult<R> => ({ value: undefined, done: true });
  const mapped: AsyncIterableIterator<R> = {
    async next() {
      const result = await iterator.next();
      return result.done ? done() : { value: await map(result.value), done: false };
    },
    async return() {
      await iterator.return?.();
      return done();
    },
    async throw(error: unknown) {
      if (iterator.throw) await iterator.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}
