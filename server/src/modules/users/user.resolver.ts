import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/graphql/context.js';
import type { Services } from '../index.js';
import { User } from './user.entity.js';

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly services: Services) {}

  @Query(() => User, { nullable: true, description: 'The signed-in user; null when anonymous.' })
  me(@Ctx() ctx: Context): Promise<User | null> {
    return this.services.users.me(ctx);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Email address; only for the user themself and admins.' })
  email(@Root() user: User, @Ctx() ctx: Context): string | null {
    return this.services.users.canSeePrivate(ctx, user) ? user.email : null;
  }
}
