// @swc/jest compiles TypeScript with decorator metadata (type-graphql and MikroORM need it) and
// transforms the ESM-only packages (@octokit/*) that Jest on Node 20 cannot require as they are, and langchain, whose
// CommonJS build loads a provider with a dynamic import() that Jest runs only with --experimental-vm-modules.
const esmPackages = [
  '@octokit',
  'universal-user-agent',
  'before-after-hook',
  'bottleneck',
  'fast-content-type-parse',
  'json-with-bigint',
  'content-type',
  'langchain',
];

const swcTs = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

const swcJs = { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } };

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcTs],
    '^.+\\.[mc]?js$': ['@swc/jest', swcJs],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
  forceExit: false,
};
