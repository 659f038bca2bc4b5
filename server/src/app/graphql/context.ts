import type { EntityManager, MikroORM } from '@mikro-orm/mysql';

export type Role = 'USER' | 'ADMIN';

export interface AuthUser {
  id: number;
  role: Role;
}

export type ContextInput = {
  requestId: string;
  user: AuthUser | null;
  /** Caller address: the rate limits and anonymous view counting key on it. */
  ip: string;
  transport: 'http' | 'ws';
};

/** Per-request (or per-subscription-event) state; the only thing resolvers get besides services. */
export class Context implements ContextInput {
  requestId: string;
  user: AuthUser | null;
  ip: string;
  transport: 'http' | 'ws';
  /** Identity token for per-request DataLoaders (see `defineLoader`). */
  readonly loaders: object = {};
  // Own, enumerable fields: Apollo clones the context object per request with Object.assign.
  private forked: EntityManager | undefined;
  private readonly orm: MikroORM;

  constructor(orm: MikroORM, input: ContextInput) {
    this.orm = orm;
    this.requestId = input.requestId;
    this.user = input.user;
    this.ip = input.ip;
    this.transport = input.transport;
  }

  /** Forked on first use: requests that never touch MySQL pay nothing. */
  get em(): EntityManager {
    this.forked ??= this.orm.em.fork();
    return this.forked;
  }

  /** A context with a new entity manager and loaders, for each subscription event. */
  fresh(): Context {
    return new Context(this.orm, this);
  }
}

export function createContextFactory(orm: MikroORM) {
  return (input: ContextInput): Context => new Context(orm, input);
}
