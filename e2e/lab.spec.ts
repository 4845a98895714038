/**
 * The Lab end to end, in Chromium against the preview build: templates give their documented decisions,
 * editing flips the decision and the flowchart path, the player controls, node → editor highlight, share
 * links, persistence, bad input, the access matrix with a what-if, compare, axe scans and screenshots.
 * `window.__lab` (src/ui/lab/lab-hook.ts) sets up scenarios and reads state; typing into the editors is
 * tested in lab-typing.spec.ts.
 */
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { enableIamStatement } from '../src/scenario/default-key-policy';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/load';
import type { Scenario } from '../src/scenario/types';
import { expectNoSeriousA11yViolations, screenshot, waitForArea, openLab } from './support';

const TEMPLATE_DIR = fileURLToPath(new URL('../scenarios/templates/', import.meta.url));
const TEMPLATE_INDEX = JSON.parse(readFileSync(`${TEMPLATE_DIR}index.json`, 'utf8')) as {
  templates: { id: string; file: string; title: string }[];
};

function readTemplate(file: string): Scenario {
  const loaded = loadScenario(readFileSync(`${TEMPLATE_DIR}${file}`, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${file}: ${loaded.errors.map((e) => e.message).join('; ')}`);
  return loaded.scenario;
}

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/App`;
const KEY_POLICY_ID = `key:${KEY}`;

const rootStatement = enableIamStatement(ACCOUNT);
const denyDecrypt = {
  Sid: 'DenyDecrypt',
  Effect: 'Deny',
  Principal: '*',
  Action: 'kms:Decrypt',
  Resource: '*',
};

/** A small world: the default key policy delegates to IAM, and the App role's IAM policy allows Decrypt. */
const SCENARIO: Scenario = {
  version: 2,
  title: 'E2E: delegation to IAM',
  principals: {
    [ROLE]: {
      policies: [
        {
          name: 'AllowDecrypt',
          document: {
            Version: '2012-10-17',
            Statement: [{ Sid: 'UseTheKey', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }],
          },
        },
      ],
    },
  },
  keys: { [KEY]: { aliases: ['alias/app'], policy: { Version: '2012-10-17', Statement: [rootStatement] } } },
  requests: [
    { id: 'app-decrypt', principal: ROLE, action: 'kms:Decrypt', keyId: 'alias/app', expect: 'Allow' },
    { id: 'app-encrypt', principal: ROLE, action: 'kms:Encrypt', keyId: 'alias/app', expect: 'ImplicitDeny' },
  ],
};

const keyPolicyText = (statements: object[]) =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

const decision = (page: Page) => page.getByTestId('decision');
const node = (page: Page, id: string) => page.getByTestId(`flow-node-${id}`);

async function settle(page: Page): Promise<void> {
  await page.evaluate(() => window.__lab!.whenEvaluated());
}

async function setScenario(page: Page, scenario: Scenario): Promise<void> {
  await page.evaluate((s) => window.__lab!.setScenario(s), scenario);
  await settle(page);
}

async function setPolicyText(page: Page, policyId: string, text: string): Promise<void> {
  await page.evaluate(([id, t]) => window.__lab!.setPolicyText(id, t), [policyId, text] as const);
  await settle(page);
}

const state = (page: Page) => page.evaluate(() => window.__lab!.getState());

/** The step the engine marked as deciding the selected request. */
async function decisiveStep(page: Page): Promise<string | undefined> {
  return (await state(page)).result?.steps.find((step) => step.decisive)?.id;
}

/** Waits for the flowchart's walk (under 1 s) to reach the end of the path. */
async function showWholePath(page: Page): Promise<void> {
  await expect(page.getByTestId('flowchart')).toHaveAttribute('data-walk', 'done', { timeout: 15_000 });
}

test.describe('lab', () => {
  test('every template gives its documented decisions', async ({ page }) => {
    test.setTimeout(120_000);
    await openLab(page);
    expect(TEMPLATE_INDEX.templates.length).toBeGreaterThanOrEqual(8);
    let checked = 0;
    for (const template of TEMPLATE_INDEX.templates) {
      const scenario = readTemplate(template.file);
      await page.getByLabel('Template', { exact: true }).selectOption(template.id);
      await page.getByRole('button', { name: 'Open template' }).click();
      await expect
        .poll(async () => (await state(page)).scenario.title, { message: template.id })
        .toBe(scenario.title);
      for (const request of scenario.requests ?? []) {
        if (!request.expect) continue;
        await page.locator(`[data-request-id="${request.id}"]`).click();
        await settle(page);
        await expect.poll(async () => (await state(page)).result?.id).toBe(request.id);
        const message = `${template.id} / ${request.id} should be ${request.expect}`;
        if (['Allow', 'ExplicitDeny', 'ImplicitDeny'].includes(request.expect)) {
          await expect(decision(page), message).toHaveAttribute('data-decision', request.expect);
        }
        await expect(decision(page), message).toContainText(request.expect);
        await expect(page.locator(`[data-request-id="${request.id}"]`), message).toContainText('as expected');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  test('editing a policy flips the decision and the flowchart path', async ({ page }) => {
    await openLab(page);
    await setScenario(page, SCENARIO);
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow');
    await showWholePath(page);
    const allowedBy = await decisiveStep(page);
    expect(allowedBy).toBeDefined();
    await expect(node(page, allowedBy!)).toHaveAttribute('data-state', 'decisive');
    await expect(node(page, 'allow')).toHaveAttribute('data-state', /visited|decisive/);
    // Off the path: not drawn in place (the whole diagram is behind Enlarge).
    await expect(node(page, 'explicit-deny-result')).toHaveCount(0);

    // Typed as a person would: a Deny statement first in the list (Monaco closes braces and quotes and steps
    // over the closers as they are typed, so the text comes out as written).
    const editor = page.getByTestId('policy-editor');
    await editor.locator('.view-line', { hasText: '"Statement": [' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(`${JSON.stringify(denyDecrypt)},`);
    await expect(decision(page)).toHaveAttribute('data-decision', 'ExplicitDeny', { timeout: 20_000 });
    await expect(decision(page)).toContainText('AccessDeniedException');
    const typed = JSON.parse((await state(page)).texts[KEY_POLICY_ID]);
    expect(typed.Statement).toEqual([denyDecrypt, rootStatement]);
    await showWholePath(page);
    const deniedBy = await decisiveStep(page);
    expect(deniedBy).not.toBe(allowedBy);
    await expect(node(page, deniedBy!)).toHaveAttribute('data-state', 'decisive');
    await expect(node(page, 'explicit-deny-result')).toHaveAttribute('data-state', /visited|decisive/);
    await expect(node(page, 'allow')).toHaveCount(0);
    await expect(page.locator('[data-request-id="app-decrypt"]')).toContainText('expected Allow');
  });

  test('the step controls move along the decision path', async ({ page }) => {
    await openLab(page);
    await setScenario(page, SCENARIO);
    const status = page.locator('.flowchart__status');
    await page.getByRole('button', { name: 'Restart' }).click();
    const pause = page.getByRole('button', { name: 'Pause' });
    if (await pause.isVisible()) await pause.click();
    await page.getByRole('button', { name: 'Restart' }).click();
    if (await pause.isVisible()) await pause.click();
    const total = Number(/of (\d+)/.exec((await status.textContent()) ?? '')?.[1]);
    expect(total).toBeGreaterThan(3);
    const cursorOf = async () => Number(/Step (\d+) of/.exec((await status.textContent()) ?? '')?.[1]);
    const start = await cursorOf();
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect.poll(cursorOf).toBe(start + 1);
    await page.getByRole('button', { name: 'Step forward' }).click();
    await expect.poll(cursorOf).toBe(start + 2);
    await page.getByRole('button', { name: 'Step back' }).click();
    await expect.poll(cursorOf).toBe(start + 1);
    // Before the end, the terminal node is still pending; at the end it is reached and the decisive step marked.
    await expect(node(page, 'allow')).toHaveAttribute('data-state', 'pending');
    await page.getByRole('button', { name: 'Skip to the end' }).click();
    await expect.poll(cursorOf).toBe(total);
    await expect(node(page, 'allow')).toHaveAttribute('data-state', /visited|decisive/);
    await expect(node(page, (await decisiveStep(page))!)).toHaveAttribute('data-state', 'decisive');
    await expect(page.getByRole('button', { name: 'Replay' })).toBeVisible();
  });

  test('Enlarge shows the flowchart over the window at a readable zoom; Escape closes it', async ({
    page,
  }) => {
    await openLab(page);
    await setScenario(page, SCENARIO);
    await showWholePath(page);
    const enlarge = page.getByRole('button', { name: 'Enlarge' });
    const chart = page.getByTestId('flowchart');
    await expect(enlarge).toHaveAttribute('aria-pressed', 'false');
    await enlarge.click();
    await expect(enlarge).toHaveAttribute('aria-pressed', 'true');
    const viewport = page.viewportSize()!;
    const box = (await chart.boundingBox())!;
    expect(box.width).toBeGreaterThan(viewport.width * 0.9);
    expect(box.height).toBeGreaterThan(viewport.height * 0.85);
    // The decisive node is on screen, drawn at least at its natural size (the panel shrinks it to ~0.6×).
    const decisive = node(page, (await decisiveStep(page))!);
    await expect(decisive).toBeInViewport();
    await expect
      .poll(() =>
        decisive.evaluate((el) => el.getBoundingClientRect().width / (el as HTMLElement).offsetWidth),
      )
      .toBeGreaterThanOrEqual(0.99);
    await expectNoSeriousA11yViolations(page);
    await decisive.focus();
    await page.keyboard.press('Escape');
    await expect(enlarge).toHaveAttribute('aria-pressed', 'false');
    await expect(enlarge).toBeFocused();
    expect((await chart.boundingBox())!.height).toBeLessThan(box.height);
  });

  test('the template picker names no template until one is chosen', async ({ page }) => {
    await openLab(page);
    await setScenario(page, readTemplate('separation-of-duties.json'));
    const picker = page.getByLabel('Template', { exact: true });
    const open = page.getByRole('button', { name: 'Open template' });
    await expect(picker).toHaveValue('');
    await expect(picker.locator('option:checked')).toHaveText('Choose a template…');
    await expect(open).toBeDisabled();
    await picker.selectOption(TEMPLATE_INDEX.templates[0].id);
    await expect(open).toBeEnabled();
  });

  test('a flowchart node highlights its statements in the editor, and a statement its steps', async ({
    page,
  }) => {
    await openLab(page);
    await setScenario(page, SCENARIO);
    await page.evaluate(() => window.__lab!.setView('evaluate'));
    // Start on another tab so the click has to switch editors.
    await page.getByRole('tab', { name: /AllowDecrypt/ }).click();
    await showWholePath(page);
    await node(page, 'key-policy').click();
    await expect.poll(async () => (await state(page)).activeEditor).toBe(KEY_POLICY_ID);
    await expect(page.getByTestId('policy-editor')).toHaveAttribute('data-active-editor', KEY_POLICY_ID);
    await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 15_000 });
    await expect(page.locator('.monaco-editor .kms-lab-highlight').first()).toBeVisible();

    // The other way: a statement chosen in the decision panel marks the steps that used it.
    await decision(page)
      .getByRole('button', { name: /^Show .*Enable IAM User Permissions/ })
      .first()
      .click();
    await expect(node(page, 'key-policy')).toContainText('uses selected statement');
    await expect(node(page, 'request')).not.toContainText('uses selected statement');
  });

  test('a share link round trip opens the scenario with its first request, and a broken link changes nothing', async ({
    page,
    browser,
  }) => {
    await openLab(page);
    await setScenario(page, {
      ...SCENARIO,
      title: 'E2E: shared',
      requests: [...SCENARIO.requests!].reverse(),
    });
    await page.getByRole('button', { name: 'Copy share link' }).click();
    const link = await page.getByTestId('share-link').inputValue();
    expect(link).toContain('#scenario=');

    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    await other.goto(link);
    await waitForArea(other, 'lab');
    await expect(decision(other)).toHaveAttribute('data-decision', 'ImplicitDeny');
    await other.waitForFunction(() => window.__lab !== undefined);
    const opened = await other.evaluate(() => window.__lab!.getState());
    expect(opened.scenario.title).toBe('E2E: shared');
    expect(opened.selectedRequestId).toBe('app-encrypt');
    await fresh.close();

    // In the same tab, a damaged link says what is wrong and leaves the work as it was.
    await setPolicyText(page, KEY_POLICY_ID, keyPolicyText([rootStatement, denyDecrypt]));
    const before = await state(page);
    await page.goto(`./#scenario=${'x'.repeat(40)}`);
    await expect(page.getByTestId('lab-notice')).toContainText(/damaged|cannot open|not JSON/);
    await expect(page.getByTestId('lab-notice')).toContainText('left as it was');
    const after = await state(page);
    expect(after.scenario).toEqual(before.scenario);
    expect(after.texts[KEY_POLICY_ID]).toBe(before.texts[KEY_POLICY_ID]);
  });

  test('reload keeps the work, even text that is not valid JSON', async ({ page }) => {
    await openLab(page);
    await setScenario(page, SCENARIO);
    const edited = keyPolicyText([rootStatement, denyDecrypt]);
    await setPolicyText(page, KEY_POLICY_ID, edited);
    await page.getByLabel('Save as').fill('my version');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForTimeout(700); // the save is debounced (SAVE_DEBOUNCE_MS)
    await page.reload();
    await waitForArea(page, 'lab');
    await page.waitForFunction(() => window.__lab !== undefined);
    let reloaded = await state(page);
    expect(reloaded.scenario.title).toBe(SCENARIO.title);
    expect(reloaded.texts[KEY_POLICY_ID]).toBe(edited);
    expect(reloaded.savedNames).toContain('my version');
    await expect(decision(page)).toHaveAttribute('data-decision', 'ExplicitDeny');

    // Typed, not set: delete the closing brace, so the editor holds text that is not valid JSON.
    await page.getByTestId('policy-editor').locator('.view-line').last().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(' ');
    const typed = `${edited.trimEnd().slice(0, -1)} `;
    await expect.poll(async () => (await state(page)).texts[KEY_POLICY_ID]).toBe(typed);
    await page.waitForTimeout(700);
    await page.reload();
    await waitForArea(page, 'lab');
    await page.waitForFunction(() => window.__lab !== undefined);
    reloaded = await state(page);
    expect(reloaded.texts[KEY_POLICY_ID]).toBe(typed);
    await expect(page.getByTestId('stale-banner')).toBeVisible();
  });

  test('bad JSON keeps the work and the last good result, marked stale', async ({ page }) => {
    await openLab(page);
    await setScenario(page, SCENARIO);
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow');
    // Break the JSON by typing a stray comma after the statement list's opening bracket.
    const editor = page.getByTestId('policy-editor');
    await editor.locator('.view-line', { hasText: '"Statement": [' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(',');
    await expect(page.getByTestId('stale-banner')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('stale-banner')).toContainText('Key policy');
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow');
    await expect(decision(page)).toHaveAttribute('data-stale', /.*/);
    await expect(page.getByTestId('problems-panel')).toContainText(/JSON|syntax|parse/i);
    const current = await state(page);
    expect(current.stale).toBe(true);
    expect(current.texts[KEY_POLICY_ID]).toMatch(/"Statement": \[,/);

    // Replace the comma with a Deny statement: valid again, and the new result shows.
    await page.keyboard.press('Backspace');
    await page.keyboard.type(`${JSON.stringify(denyDecrypt)},`);
    await expect(page.getByTestId('stale-banner')).toHaveCount(0, { timeout: 20_000 });
    await expect(decision(page)).toHaveAttribute('data-decision', 'ExplicitDeny');
  });

  test('the access matrix loads a request on click, and a what-if shows the cells that flip', async ({
    page,
  }) => {
    await openLab(page);
    await setScenario(page, SCENARIO);
    await page.getByRole('tab', { name: 'Access matrix' }).click();
    const cell = (action: string) =>
      page.locator(`[data-testid="matrix-cell"][data-principal="${ROLE}"][data-action="${action}"]`);
    await expect(cell('kms:Decrypt')).toHaveText('Allow');
    await expect(cell('kms:Encrypt')).toHaveText('Implicit');
    await expect(cell('kms:Encrypt')).toHaveAttribute('data-decision', 'ImplicitDeny');

    await cell('kms:GenerateDataKey').click();
    await expect(page.getByRole('tab', { name: 'Evaluate' })).toHaveAttribute('aria-selected', 'true');
    await settle(page);
    const loaded = await state(page);
    const selected = loaded.scenario.requests?.find((r) => r.id === loaded.selectedRequestId);
    expect(selected).toMatchObject({ principal: ROLE, action: 'kms:GenerateDataKey' });
    await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny');

    await page.getByRole('tab', { name: 'Access matrix' }).click();
    await page.getByRole('radio', { name: 'the key state' }).check();
    await page.getByLabel('The key is').selectOption('Disabled');
    await page.getByRole('button', { name: 'Show what flips' }).click();
    await expect(page.getByTestId('whatif-result')).toContainText(/[1-9]\d* cells? flip/);
    await expect(cell('kms:Decrypt')).toHaveAttribute('data-flipped', 'true');
    await expect(cell('kms:Decrypt')).toContainText('⇄ Disabled');
    await expect(cell('kms:Encrypt')).not.toHaveAttribute('data-flipped', 'true');

    // A context value: Decrypt is denied without MFA; with aws:MultiFactorAuthPresent = true it flips back.
    const denyWithoutMfa = {
      Sid: 'DenyDecryptWithoutMfa',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    };
    await setPolicyText(page, KEY_POLICY_ID, keyPolicyText([rootStatement, denyWithoutMfa]));
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect(cell('kms:Decrypt')).toHaveText('Deny');
    await page.getByRole('radio', { name: 'a context value' }).check();
    await page.getByLabel('Condition key').fill('aws:MultiFactorAuthPresent');
    await page.getByLabel('Value', { exact: true }).fill('true');
    await page.getByRole('button', { name: 'Show what flips' }).click();
    await expect(page.getByTestId('whatif-result')).toContainText('aws:MultiFactorAuthPresent');
    await expect(cell('kms:Decrypt')).toHaveAttribute('data-flipped', 'true');
    await expect(cell('kms:Decrypt')).toContainText('Deny ⇄ Allow');
    await expect(cell('kms:Encrypt')).not.toHaveAttribute('data-flipped', 'true');
  });

  test('compare shows the decisions that changed since a saved version', async ({ page }) => {
    await openLab(page);
    await setScenario(page, SCENARIO);
    await page.getByRole('tab', { name: 'Compare' }).click();
    await page.getByLabel('Save the current scenario as').fill('before the deny');
    await page.getByRole('button', { name: 'Save and compare' }).click();
    await expect(page.getByTestId('scenario-diff')).toContainText('0 decisions changed');
    await setPolicyText(page, KEY_POLICY_ID, keyPolicyText([rootStatement, denyDecrypt]));
    await expect(page.getByTestId('scenario-diff')).toContainText(/[1-9]\d* decisions? changed/);
    await expect(page.getByTestId('scenario-diff')).toContainText('kms:Decrypt');
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`each view passes axe and is captured in the ${theme} theme at 1280×720`, async ({ page }) => {
      test.setTimeout(90_000);
      await openLab(page);
      await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
      await setScenario(page, readTemplate('separation-of-duties.json'));
      await showWholePath(page);
      await expect(page.locator('.monaco-editor')).toBeVisible({ timeout: 15_000 });
      // The description goes through the lessons' markdown pipeline (lists, bold, inline code).
      const description = page.locator('.lab-scenario .lab-description');
      await expect(description.locator('li strong').first()).toHaveText('KeyAdmin', { timeout: 30_000 });
      await expect(description.locator('code').first()).toHaveText('kms:Create*');
      await expectNoSeriousA11yViolations(page);
      await screenshot(page, `lab-evaluate-${theme}`);
      await page
        .locator('.lab-scenario')
        .screenshot({ path: `test-results/screenshots/lab-description-${theme}.png` });

      await page.getByRole('tab', { name: 'Access matrix' }).click();
      await expect(page.getByTestId('access-matrix')).toBeVisible();
      await page.getByRole('button', { name: 'Show what flips' }).click();
      await expect(page.getByTestId('whatif-result')).toBeVisible();
      await expectNoSeriousA11yViolations(page);
      await screenshot(page, `lab-matrix-${theme}`);

      await page.getByRole('tab', { name: 'Compare' }).click();
      await page.getByRole('button', { name: 'Save and compare' }).click();
      await setPolicyText(page, Object.keys((await state(page)).texts)[0], keyPolicyText([rootStatement]));
      await expect(page.getByTestId('scenario-diff')).toBeVisible();
      await expectNoSeriousA11yViolations(page);
      await screenshot(page, `lab-compare-${theme}`);

      await page.getByRole('tab', { name: 'Evaluate' }).click();
      await page.getByRole('button', { name: 'Paste AWS JSON' }).click();
      await page
        .getByLabel('JSON copied from AWS')
        .fill(JSON.stringify({ Policy: keyPolicyText([rootStatement]), PolicyName: 'default' }));
      await expect(
        page
          .getByRole('status')
          .filter({ hasText: /key policy/i })
          .first(),
      ).toBeVisible();
      await expectNoSeriousA11yViolations(page);
      await screenshot(page, `lab-paste-${theme}`);
    });
  }

  test('a shared description renders its links safely and none of its markup runs', async ({ page }) => {
    await openLab(page);
    await setScenario(page, {
      ...SCENARIO,
      description:
        'See *the* [KMS guide](https://docs.aws.amazon.com/kms/) and [this](javascript:window.pwned=1).\n\n<img alt="pic" onerror="window.pwned=2"><script>window.pwned=3</script>',
    });
    const description = page.locator('.lab-scenario .lab-description');
    const guide = description.getByRole('link', { name: 'KMS guide' });
    await expect(guide).toHaveAttribute('rel', 'noopener noreferrer', { timeout: 30_000 });
    await expect(guide).toHaveAttribute('target', '_blank');
    await expect(description.locator('em')).toHaveText('the');
    await expect(description.locator('a', { hasText: 'this' })).not.toHaveAttribute('href', /javascript:/);
    await expect(description.locator('script, [onerror]')).toHaveCount(0);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
  });

  test('at 768 px wide the lab stacks into one readable column', async ({ page }) => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await openLab(page);
    await setScenario(page, SCENARIO);
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'lab-evaluate-768');
  });

  test('the scenario panel adds, renames and removes principals, and changes a key state', async ({
    page,
  }) => {
    await openLab(page);
    await setScenario(page, SCENARIO);
    const panel = page.getByRole('complementary', { name: 'Scenario' });
    await panel.getByLabel('Kind of principal').selectOption('role');
    await panel.getByLabel('Name of the new principal').fill('Reader');
    await panel.getByRole('form', { name: 'Add a principal' }).getByRole('button', { name: 'Add' }).click();
    const reader = `arn:aws:iam::${ACCOUNT}:role/Reader`;
    await expect
      .poll(async () => Object.keys((await state(page)).scenario.principals ?? {}))
      .toContain(reader);

    await panel.getByRole('button', { name: 'Rename Reader' }).click();
    await panel.getByLabel('New name for Reader').fill(`arn:aws:iam::${ACCOUNT}:role/Auditor`);
    await panel.getByRole('button', { name: 'OK' }).click();
    await expect
      .poll(async () => Object.keys((await state(page)).scenario.principals ?? {}))
      .toContain(`arn:aws:iam::${ACCOUNT}:role/Auditor`);

    // A rename of the role the requests use carries its sessions and requests along.
    await panel.getByRole('button', { name: 'Rename App' }).click();
    await panel.getByLabel('New name for App').fill(`arn:aws:iam::${ACCOUNT}:role/Worker`);
    await panel.getByRole('button', { name: 'OK' }).click();
    await expect
      .poll(async () => (await state(page)).scenario.requests?.map((r) => r.principal))
      .toEqual([`arn:aws:iam::${ACCOUNT}:role/Worker`, `arn:aws:iam::${ACCOUNT}:role/Worker`]);
    await expect
      .poll(async () => Object.keys((await state(page)).texts))
      .toContain(`identity:arn:aws:iam::${ACCOUNT}:role/Worker#0`);
    await settle(page);
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow');

    await panel.getByRole('button', { name: 'Remove Auditor' }).click();
    await expect
      .poll(async () => Object.keys((await state(page)).scenario.principals ?? {}))
      .not.toContain(`arn:aws:iam::${ACCOUNT}:role/Auditor`);

    await panel.getByLabel('State').selectOption('Disabled');
    await settle(page);
    await expect(decision(page)).toContainText('DisabledException');
  });

  test('scenario files: export downloads the scenario, import and drag-and-drop open one', async ({
    page,
  }) => {
    await openLab(page);
    await setScenario(page, SCENARIO);
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('e2e-delegation-to-iam.json');
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Scenario;
    expect(exported).toEqual((await state(page)).scenario);

    const template = readFileSync(`${TEMPLATE_DIR}cross-account.json`, 'utf8');
    await page.getByLabel('Scenario file to import').setInputFiles({
      name: 'cross-account.json',
      mimeType: 'application/json',
      buffer: Buffer.from(template),
    });
    await expect(page.getByTestId('lab-notice')).toContainText('Opened cross-account.json');
    await expect
      .poll(async () => (await state(page)).scenario.title)
      .toBe(readTemplate('cross-account.json').title);
    // The work it replaced was kept.
    expect((await state(page)).savedNames).toContain(`Autosave: ${SCENARIO.title}`);

    const broken = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(
        new File(['{ "version": 1, "keys": 3 }'], 'broken.json', { type: 'application/json' }),
      );
      return transfer;
    });
    await page.locator('.lab').dispatchEvent('drop', { dataTransfer: broken });
    await expect(page.getByTestId('lab-notice')).toContainText('broken.json could not be opened');
    expect((await state(page)).scenario.title).toBe(readTemplate('cross-account.json').title);

    const dropped = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'starter.json', { type: 'application/json' }));
      return transfer;
    }, JSON.stringify(SCENARIO));
    await page.locator('.lab').dispatchEvent('drop', { dataTransfer: dropped });
    await expect.poll(async () => (await state(page)).scenario.title).toBe(SCENARIO.title);
  });

  test('pasting get-key-policy output replaces the key policy', async ({ page }) => {
    await openLab(page);
    await setScenario(page, SCENARIO);
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow');
    await page.getByRole('button', { name: 'Paste AWS JSON' }).click();
    const output = { Policy: keyPolicyText([rootStatement, denyDecrypt]), PolicyName: 'default' };
    await page.getByLabel('JSON copied from AWS').click();
    await page.keyboard.insertText(JSON.stringify(output, null, 4)); // as Ctrl+V pastes
    await expect(page.getByLabel('Put it into')).toHaveValue(KEY);
    await page.getByRole('button', { name: 'Apply' }).click();
    await settle(page);
    expect(JSON.parse((await state(page)).texts[KEY_POLICY_ID])).toEqual(JSON.parse(output.Policy));
    await expect(decision(page)).toHaveAttribute('data-decision', 'ExplicitDeny');
    await expect(page.getByTestId('policy-editor')).toHaveAttribute('data-active-editor', KEY_POLICY_ID);
  });

  test('pasting a CloudTrail AccessDenied event fills the request builder', async ({ page }) => {
    await openLab(page);
    await setScenario(page, SCENARIO);
    const event = {
      eventVersion: '1.08',
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/App/worker`,
        accountId: ACCOUNT,
        sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, accountId: ACCOUNT } },
      },
      eventSource: 'kms.amazonaws.com',
      eventName: 'Encrypt',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.7',
      errorCode: 'AccessDenied',
      errorMessage: 'User is not authorized to perform: kms:Encrypt',
      requestParameters: { keyId: 'alias/app', encryptionContext: { dept: 'finance' } },
      resources: [{ ARN: KEY, type: 'AWS::KMS::Key' }],
    };
    await page.getByRole('button', { name: 'Paste AWS JSON' }).click();
    await page.getByLabel('JSON copied from AWS').click();
    await page.keyboard.insertText(JSON.stringify(event)); // as Ctrl+V pastes
    await page.getByRole('button', { name: 'Add to this scenario' }).click();
    await settle(page);
    const after = await state(page);
    const request = after.scenario.requests?.find((r) => r.id === after.selectedRequestId);
    expect(request).toMatchObject({
      action: 'kms:Encrypt',
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/App/worker`,
    });
    await expect(page.getByLabel('Action', { exact: true })).toHaveValue('kms:Encrypt');
    await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny');
    // The message does not say which denial: the event's exception is expected, and a policy denial matches it.
    await expect(decision(page)).toContainText('As expected: expected AccessDeniedException');
  });
});
