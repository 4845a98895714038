/**
 * The file-share build (`npm run build:single` → dist-single/kms-policy-lab.html) opened as a file:// URL, as
 * from a file share or a double click: Chromium refuses module script files, crossorigin stylesheets, dynamic
 * imports and worker files there, so this checks that the one self-contained page still runs the shell, the
 * Lab's evaluation (in a Blob worker) and Monaco (with its workers). It builds nothing itself: `npm test` builds
 * the file first; alone, run `npm run build:single` before `npx playwright test e2e/single-file.spec.ts`.
 */
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { screenshot, waitForArea } from './support';

/** Where vite.config.ts (SINGLE_FILE_DIR, SINGLE_FILE_NAME) writes the single-file build. */
const SINGLE_FILE = resolve('dist-single/kms-policy-lab.html');
const pageUrl = (hash: string) => `${pathToFileURL(SINGLE_FILE).href}${hash}`;

/** Monaco's console warning when its workers cannot start and it runs their code on the page instead. */
const MONACO_WORKER_FALLBACK = /Could not create web worker/;

interface PageLog {
  problems: string[];
  warnings: string[];
  workers: string[];
  requests: string[];
}

/** Collects console errors and warnings, page errors, failed requests, workers started and every request URL. */
function watch(page: Page): PageLog {
  const log: PageLog = { problems: [], warnings: [], workers: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') log.problems.push(`console error: ${message.text()}`);
    if (message.type() === 'warning') log.warnings.push(message.text());
  });
  page.on('pageerror', (error) => log.problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    log.problems.push(`request failed: ${request.url().slice(0, 120)} ${request.failure()?.errorText}`),
  );
  page.on('request', (request) => log.requests.push(request.url()));
  page.on('worker', (worker) => log.workers.push(worker.url()));
  return log;
}

async function openLab(page: Page): Promise<void> {
  await page.goto(pageUrl('#/lab'));
  await waitForArea(page, 'lab');
  await page.waitForFunction(() => window.__lab !== undefined);
  await page.evaluate(() => window.__lab!.whenEvaluated());
}

/** The default scenario's selected request has an expected decision; the page must reach exactly that one. */
async function expectDecisionAsScenarioExpects(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => window.__lab!.getState().decision), { timeout: 15_000 })
    .not.toBeNull();
  const { scenario, selectedRequestId, decision } = await page.evaluate(() => window.__lab!.getState());
  const expected = scenario.requests?.find((request) => request.id === selectedRequestId)?.expect;
  expect(expected, 'the default scenario should state what its first request expects').toBeTruthy();
  expect(decision).toBe(expected);
  await expect(page.getByTestId('decision').first()).toContainText(decision!);
}

test.describe('single-file build from file://', () => {
  test.skip(
    !existsSync(SINGLE_FILE),
    `${SINGLE_FILE} does not exist: run \`npm run build:single\` first (npm test does)`,
  );

  test('the shell loads and navigates by hash, with nothing fetched but the file itself', async ({
    page,
  }) => {
    const log = watch(page);
    await page.goto(pageUrl('#/learn'));
    await waitForArea(page, 'learn');
    await expect(page.getByText('KMS Policy Lab', { exact: true })).toBeVisible();
    await expect(page).toHaveTitle('Learn · KMS Policy Lab');
    await screenshot(page, 'single-file-learn');

    await page.goto(pageUrl('#/audit'));
    await waitForArea(page, 'audit');
    await page
      .getByRole('navigation', { name: 'Areas' })
      .getByRole('link', { name: 'Keys', exact: true })
      .click();
    await waitForArea(page, 'keys');
    expect(new URL(page.url()).hash).toBe('#/keys');

    const elsewhere = log.requests.filter((url) => !/^(file|data|blob):/.test(url));
    expect(elsewhere, 'the single file must not load anything from elsewhere').toEqual([]);
    expect(log.problems).toEqual([]);
  });

  test('the Lab evaluates the default scenario in a Blob worker, and Monaco runs with its workers', async ({
    page,
  }) => {
    const log = watch(page);
    await openLab(page);
    await expectDecisionAsScenarioExpects(page);

    const editor = page.getByTestId('policy-editor');
    await expect(editor.locator('.monaco-editor .view-lines')).toBeVisible({ timeout: 15_000 });
    await expect(editor.locator('.monaco-editor .view-lines')).toContainText('Statement');
    await screenshot(page, 'single-file-lab');

    expect(log.workers.filter((url) => url.startsWith('blob:')).length).toBeGreaterThan(0);
    expect(log.warnings.filter((text) => MONACO_WORKER_FALLBACK.test(text))).toEqual([]);
    expect(log.problems).toEqual([]);
  });

  test('when workers fail to load, the Lab still decides on the page', async ({ page }) => {
    // Every worker starts, then fails as a blocked or broken script would, after the first request was sent.
    await page.addInitScript(() => {
      const RealWorker = window.Worker;
      window.Worker = class extends RealWorker {
        constructor() {
          super('data:text/javascript,setTimeout(() => { throw new Error("worker failed to load") }, 500)');
        }
      };
    });
    await page.goto(pageUrl('#/lab'));
    await waitForArea(page, 'lab');
    await page.waitForFunction(() => window.__lab !== undefined);
    await expectDecisionAsScenarioExpects(page);
  });
});
