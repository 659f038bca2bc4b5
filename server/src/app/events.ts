/**
 * Domain events: what a feature tells the rest of the product, recorded in the same MySQL transaction as its change
 * (the outbox) and delivered to consumers in the worker. Each carries the ids its consumers need, including who owns
 * the thing it is about, resolved by the feature that owns it; consumers never read a producer's tables.
 */
export type DomainEvent =
  CommentAdded | ReplyAdded | TargetLiked | MissionReviewed | ResumeJobRequested | ResumeJobFinished | WeatherWarningIssued;

/** A comment on a post or résumé. */
export interface CommentAdded {
  type: 'CommentAdded';
  commentId: number;
  actorId: number;
  targetType: string;
  targetId: number;
  /** Who owns what was commented on; null when it has no owner. */
  targetOwnerId: number | null;
}

/** A reply to a comment (also recorded as a CommentAdded on the same target). */
export interface ReplyAdded {
  type: 'ReplyAdded';
  commentId: number;
  actorId: number;
  parentId: number;
  parentAuthorId: number | null;
}

/** A new like (not a switch to dislike, not a clear). */
export interface TargetLiked {
  type: 'TargetLiked';
  actorId: number;
  targetType: string;
  targetId: number;
  ownerId: number | null;
}

/** An admin approved or rejected a photo proof. */
export interface MissionReviewed {
  type: 'MissionReviewed';
  submissionId: number;
  reviewerId: number;
  submitterId: number;
  approved: boolean;
}

/** A user asked for a résumé job (generate or revise): the worker queues it. */
export interface ResumeJobRequested {
  type: 'ResumeJobRequested';
  jobId: number;
  userId: number;
}

/** A résumé job ended (succeeded or failed). */
export interface ResumeJobFinished {
  type: 'ResumeJobFinished';
  jobId: number;
  userId: number;
  kind: 'GENERATE' | 'REVISE';
  succeeded: boolean;
  resumeId: number | null;
}

/** KMA issued (or upgraded or extended) a warning; `province` is null for open sea. */
export interface WeatherWarningIssued {
  type: 'WeatherWarningIssued';
  alertId: number;
  province: string | null;
  kind: string;
  level: string;
}

export type DomainEventType = DomainEvent['type'];

/** An event as consumers receive it: its outbox id (idempotency key) and when it was recorded. */
export type StoredEvent<E extends DomainEvent = DomainEvent> = E & { id: number; occurredAt: string };

/** A worker-side reader of events; must be idempotent by event id (a batch may arrive twice). */
export interface EventConsumer {
  /** Also the BullMQ job name its batches travel under. */
  name: string;
  handles: readonly DomainEventType[];
  handle(events: StoredEvent[]): Promise<void>;
}
