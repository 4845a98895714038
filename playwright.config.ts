import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium, INSTALL_HELP } from './scripts/find-chromium.mjs';

const chromiumPath = findChromium();
if (!chromiumPath) throw new Error(INSTALL_HELP);

/** vite.config.ts previews on 4173; E2E_PORT overrides it (scripts/test-all.mjs sets it when 4173 is busy). */
const PREVIEW_PORT = Number(process.env.E2E_PORT ?? 4173);
const baseURL = `http://127.0.0.1:${PREVIEW_PORT}/`;

/**
 * End-to-end tests against the production build (`vite preview` of dist/) in real Chromium.
 * `npm test` builds first; run alone with `npm run build && npx playwright test`.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  // Two cores shared with the preview server: one worker keeps timings stable.
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // The JSON report lets `npm test` print one closing count line for every suite.
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  // Room for a busy 2-core machine (the suite must pass under load): a wait fails only when the page is stuck, not
  // slow. Nothing is timed by these; speed is measured in `npm run bench`.
  timeout: 90_000,
  expect: { timeout: 20_000 },
  use: {
    ...devices['Desktop Chrome'],
    baseURL,
    viewport: { width: 1280, height: 720 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: `npx vite preview --port ${PREVIEW_PORT} --strictPort --host 127.0.0.1`,
    url: baseURL,
    // Never test whatever else is listening there: it may be an old build.
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
