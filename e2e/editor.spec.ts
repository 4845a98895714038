/**
 * The policy editor in the Lab (Monaco, lazy, offline): markers, the problems panel, completion, hover, format,
 * Escape/Tab. Starting texts are set up through the lab's test hook `window.__lab`; the edits a test is about
 * are typed (more typing, and the decision it changes, in lab-typing.spec.ts).
 */
import AxeBuilder from '@axe-core/playwright';
import { type Locator, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { gotoArea, screenshot } from './support';

const POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Admins",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Use",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:role/app" },
      "Action": [
        "kms:Encrypt",
        "kms:De"
      ],
      "Resource": "*"
    }
  ]
}`;

/** Opens the Lab and waits for Monaco in the policy editor; returns the panel and the id of the policy shown. */
async function openEditor(page: Page): Promise<{ panel: Locator; policyId: string }> {
  await gotoArea(page, 'lab');
  const panel = page.getByTestId('policy-editor');
  await expect(panel.locator('.monaco-editor .view-lines')).toBeVisible({ timeout: 15_000 });
  const policyId = await panel.getAttribute('data-active-editor');
  expect(policyId, 'the lab opens on a policy, not the scenario').toMatch(/^key:/);
  return { panel, policyId: policyId! };
}

async function setPolicyText(page: Page, policyId: string, text: string): Promise<void> {
  await page.evaluate(([id, value]) => window.__lab!.setPolicyText(id, value), [policyId, text] as const);
}

async function storedText(page: Page, policyId: string): Promise<string> {
  return page.evaluate((id) => window.__lab!.getState().texts[id] ?? '', policyId);
}

/** Puts the caret just before the closing quote of the last string on the line that contains `lineText`. */
async function caretBeforeClosingQuote(panel: Locator, lineText: string): Promise<void> {
  await panel.locator('.view-line', { hasText: lineText }).click();
  await panel.page().keyboard.press('End');
  await panel.page().keyboard.press('ArrowLeft');
}

test.describe('policy editor', () => {
  test('Monaco is lazy and local: not loaded outside the Lab, and no request leaves the machine', async ({
    page,
  }) => {
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await gotoArea(page, 'learn');
    // Monaco is the PolicyEditor chunk and its workers; the small LazyPolicyEditor wrapper that Learn, Keys and the
    // Lab share may come with an area.
    expect(requests.filter((url) => /\/PolicyEditor-|editor\.worker|json\.worker/.test(url))).toEqual([]);
    await openEditor(page);
    // The JSON worker starts when a model needs validation.
    await expect.poll(() => requests.some((url) => /json\.worker/.test(url))).toBe(true);
    const foreign = requests.filter(
      (url) => !/^(https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:|blob:)/.test(url),
    );
    expect(foreign).toEqual([]);
  });

  test('an external value shows in the editor, and lint findings become markers listed in the problems panel', async ({
    page,
  }) => {
    const { panel, policyId } = await openEditor(page);
    await setPolicyText(page, policyId, POLICY.replace('"kms:De"', '"kms:Decrpyt"'));
    await expect(panel.locator('.view-lines')).toContainText('kms:Decrpyt');
    await expect(panel.locator('.squiggly-error, .squiggly-warning').first()).toBeVisible();
    const problems = page.getByTestId('problems-panel');
    await expect(problems.getByRole('button').filter({ hasText: 'Decrpyt' }).first()).toBeVisible();
    await expect(problems.getByRole('heading').first()).toContainText(/Problems \(\d+\)/);
  });

  test('malformed JSON gets an error marker', async ({ page }) => {
    const { panel, policyId } = await openEditor(page);
    await setPolicyText(page, policyId, POLICY.replace('"kms:De"', '"kms:Decrypt"'));
    await expect(page.getByTestId('problems-panel').getByRole('heading').first()).toContainText(
      'Problems (0)',
      { timeout: 15_000 },
    );
    await expect(panel.locator('.squiggly-error')).toHaveCount(0);
    // Delete the comma between the two statements.
    await panel
      .locator('.view-line')
      .filter({ hasText: /^\s*\},$/ })
      .click();
    await page.keyboard.press('End');
    await page.keyboard.press('Backspace');
    await expect.poll(() => storedText(page, policyId)).toContain('"Resource": "*"\n    }\n    {');
    await expect(panel.locator('.squiggly-error').first()).toBeVisible({ timeout: 15_000 });
  });

  test('a problem opens its range in the editor as a highlight', async ({ page }) => {
    const { panel, policyId } = await openEditor(page);
    await setPolicyText(page, policyId, POLICY.replace('"kms:De"', '"kms:Decrpyt"'));
    const problem = page
      .getByTestId('problems-panel')
      .getByRole('button')
      .filter({ hasText: 'Decrpyt' })
      .first();
    await problem.click();
    await expect(panel.locator('.kms-lab-highlight').first()).toBeVisible();
    await expect(panel.locator('.kms-lab-highlight-glyph').first()).toBeVisible();
  });

  test('completion offers KMS actions with their access level and inserts the choice', async ({ page }) => {
    const { panel, policyId } = await openEditor(page);
    await setPolicyText(page, policyId, POLICY);
    await expect(panel.locator('.view-lines')).toContainText('"kms:De"');
    await caretBeforeClosingQuote(panel, '"kms:De"');
    await page.keyboard.press('Control+Space');
    const decrypt = page.locator('.suggest-widget .monaco-list-row').filter({ hasText: /^kms:Decrypt/ });
    await expect(decrypt).toBeVisible();
    await expect(decrypt).toContainText('Write');
    await expect(
      page.locator('.suggest-widget .monaco-list-row').filter({ hasText: /^kms:DescribeKey/ }),
    ).toContainText('Read');
    await decrypt.click();
    await expect.poll(() => storedText(page, policyId)).toContain('"kms:Decrypt"\n');
  });

  test('completion offers the condition keys of the statement actions', async ({ page }) => {
    const { panel, policyId } = await openEditor(page);
    const policy = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:role/app" },
      "Action": "kms:Decrypt",
      "Resource": "*",
      "Condition": {
        "StringEquals": {
          "kms:Vi": "s3.us-east-1.amazonaws.com"
        }
      }
    }
  ]
}`;
    await setPolicyText(page, policyId, policy);
    await panel.locator('.view-line', { hasText: '"kms:Vi"' }).click();
    await page.keyboard.press('End');
    // Walk back to just after `"kms:Vi`.
    for (const _ of '": "s3.us-east-1.amazonaws.com"') await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+Space');
    const viaService = page
      .locator('.suggest-widget .monaco-list-row')
      .filter({ hasText: /^kms:ViaService/ });
    await expect(viaService).toBeVisible();
    await expect(viaService).toContainText('String');
  });

  test('hover explains an action', async ({ page }) => {
    const { panel, policyId } = await openEditor(page);
    await setPolicyText(page, policyId, POLICY.replace('"kms:De"', '"kms:Decrypt"'));
    await panel.locator('.view-line span', { hasText: 'kms:Decrypt' }).first().hover();
    const hover = page.locator('.monaco-hover').filter({ hasText: 'kms:Decrypt' });
    await expect(hover).toBeVisible();
    await expect(hover).toContainText('Write');
  });

  test('format on demand pretty-prints the policy', async ({ page }) => {
    const { panel, policyId } = await openEditor(page);
    const minified = JSON.stringify(JSON.parse(POLICY.replace('"kms:De"', '"kms:Decrypt"')));
    await setPolicyText(page, policyId, minified);
    await expect(panel.locator('.view-line')).toHaveCount(1);
    await panel.locator('.policy-editor__format').click();
    await expect.poll(async () => (await storedText(page, policyId)).split('\n').length).toBeGreaterThan(10);
  });

  test('Escape then Tab leaves the editor; Tab alone stays in it', async ({ page }) => {
    const { panel } = await openEditor(page);
    await panel.locator('.view-line').first().click();
    const focusInEditor = () => page.evaluate(() => !!document.activeElement?.closest('.monaco-editor'));
    await page.keyboard.press('Tab');
    expect(await focusInEditor()).toBe(true);
    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await focusInEditor()).toBe(false);
    await expect(panel.getByText('Ctrl', { exact: true })).toBeVisible();
  });

  test('screenshots in both themes', async ({ page }) => {
    const { policyId } = await openEditor(page);
    await setPolicyText(page, policyId, POLICY.replace('"kms:De"', '"kms:Decrpyt"'));
    await page.getByTestId('problems-panel').getByRole('button').first().click();
    await screenshot(page, 'editor-light');
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.locator('.monaco-editor').first()).toHaveCSS('background-color', 'rgb(30, 34, 41)');
    await screenshot(page, 'editor-dark');
  });

  test('the editor and the problems panel have no serious accessibility violations', async ({ page }) => {
    const { policyId } = await openEditor(page);
    await setPolicyText(page, policyId, POLICY.replace('"kms:De"', '"kms:Decrpyt"'));
    await expect(page.getByTestId('problems-panel').getByRole('button').first()).toBeVisible();
    const { violations } = await new AxeBuilder({ page })
      .include('[data-testid="policy-editor"]')
      .include('[data-testid="problems-panel"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    const serious = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
  });
});
