export const ko = {
  app: { name: '웨더와이즈', skip: '본문으로 건너뛰기', language: 'English', languageLabel: '언어 바꾸기' },
  nav: { near: '내 주변', weather: '날씨', missions: '미션', resumes: '이력서', profile: '프로필', login: '로그인', signup: '회원가입', logout: '로그아웃', notifications: '알림', ide: 'GraphQL IDE' },
  auth: {
    email: '이메일', password: '비밀번호', nickname: '닉네임', login: '로그인', signup: '회원가입', kakao: '카카오로 로그인',
    noAccount: '계정이 없나요?', haveAccount: '이미 계정이 있나요?', loggingIn: '로그인 중…', kakaoFinishing: '카카오 로그인을 마치는 중…',
    passwordHint: '8자 이상', nicknameHint: '2~20자의 글자, 숫자, _',
  },
  profile: {
    title: '프로필', save: '저장', saved: '저장했습니다.', points: '포인트', role: '역할', email: '이메일', joined: '가입일',
    home: '집 위치', homeHint: '집 위치는 저장만 되고 누구에게도 보이지 않습니다.', useMyLocation: '현재 위치 사용', province: '시·도', none: '선택 안 함',
    latitude: '위도', longitude: '경도', logoutAll: '모든 기기에서 로그아웃',
  },
  home: { title: '내 주변', welcome: '웨더와이즈에 오신 것을 환영합니다', intro: '내 주변의 날씨 이야기, 기상 특보 채팅, 미션과 이력서를 한 곳에서.', signInToPost: '글을 쓰려면 로그인하세요.', status: '서버 상태', ok: '정상', down: '중단' },
  chat: { older: '이전 메시지 불러오기', newMessages: '새 메시지 {{count}}개 ↓', send: '보내기', placeholder: '메시지 입력', archived: '보관된 방입니다. 읽기만 할 수 있습니다.', rooms: '특보 채팅방', open: '열린 방', archivedRooms: '보관된 방', none: '열린 방이 없습니다.', pinned: '발효 중인 특보', log: '메시지' },
  resumes: {
    title: '이력서', generate: 'GitHub로 이력서 만들기', githubUsername: 'GitHub 사용자 이름', targetRole: '지원 직무', language: '언어', korean: '한국어', english: '영어',
    start: '만들기', usage: '오늘 AI 작업 {{used}}/{{limit}}회 사용', public: '공개 이력서', mine: '내 이력서', recent: '최신순', popular: '인기순', empty: '아직 이력서가 없습니다.',
    views: '조회 {{count}}', version: '버전 {{version}}', by: '작성: {{name}}', open: '이력서 보기',
    status: { QUEUED: '대기 중', RUNNING: '진행 중', SUCCEEDED: '완료', FAILED: '실패' }, progress: '진행률',
    visibility: '공개 범위', PRIVATE: '비공개', UNLISTED: '링크 공개', PUBLIC: '공개', versions: '버전 기록', restore: '이 버전으로 되돌리기', current: '현재',
    edit: 'JSON 편집', save: '저장', saved: '새 버전으로 저장했습니다.', invalidJson: 'JSON 형식이 아닙니다: {{message}}',
    revise: 'AI로 섹션 다듬기', path: '섹션 경로', instruction: '요청 사항', reviseStart: '다듬기', before: '이전', after: '이후', keep: '유지', undo: '되돌리기',
    export: '내보내기', delete: '삭제', deleted: '삭제했습니다.', summary: '소개', work: '경력', projects: '프로젝트', skills: '기술', generatedBy: '생성: {{by}}',
  },
  vote: { like: '좋아요 {{count}}', dislike: '싫어요 {{count}}' },
  near: {
    title: '내 주변 이야기', locating: '위치를 확인하는 중…', denied: '위치를 알 수 없어 직접 고른 곳을 씁니다.', place: '장소', useMyLocation: '현재 위치', radius: '반경 5km',
    empty: '근처에 글이 없습니다. 첫 글을 남겨 보세요.', newPost: '새 글', postTitle: '제목', body: '내용', topic: '주제', publish: '올리기', km: '{{km}}km', comments: '댓글 {{count}}',
    addComment: '댓글 달기', comment: '댓글', views: '조회 {{count}}', topics: { WEATHER: '날씨', TRAFFIC: '교통', DAILY: '일상', OTHER: '기타' },
    places: { here: '현재 위치', cityhall: '서울시청', gangnam: '강남역', busan: '부산 서면', jeju: '제주시청', custom: '직접 입력' },
  },
  weather: {
    title: '날씨', now: '현재 날씨', observedAt: '{{time}} 관측', temperature: '기온', humidity: '습도', rain: '1시간 강수량', wind: '바람',
    alerts: '기상 특보', noAlerts: '발효 중인 특보가 없습니다.', ADVISORY: '주의보', WARNING: '경보', map: '시·도별 특보 지도',
    kinds: { STRONG_WIND: '강풍', HEAVY_RAIN: '호우', COLD_WAVE: '한파', DRY: '건조', STORM_SURGE: '폭풍해일', HIGH_SEAS: '풍랑', TYPHOON: '태풍', HEAVY_SNOW: '대설', YELLOW_DUST: '황사', HEAT_WAVE: '폭염' },
  },
  notifications: {
    markAll: '모두 읽음', markRead: '읽음', empty: '알림이 없습니다.',
    kinds: { LIKE: '{{actor}}님 외 {{count}}명이 좋아합니다', COMMENT: '{{actor}}님이 댓글을 달았습니다', REPLY: '{{actor}}님이 답글을 달았습니다', MISSION_REVIEWED: '미션 인증이 검토되었습니다', RESUME_READY: '이력서가 준비되었습니다', WEATHER_ALERT: '새 기상 특보' },
  },
  common: { loading: '불러오는 중…', retry: '다시 시도', cancel: '취소', close: '닫기', more: '더 보기', notFound: '페이지를 찾을 수 없습니다.', backHome: '처음으로', comingSoon: '이 기능은 API가 준비되면 열립니다.' },
  errors: {
    UNAUTHENTICATED: '로그인이 필요하거나 정보가 맞지 않습니다.', FORBIDDEN: '이 작업을 할 권한이 없습니다.', BAD_USER_INPUT: '입력값을 확인해 주세요.',
    NOT_FOUND: '찾을 수 없습니다.', CONFLICT: '이미 처리되었거나 충돌이 있습니다.', RATE_LIMITED: '요청이 너무 많습니다. {{seconds}}초 후에 다시 시도하세요.',
    SERVICE_UNAVAILABLE: '외부 서비스가 응답하지 않습니다. 잠시 후 다시 시도하세요.', INTERNAL_SERVER_ERROR: '서버 오류가 났습니다.', NETWORK: '서버에 연결할 수 없습니다. 네트워크를 확인하세요.',
    UNKNOWN: '알 수 없는 오류가 났습니다.', requestId: '요청 번호',
    reasons: { EMAIL_TAKEN: '이미 가입된 이메일입니다.', NICKNAME_TAKEN: '이미 쓰이는 닉네임입니다.', MISSION_FULL: '미션 정원이 찼습니다.', ALREADY_COMPLETED: '이미 완료한 미션입니다.' },
    crashed: '화면을 그리다 문제가 생겼습니다.',
  },
};
export type Messages = typeof ko;
