// The import picture of the server (README "Architecture"): app/ is infrastructure and imports no module; core
// modules import no feature; features never import notifications (they record events instead); notifications imports
// no feature; weather does not know chat (chat listens to it); only the composition roots see every module.
const TESTS = '\\.(int-)?spec\\.ts$|^server/test/';
const CORE = 'geo|users|auth|system|uploads|views|ai|github|web';
const FEATURES = 'engagement|posts|resumes|missions|weather|chat';
const mod = (names) => `^server/src/modules/(${names})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles break decorated classes at load time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'app-imports-no-module',
      severity: 'error',
      comment: 'app/ is infrastructure: modules depend on it, never the reverse.',
      from: { path: '^server/src/app/', pathNot: TESTS },
      to: { path: '^server/src/modules/' },
    },
    {
      name: 'only-roots-see-every-module',
      severity: 'error',
      comment: 'modules/index.ts is the composition of all modules; a module importing it would depend on everything.',
      from: { path: '^server/src/modules/', pathNot: TESTS },
      to: { path: '^server/src/modules/index\\.ts$' },
    },
    {
      name: 'features-never-import-notifications',
      severity: 'error',
      comment: 'Tell, do not call: a feature records a domain event; notifications consume it.',
      from: { path: mod(`${CORE}|${FEATURES}|demo`), pathNot: TESTS },
      to: { path: mod('notifications') },
    },
    {
      name: 'notifications-import-no-feature',
      severity: 'error',
      comment: 'Notifications learn everything from the events; they read no feature module.',
      from: { path: mod('notifications'), pathNot: TESTS },
      to: { path: mod(`${FEATURES}|demo`) },
    },
    {
      name: 'core-imports-no-feature',
      severity: 'error',
      comment: 'Accounts, places, uploads, views, AI and GitHub serve the features and know none of them.',
      from: { path: mod(CORE), pathNot: TESTS },
      to: { path: mod(`${FEATURES}|notifications|demo`) },
    },
    {
      name: 'weather-does-not-know-chat',
      severity: 'error',
      comment: 'Weather announces provinces with warnings; chat owns rooms and listens.',
      from: { path: mod('weather'), pathNot: TESTS },
      to: { path: mod('chat') },
    },
    {
      name: 'missions-reach-weather-through-a-port',
      severity: 'error',
      comment: 'WEATHER proofs use the WeatherObserver port the composition root fills in.',
      from: { path: mod('missions'), pathNot: TESTS },
      to: { path: mod('weather') },
    },
    {
      name: 'nothing-imports-demo',
      severity: 'error',
      comment: 'The demo seed writes through the modules; only the API root runs it.',
      from: { path: '^server/src/', pathNot: `${TESTS}|^server/src/main\\.api\\.ts$|^server/src/modules/demo/` },
      to: { path: mod('demo') },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'server/tsconfig.json') },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
