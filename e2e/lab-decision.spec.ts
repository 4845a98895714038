/**
 * The decision panel as a person meets it: the deny headline names the statement that came closest, the
 * verdict is announced once in a polite live region, long ARNs stay inside the cards, and pressed buttons
 * stay readable on hover. `window.__lab` only loads the scenario and reads state; edits are typed.
 */
import { type Locator, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { enableIamStatement } from '../src/scenario/default-key-policy';
import type { Scenario } from '../src/scenario/types';
import { expectNoSeriousA11yViolations, screenshot, waitForArea } from './support';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`;
const ROLE_NAME = 'PayrollMonthlyReconciliationBatchProcessingRole-eu-west-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/service-role/payroll/monthly-reconciliation/${ROLE_NAME}`;
const CALLER = `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/reconciliation-session-2026-12-02T13-00-00Z`;

/** The default key policy plus a statement for the payroll role that asks for Dept=Payroll; the call says Sales. */
const SCENARIO: Scenario = {
  version: 2,
  title: 'E2E: a condition near-miss',
  principals: { [ROLE]: { policies: [] } },
  keys: {
    [KEY]: {
      aliases: ['alias/payroll'],
      policy: {
        Version: '2012-10-17',
        Statement: [
          enableIamStatement(ACCOUNT),
          {
            Sid: 'PayrollDecrypt',
            Effect: 'Allow',
            Principal: { AWS: ROLE },
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringEquals: { 'kms:EncryptionContext:Dept': 'Payroll' } },
          },
        ],
      },
    },
  },
  requests: [
    {
      id: 'payroll-decrypt',
      principal: CALLER,
      action: 'kms:Decrypt',
      keyId: KEY,
      encryptionContext: { Dept: 'Sales' },
    },
  ],
};

const NEAR_MISS =
  /"PayrollDecrypt" names its role and would allow kms:Decrypt, but kms:EncryptionContext:Dept was "Sales", not "Payroll"/;
const DENIED = 'Decision for payroll-decrypt: ImplicitDeny (nothing allowed it), AccessDeniedException.';
const ALLOWED = 'Decision for payroll-decrypt: Allow (the request is authorized).';

const decision = (page: Page) => page.getByTestId('decision');
const liveRegion = (page: Page) => page.getByTestId('decision-announcement');

async function openNearMiss(page: Page): Promise<void> {
  await page.goto('./#/lab');
  await waitForArea(page, 'lab');
  await page.waitForFunction(() => window.__lab !== undefined);
  await page.evaluate((s) => window.__lab!.setScenario(s), SCENARIO);
  await page.evaluate(() => window.__lab!.whenEvaluated());
  await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny', { timeout: 15_000 });
}

async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

/** WCAG contrast of a element's text colour on the first opaque background behind it. */
async function contrastOf(locator: Locator): Promise<number> {
  const [fg, bg] = await locator.evaluate((element) => {
    const rgba = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    let node: Element | null = element;
    let background = [255, 255, 255];
    while (node) {
      const [r, g, b, a = 1] = rgba(getComputedStyle(node).backgroundColor);
      if (a > 0.99) {
        background = [r, g, b];
        break;
      }
      node = node.parentElement;
    }
    return [rgba(getComputedStyle(element).color).slice(0, 3), background];
  });
  const luminance = ([r, g, b]: number[]) => {
    const [lr, lg, lb] = [r, g, b].map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
  };
  const [lighter, darker] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
  return (lighter + 0.05) / (darker + 0.05);
}

test.describe('decision panel', () => {
  test('the deny headline names the near-miss; typing the fix announces the new verdict once', async ({
    page,
  }) => {
    await openNearMiss(page);
    await expect(decision(page).locator('.decision__explanation')).toContainText(NEAR_MISS);
    await expect(decision(page).locator('.decision__explanation')).not.toContainText('identity policies');
    await expect(liveRegion(page)).toHaveText(DENIED);
    await expect(liveRegion(page)).toHaveAttribute('aria-live', 'polite');

    // Record every text the live region takes from now on (reading the page, not driving it).
    await liveRegion(page).evaluate((region) => {
      const said: string[] = [];
      (window as unknown as { said: string[] }).said = said;
      new MutationObserver(() => said.push(region.textContent ?? '')).observe(region, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });

    // Fix the condition value as a person would: caret before the closing quote of "Payroll", retype it.
    const editor = page.getByTestId('policy-editor');
    await expect(editor.locator('.monaco-editor .view-lines')).toBeVisible({ timeout: 15_000 });
    await editor.locator('.view-line').first().click();
    // Find the value with Monaco's find widget (the line is below the fold), then put the caret before its closing quote.
    await page.keyboard.press('Control+F');
    await page.keyboard.type('"Payroll"');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 'Payroll'.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('Sales', { delay: 60 });

    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', { timeout: 20_000 });
    await expect(liveRegion(page)).toHaveText(ALLOWED);
    await page.evaluate(() => window.__lab!.whenEvaluated());
    // Twelve keystrokes, eleven of them still ImplicitDeny: the region changed once, to the new verdict.
    const said = await page.evaluate(() => (window as unknown as { said: string[] }).said);
    expect([...new Set(said)]).toEqual([ALLOWED]);

    // The Allow names its source page by name, linked, instead of the tag "(CTL)".
    const explanation = decision(page).locator('.decision__explanation');
    await expect(explanation).toContainText('key policy alone is enough');
    await expect(explanation).not.toContainText('(CTL)');
    await expect(explanation.getByRole('link', { name: 'KMS key access and permissions' })).toHaveAttribute(
      'href',
      'https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html',
    );
    await decision(page).screenshot({ path: 'test-results/screenshots/decision-allow-source-link.png' });
  });

  for (const width of [1280, 768]) {
    test(`long role and key ARNs stay inside the decision cards at ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: width === 1280 ? 720 : 1024 });
      await openNearMiss(page);
      const panel = decision(page);
      await panel
        .getByRole('button', { name: /PayrollDecrypt/ })
        .first()
        .click();
      await expect(panel.locator('.comparison').first()).toBeVisible();
      await expect(panel).toContainText(ROLE_NAME);
      const overflowing = await panel.evaluate((root) => {
        const edge = root.getBoundingClientRect().right + 0.5;
        return [
          ...root.querySelectorAll<HTMLElement>(
            '.statement, .decision__explanation, .comparison, dd, p:not(.visually-hidden)',
          ),
        ]
          .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > edge)
          .map((el) => `${el.className || el.tagName}: ${el.textContent?.slice(0, 60)}`);
      });
      expect(overflowing).toEqual([]);
      for (const theme of ['light', 'dark'] as const) {
        await useTheme(page, theme);
        await expectNoSeriousA11yViolations(page);
        await screenshot(page, `decision-near-miss-${width}-${theme}`);
        await panel.screenshot({ path: `test-results/screenshots/decision-panel-${width}-${theme}.png` });
      }
    });
  }

  test('pressed buttons keep AA contrast on hover in both themes', async ({ page }) => {
    await openNearMiss(page);
    const show = decision(page)
      .getByRole('button', { name: /^Show key policy #2/ })
      .first();
    await show.click();
    const selected = decision(page).locator('.statement__select[aria-pressed="true"]').first();
    await expect(selected).toHaveText('Selected');
    const pressedToolbarButton = page.locator('.flowchart__toolbar button[aria-pressed="true"]').first();
    const selectedTab = page.getByRole('tab', { name: 'Evaluate' });
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      for (const button of [selected, pressedToolbarButton, selectedTab]) {
        await button.hover();
        expect(await contrastOf(button), `${theme}: ${await button.innerText()}`).toBeGreaterThanOrEqual(4.5);
      }
      await selected.hover();
      await selected.screenshot({ path: `test-results/screenshots/pressed-hover-${theme}.png` });
      await screenshot(page, `decision-pressed-hover-${theme}`);
    }
  });
});
