import { useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useParams } from 'react-router';
import { FileQuestion } from 'lucide-react';
import { NodeTypeDocument, ProvinceRoomDocument, type Province } from '../__generated__/graphql';
import { ErrorMessage } from '../components/ErrorMessage';
import { Empty, Skeleton } from '../components/ui';

const PAGES: Record<string, string> = { Post: '/posts', Resume: '/resumes', Mission: '/missions', ChatRoom: '/weather/rooms' };

/** `/go/<global id>`: the page of whatever the id names (a comment's notification knows its target only by id). */
export function GoPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { hash } = useLocation();
  const node = useQuery(NodeTypeDocument, { variables: { id } });
  if (node.error) return <ErrorMessage error={node.error} onRetry={() => void node.refetch()} />;
  if (node.loading) return <Skeleton rows={1} />;
  const n = node.data?.node;
  const base = n ? PAGES[n.__typename] : undefined;
  if (!n || !base) return <Empty icon={FileQuestion} title={t('common.gone')} />;
  return <Navigate to={`${base}/${encodeURIComponent(n.id)}${hash}`} replace />;
}

/** `/weather/province/<PROVINCE>`: the open room of a province (a weather notification names the province). */
export function ProvinceRoomPage() {
  const { province = '' } = useParams();
  const rooms = useQuery(ProvinceRoomDocument, { variables: { province: province as Province } });
  if (rooms.error) return <ErrorMessage error={rooms.error} onRetry={() => void rooms.refetch()} />;
  if (rooms.loading) return <Skeleton rows={1} />;
  const room = rooms.data?.chatRooms[0];
  return <Navigate to={room ? `/weather/rooms/${encodeURIComponent(room.id)}` : '/weather'} replace />;
}
