import { defineConfig } from 'vitest/config';

// Unit and integration tests for shared, core, host, main and server (Node). Playwright
// specs live in e2e/ and run separately (npm run test:e2e).
export default defineConfig({
  test: {
    include: ['{shared,electron,server,renderer,bench,scripts}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', 'dist/**'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores: integration tests start real relays and cores; keep parallelism modest.
    maxWorkers: 2,
  },
});
