/**
 * The Lab's policy editors driven as a person drives them: click into Monaco, type with the keyboard, press
 * keys, click buttons. `window.__lab` only sets up the scenario and reads the store back; every edit a test is
 * about is typed. Monaco closes quotes and brackets as they are typed and steps over the closer when it is
 * typed too, so typing a whole JSON text character by character gives exactly that text.
 */
import { type Locator, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { enableIamStatement } from '../src/scenario/default-key-policy';
import type { NamedPolicy, Scenario } from '../src/scenario/types';
import { join } from 'node:path';
import { openLabOn, SCREENSHOT_DIR, screenshot } from './support';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/App`;
const KEY_POLICY_ID = `key:${KEY}`;
/** Evaluation runs in a worker on a busy machine: give it room. */
const SLOW = { timeout: 20_000 };

const rootStatement = enableIamStatement(ACCOUNT);
const appStatement = (action: string) => ({
  Effect: 'Allow',
  Principal: { AWS: ROLE },
  Action: action,
  Resource: '*',
});

/** The App role asks to decrypt with the key; the key policy alone decides (the role has no IAM policy). */
function scenario(keyStatements: object[], rolePolicies: NamedPolicy[] = []): Scenario {
  return {
    version: 2,
    title: 'E2E: typing',
    principals: { [ROLE]: { policies: rolePolicies } },
    keys: { [KEY]: { aliases: ['alias/app'], policy: { Version: '2012-10-17', Statement: keyStatements } } },
    requests: [{ id: 'app-decrypt', principal: ROLE, action: 'kms:Decrypt', keyId: 'alias/app' }],
  };
}

const decision = (page: Page) => page.getByTestId('decision');
const editorPanel = (page: Page) => page.getByTestId('policy-editor');
const storedText = (page: Page, policyId: string) =>
  page.evaluate((id) => window.__lab!.getState().texts[id] ?? '', policyId);

/** Clicks the editor line that shows `lineText` and puts the caret at its first non-blank character. */
async function caretAtLineStart(panel: Locator, lineText: string): Promise<void> {
  await panel.locator('.view-line', { hasText: lineText }).first().click();
  await panel.page().keyboard.press('Home');
}

/** Clicks the editor line that shows `lineText` and puts the caret at its end. */
async function caretAtLineEnd(panel: Locator, lineText: string): Promise<void> {
  await panel.locator('.view-line', { hasText: lineText }).first().click();
  await panel.page().keyboard.press('End');
}

async function moveOverDecisionPanel(page: Page): Promise<void> {
  const box = (await decision(page).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, Math.min(box.y + 20, page.viewportSize()!.height - 10));
}

/** Scrolls the page with the mouse wheel over the decision panel (Monaco keeps wheel events over itself). */
async function wheelOverDecisionPanel(page: Page): Promise<void> {
  await moveOverDecisionPanel(page);
  await page.mouse.wheel(0, 400);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
}

/** WCAG contrast ratio of two computed `rgb(…)` colours. */
function contrastRatio(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r, g, b] = (colour.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((n) => {
      const c = Number(n) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

const suggestWidget = (page: Page) => page.locator('.suggest-widget.visible');

test.describe('typing in the policy editors', () => {
  test('a Sid typed with spaces keeps its spaces', async ({ page }) => {
    const panel = await openLabOn(page, scenario([rootStatement, appStatement('kms:Decrypt')]));
    await caretAtLineStart(panel, '"Action": "kms:Decrypt"');
    await page.keyboard.type('"Sid": "Payroll team reads", ');
    await page.keyboard.press('Escape');
    await expect
      .poll(async () => JSON.parse(await storedText(page, KEY_POLICY_ID)).Statement[1].Sid, SLOW)
      .toBe('Payroll team reads');
    await expect(panel.locator('.view-lines')).toContainText('"Payroll team reads"');
  });

  test('a condition typed into the key policy flips the decision to a deny', async ({ page }) => {
    const panel = await openLabOn(page, scenario([appStatement('kms:Decrypt')]));
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', SLOW);
    await caretAtLineEnd(panel, '"Resource": "*"');
    // The request carries no encryption context, so a condition on one cannot match.
    await page.keyboard.type(
      ', "Condition": { "StringEquals": { "kms:EncryptionContext:dept": "human resources" } }',
    );
    await page.keyboard.press('Escape');
    await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny', SLOW);
    const typed = JSON.parse(await storedText(page, KEY_POLICY_ID));
    expect(typed.Statement[0].Condition).toEqual({
      StringEquals: { 'kms:EncryptionContext:dept': 'human resources' },
    });
  });

  test('fixing a typo in an action by typing turns the deny into an allow', async ({ page }) => {
    const panel = await openLabOn(page, scenario([appStatement('kms:Decrpyt')]));
    await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny', SLOW);
    await caretAtLineEnd(panel, '"kms:Decrpyt"');
    // From the end of `"Action": "kms:Decrpyt",` back over `",` and the misspelt `pyt`.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Backspace');
    await page.keyboard.type('ypt');
    await page.keyboard.press('Escape');
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', SLOW);
    expect(JSON.parse(await storedText(page, KEY_POLICY_ID)).Statement[0].Action).toBe('kms:Decrypt');
  });

  test('a whole IAM policy typed over the old one allows the call', async ({ page }) => {
    const encryptOnly = {
      name: 'AppPolicy',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }],
      },
    };
    const panel = await openLabOn(page, scenario([rootStatement], [encryptOnly]));
    await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny', SLOW);
    await page.getByRole('tab', { name: /AppPolicy/ }).click();
    await expect(panel).toHaveAttribute('data-active-editor', /^identity:/);
    const policyId = (await panel.getAttribute('data-active-editor'))!;
    await panel.locator('.view-line', { hasText: 'kms:Encrypt' }).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(
      // IAM takes only letters and digits in an identity policy's Sid (a space would make it a rejected policy).
      '{ "Version": "2012-10-17", "Statement": [ { "Sid": "UseTheKey", "Effect": "Allow", ' +
        '"Action": [ "kms:Encrypt", "kms:Decrypt" ], "Resource": "*" } ] }',
    );
    await page.keyboard.press('Escape');
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', SLOW);
    const typed = JSON.parse(await storedText(page, policyId));
    expect(typed.Statement[0]).toEqual({
      Sid: 'UseTheKey',
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:Decrypt'],
      Resource: '*',
    });
  });

  test('the whole-scenario editor takes typing too: a title with spaces', async ({ page }) => {
    await openLabOn(page, scenario([rootStatement, appStatement('kms:Decrypt')]));
    await page.getByRole('tab', { name: 'Scenario JSON' }).click();
    const panel = editorPanel(page);
    await expect(panel).toHaveAttribute('data-active-editor', /scenario/);
    await caretAtLineEnd(panel, '"title": "E2E: typing"');
    // Back over `",` to the end of the title.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type(' by a person');
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.evaluate(() => window.__lab!.getState().scenario.title), SLOW)
      .toBe('E2E: typing by a person');
  });
});

test.describe('completion', () => {
  test('after a complete action Enter starts a new line instead of inserting another action', async ({
    page,
  }) => {
    const panel = await openLabOn(page, scenario([rootStatement]));
    await caretAtLineEnd(panel, '"Action": "kms:*"');
    // Turn `"kms:*",` into `[ "kms:Decrypt"` + Enter, the way a person starts a list of actions.
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < '"kms:*"'.length; i += 1) await page.keyboard.press('Backspace');
    await page.keyboard.type('[ "kms:Decrypt"');
    await expect(suggestWidget(page)).toHaveCount(0);
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => {
        const text = await storedText(page, KEY_POLICY_ID);
        try {
          return JSON.parse(text).Statement[0].Action;
        } catch {
          return `not JSON: ${text}`;
        }
      }, SLOW)
      .toEqual(['kms:Decrypt']);
    expect(await storedText(page, KEY_POLICY_ID)).toMatch(/\[ "kms:Decrypt"\n\s*\],/);
  });

  test('the suggestion list lists actions on a prefix, and hides when the page scrolls', async ({ page }) => {
    const panel = await openLabOn(page, scenario([rootStatement]));
    await caretAtLineEnd(panel, '"Action": "kms:*"');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('De');
    const decrypt = page.locator('.suggest-widget .monaco-list-row').filter({ hasText: /^kms:Decrypt/ });
    await expect(decrypt).toBeVisible(SLOW);
    await screenshot(page, 'editor-completion-open');
    await wheelOverDecisionPanel(page);
    await expect(suggestWidget(page)).toHaveCount(0);
    expect(await storedText(page, KEY_POLICY_ID)).toContain('"kms:De"');
  });

  test('with the caret just inside a complete action, Enter is a line break, not the same action again', async ({
    page,
  }) => {
    const panel = await openLabOn(page, scenario([rootStatement]));
    await caretAtLineEnd(panel, '"Action": "kms:*"');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('Decrypt');
    // The list opened by itself while typing; its top entry is what is already there.
    await expect(suggestWidget(page).locator('.monaco-list-row').first()).toContainText('kms:Decrypt', SLOW);
    await page.keyboard.press('Enter');
    await expect.poll(() => storedText(page, KEY_POLICY_ID), SLOW).toContain('"Action": "kms:Decrypt\n');
  });

  test('a list opened with Ctrl+Space still takes Enter', async ({ page }) => {
    const panel = await openLabOn(page, scenario([rootStatement]));
    await caretAtLineEnd(panel, '"Action": "kms:*"');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Escape');
    await page.keyboard.type('De');
    await page.keyboard.press('Escape');
    await expect(suggestWidget(page)).toHaveCount(0);
    await page.keyboard.press('Control+Space');
    await expect(suggestWidget(page).locator('.monaco-list-row').first()).toContainText('kms:Decrypt', SLOW);
    await page.keyboard.press('Enter');
    await expect(suggestWidget(page)).toHaveCount(0);
    await expect
      .poll(async () => JSON.parse(await storedText(page, KEY_POLICY_ID)).Statement[0].Action, SLOW)
      .toBe('kms:Decrypt');
  });

  test('a hover opened from the keyboard hides when the page scrolls', async ({ page }) => {
    const panel = await openLabOn(page, scenario([appStatement('kms:Decrypt')]));
    await caretAtLineEnd(panel, '"Action": "kms:Decrypt"');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    // The mouse leaves the editor first: a hover opened by the mouse would close on that alone.
    await moveOverDecisionPanel(page);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover').filter({ hasText: 'kms:Decrypt' });
    await expect(hover).toBeVisible(SLOW);
    await wheelOverDecisionPanel(page);
    await expect(hover).toBeHidden();
  });
});

test.describe('focus and reveal', () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`the focused editor shows a focus ring (${theme})`, async ({ page }) => {
      const panel = await openLabOn(page, scenario([rootStatement, appStatement('kms:Decrypt')]));
      await page.getByRole('radio', { name: theme === 'dark' ? 'Dark' : 'Light' }).check();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      const frame = panel.locator('.policy-editor__surface');
      await expect(frame).toHaveCSS('outline-style', 'none');
      await panel.locator('.view-line').first().click();
      await expect(frame).toHaveCSS('outline-style', 'solid');
      await expect(frame).toHaveCSS('outline-width', '2px');
      const focusColour = await page.evaluate(() => {
        const probe = document.createElement('div');
        probe.style.color = 'var(--focus)';
        document.body.append(probe);
        const colour = getComputedStyle(probe).color;
        probe.remove();
        return colour;
      });
      await expect(frame).toHaveCSS('outline-color', focusColour);
      // The ring is drawn on the Policies card: WCAG 1.4.11 asks 3:1 against it.
      const cardColour = await page
        .locator('.lab-editors')
        .evaluate((card) => getComputedStyle(card).backgroundColor);
      expect(contrastRatio(focusColour, cardColour)).toBeGreaterThanOrEqual(3);
      await screenshot(page, `editor-focused-${theme}`);
      // Leaving the editor takes the ring away.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Tab');
      await expect(frame).toHaveCSS('outline-style', 'none');
    });
  }

  for (const width of [1280, 768]) {
    test(`Show on a statement far down a long policy brings it into view in the editor and the page (${width} px)`, async ({
      page,
    }) => {
      // At 768 px the decision sits above the editors, so Show must also scroll the page; at 1280 px they share
      // the first row and only the editor scrolls.
      await page.setViewportSize({ width, height: 720 });
      const filler = Array.from({ length: 25 }, (_, i) => ({
        Sid: `Other${i}`,
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Other${i}` },
        Action: 'kms:Encrypt',
        Resource: '*',
      }));
      const panel = await openLabOn(
        page,
        scenario([...filler, { Sid: 'FarDown', ...appStatement('kms:Decrypt') }]),
      );
      await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', SLOW);
      const farLine = panel.locator('.view-line', { hasText: '"Sid": "FarDown"' });
      await expect(farLine).toHaveCount(0);
      const show = decision(page)
        .getByRole('button', { name: /^Show .*FarDown/ })
        .first();
      await show.scrollIntoViewIfNeeded();
      if (width === 768) await expect(panel).not.toBeInViewport();
      await show.click();
      await expect(farLine).toBeInViewport(SLOW);
      await expect(panel.locator('.kms-lab-highlight').first()).toBeInViewport();
      // What the learner sees after the click: the window, not the full page.
      await page.screenshot({ path: join(SCREENSHOT_DIR, `editor-show-revealed-${width}.png`) });
    });
  }
});
