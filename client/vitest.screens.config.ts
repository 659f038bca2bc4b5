import { defineConfig } from 'vitest/config';

// `npm run screenshots`: not a test, a camera run over every screen (see e2e/screenshots.task.ts).
export default defineConfig({
  test: { environment: 'node', include: ['e2e/screenshots.task.ts'], testTimeout: 900_000, hookTimeout: 180_000 },
});
