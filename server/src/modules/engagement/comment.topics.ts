/** Pub/sub topics of comments. */
export const CommentTopic = {
  /** Per target (`<Type>:<id>`): a comment was added (the subscriber resolves it afresh, under its own visibility). */
  ADDED: 'COMMENT_ADDED',
} as const;

export interface CommentAddedPayload {
  commentId: number;
  targetType: string;
  targetId: number;
}
