import type { Messages } from './ko';

export const en: Messages = {
  app: { name: 'WeatherWise', skip: 'Skip to content', language: '한국어', languageLabel: 'Change language' },
  nav: { near: 'Near me', weather: 'Weather', missions: 'Missions', resumes: 'Resumes', profile: 'Profile', login: 'Log in', signup: 'Sign up', logout: 'Log out', notifications: 'Notifications', ide: 'GraphQL IDE' },
  auth: {
    email: 'Email', password: 'Password', nickname: 'Nickname', login: 'Log in', signup: 'Sign up', kakao: 'Log in with Kakao',
    noAccount: 'No account yet?', haveAccount: 'Already have an account?', loggingIn: 'Logging in…', kakaoFinishing: 'Finishing the Kakao login…',
    passwordHint: 'At least 8 characters', nicknameHint: '2-20 letters, digits or _',
  },
  profile: {
    title: 'Profile', save: 'Save', saved: 'Saved.', points: 'Points', role: 'Role', email: 'Email', joined: 'Joined',
    home: 'Home location', homeHint: 'Your home location is stored, never shown to anyone.', useMyLocation: 'Use my location', province: 'Province', none: 'Not set',
    latitude: 'Latitude', longitude: 'Longitude', logoutAll: 'Log out on every device',
  },
  home: { title: 'Near me', welcome: 'Welcome to WeatherWise', intro: 'Local weather talk, warning chat rooms, missions and resumes in one place.', signInToPost: 'Log in to post.', status: 'Server status', ok: 'up', down: 'down' },
  chat: { older: 'Load older messages', newMessages: '{{count}} new message(s) ↓', send: 'Send', placeholder: 'Write a message', archived: 'This room is archived: read only.', rooms: 'Warning chat rooms', open: 'Open rooms', archivedRooms: 'Archived rooms', none: 'No open rooms.', pinned: 'Warnings in force', log: 'Messages' },
  common: { loading: 'Loading…', retry: 'Retry', cancel: 'Cancel', close: 'Close', more: 'Load more', notFound: 'Page not found.', backHome: 'Back home', comingSoon: 'This opens when its API is ready.' },
  errors: {
    UNAUTHENTICATED: 'You need to log in, or the credentials are wrong.', FORBIDDEN: 'You are not allowed to do that.', BAD_USER_INPUT: 'Please check the highlighted fields.',
    NOT_FOUND: 'Not found.', CONFLICT: 'That conflicts with something already done.', RATE_LIMITED: 'Too many attempts. Try again in {{seconds}} s.',
    SERVICE_UNAVAILABLE: 'An outside service is not answering. Try again shortly.', INTERNAL_SERVER_ERROR: 'The server failed.', NETWORK: 'Cannot reach the server. Check your connection.',
    UNKNOWN: 'Something went wrong.', requestId: 'Request id',
    reasons: { EMAIL_TAKEN: 'This email is already registered.', NICKNAME_TAKEN: 'This nickname is taken.', MISSION_FULL: 'The mission is full.', ALREADY_COMPLETED: 'You already completed this mission.' },
    crashed: 'Something broke while drawing this screen.',
  },
};
