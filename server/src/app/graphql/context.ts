import type { EntityManager, MikroORM } from '@mikro-orm/mysql';

export type Role = 'USER' | 'ADMIN';

export interface AuthUser {
  id: number;
  role: Role;
}

/** Per-request (or per-subscription-event) state; the only thing resolvers get besides services. */
export interface Context {
  requestId: string;
  user: AuthUser | null;
  /** Caller address: the rate limits and anonymous view counting key on it. */
  ip: string;
  transport: 'http' | 'ws';
  /** Forked lazily: requests that never touch MySQL pay nothing. */
  readonly em: EntityManager;
  /** Identity token for per-request DataLoaders (see `defineLoader`). */
  readonly loaders: object;
  /** A context with a new entity manager and loaders, for each subscription event. */
  fresh(): Context;
}

export type ContextInput = Omit<Context, 'em' | 'loaders' | 'fresh'>;

export function createContextFactory(orm: MikroORM) {
  const build = (input: ContextInput): Context => {
    let em: EntityManager | undefined;
    return {
      ...input,
      get em() {
        em ??= orm.em.fork();
        return em;
      },
      loaders: {},
      fresh: () => build(input),
    };
  };
  return build;
}
