import DataLoader from 'dataloader';
import type { Context } from './context.js';

/**
 * Declares a per-request DataLoader. The loader is created on first use within a request,
 * so requests that never need it pay nothing, and it never outlives the request.
 */
export function defineLoader<K, V, C = K>(create: (ctx: Context) => DataLoader<K, V, C>): (ctx: Context) => DataLoader<K, V, C> {
  const perRequest = new WeakMap<object, DataLoader<K, V, C>>();
  return (ctx) => {
    let loader = perRequest.get(ctx.loaders);
    if (!loader) {
      loader = create(ctx);
      perRequest.set(ctx.loaders, loader);
    }
    return loader;
  };
}

/** Orders batch results by key, filling gaps with `fallback` (DataLoader requires one result per key). */
export function byKeys<K, V, F>(keys: readonly K[], rows: V[], keyOf: (row: V) => K, fallback: F): (V | F)[] {
  const map = new Map<K, V>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((k) => map.get(k) ?? fallback);
}
