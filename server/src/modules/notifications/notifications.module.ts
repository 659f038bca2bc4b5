import type { NodeRegistry } from '../../app/graphql/nodes.js';
import type { Infra } from '../../app/infra.js';
import type { ModuleParts } from '../../app/module.js';
import { Notification, NotificationEvent } from './notification.entity.js';
import { notificationsConsumer } from './notification.events.js';
import { pruneNotificationEventsJob } from './notification.job.js';
import { NotificationResolver } from './notification.resolver.js';
import { NotificationService, type ProvinceResidents } from './notification.service.js';
import { NotificationTopic, type NotificationPayload } from './notification.topics.js';

export const NOTIFICATIONS_ENTITIES = [Notification, NotificationEvent];

/** The module's resolver classes (the schema is built from classes; instances come from the factory). */
export const NOTIFICATIONS_RESOLVERS = [NotificationResolver];

/** A consumer of domain events: it imports no feature module and reads no other module's table. */
export function createNotificationsModule(deps: { infra: Infra; nodes: NodeRegistry; residents: ProvinceResidents }) {
  const notifications = new NotificationService(deps.infra, deps.nodes, deps.residents);
  deps.infra.pubsub.registerStream<NotificationPayload>(NotificationTopic.ADDED, {
    replay: (recipientId, after) =>
      typeof after === 'string' ? notifications.changedSince(Number(recipientId), after) : Promise.resolve([]),
    // a grouped like is the same notification growing: only its newer states pass
    key: (p) => String(p.id),
    version: (p) => Date.parse(p.updatedAt),
  });
  return {
    notifications,
    resolvers: [new NotificationResolver(notifications, deps.nodes)],
    consumers: [notificationsConsumer(notifications)],
    jobs: [pruneNotificationEventsJob(notifications)],
    topics: NotificationTopic,
  } satisfies ModuleParts & Record<string, unknown>;
}
