import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { FeedPage } from './pages/FeedPage';

// Every screen but the feed is its own chunk, fetched when first opened.
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): LazyExoticComponent<ComponentType> =>
  lazy(() => load().then((m) => ({ default: m[name] })));

const PostPage = page(() => import('./pages/PostPage'), 'PostPage');
const WeatherPage = page(() => import('./pages/WeatherPage'), 'WeatherPage');
const ChatRoomPage = page(() => import('./pages/ChatRoomPage'), 'ChatRoomPage');
const MissionsPage = page(() => import('./pages/MissionsPage'), 'MissionsPage');
const MissionPage = page(() => import('./pages/MissionPage'), 'MissionPage');
const CreateMissionPage = page(() => import('./pages/MissionAdminPages'), 'CreateMissionPage');
const ReviewQueuePage = page(() => import('./pages/MissionAdminPages'), 'ReviewQueuePage');
const ResumesPage = page(() => import('./pages/ResumesPage'), 'ResumesPage');
const ResumePage = page(() => import('./pages/ResumePage'), 'ResumePage');
const ProfilePage = page(() => import('./pages/ProfilePage'), 'ProfilePage');
const NotificationsPage = page(() => import('./pages/NotificationsPage'), 'NotificationsPage');
const LoginPage = page(() => import('./pages/AuthPages'), 'LoginPage');
const SignUpPage = page(() => import('./pages/AuthPages'), 'SignUpPage');
const KakaoCallbackPage = page(() => import('./pages/AuthPages'), 'KakaoCallbackPage');
const StatusPage = page(() => import('./pages/StatusPage'), 'StatusPage');
const GoPage = page(() => import('./pages/GoPage'), 'GoPage');
const ProvinceRoomPage = page(() => import('./pages/GoPage'), 'ProvinceRoomPage');
const NotFoundPage = page(() => import('./pages/NotFoundPage'), 'NotFoundPage');

export interface AppRoute {
  path: string;
  Component: ComponentType;
}

export const routes: AppRoute[] = [
  { path: '/', Component: FeedPage },
  { path: '/near', Component: FeedPage },
  { path: '/posts/:id', Component: PostPage },
  { path: '/status', Component: StatusPage },
  { path: '/weather', Component: WeatherPage },
  { path: '/weather/rooms/:id', Component: ChatRoomPage },
  { path: '/weather/province/:province', Component: ProvinceRoomPage },
  { path: '/login', Component: LoginPage },
  { path: '/signup', Component: SignUpPage },
  { path: '/auth/kakao', Component: KakaoCallbackPage },
  { path: '/missions', Component: MissionsPage },
  { path: '/missions/new', Component: CreateMissionPage },
  { path: '/missions/review', Component: ReviewQueuePage },
  { path: '/missions/:id', Component: MissionPage },
  { path: '/resumes', Component: ResumesPage },
  { path: '/resumes/:id', Component: ResumePage },
  { path: '/profile', Component: ProfilePage },
  { path: '/notifications', Component: NotificationsPage },
  { path: '/go/:id', Component: GoPage },
  { path: '*', Component: NotFoundPage },
];
