/**
 * The Lab when things go wrong, and by keyboard: saved state of the wrong shape, from a newer version or
 * with storage full; a slow or stuck evaluation (busy indicator, Cancel, the time budget); the request list's
 * height and its selection after a reload; skip links and Tab counts. `window.__lab` only sets up a state
 * (a scenario, a hold on the next evaluation) or reads it; what each test is about is done by mouse or keys.
 */
import { type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations, screenshot, waitForArea, openLab } from './support';

const LAB_KEY = 'kms-policy-lab.lab';
const ROLE = 'arn:aws:iam::111122223333:role/App';

const decision = (page: Page) => page.getByTestId('decision');
const requestItem = (page: Page, id: string) => page.locator(`[data-request-id="${id}"]`);

/** Puts `raw` under the lab's storage key before the app's first load only (reloads see what the app wrote). */
async function seedStorage(page: Page, raw: string): Promise<void> {
  await page.addInitScript(
    ([key, value]) => {
      if (sessionStorage.getItem('seeded')) return;
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem(key, value);
    },
    [LAB_KEY, raw] as const,
  );
}

const storedItems = (page: Page) =>
  page.evaluate(() => Object.fromEntries(Object.entries(localStorage).filter(([k]) => k.startsWith('kms'))));

async function downloadedText(page: Page, button: string): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  return readFileSync(await (await download).path(), 'utf8');
}

test.describe('saved state that does not fit', () => {
  const wrongShape = JSON.stringify({
    version: 1,
    working: {
      scenario: {
        version: 2,
        title: 'Damaged',
        principals: { [ROLE]: { policies: 'not a list' } },
        requests: { 'app-decrypt': { principal: ROLE } },
      },
      texts: {},
      selectedRequestId: 'app-decrypt',
    },
    saved: [],
  });

  test('a saved lab of the wrong shape opens the default lab, says so and keeps the copy', async ({
    page,
  }) => {
    await seedStorage(page, wrongShape);
    await openLab(page);
    const notice = page.getByTestId('lab-notice');
    await expect(notice).toContainText('could not be read', { timeout: 15_000 });
    await expect(notice).toContainText('set aside');
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', { timeout: 15_000 });
    expect(await downloadedText(page, 'Download the unreadable copy')).toBe(wrongShape);
    await expectNoSeriousA11yViolations(page);
    await screenshot(page, 'robust-notice-wrong-shape');

    // The work goes on (a click saves it) and the copy set aside is still there, unchanged, after a reload.
    await requestItem(page, 'app-encrypt').click();
    await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny', { timeout: 15_000 });
    await page.reload();
    await waitForArea(page, 'lab');
    await expect(requestItem(page, 'app-encrypt')).toHaveAttribute('aria-current', 'true', {
      timeout: 15_000,
    });
    await expect(page.getByTestId('lab-notice')).toHaveCount(0);
    const aside = Object.entries(await storedItems(page)).filter(([k]) => k.includes('.set-aside.'));
    expect(aside.map(([, value]) => value)).toEqual([wrongShape]);
  });

  test('a saved lab from a newer version gets its own notice and is not overwritten', async ({ page }) => {
    const future = JSON.stringify({ version: 99, working: { anything: true }, saved: [] });
    await seedStorage(page, future);
    await openLab(page);
    await expect(page.getByTestId('lab-notice')).toContainText('newer version of the Lab', {
      timeout: 15_000,
    });
    await screenshot(page, 'robust-notice-future-version');
    await requestItem(page, 'app-encrypt').click();
    await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny', { timeout: 15_000 });
    await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
    const items = await storedItems(page);
    expect(
      Object.entries(items)
        .filter(([k]) => k.includes('.set-aside.'))
        .map(([, v]) => v),
    ).toEqual([future]);
  });

  test('when storage is full the work stays on screen, with a notice and a download', async ({ page }) => {
    await page.addInitScript((key) => {
      const setItem = Storage.prototype.setItem;
      Storage.prototype.setItem = function (name: string, value: string) {
        if (name.startsWith(key))
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        setItem.call(this, name, value);
      };
    }, LAB_KEY);
    await openLab(page);
    await requestItem(page, 'app-encrypt').click();
    const notice = page.getByTestId('lab-notice');
    await expect(notice).toContainText('could not be saved', { timeout: 15_000 });
    await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny');
    const downloaded = JSON.parse(await downloadedText(page, 'Download my work')) as {
      requests: { id: string }[];
    };
    expect(downloaded.requests.map((r) => r.id)).toContain('app-encrypt');
    await screenshot(page, 'robust-notice-storage-full');
  });
});

test.describe('slow evaluations', () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`a slow evaluation shows that it is busy and Cancel stops it (${theme})`, async ({ page }) => {
      await openLab(page);
      await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
      await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', { timeout: 15_000 });
      // Set-up: the next evaluation keeps its worker busy for a minute, like a pathological scenario.
      await page.evaluate(() => window.__lab!.holdNextEvaluation(60_000));
      await requestItem(page, 'app-encrypt').click();

      const busy = page.getByTestId('evaluation-busy');
      await expect(busy).toBeVisible({ timeout: 15_000 });
      // The previous request's decision is still drawn, but marked as stale, never as the new answer.
      await expect(decision(page)).toHaveAttribute('data-stale', 'true');
      // Cancel well within the time budget (10 s), so the axe scan runs afterwards, on the stopped banner.
      await screenshot(page, `robust-busy-${theme}`);

      await busy.getByRole('button', { name: 'Cancel' }).click();
      await expect(busy).toHaveCount(0);
      await expect(page.getByTestId('evaluation-stopped')).toContainText('cancelled');
      await expect(decision(page)).toHaveAttribute('data-stale', 'true');
      await expectNoSeriousA11yViolations(page);

      // The replaced worker answers the next evaluation.
      await page.getByRole('button', { name: 'Evaluate again' }).click();
      await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny', { timeout: 15_000 });
      await expect(decision(page)).not.toHaveAttribute('data-stale', 'true');
      await expect(page.getByTestId('evaluation-stopped')).toHaveCount(0);
    });
  }

  test('a stuck evaluation is stopped after the time budget and the learner is told', async ({ page }) => {
    test.setTimeout(60_000);
    await openLab(page);
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', { timeout: 15_000 });
    await page.evaluate(() => window.__lab!.holdNextEvaluation(120_000));
    await requestItem(page, 'app-encrypt').click();
    const stopped = page.getByTestId('evaluation-stopped');
    await expect(stopped).toContainText('took longer than', { timeout: 25_000 });
    await expect(page.getByTestId('evaluation-busy')).toHaveCount(0);
    await screenshot(page, 'robust-stopped');
    await requestItem(page, 'app-decrypt').click();
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', { timeout: 15_000 });
    await expect(stopped).toHaveCount(0);
  });
});

test.describe('request list', () => {
  const manyRequests = {
    version: 2,
    title: 'Many requests',
    principals: { [ROLE]: { policies: [] } },
    keys: {
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab': {
        aliases: ['alias/app'],
        policy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::111122223333:root' },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        },
      },
    },
    requests: Array.from({ length: 16 }, (_, i) => ({
      id: `request-${String(i + 1).padStart(2, '0')}`,
      principal: ROLE,
      action: i % 2 ? 'kms:Encrypt' : 'kms:Decrypt',
      keyId: 'alias/app',
    })),
  };

  for (const theme of ['light', 'dark'] as const) {
    test(`shows many requests at 1280×720 and keeps the selected one in view after a reload (${theme})`, async ({
      page,
    }) => {
      await openLab(page);
      await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
      await page.evaluate((s) => window.__lab!.setScenario(s as never), manyRequests);
      const items = page.locator('.lab-request-item');
      await expect(items).toHaveCount(16);
      const visibleRows = await page.locator('.lab-request-list').evaluate((list) => {
        const box = list.getBoundingClientRect();
        return Array.from(list.querySelectorAll('.lab-request-item')).filter((item) => {
          const r = item.getBoundingClientRect();
          return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
        }).length;
      });
      expect(visibleRows).toBeGreaterThanOrEqual(8);

      await page.locator('.lab-request-list').evaluate((list) => (list.scrollTop = list.scrollHeight));
      await requestItem(page, 'request-15').click();
      await expect(requestItem(page, 'request-15')).toHaveAttribute('aria-current', 'true');
      await page.waitForTimeout(600); // the save is debounced by 400 ms
      await page.reload();
      await waitForArea(page, 'lab');
      await expect(requestItem(page, 'request-15')).toHaveAttribute('aria-current', 'true', {
        timeout: 15_000,
      });
      // Scrolled into view inside the list; the list itself sits below the first row at 1280 px.
      await expect
        .poll(() =>
          requestItem(page, 'request-15').evaluate((item) => {
            const list = item.closest('.lab-request-list')!.getBoundingClientRect();
            const row = item.getBoundingClientRect();
            return row.top >= list.top - 1 && row.bottom <= list.bottom + 1;
          }),
        )
        .toBe(true);
      await expectNoSeriousA11yViolations(page);
      await screenshot(page, `robust-request-list-${theme}`);
    });
  }

  test('the request list is one Tab stop; arrow keys move between requests and Enter selects', async ({
    page,
  }) => {
    await openLab(page);
    await requestItem(page, 'app-decrypt').focus();
    await page.keyboard.press('ArrowDown');
    await expect(requestItem(page, 'app-encrypt')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(requestItem(page, 'app-encrypt')).toHaveAttribute('aria-current', 'true');
    await page.keyboard.press('Tab');
    await expect(page.locator('.lab-request-item:focus')).toHaveCount(0);
    await page.keyboard.press('Shift+Tab');
    await expect(requestItem(page, 'app-encrypt')).toBeFocused();
  });
});

test.describe('keyboard reach', () => {
  /** Presses Tab until `isTarget` holds for the focused element; returns how many presses it took. */
  async function tabsUntil(page: Page, isTarget: () => boolean, limit = 150): Promise<number> {
    for (let presses = 1; presses <= limit; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(isTarget)) return presses;
    }
    return Infinity;
  }

  test('skip links reach the editor and the decision in a few key presses', async ({ page }) => {
    await openLab(page);
    await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 15_000 });
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', { timeout: 15_000 });

    const toEditorLink = await tabsUntil(
      page,
      () => document.activeElement?.textContent === 'Skip to editor',
    );
    expect(toEditorLink).toBeLessThanOrEqual(3);
    await expect(page.getByRole('link', { name: 'Skip to editor' })).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.locator('.monaco-editor [role="textbox"]')).toBeFocused();
    // Typing goes into the policy: the editor has the keyboard, not just the look of focus.
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ');
    await expect
      .poll(() =>
        page.evaluate(() =>
          window.__lab!.getState().texts[window.__lab!.getState().activeEditor ?? ''].endsWith(' '),
        ),
      )
      .toBe(true);

    await page.reload();
    await waitForArea(page, 'lab');
    const toDecisionLink = await tabsUntil(
      page,
      () => document.activeElement?.textContent === 'Skip to decision',
    );
    expect(toDecisionLink).toBeLessThanOrEqual(4);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Decision', exact: true })).toBeFocused();
    await expect(page.getByRole('heading', { name: 'Decision', exact: true })).toBeInViewport();
    // The next Tab goes into the decision panel, not back to the top of the page.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('.lab-decision'))).toBe(true);
  });
});

test.describe('at 768 px', () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`the notices, the busy indicator and the request list fit one column (${theme})`, async ({
      page,
    }) => {
      await page.setViewportSize({ width: 768, height: 1024 });
      await seedStorage(page, '{"version": 1, "working": {"scenario": {"version": 1, "requests": {}}}}');
      await openLab(page);
      await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
      await expect(page.getByTestId('lab-notice')).toContainText('could not be read', { timeout: 15_000 });
      await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', { timeout: 15_000 });
      await page.evaluate(() => window.__lab!.holdNextEvaluation(60_000));
      await requestItem(page, 'app-encrypt').click();
      await expect(page.getByTestId('evaluation-busy')).toBeVisible({ timeout: 15_000 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `robust-768-${theme}`);
      await page.getByTestId('evaluation-busy').getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByTestId('evaluation-stopped')).toBeVisible();
    });
  }
});
