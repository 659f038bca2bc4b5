// The fault suite (`npm run test:faults`): the built server's processes against their own redis-server and mariadbd,
// with faults injected. One scenario at a time (they share two cores), each a `*.fault-spec.ts` file.
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testMatch: ['**/*.fault-spec.ts'],
  globalSetup: '<rootDir>/test/faults/global-setup.ts',
  globalTeardown: '<rootDir>/test/faults/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 60_000,
  // Child processes are SIGKILLed on exit; a handle left open by a failed scenario must not hang CI.
  forceExit: true,
};
