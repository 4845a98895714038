/**
 * The organization panel driven as a person drives it: open the SCP template from the template picker, read
 * the tree (root, OU, accounts, the management account, what AWS attaches), open the ProtectKmsKeys SCP and
 * type into it until a decision changes, attach an SCP to an OU and detach it, add an OU and move an account
 * into it, and open a share link written in the version 1 shape. `window.__lab` only reads state back.
 */
import { type Page } from '@playwright/test';
import LZString from 'lz-string';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/load';
import type { Scenario } from '../src/scenario/types';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations, screenshot, openLab } from './support';

/** Evaluation runs in a worker on a busy machine: give it room. */
const SLOW = { timeout: 20_000 };
const TEMPLATE_FILE = fileURLToPath(new URL('../scenarios/templates/scp-guardrail.json', import.meta.url));
const UNIT = 'ou-a1b2-workloads';
const MEMBER = '111122223333';

function template(): Scenario {
  const loaded = loadScenario(readFileSync(TEMPLATE_FILE, 'utf8'), 'scp-guardrail.json');
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
  return loaded.scenario;
}

const decision = (page: Page) => page.getByTestId('decision');
const editorPanel = (page: Page) => page.getByTestId('policy-editor');
const tree = (page: Page) => page.getByRole('list', { name: 'Organization tree' });
const state = (page: Page) => page.evaluate(() => window.__lab!.getState());
const settle = (page: Page) => page.evaluate(() => window.__lab!.whenEvaluated());

/** Opens the SCP template the way a learner does: the template picker, then Open template. */
async function openScpTemplate(page: Page): Promise<void> {
  await openLab(page);
  await page.getByLabel('Template', { exact: true }).selectOption('scp-guardrail');
  await page.getByRole('button', { name: 'Open template' }).click();
  await expect.poll(async () => (await state(page)).scenario.title, SLOW).toBe(template().title);
  await expect(tree(page)).toBeVisible();
}

async function selectRequest(page: Page, id: string): Promise<void> {
  await page.locator(`[data-request-id="${id}"]`).click();
  await settle(page);
}

async function useTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

test.describe('the organization panel', () => {
  test('the SCP template shows its tree; typing in ProtectKmsKeys changes the decision', async ({ page }) => {
    await openScpTemplate(page);
    const org = tree(page);
    // The tree as the template configures it: the root, the Workloads OU holding the member account, and the
    // management account directly under the root.
    const root = org.locator(':scope > li');
    await expect(root.locator(':scope > .lab-row-head')).toContainText('Root');
    const workloads = root.getByRole('list', { name: 'In the root' }).locator(':scope > li').first();
    await expect(workloads.locator(':scope > .lab-row-head')).toContainText('Workloads');
    await expect(workloads.getByRole('list', { name: 'In OU Workloads' })).toContainText('Workloads member');
    await expect(org.locator('.lab-org-management')).toHaveCount(1);
    await expect(root.getByRole('list', { name: 'In the root' }).locator(':scope > li').nth(1)).toContainText(
      'management account',
    );
    // At the root: FullAWSAccess (written, AWS managed) and ProtectKmsKeys; the OU keeps the default.
    const rootScps = page.getByRole('group', { name: 'SCPs attached to the root' });
    await expect(
      rootScps.getByRole('button', { name: /^FullAWSAccess, AWS managed SCP attached/ }),
    ).toBeVisible();
    await expect(page.getByRole('group', { name: 'SCPs attached to OU Workloads' })).toContainText(
      'AWS default',
    );
    await expect(page.getByRole('group', { name: 'RCPs attached to the root' })).toContainText(
      /RCPFullAWSAccess\s*always attached/,
    );

    // FullAWSAccess is AWS's: it shows its document, read-only, and has no editor.
    const fullAccess = rootScps.getByRole('button', { name: /^FullAWSAccess/ });
    await fullAccess.click();
    await expect(fullAccess).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByLabel('FullAWSAccess (read-only)')).toContainText('"Action": "*"');
    await fullAccess.click();
    await expect(page.getByLabel('FullAWSAccess (read-only)')).toHaveCount(0);

    await selectRequest(page, 'root-disable-key');
    await expect(decision(page)).toHaveAttribute('data-decision', 'ExplicitDeny', SLOW);

    await rootScps.getByRole('button', { name: /^ProtectKmsKeys, SCP attached to the root/ }).click();
    const panel = editorPanel(page);
    await expect(panel).toHaveAttribute('data-active-editor', 'scp:root#1');
    await expect(panel.locator('.monaco-editor .view-lines')).toContainText('ProtectKmsKeys', SLOW);
    // Turn "kms:DisableKey" into "kms:DisableKeyRotation": the Deny no longer covers DisableKey.
    await panel.locator('.view-line', { hasText: '"kms:DisableKey",' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('Rotation');
    await page.keyboard.press('Escape');
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', SLOW);
    const scps = (await state(page)).scenario.organization?.root?.scps;
    expect(scps?.[0]).toBe('FullAWSAccess');
    expect(scps?.[1]).toMatchObject({
      name: 'ProtectKmsKeys',
      document: {
        Statement: [{ Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKeyRotation', 'kms:PutKeyPolicy'] }],
      },
    });
    // The other guardrailed actions are still denied.
    await selectRequest(page, 'admin-schedule-deletion');
    await expect(decision(page)).toHaveAttribute('data-decision', 'ExplicitDeny', SLOW);
  });

  test('an SCP attached to an OU applies to the accounts in it; an OU is added and an account moved into it', async ({
    page,
  }) => {
    await openScpTemplate(page);
    await selectRequest(page, 'admin-decrypt');
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', SLOW);

    await page.getByRole('button', { name: 'Attach a new SCP to OU Workloads' }).click();
    const ouScps = page.getByRole('group', { name: 'SCPs attached to OU Workloads' });
    // Attaching does not detach FullAWSAccess: it is now written beside the new SCP.
    await expect(
      ouScps.getByRole('button', { name: /^FullAWSAccess, AWS managed SCP attached/ }),
    ).toBeVisible();
    await expect(
      ouScps.getByRole('button', { name: /^NewSCP, SCP attached to OU Workloads/ }),
    ).toHaveAttribute('aria-pressed', 'true');
    const panel = editorPanel(page);
    await expect(panel).toHaveAttribute('data-active-editor', `scp:${UNIT}#1`);
    await expect(panel.locator('.monaco-editor .view-lines')).toContainText('"Allow"', SLOW);
    // The new SCP allows everything; typed into a Deny of everything, it denies the member account's Decrypt.
    await panel.locator('.view-line', { hasText: '"Effect": "Allow"' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 'Allow'.length; i += 1) await page.keyboard.press('Backspace');
    await page.keyboard.type('Deny');
    await page.keyboard.press('Escape');
    await expect(decision(page)).toHaveAttribute('data-decision', 'ExplicitDeny', SLOW);
    expect((await state(page)).scenario.organization?.units?.[UNIT].scps).toEqual([
      'FullAWSAccess',
      {
        name: 'NewSCP',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] },
      },
    ]);

    // Detach both: the last SCP gone, AWS's default FullAWSAccess is back (the list is removed, never empty).
    await ouScps.getByRole('button', { name: 'Detach SCP NewSCP from OU Workloads' }).click();
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', SLOW);
    await ouScps.getByRole('button', { name: 'Detach SCP FullAWSAccess from OU Workloads' }).click();
    await expect(ouScps).toContainText('AWS default');
    await expect(ouScps.getByRole('button', { name: /^Detach/ })).toHaveCount(0);
    expect((await state(page)).scenario.organization?.units?.[UNIT]).toEqual({ name: 'Workloads' });

    // A new OU under Workloads, and the member account moved into it.
    await page.getByLabel('Name of the new OU').fill('Prod');
    await page.getByLabel('Parent of the new OU').selectOption({ label: 'under OU Workloads' });
    await page.getByRole('button', { name: 'Add OU' }).click();
    await expect(page.getByRole('list', { name: 'In OU Workloads' })).toContainText('Prod');
    await page
      .getByLabel(`Place of account Workloads member (${MEMBER})`)
      .selectOption({ label: 'in OU Prod' });
    await expect(page.getByRole('list', { name: 'In OU Prod' })).toContainText('Workloads member');
    const organization = (await state(page)).scenario.organization!;
    expect(organization.units?.['ou-a1b2-prod0001']).toEqual({ name: 'Prod', parent: UNIT });
    expect(organization.accounts?.[MEMBER]).toEqual({ unit: 'ou-a1b2-prod0001' });
    // Workloads holds Prod now, so it cannot be removed; Prod holds the account.
    await expect(page.getByRole('button', { name: 'Remove OU Workloads' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Remove OU Prod' })).toHaveCount(0);
    // The guardrail at the root still applies two levels down.
    await selectRequest(page, 'admin-schedule-deletion');
    await expect(decision(page)).toHaveAttribute('data-decision', 'ExplicitDeny', SLOW);
  });

  test('an RCP pasted from describe-policy output is attached to the OU chosen', async ({ page }) => {
    await openScpTemplate(page);
    await selectRequest(page, 'admin-decrypt');
    await expect(decision(page)).toHaveAttribute('data-decision', 'Allow', SLOW);
    // An RCP on the key's account's OU: only the break-glass role may decrypt its keys.
    const content = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'BreakGlassOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/SecurityBreakGlass' } },
        },
      ],
    };
    const output = {
      Policy: {
        PolicySummary: { Id: 'p-examplercp1', Name: 'BreakGlassDecrypt', Type: 'RESOURCE_CONTROL_POLICY' },
        Content: JSON.stringify(content),
      },
    };
    await page.getByRole('button', { name: 'Paste AWS JSON' }).click();
    await expect(page.getByLabel('JSON copied from AWS')).toBeFocused();
    await page.keyboard.insertText(JSON.stringify(output, null, 2)); // as Ctrl+V pastes
    await page.getByLabel('Put it into').selectOption({ label: 'OU Workloads' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByTestId('lab-notice')).toContainText(
      'Attached the RCP "BreakGlassDecrypt" to OU Workloads',
    );
    await expect(editorPanel(page)).toHaveAttribute('data-active-editor', `rcp:${UNIT}#0`);
    expect((await state(page)).scenario.organization?.units?.[UNIT]).toEqual({
      name: 'Workloads',
      rcps: [{ name: 'BreakGlassDecrypt', document: content }],
    });
    await expect(
      page
        .getByRole('group', { name: 'RCPs attached to OU Workloads' })
        .getByRole('button', { name: /^BreakGlassDecrypt/ }),
    ).toHaveAttribute('aria-pressed', 'true');
    await expect(decision(page)).toHaveAttribute('data-decision', 'ExplicitDeny', SLOW);
  });

  test('a share link in the version 1 shape opens as the tree and gives the same decisions', async ({
    page,
  }) => {
    const current = template();
    const fullAccess = { Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' };
    const protect = (current.organization!.root!.scps![1] as { document: { Statement: object[] } }).document
      .Statement[0];
    // The template as version 1 wrote it: one document per level of the account's path, no tree.
    const v1 = {
      ...current,
      version: 1,
      accounts: { [MEMBER]: { name: 'Workloads member', organizationId: 'o-a1b2c3d4e5' } },
      organization: {
        scps: {
          [MEMBER]: [
            { Version: '2012-10-17', Statement: [fullAccess] },
            { Version: '2012-10-17', Statement: [fullAccess, protect] },
          ],
        },
      },
    };
    await openLab(page, `#scenario=${LZString.compressToEncodedURIComponent(JSON.stringify(v1))}`);
    await expect.poll(async () => (await state(page)).scenario.version, SLOW).toBe(2);
    const opened = (await state(page)).scenario;
    expect(Object.keys(opened.organization?.units ?? {})).toEqual([
      `ou-v1v1-${MEMBER}l0`,
      `ou-v1v1-${MEMBER}l1`,
    ]);
    await expect(tree(page)).toContainText(`${MEMBER} level 2 (version 1)`);
    await expect(
      page.getByRole('button', { name: new RegExp(`^SCP #1, SCP attached to OU ${MEMBER} level 2`) }),
    ).toBeVisible();

    let compared = 0;
    for (const request of current.requests ?? []) {
      await selectRequest(page, request.id);
      await expect(decision(page), request.id).toHaveAttribute('data-decision', request.expect!, SLOW);
      compared += 1;
    }
    expect(compared).toBe(5);
  });

  test('the organization section in both themes, without serious accessibility problems', async ({
    page,
  }) => {
    await openScpTemplate(page);
    const section = page.locator('details.lab-section', {
      has: page.getByRole('list', { name: 'Organization tree' }),
    });
    await page
      .getByRole('group', { name: 'SCPs attached to the root' })
      .getByRole('button', { name: /^FullAWSAccess/ })
      .click();
    // The scenario panel scrolls inside itself; unbounded for the picture, so the whole section is in it.
    await page
      .locator('.lab-scenario')
      .evaluate((panel) => ((panel as HTMLElement).style.maxHeight = 'none'));
    await section.scrollIntoViewIfNeeded();
    await settle(page);
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      await section.screenshot({ path: `test-results/screenshots/lab-organization-${theme}.png` });
    }
    await screenshot(page, 'lab-organization-page');
    await expectNoSeriousA11yViolations(page);
    // Everything in the tree is reachable with Tab, in reading order.
    await page.getByRole('button', { name: /^FullAWSAccess, AWS managed SCP attached to the root/ }).focus();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Detach SCP FullAWSAccess from the root' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(
      page.getByRole('button', { name: /^ProtectKmsKeys, SCP attached to the root/ }),
    ).toBeFocused();
  });

  test('on a 390 px phone the new OU name field keeps room for a name, and adding an OU works', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openScpTemplate(page);
    const name = page.getByLabel('Name of the new OU');
    await name.scrollIntoViewIfNeeded();
    const box = await name.boundingBox();
    // 8rem: room for a dozen characters, whatever the parent select's option labels are.
    expect(box!.width).toBeGreaterThanOrEqual(120);
    await name.click();
    await page.keyboard.type('Sandbox team');
    await expect(name).toHaveValue('Sandbox team');
    await page.getByRole('button', { name: 'Add OU' }).click();
    await expect(tree(page)).toContainText('Sandbox team', SLOW);
    await screenshot(page, 'organization-add-ou-390px');
  });
});
