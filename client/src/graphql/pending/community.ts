// PENDING: the community API (API.md "Community") is not in schema.graphql yet, so these operations are typed by
// hand from the contract. When the module lands: move the documents into src/graphql/community.graphql, run
// `npm run codegen` at the root, switch the imports to ../__generated__/graphql and delete this file.
import { gql, type TypedDocumentNode } from '@apollo/client';

export type VoteValue = 'LIKE' | 'DISLIKE' | 'NONE';

export interface PostItem {
  __typename?: 'Post';
  id: string;
  title: string;
  body: string;
  topic: string | null;
  createdAt: string;
  distanceKm: number | null;
  viewCount: number;
  likeCount: number;
  dislikeCount: number;
  myVote: VoteValue | null;
  commentCount: number;
  author: { id: string; nickname: string };
}

export interface CommentItem {
  id: string;
  body: string;
  createdAt: string;
  author: { id: string; nickname: string };
}

const POST_FIELDS = `
  id title body topic createdAt distanceKm viewCount likeCount dislikeCount myVote commentCount
  author { id nickname }
`;

export const PostsNearDocument = gql`
  query PostsNear($latitude: Float!, $longitude: Float!, $radiusKm: Float, $first: Int, $after: String) {
    postsNear(latitude: $latitude, longitude: $longitude, radiusKm: $radiusKm, first: $first, after: $after) {
      edges { cursor node { ${POST_FIELDS} } }
      pageInfo { hasNextPage endCursor }
    }
  }
` as TypedDocumentNode<
  { postsNear: { edges: { cursor: string; node: PostItem }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } },
  { latitude: number; longitude: number; radiusKm?: number; first?: number; after?: string | null }
>;

export const CreatePostDocument = gql`
  mutation CreatePost($input: CreatePostInput!) {
    createPost(input: $input) { ${POST_FIELDS} }
  }
` as TypedDocumentNode<{ createPost: PostItem }, { input: { title: string; body: string; latitude: number; longitude: number; topic?: string } }>;

export const VoteDocument = gql`
  mutation Vote($targetId: ID!, $value: VoteValue!) {
    vote(targetId: $targetId, value: $value) { targetId likeCount dislikeCount myVote }
  }
` as TypedDocumentNode<{ vote: { targetId: string; likeCount: number; dislikeCount: number; myVote: VoteValue | null } }, { targetId: string; value: VoteValue }>;

export const VoteCountsChangedDocument = gql`
  subscription VoteCountsChanged($targetId: ID!) {
    voteCountsChanged(targetId: $targetId) { targetId likeCount dislikeCount }
  }
` as TypedDocumentNode<{ voteCountsChanged: { targetId: string; likeCount: number; dislikeCount: number } }, { targetId: string }>;

export const CommentsDocument = gql`
  query Comments($targetId: ID!, $first: Int, $after: String) {
    comments(targetId: $targetId, first: $first, after: $after) {
      edges { cursor node { id body createdAt author { id nickname } } }
      pageInfo { hasNextPage endCursor }
    }
  }
` as TypedDocumentNode<
  { comments: { edges: { cursor: string; node: CommentItem }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } },
  { targetId: string; first?: number; after?: string | null }
>;

export const AddCommentDocument = gql`
  mutation AddComment($targetId: ID!, $body: String!) {
    addComment(targetId: $targetId, body: $body) { id body createdAt author { id nickname } }
  }
` as TypedDocumentNode<{ addComment: CommentItem }, { targetId: string; body: string }>;
