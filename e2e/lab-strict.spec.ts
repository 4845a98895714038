/**
 * Nothing the learner writes is silently ignored, and a policy AWS would refuse is never evaluated (issue 8),
 * as a person meets it: typing a misspelt "Condtion" into the key policy puts a marker with "did you mean" on
 * it, lists it in the scenario panel, and the decision panel shows MalformedPolicyDocumentException instead of
 * the Allow the statement used to give. `window.__lab` only loads the scenario and reads state; edits are typed.
 */
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { Scenario } from '../src/scenario/types';
import { expectNoSeriousA11yViolations, openLabOn, screenshot } from './support';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/App`;
const KEY_POLICY_ID = `key:${KEY}`;
/** Evaluation runs in a worker on a busy machine: give it room. */
const SLOW = { timeout: 20_000 };

function scenario(extra: Record<string, unknown> = {}): Scenario {
  return {
    version: 2,
    title: 'E2E: strict input',
    principals: { [ROLE]: { policies: [] } },
    keys: {
      [KEY]: {
        aliases: ['alias/app'],
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*' }],
        },
      },
    },
    requests: [{ id: 'app-decrypt', principal: ROLE, action: 'kms:Decrypt', keyId: 'alias/app' }],
    ...extra,
  } as Scenario;
}

const decision = (page: Page) => page.getByTestId('decision');
const warnings = (page: Page) => page.getByTestId('scenario-warnings');

test.describe('strict input', () => {
  test('a misspelt Condition typed into the key policy is marked, listed, and rejected instead of allowed', async ({
    page,
  }) => {
    const panel = await openLabOn(page, scenario());
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', SLOW);

    await panel.locator('.view-line', { hasText: '"Resource": "*"' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.type(',');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"Condtion": { "StringEquals": { "kms:EncryptionContext:dept": "finance" } }');
    await page.keyboard.press('Escape');
    // The caret at the start of the text scrolls the narrow editor back, so the misspelt name is in view.
    await page.keyboard.press('Control+Home');
    await expect
      .poll(async () => {
        const text = await page.evaluate((id) => window.__lab!.getState().texts[id] ?? '', KEY_POLICY_ID);
        return Object.keys(JSON.parse(text).Statement[0]);
      }, SLOW)
      .toContain('Condtion');

    // The decision panel: not the Allow the statement used to give, but the error AWS would give the policy.
    await expect(decision(page)).toHaveAttribute('data-decision', 'ImplicitDeny', SLOW);
    await expect(decision(page)).toContainText('MalformedPolicyDocumentException');
    await expect(decision(page)).toContainText('"Condtion" is not a statement element');
    await expect(decision(page)).not.toContainText('is allowed');
    // The headline names the refused policy, not "nothing allowed it" (the policy was never evaluated).
    await expect(decision(page).locator('.decision__gloss')).toHaveText(
      `(not evaluated: AWS refuses the key policy of ${KEY} (MalformedPolicyDocumentException))`,
    );
    // The decision path says the other checks were not evaluated, not that they do not apply.
    await expect(page.locator('.flow-path__not-applicable').first()).toContainText(': not evaluated');

    // The editor marks the misspelt element; going to its marker with F8 (next problem) shows the message,
    // which names the nearest element. (The typed line is wider than the editor, so no mouse hover.)
    await expect(panel.locator('.squiggly-error').first()).toBeVisible(SLOW);
    await page.keyboard.press('Control+Home');
    const markerMessage = page.locator('.marker-widget');
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('F8');
      await expect(markerMessage).toBeVisible(SLOW);
      if ((await markerMessage.textContent())?.includes('Did you mean "Condition"?')) break;
    }
    await expect(markerMessage).toContainText('"Condtion" is not a statement element');
    await expect(markerMessage).toContainText('Did you mean "Condition"?');
    await page.keyboard.press('Escape');

    // The scenario panel lists it with where it is; activating it opens the key policy at the place.
    const item = warnings(page).getByRole('button', { name: /Condtion.*Did you mean "Condition"\?/ });
    await expect(item).toBeVisible(SLOW);
    await expect(item).toContainText(/line \d+, column \d+/);
    await page.locator('.lab-editor-tab', { hasText: 'Scenario JSON' }).click();
    await expect(panel).toHaveAttribute('data-active-editor', 'scenario');
    await item.click();
    await expect(panel).toHaveAttribute('data-active-editor', KEY_POLICY_ID);
    await expect(panel.locator('.kms-lab-highlight').first()).toBeVisible(SLOW);

    await screenshot(page, 'lab-strict-rejected-policy');
    await expectNoSeriousA11yViolations(page, ['.monaco-editor']);
  });

  test('an unknown scenario field is listed with "did you mean" and marked in the scenario editor', async ({
    page,
  }) => {
    const panel = await openLabOn(page, scenario({ titel: 'Payroll' }));
    const item = warnings(page).getByRole('button', {
      name: /unknown field "titel" is ignored\. Did you mean "title"\?/,
    });
    await expect(item).toBeVisible(SLOW);
    await expect(item).toContainText('Scenario JSON, line');
    await item.click();
    await expect(panel).toHaveAttribute('data-active-editor', 'scenario');
    await expect(panel.locator('.squiggly-warning').first()).toBeVisible(SLOW);
    await expect(panel.locator('.kms-lab-highlight').first()).toBeVisible(SLOW);
    // Still evaluated: the field is ignored, not an error.
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', SLOW);
    await screenshot(page, 'lab-strict-unknown-field');
  });
});
