import type { DomainEvent, EventConsumer, StoredEvent } from '../../app/events.js';
import { NotificationKind } from './notification.entity.js';
import type { NotificationEventData, NotificationService } from './notification.service.js';

const HANDLED = ['CommentAdded', 'ReplyAdded', 'TargetLiked', 'MissionReviewed', 'ResumeJobFinished', 'WeatherWarningIssued'] as const;

// Ids travel as JSON; a stored procedure's JSON_OBJECT may render them as strings.
const id = (v: number | string | null | undefined) => (v == null ? null : Number(v));

/**
 * The notification an event causes, if any. Its dedupe key is the event's id, so a batch delivered twice writes once;
 * a like's is who liked what, so liking, unliking and liking again notifies once; a warning's is the warning.
 */
export function notificationOf(e: StoredEvent): NotificationEventData | null {
  const key = `event:${e.id}`;
  const n = (d: Omit<NotificationEventData, 'dedupeKey'>, dedupeKey = key): NotificationEventData => ({ ...d, dedupeKey });
  const ev = e as DomainEvent;
  switch (ev.type) {
    case 'CommentAdded':
      return n({
        kind: NotificationKind.COMMENT,
        recipientId: id(ev.targetOwnerId),
        actorId: id(ev.actorId),
        targetType: 'Comment',
        targetId: id(ev.commentId),
      });
    case 'ReplyAdded':
      return n({
        kind: NotificationKind.REPLY,
        recipientId: id(ev.parentAuthorId),
        actorId: id(ev.actorId),
        targetType: 'Comment',
        targetId: id(ev.commentId),
      });
    case 'TargetLiked':
      return n(
        {
          kind: NotificationKind.LIKE,
          recipientId: id(ev.ownerId),
          actorId: id(ev.actorId),
          targetType: ev.targetType,
          targetId: id(ev.targetId),
        },
        `LIKE:${ev.actorId}:${ev.targetType}:${ev.targetId}`,
      );
    case 'MissionReviewed':
      return n({
        kind: NotificationKind.MISSION_REVIEWED,
        recipientId: id(ev.submitterId),
        actorId: id(ev.reviewerId),
        targetType: 'MissionSubmission',
        targetId: id(ev.submissionId),
      });
    case 'ResumeJobFinished':
      if (!ev.succeeded || ev.kind !== 'GENERATE' || ev.resumeId == null) return null;
      return n({
        kind: NotificationKind.RESUME_READY,
        recipientId: id(ev.userId),
        actorId: null,
        targetType: 'Resume',
        targetId: id(ev.resumeId),
      });
    case 'WeatherWarningIssued':
      return n(
        {
          kind: NotificationKind.WEATHER_ALERT,
          recipientId: null,
          actorId: null,
          targetType: 'WeatherAlert',
          targetId: id(ev.alertId),
          province: ev.province,
        },
        `WEATHER_ALERT:${ev.alertId}`,
      );
    default:
      return null;
  }
}

/** The worker's notifications consumer: every event that tells somebody something. */
export function notificationsConsumer(notifications: NotificationService): EventConsumer {
  return {
    name: 'notifications',
    handles: HANDLED,
    handle: async (events) => {
      await notifications.applyAll(events.map(notificationOf).filter((x): x is NotificationEventData => x !== null));
    },
  };
}
