import type { Context } from '../../app/graphql/context.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { Infra } from '../../app/infra.js';
import type { User } from './user.entity.js';
import { userById } from './user.loaders.js';

export class UserService {
  constructor(
    private readonly infra: Pick<Infra, 'config'>,
    nodes: NodeRegistry,
  ) {
    nodes.register('User', (ctx, id) => this.findById(ctx, id));
  }

  findById(ctx: Context, id: number): Promise<User | null> {
    return userById(ctx).load(id);
  }

  async me(ctx: Context): Promise<User | null> {
    return ctx.user ? this.findById(ctx, ctx.user.id) : null;
  }

  /** Whether the viewer may see private details of `user` (email): themself or an admin. */
  canSeePrivate(ctx: Context, user: User): boolean {
    return !!ctx.user && (ctx.user.id === user.id || ctx.user.role === 'ADMIN');
  }

  isAdminEmail(email: string): boolean {
    return this.infra.config.ADMIN_EMAILS.includes(email.toLowerCase());
  }
}
