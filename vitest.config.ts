import { defineConfig } from 'vitest/config';

/** Every folder of src must keep this share of its lines covered by the in-process tests (npm run coverage). */
const FOLDERS = ['action', 'cli', 'compare', 'discover', 'github', 'parse', 'policy', 'render', 'report', 'score', 'spec', 'validate'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A safety net against a hang, not a measure of speed: on a loaded machine, an end-to-end test that runs
    // the bundle twice can take tens of seconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    coverage: {
      reportOnFailure: true,
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text'],
      thresholds: Object.fromEntries(FOLDERS.map((folder) => [`src/${folder}/**`, { lines: 90 }])),
    },
  },
});
