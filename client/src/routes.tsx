import type { ReactNode } from 'react';
import { ChatRoomPage } from './pages/ChatRoomPage';
import { HomePage } from './pages/HomePage';
import { CreateMissionPage, ReviewQueuePage } from './pages/MissionAdminPages';
import { MissionPage } from './pages/MissionPage';
import { MissionsPage } from './pages/MissionsPage';
import { KakaoCallbackPage, LoginPage, SignUpPage } from './pages/AuthPages';
import { NearPage } from './pages/NearPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { ProfilePage } from './pages/ProfilePage';
import { ResumePage } from './pages/ResumePage';
import { ResumesPage } from './pages/ResumesPage';
import { WeatherPage } from './pages/WeatherPage';

export interface AppRoute {
  path: string;
  element: ReactNode;
  /** i18n key of the main navigation label, when listed there. */
  nav?: string;
}

export const routes: AppRoute[] = [
  { path: '/', element: <NearPage />, nav: 'nav.near' },
  { path: '/near', element: <NearPage /> },
  { path: '/status', element: <HomePage /> },
  { path: '/weather', element: <WeatherPage />, nav: 'nav.weather' },
  { path: '/weather/rooms/:id', element: <ChatRoomPage /> },
  { path: '/login', element: <LoginPage /> },
  { path: '/signup', element: <SignUpPage /> },
  { path: '/auth/kakao', element: <KakaoCallbackPage /> },
  { path: '/missions', element: <MissionsPage />, nav: 'nav.missions' },
  { path: '/missions/new', element: <CreateMissionPage /> },
  { path: '/missions/review', element: <ReviewQueuePage /> },
  { path: '/missions/:id', element: <MissionPage /> },
  { path: '/resumes', element: <ResumesPage />, nav: 'nav.resumes' },
  { path: '/resumes/:id', element: <ResumePage /> },
  { path: '/profile', element: <ProfilePage /> },
  { path: '/notifications', element: <NotificationsPage /> },
  { path: '*', element: <NotFoundPage /> },
];
