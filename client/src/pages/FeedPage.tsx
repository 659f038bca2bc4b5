import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { MessagesSquare, PenLine } from 'lucide-react';
import { CreatePostDocument, PostsNearDocument, type PostTopic } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { PlacePicker } from '../components/PlacePicker';
import { PostCard } from '../components/PostCard';
import { Empty, Sheet, Skeleton } from '../components/ui';
import { useSession } from '../lib/api-context';
import type { LatLng } from '../lib/geo';
import { usePlace } from '../lib/place';
import { useRefetchOnFocus } from '../lib/use-refetch-on-focus';
import { useFormErrors } from '../lib/use-form';
import { FORMS } from '../lib/validate';

const TOPICS: PostTopic[] = ['WEATHER', 'DAILY', 'TRAFFIC', 'OTHER'];

function Composer({ place, placeName, onPosted }: { place: LatLng; placeName: string; onPosted: (id: string) => void }) {
  const { t } = useTranslation();
  const [create, { loading, error, reset }] = useMutation(CreatePostDocument);
  const form = useFormErrors(FORMS.post, error);
  const [topic, setTopic] = useState<PostTopic>('WEATHER');
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const el = e.currentTarget;
    const f = new FormData(el);
    const values = { title: String(f.get('title') ?? ''), body: String(f.get('body') ?? '') };
    reset();
    if (!form.validate(values)) return;
    const { data } = await create({
      variables: {
        input: { title: values.title.trim(), body: values.body.trim(), topic, latitude: place.latitude, longitude: place.longitude },
      },
    }).catch(() => ({ data: undefined }));
    if (data) {
      el.reset();
      onPosted(data.createPost.id);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="composer">
      <Field label={t('near.postTitle')} name="title" maxLength={100} messages={form.messages('title')} autoComplete="off" />
      <Field label={t('near.body')} name="body" multiline rows={5} maxLength={5000} messages={form.messages('body')} />
      <fieldset className="chips">
        <legend>{t('near.topic')}</legend>
        {TOPICS.map((k) => (
          <label key={k} className={`chip-option ${topic === k ? 'selected' : ''}`}>
            <input type="radio" name="topic" value={k} checked={topic === k} onChange={() => setTopic(k)} />
            {t(`near.topics.${k}`)}
          </label>
        ))}
      </fieldset>
      <p className="muted small">{t('near.postingAt', { place: placeName })}</p>
      <ErrorMessage error={error} shownFields={['title', 'body']} />
      <button type="submit" className="primary wide" disabled={loading}>
        {loading ? t('near.publishing') : t('near.publish')}
      </button>
    </form>
  );
}

export function FeedPage() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const placeState = usePlace();
  const { place } = placeState;
  const [composing, setComposing] = useState(false);
  const posts = useQuery(PostsNearDocument, {
    variables: { latitude: place.latitude, longitude: place.longitude, radiusKm: 5, first: 20 },
    skip: !placeState.ready,
    notifyOnNetworkStatusChange: false,
  });
  useRefetchOnFocus(() => posts.refetch(), placeState.ready);
  const page = posts.data?.postsNear;
  const placeName = t(`near.places.${placeState.choice}`);
  return (
    <>
      <div className="page-header feed-header">
        <h1>{t('near.title')}</h1>
        <PlacePicker state={placeState} />
      </div>
      <ErrorMessage error={posts.error} onRetry={() => void posts.refetch()} />
      {!page && !posts.error && <Skeleton rows={4} />}
      {page && page.edges.length === 0 && <Empty icon={MessagesSquare} title={t('near.emptyTitle')} text={t('near.empty')} />}
      {page && page.edges.length > 0 && (
        <ul className="feed" aria-label={t('near.title')}>
          {page.edges.map(({ node }) => (
            <PostCard key={node.id} post={node} signedIn={!!session} />
          ))}
        </ul>
      )}
      {page?.pageInfo.hasNextPage && (
        <button
          type="button"
          className="secondary wide"
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
      <button
        type="button"
        className="fab"
        onClick={() => (session ? setComposing(true) : navigate('/login', { state: { from: '/' } }))}
        aria-haspopup="dialog"
      >
        <PenLine aria-hidden="true" size={20} />
        <span>{session ? t('near.write') : t('near.signInToWrite')}</span>
      </button>
      <Sheet open={composing} title={t('near.newPost')} onClose={() => setComposing(false)}>
        <Composer
          place={place}
          placeName={placeName}
          onPosted={() => {
            setComposing(false);
            void posts.refetch();
          }}
        />
      </Sheet>
    </>
  );
}
