import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Comments } from '../components/Comments';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { VoteButtons } from '../components/VoteButtons';
import { CreatePostDocument, PostsNearDocument, type PostFieldsFragment as PostItem, type PostTopic } from '../__generated__/graphql';
import { useSession } from '../lib/api-context';
import { currentPosition, DEFAULT_PLACE, type LatLng } from '../lib/geo';

const PLACES: Record<string, LatLng> = {
  cityhall: DEFAULT_PLACE,
  gangnam: { latitude: 37.4979, longitude: 127.0276 },
  busan: { latitude: 35.1578, longitude: 129.0597 },
  jeju: { latitude: 33.4996, longitude: 126.5312 },
};

/** The reader's place: the browser's location, or one picked by hand when that is denied or unwanted. */
export function usePlace() {
  const [place, setPlace] = useState<LatLng | null>(null);
  const [denied, setDenied] = useState<string | null>(null);
  const [choice, setChoice] = useState('here');
  useEffect(() => {
    if (choice !== 'here') return;
    let live = true;
    currentPosition()
      .then((p) => live && (setPlace(p), setDenied(null)))
      .catch((err: Error) => {
        if (!live) return;
        setDenied(err.message);
        setChoice('cityhall');
      });
    return () => {
      live = false;
    };
  }, [choice]);
  useEffect(() => {
    if (PLACES[choice]) setPlace(PLACES[choice]);
  }, [choice]);
  return { place, setPlace, denied, choice, setChoice };
}

export function PlacePicker({ state }: { state: ReturnType<typeof usePlace> }) {
  const { t } = useTranslation();
  const { place, setPlace, denied, choice, setChoice } = state;
  return (
    <div className="field">
      <label htmlFor="place">{t('near.place')}</label>
      <select id="place" value={choice} onChange={(e) => setChoice(e.target.value)}>
        {['here', 'cityhall', 'gangnam', 'busan', 'jeju', 'custom'].map((k) => (
          <option key={k} value={k}>
            {t(`near.places.${k}`)}
          </option>
        ))}
      </select>
      {choice === 'custom' && (
        <div className="row">
          <Field
            label={t('profile.latitude')}
            name="lat"
            inputMode="decimal"
            defaultValue={place?.latitude}
            onBlur={(e) => place && setPlace({ ...place, latitude: Number(e.target.value) })}
          />
          <Field
            label={t('profile.longitude')}
            name="lng"
            inputMode="decimal"
            defaultValue={place?.longitude}
            onBlur={(e) => place && setPlace({ ...place, longitude: Number(e.target.value) })}
          />
        </div>
      )}
      {denied && (
        <p className="muted" role="status">
          {t('near.denied')} ({denied})
        </p>
      )}
    </div>
  );
}

function PostCard({ post, signedIn }: { post: PostItem; signedIn: boolean }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <li className="post" data-testid="post">
      <h3>{post.title}</h3>
      <p className="muted">
        {post.author?.nickname ?? '—'} · {post.distanceKm !== null && t('near.km', { km: post.distanceKm.toFixed(1) })} ·{' '}
        {new Date(post.createdAt).toLocaleString(i18n.language)}
        {post.topic && ` · ${t(`near.topics.${post.topic}`, { defaultValue: post.topic })}`}
      </p>
      <p>{post.body}</p>
      <VoteButtons targetId={post.id} likeCount={post.likeCount} dislikeCount={post.dislikeCount} myVote={post.myVote} canVote={signedIn} />
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t('near.comments', { count: post.commentCount })}
      </button>
      {open && <Comments targetId={post.id} canComment={signedIn} />}
    </li>
  );
}

function NewPost({ place, onPosted }: { place: LatLng; onPosted: () => void }) {
  const { t } = useTranslation();
  const [create, { loading, error }] = useMutation(CreatePostDocument);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const { data } = await create({
      variables: {
        input: {
          title: String(f.get('title')).trim(),
          body: String(f.get('body')).trim(),
          topic: String(f.get('topic')) as PostTopic,
          latitude: place.latitude,
          longitude: place.longitude,
        },
      },
    }).catch(() => ({ data: undefined }));
    if (data) {
      form.reset();
      onPosted();
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="card">
      <h2>{t('near.newPost')}</h2>
      <Field label={t('near.postTitle')} name="title" required error={error} />
      <div className="field">
        <label htmlFor="post-body">{t('near.body')}</label>
        <textarea id="post-body" name="body" rows={3} required />
      </div>
      <div className="field">
        <label htmlFor="post-topic">{t('near.topic')}</label>
        <select id="post-topic" name="topic" defaultValue="WEATHER">
          {['WEATHER', 'TRAFFIC', 'DAILY', 'OTHER'].map((k) => (
            <option key={k} value={k}>
              {t(`near.topics.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <ErrorMessage error={error} />
      <button type="submit" disabled={loading}>
        {t('near.publish')}
      </button>
    </form>
  );
}

export function NearPage() {
  const { t } = useTranslation();
  const session = useSession();
  const placeState = usePlace();
  const { place } = placeState;
  const posts = useQuery(PostsNearDocument, {
    variables: { latitude: place?.latitude ?? 0, longitude: place?.longitude ?? 0, radiusKm: 5, first: 20 },
    skip: !place,
  });
  const page = posts.data?.postsNear;
  return (
    <>
      <section className="card">
        <h1>{t('near.title')}</h1>
        <PlacePicker state={placeState} />
        {!place && <p>{t('near.locating')}</p>}
      </section>
      {place && session && <NewPost place={place} onPosted={() => void posts.refetch()} />}
      {!session && (
        <p className="card">
          {t('home.signInToPost')} <Link to="/login">{t('nav.login')}</Link>
        </p>
      )}
      <ErrorMessage error={posts.error} onRetry={() => void posts.refetch()} />
      {page && (
        <section aria-label={t('near.title')}>
          {page.edges.length === 0 ? (
            <p className="muted">{t('near.empty')}</p>
          ) : (
            <ul className="list">
              {page.edges.map(({ node }) => (
                <PostCard key={node.id} post={node} signedIn={!!session} />
              ))}
            </ul>
          )}
          {page.pageInfo.hasNextPage && (
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void posts.fetchMore({
                  variables: { after: page.pageInfo.endCursor },
                  updateQuery: (prev, { fetchMoreResult }) => ({
                    postsNear: { ...fetchMoreResult.postsNear, edges: [...prev.postsNear.edges, ...fetchMoreResult.postsNear.edges] },
                  }),
                })
              }
            >
              {t('common.more')}
            </button>
          )}
        </section>
      )}
    </>
  );
}
