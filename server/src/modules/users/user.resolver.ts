import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../app/graphql/context.js';
import { parseGlobalId } from '../../app/graphql/global-id.js';
import type { UserService } from './user.service.js';
import { Province } from '../geo/province.js';
import { User, UserRole } from './user.entity.js';
import { UpdateProfileInput } from './user.inputs.js';

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly users: UserService) {}

  @Query(() => User, { nullable: true, description: 'The signed-in user; null when anonymous.' })
  me(@Ctx() ctx: Context): Promise<User | null> {
    return this.users.me(ctx);
  }

  @Extensions({ perViewer: true })
  @FieldResolver(() => String, { nullable: true, description: 'Email address; only for the user themself and admins.' })
  email(@Root() user: User, @Ctx() ctx: Context): string | null {
    return this.users.canSeePrivate(ctx, user) ? user.email : null;
  }

  @Extensions({ perViewer: true })
  @FieldResolver(() => Province, { nullable: true, description: 'Home province; only for the user themself and admins.' })
  homeProvince(@Root() user: User, @Ctx() ctx: Context): Province | null {
    return this.users.canSeePrivate(ctx, user) ? (user.homeProvince as Province | null) : null;
  }

  @Authorized()
  @Mutation(() => User, { description: 'Changes your nickname and home location (the location is stored, never returned).' })
  updateProfile(
    @Arg('input', () => UpdateProfileInput, { description: 'The fields to change.' }) input: UpdateProfileInput,
    @Ctx() ctx: Context,
  ): Promise<User> {
    return this.users.updateProfile(ctx, input);
  }

  @Authorized('ADMIN')
  @Mutation(() => User, { description: 'Admin: grants or removes the admin role. Takes effect on the next token refresh.' })
  setUserRole(
    @Arg('userId', () => ID, { description: 'The user.' }) userId: string,
    @Arg('role', () => UserRole, { description: 'The new role.' }) role: UserRole,
    @Ctx() ctx: Context,
  ): Promise<User> {
    return this.users.setRole(ctx, parseGlobalId(userId, 'User', 'userId').id, role);
  }
}
