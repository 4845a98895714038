/**
 * The Learn area driven as a learner drives it: open a lesson from the path, answer right and wrong with the
 * mouse and keyboard, see per-option feedback and explanations, predict a decision, fix a policy by typing in
 * the editor after reading a failing case's trace, and find the progress again after a reload.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations, gotoArea, screenshot } from './support';

const SLOW = { timeout: 30_000 };
const question = (page: Page, id: string) => page.getByTestId(`question-${id}`);
const verdict = (card: Locator) => card.getByTestId('verdict');

async function openLesson(page: Page, title: string): Promise<void> {
  await gotoArea(page, 'learn');
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible(SLOW);
}

test.describe('Learn', () => {
  // Whole lessons with Monaco and React Flow on a busy 2-core box.
  test.describe.configure({ timeout: 240_000 });

  test('take a lesson: wrong then right answers, feedback, a predicted decision, a fixed policy, progress after a reload', async ({
    page,
  }) => {
    await openLesson(page, 'Grants and encryption context');

    // True/false, first wrong, then right; the explanation appears once answered.
    const denies = question(page, 'grants-cannot-deny');
    await denies.getByRole('radio', { name: 'True' }).check();
    await denies.getByRole('button', { name: 'Check' }).click();
    await expect(verdict(denies)).toHaveText(/Not quite/);
    await expect(denies.getByRole('heading', { name: 'Explanation' })).toBeVisible();
    await denies.getByRole('radio', { name: 'False' }).check();
    await expect(verdict(denies)).toHaveText('');
    await denies.getByRole('button', { name: 'Check' }).click();
    await expect(verdict(denies)).toHaveText(/Right/);
    await expect(denies.getByText('Right: grants only add permissions.')).toBeVisible();

    // Single choice, wrong: the chosen option's own feedback is shown. Hints come one at a time.
    const subset = question(page, 'grants-subset-equals');
    await subset.getByRole('radio', { name: /"year": "2026"/ }).check();
    await subset.getByRole('button', { name: 'Check' }).click();
    await expect(verdict(subset)).toHaveText(/Not quite/);
    await expect(subset.getByText(/One pair too many/)).toBeVisible();

    const context = question(page, 'grants-fix-context');
    await context.getByRole('button', { name: /Show a hint \(1 left\)/ }).click();
    await expect(context.getByText(/The condition key is/)).toBeVisible();
    await expect(context.getByRole('button', { name: /Show a hint/ })).toHaveCount(0);

    // Short answer by typing: a known wrong answer has feedback; an accepted alternative is right.
    const token = question(page, 'grants-token-name');
    const answer = token.getByRole('textbox', { name: 'Your answer' });
    await answer.click();
    await page.keyboard.type('grant id');
    await page.keyboard.press('Enter');
    await expect(verdict(token)).toHaveText(/Not quite/);
    await expect(token.getByText(/identifies the grant for/)).toBeVisible();
    await answer.fill('');
    await page.keyboard.type('The Grant Token');
    await token.getByRole('button', { name: 'Check' }).click();
    await expect(verdict(token)).toHaveText(/Right/);

    // Predict the decision: the feedback gives the engine's real decision and its trace.
    const predict = question(page, 'grants-predict-case');
    await predict.getByRole('radio', { name: 'Allow' }).check();
    await predict.getByRole('button', { name: 'Check' }).click();
    await expect(verdict(predict)).toHaveText(/Not quite.*The engine decides ImplicitDeny/, SLOW);
    await expect(
      predict.getByText('Encryption context values are compared exactly, case included.'),
    ).toBeVisible();
    await expect(predict.getByTestId('flow-node-explicit-deny')).toBeVisible(SLOW);
    await predict.getByRole('radio', { name: 'ImplicitDeny' }).check();
    await predict.getByRole('combobox', { name: 'The statement that decided' }).selectOption({ index: 0 });
    await predict.getByRole('button', { name: 'Check' }).click();
    await expect(verdict(predict)).toHaveText(/Right.*The engine decides ImplicitDeny/, SLOW);

    // Fix the policy: the starter fails a visible case, whose trace shows why; typing a condition fixes it.
    const editor = context.locator('.monaco-editor .view-lines');
    await expect(editor).toBeVisible(SLOW);
    await context.getByRole('button', { name: 'Run the checks' }).click();
    await expect(verdict(context)).toHaveText(/Not quite.*2 of 4 checks pass \(1 of 2 hidden checks\)/, SLOW);
    await expect(context.getByTestId('fix-case-finance-decrypt-hr')).toContainText('✕ Allow');
    // A failing policy keeps the explanation (which gives the fix away) back until asked for.
    await expect(context.getByRole('button', { name: 'Show the explanation' })).toBeVisible();
    await expect(context.getByRole('heading', { name: 'Explanation' })).toHaveCount(0);
    const trace = context.getByRole('region', { name: 'Trace of finance-decrypt-hr' });
    await expect(trace.getByTestId('decision')).toContainText('Allow', SLOW);
    await expect(trace.getByText(/FinanceDecrypts/).first()).toBeVisible();

    await editor.click();
    await page.keyboard.press('Control+End');
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await page.keyboard.type(
      ', "Condition": { "StringEquals": { "kms:EncryptionContext:department": "finance" } }',
    );
    await page.keyboard.press('Escape');
    await context.getByRole('button', { name: 'Run the checks' }).click();
    await expect(verdict(context)).toHaveText(/Right.*4 of 4 checks pass/, SLOW);
    await expect(context.getByTestId('fix-case-finance-decrypt-no-context')).toContainText('✓ ImplicitDeny');
    await expect(context.getByRole('heading', { name: 'Explanation' })).toBeVisible();
    await expect(context.getByRole('button', { name: 'Show the explanation' })).toHaveCount(0);

    const summary = page.getByTestId('quiz-summary');
    await expect(summary.getByRole('status')).toHaveText(/4 of 6 right .* 5 of 6 answered/);
    await expect(summary.getByRole('button', { name: /Question \d+: Subset or equals/ })).toBeVisible();

    // Progress survives a reload, the typed policy with it.
    await page.reload();
    await expect(page.getByRole('heading', { level: 2, name: 'Grants and encryption context' })).toBeVisible(
      SLOW,
    );
    await expect(page.getByTestId('quiz-summary').getByRole('status')).toHaveText(/4 of 6 right/, SLOW);
    await expect(question(page, 'grants-cannot-deny').getByText('answered right')).toBeVisible();
    await expect(question(page, 'grants-subset-equals').getByText('answered, not right yet')).toBeVisible();
    // The typed policy is the editor's text again (its lines are below the fold, so read the saved draft).
    const saved = await page.evaluate(() => localStorage.getItem('kms-policy-lab.lessons') ?? '');
    expect(JSON.parse(saved).lessons.grants.drafts['grants-fix-context']).toContain(
      'kms:EncryptionContext:department',
    );
    await expect(context.getByText('answered right')).toBeVisible();
    await page.getByRole('link', { name: '← All lessons' }).click();
    await expect(page.getByTestId('lesson-grants').getByTestId('lesson-progress')).toHaveText(
      '5 of 6 answered, 4 right',
    );
  });

  test('an ordering question by keyboard, a multiple choice, a scenario opened in the Lab, a lesson reset', async ({
    page,
  }) => {
    await openLesson(page, 'How KMS decides a request, and separation of duties');
    const order = question(page, 'deciding-order');
    const steps = order.getByRole('list', { name: 'Steps, in your order' }).getByRole('listitem');
    const want = [
      'A matching Deny statement in any policy',
      'Every guardrail (SCPs, RCPs, the endpoint policy) allows',
      'The key policy, IAM through the key policy, or a grant allows',
      "The key's state permits the operation",
    ];
    // Bring each step to its place with the move buttons, pressed from the keyboard.
    for (let place = 0; place < want.length; place += 1) {
      let at = (await steps.allInnerTexts()).findIndex((text) => text.startsWith(want[place]!));
      while (at > place) {
        await order.getByRole('button', { name: `Move "${want[place]}" up` }).focus();
        await page.keyboard.press('Enter');
        at -= 1;
      }
    }
    await order.getByRole('button', { name: 'Check' }).click();
    await expect(verdict(order)).toHaveText(/Right/);

    const deny = question(page, 'deciding-explicit-deny');
    await deny.getByRole('checkbox', { name: /An SCP on the caller's account/ }).check();
    await deny.getByRole('button', { name: 'Check' }).click();
    await expect(verdict(deny)).toHaveText(/Not quite.*A right option is missing/);
    await deny.getByRole('checkbox', { name: /VPC endpoint/ }).check();
    await deny.getByRole('button', { name: 'Check' }).click();
    await expect(verdict(deny)).toHaveText(/Right/);
    await expect(page.getByTestId('quiz-summary').getByRole('status')).toHaveText(/2 of 5 right/);

    await page.getByRole('button', { name: 'Reset this lesson' }).click();
    await page.getByRole('button', { name: 'Yes, reset' }).click();
    await expect(page.getByTestId('quiz-summary').getByRole('status')).toHaveText(
      /0 of 5 right .* 0 of 5 answered/,
    );
    await expect(verdict(order)).toHaveText('');

    await page.getByRole('button', { name: 'Open the separation-of-duties scenario in the Lab' }).click();
    await expect(page.locator('#area-title')).toHaveText('Lab', SLOW);
    await page.waitForFunction(() => window.__lab !== undefined);
    await expect
      .poll(() => page.evaluate(() => window.__lab!.getState().scenario.title), SLOW)
      .toBe('Separation of duties: key administrators cannot use the key');
  });

  test('progress exports to a file and imports from one; a damaged file changes nothing', async ({
    page,
  }) => {
    await gotoArea(page, 'learn');
    const progress = {
      version: 1,
      lessons: {
        'key-types': {
          answers: {
            'key-types-cmk-name': {
              answer: { kind: 'choice', selected: ['b'] },
              correct: true,
              at: '2026-12-04T10:00:00.000Z',
            },
          },
          drafts: {},
        },
      },
    };
    const chooser = page.getByLabel('Import progress');
    await chooser.setInputFiles({
      name: 'progress.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(progress)),
    });
    await expect(page.getByRole('status').filter({ hasText: 'Progress imported.' })).toBeVisible();
    const keyTypes = page.getByTestId('lesson-key-types').getByTestId('lesson-progress');
    await expect(keyTypes).toHaveText('1 of 6 answered, 1 right');

    await chooser.setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{ nope'),
    });
    await expect(page.getByRole('alert')).toHaveText(/Could not import: the progress file is not JSON/);
    await expect(keyTypes).toHaveText('1 of 6 answered, 1 right');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export progress' }).click();
    const file = await (await download).path();
    const { readFile } = await import('node:fs/promises');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(progress);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`the path, a lesson and each question type in the ${theme} theme: screenshots and axe`, async ({
      page,
    }) => {
      await page.emulateMedia({ colorScheme: theme });
      await gotoArea(page, 'learn');
      await screenshot(page, `learn-path-${theme}`);
      await expectNoSeriousA11yViolations(page);

      await openLesson(page, 'Grants and encryption context');
      const tf = question(page, 'grants-cannot-deny');
      await tf.getByRole('radio', { name: 'True' }).check();
      await tf.getByRole('button', { name: 'Check' }).click();
      const predict = question(page, 'grants-predict-case');
      await predict.getByRole('radio', { name: 'ImplicitDeny' }).check();
      await predict.getByRole('button', { name: 'Check' }).click();
      await expect(predict.getByTestId('flow-node-explicit-deny')).toBeVisible(SLOW);
      const fix = question(page, 'grants-fix-context');
      await expect(fix.locator('.monaco-editor .view-lines')).toBeVisible(SLOW);
      await fix.getByRole('button', { name: 'Run the checks' }).click();
      await expect(fix.getByRole('region', { name: /Trace of/ }).getByTestId('decision')).toBeVisible(SLOW);
      await fix.getByRole('button', { name: /Show a hint/ }).click();
      await fix.getByRole('button', { name: 'Show the explanation' }).click();
      await expect(fix.locator('.question__explanation')).toBeFocused();
      await expect(fix.getByRole('heading', { name: 'Explanation' })).toBeVisible();
      await page.getByRole('link', { name: 'grant token' }).first().hover();
      await expect(page.getByRole('tooltip')).toContainText('CreateGrant');
      await screenshot(page, `learn-lesson-grants-${theme}`);
      await fix.screenshot({ path: `test-results/screenshots/learn-fix-${theme}.png` });
      await predict.screenshot({ path: `test-results/screenshots/learn-predict-${theme}.png` });
      // The flowchart is React Flow's widget (its own roles), checked by the Lab's specs.
      await expectNoSeriousA11yViolations(page, ['.react-flow', '.monaco-editor']);

      await openLesson(page, 'How KMS decides a request, and separation of duties');
      const order = question(page, 'deciding-order');
      await order.getByRole('button', { name: 'Check' }).click();
      await order.screenshot({ path: `test-results/screenshots/learn-ordering-${theme}.png` });
      await page
        .getByTestId('quiz-summary')
        .screenshot({ path: `test-results/screenshots/learn-summary-${theme}.png` });
      await expectNoSeriousA11yViolations(page);
    });
  }

  test('768 px wide: a lesson does not scroll sideways', async ({ page }) => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await openLesson(page, 'Kinds of KMS keys');
    await screenshot(page, 'learn-lesson-key-types-768');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
