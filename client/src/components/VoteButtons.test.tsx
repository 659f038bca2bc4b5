import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApolloClient, ApolloLink, InMemoryCache, Observable } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { MockSubscriptionLink } from '@apollo/client/testing';
import { VoteButtons } from './VoteButtons';

afterEach(() => cleanup());

function setup() {
  const live = new MockSubscriptionLink();
  const votes: Record<string, unknown>[] = [];
  // Mutations answer like the server: the voter's new counts and vote.
  const http = new ApolloLink(
    (op) =>
      new Observable((o) => {
        votes.push(op.variables);
        const value = op.variables.value as string;
        o.next({
          data: {
            vote: {
              __typename: 'VoteCounts',
              targetId: 'P1',
              likeCount: value === 'LIKE' ? 6 : 5,
              dislikeCount: 0,
              myVote: value === 'NONE' ? null : value,
            },
          },
        });
        o.complete();
      }),
  );
  const client = new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.split((op) => op.operationType === 'subscription', live, http),
  });
  render(
    <ApolloProvider client={client}>
      <VoteButtons targetId="P1" likeCount={5} dislikeCount={0} myVote={null} canVote />
    </ApolloProvider>,
  );
  return { live, votes };
}

const likes = () => screen.getByTestId('like-count').textContent;

describe('live vote counts', () => {
  it('shows counts pushed by voteCountsChanged without any action from the reader', async () => {
    const { live } = setup();
    expect(likes()).toBe('5');
    await waitFor(() => expect(live.operation?.operationName).toBe('VoteCountsChanged'));
    expect(live.operation?.variables).toEqual({ targetId: 'P1' });
    act(() =>
      live.simulateResult({
        result: { data: { voteCountsChanged: { __typename: 'VoteCountsEvent', targetId: 'P1', likeCount: 9, dislikeCount: 2 } } },
      }),
    );
    await waitFor(() => expect(likes()).toBe('9'));
    expect(screen.getByTestId('dislike-count').textContent).toBe('2');
    act(() =>
      live.simulateResult({
        result: { data: { voteCountsChanged: { __typename: 'VoteCountsEvent', targetId: 'P1', likeCount: 10, dislikeCount: 2 } } },
      }),
    );
    await waitFor(() => expect(likes()).toBe('10'));
  });

  it("takes the voter's own result from the mutation and toggles the vote off on a second press", async () => {
    const { votes } = setup();
    const like = screen.getByRole('button', { name: /좋아요/ });
    fireEvent.click(like);
    await waitFor(() => expect(likes()).toBe('6'));
    expect(like.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(like);
    await waitFor(() => expect(like.getAttribute('aria-pressed')).toBe('false'));
    expect(likes()).toBe('5');
    expect(votes).toEqual([
      { targetId: 'P1', value: 'LIKE' },
      { targetId: 'P1', value: 'NONE' },
    ]);
  });
});
