import { randomBytes } from 'node:crypto';

// One id per `jest` run: databases and Redis keys of this run are named after it and removed at the end.
export default function globalSetup() {
  process.env.WW_TEST_RUN_ID ??= randomBytes(3).toString('hex');
}
