// PENDING: the notifications API (API.md "Notifications") is not in schema.graphql yet; typed by hand from the
// contract. When it lands: move the documents to src/graphql/notifications.graphql, run `npm run codegen`, switch
// imports to ../__generated__/graphql and delete this file.
import { gql, type TypedDocumentNode } from '@apollo/client';

export interface NotificationItem {
  id: string;
  kind: 'LIKE' | 'COMMENT' | 'REPLY' | 'MISSION_REVIEWED' | 'RESUME_READY' | 'WEATHER_ALERT';
  count: number;
  createdAt: string;
  readAt: string | null;
  actor: { id: string; nickname: string } | null;
}

const FIELDS = 'id kind count createdAt readAt actor { id nickname }';

export const UnreadCountDocument = gql`
  query UnreadNotificationCount {
    unreadNotificationCount
  }
` as TypedDocumentNode<{ unreadNotificationCount: number }, Record<string, never>>;

export const NotificationAddedDocument = gql`
  subscription NotificationAdded {
    notificationAdded { ${FIELDS} }
  }
` as TypedDocumentNode<{ notificationAdded: NotificationItem }, Record<string, never>>;

export const NotificationsDocument = gql`
  query Notifications($first: Int, $after: String, $unreadOnly: Boolean) {
    notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
      edges { cursor node { ${FIELDS} } }
      pageInfo { hasNextPage endCursor }
    }
  }
` as TypedDocumentNode<
  { notifications: { edges: { cursor: string; node: NotificationItem }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } },
  { first?: number; after?: string | null; unreadOnly?: boolean }
>;

export const MarkReadDocument = gql`
  mutation MarkNotificationsRead($ids: [ID!], $all: Boolean) {
    markNotificationsRead(ids: $ids, all: $all)
  }
` as TypedDocumentNode<{ markNotificationsRead: number }, { ids?: string[]; all?: boolean }>;
