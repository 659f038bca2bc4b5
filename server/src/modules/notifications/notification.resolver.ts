import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { unauthenticated } from '../../app/errors.js';
import type { Context } from '../../app/graphql/context.js';
import { parseGlobalId, toGlobalId } from '../../app/graphql/global-id.js';
import { ConnectionArgs, connectionType, Node } from '../../app/graphql/relay.js';
import { User } from '../users/user.entity.js';
import { userById } from '../users/user.loaders.js';
import type { NodeRegistry } from '../../app/graphql/nodes.js';
import { Notification } from './notification.entity.js';
import { fromPayload, resumeCursor, type NotificationService } from './notification.service.js';
import { NotificationTopic, type NotificationPayload } from './notification.topics.js';

export const NotificationConnection = connectionType(Notification, 'Notification');

@ArgsType()
export class NotificationsArgs extends ConnectionArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only notifications not yet marked read.' })
  unreadOnly?: boolean | null;
}

@Resolver(() => Notification)
export class NotificationResolver {
  constructor(
    private readonly notificationService: NotificationService,
    private readonly nodes: NodeRegistry,
  ) {}

  @Authorized()
  @Query(() => NotificationConnection, { description: 'Your notifications, newest first.' })
  notifications(@Args() args: NotificationsArgs, @Ctx() ctx: Context) {
    return this.notificationService.list(ctx, args);
  }

  @Authorized()
  @Query(() => Int, { description: 'How many of your notifications are unread.' })
  unreadNotificationCount(@Ctx() ctx: Context): Promise<number> {
    return this.notificationService.unreadCount(ctx);
  }

  @Authorized()
  @Mutation(() => Int, { description: 'Marks some (`ids`) or all (`all: true`) of your notifications read; returns how many changed.' })
  markNotificationsRead(
    @Arg('ids', () => [ID], { nullable: true, description: 'Notifications to mark read; ids of others\u2019 notifications are ignored.' })
    ids: string[] | null,
    @Arg('all', () => Boolean, { nullable: true, description: 'Mark every unread notification read.' }) all: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<number> {
    const numeric = ids?.map((id) => parseGlobalId(id, 'Notification', 'ids').id) ?? null;
    return this.notificationService.markRead(ctx, numeric, all === true);
  }

  @Authorized()
  @Subscription(() => Notification, {
    topics: NotificationTopic.ADDED,
    topicId: ({ context, args }) => {
      const user = (context as Context).user;
      if (!user) throw unauthenticated();
      return { id: user.id, resume: (args as { after?: string | null }).after ?? undefined };
    },
    description:
      'Your notifications as they are added or grow (a grouped like), from any API instance. With `after` (a `cursor` you received), first every notification added or grown since, in order; when more were missed than can be replayed, the subscription ends with CONFLICT reason RESUME_GAP: reload the list and subscribe again.',
  })
  notificationAdded(
    @Arg('after', () => String, { nullable: true, description: 'The `cursor` of the last notification you have.' }) _after: string | null,
    @Root() payload: NotificationPayload,
    @Ctx() ctx: Context,
  ): Notification {
    if (payload.recipientId !== ctx.user?.id) throw unauthenticated();
    return fromPayload(payload);
  }

  @FieldResolver(() => String, {
    description: 'Where you stand after this notification: pass it as `after` to notificationAdded to resume.',
  })
  cursor(@Root() n: Notification): string {
    return resumeCursor(n.updatedAt, n.id);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who did it most recently; null for system events or a deleted account.' })
  actor(@Root() n: Notification, @Ctx() ctx: Context): Promise<User | null> | null {
    return n.actorId == null ? null : userById(ctx).load(n.actorId);
  }

  @FieldResolver(() => [User], { description: 'The most recent distinct actors, newest first (at most 3): "A, B and 12 others".' })
  async actors(@Root() n: Notification, @Ctx() ctx: Context): Promise<User[]> {
    const ids = JSON.parse(n.actorIds) as number[];
    const users = await userById(ctx).loadMany(ids);
    return users.filter((u): u is User => u instanceof User);
  }

  @FieldResolver(() => Node, {
    nullable: true,
    description: 'What it is about (post, comment, resume, mission submission, job, weather alert); null when gone or hidden from you.',
  })
  target(@Root() n: Notification, @Ctx() ctx: Context): Promise<Node | null> | null {
    if (!n.targetType || n.targetId == null) return null;
    return this.nodes.fetch(ctx, toGlobalId(n.targetType, n.targetId));
  }
}
