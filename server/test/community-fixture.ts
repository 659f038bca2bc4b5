import { randomBytes } from 'node:crypto';
import { gql } from './graphql';

export const VOTE = 'mutation($t: ID!) { vote(targetId: $t, value: LIKE) { likeCount } }';
export const ME = '{ me { id nickname } }';

/** Signs a new user up and creates one post, through the public API only (MySQL and Redis must be up). */
export async function userWithPost(url: string): Promise<{ token: string; postId: string }> {
  const tag = randomBytes(4).toString('hex');
  const signUp = await gql(url, 'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }', {
    i: { email: `dep_${tag}@test.kr`, password: 'password-1234', nickname: `dep_${tag}` },
  });
  if (signUp.errors) throw new Error(`signUp: ${JSON.stringify(signUp.errors)}`);
  const token = signUp.data.signUp.accessToken as string;
  const post = await gql(
    url,
    'mutation($i: CreatePostInput!) { createPost(input: $i) { id } }',
    { i: { title: 'outage', body: 'body', latitude: 37.5665, longitude: 126.978, topic: 'DAILY' } },
    { token },
  );
  if (post.errors) throw new Error(`createPost: ${JSON.stringify(post.errors)}`);
  return { token, postId: post.data.createPost.id as string };
}
