/**
 * The `test` every spec uses: the same as Playwright's, but a test fails when the page throws an uncaught
 * error or logs a console error it did not announce. Announce an expected one with
 * `allowConsoleErrors(page, /pattern/)` before the step that causes it (a broken share link logs nothing,
 * so most tests need none).
 */
import { expect, test as base, type Page } from '@playwright/test';

const allowed = new WeakMap<Page, RegExp[]>();

/** The next console errors matching `pattern` are expected in this test (they are still printed). */
export function allowConsoleErrors(page: Page, pattern: RegExp): void {
  allowed.set(page, [...(allowed.get(page) ?? []), pattern]);
}

export const test = base.extend<{ failOnPageErrors: void }>({
  failOnPageErrors: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`uncaught error: ${error.stack ?? error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        if ((allowed.get(page) ?? []).some((pattern) => pattern.test(text))) return;
        problems.push(`console error: ${text}`);
      });
      await use();
      expect(problems, `the page reported errors:\n${problems.join('\n')}`).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
