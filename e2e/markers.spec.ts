/**
 * One problem, one marker (issue 8). The lab reports unknown names itself, located and with "did you mean";
 * Monaco's JSON schema check must not add its own "Property … is not allowed" on the same name. Each test types
 * the mistake, then walks every marker of the editor with F8 (next problem) as a person would, reading the
 * marker widget. `window.__lab` only loads the scenario.
 */
import { type Locator, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { Scenario } from '../src/scenario/types';
import { openLabOn, screenshot } from './support';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/App`;
const KEY_POLICY_ID = `key:${KEY}`;
const SLOW = { timeout: 20_000 };

const SCENARIO = {
  version: 2,
  title: 'E2E: markers',
  principals: { [ROLE]: { policies: [] } },
  keys: {
    [KEY]: {
      policy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*' }],
      },
    },
  },
  requests: [{ id: 'app-decrypt', principal: ROLE, action: 'kms:Decrypt', keyId: KEY }],
} as Scenario;

/** Every marker message of the focused editor, in F8 order (stops when the first comes round again). */
async function markerMessages(page: Page): Promise<string[]> {
  const widget = page.locator('.marker-widget');
  const seen: string[] = [];
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < 12; i += 1) {
    await page.keyboard.press('F8');
    await expect(widget).toBeVisible(SLOW);
    const message = (await widget.locator('.descriptioncontainer').innerText()).trim();
    if (seen.includes(message)) break;
    seen.push(message);
  }
  await page.keyboard.press('Escape');
  return seen;
}

/** Types `text` on a new line after the first line showing `after`. */
async function typeAfter(panel: Locator, page: Page, after: string, text: string): Promise<void> {
  await panel.locator('.view-line', { hasText: after }).first().click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape');
}

test.describe('markers', () => {
  test('an unknown scenario field typed into the scenario editor gets one marker: the lab\'s, with "did you mean"', async ({
    page,
  }) => {
    const panel = await openLabOn(page, SCENARIO);
    await page.locator('.lab-editor-tab', { hasText: 'Scenario JSON' }).click();
    await expect(panel).toHaveAttribute('data-active-editor', 'scenario');
    await typeAfter(panel, page, '"title": "E2E: markers"', '"titel": "Payroll",');
    await expect
      .poll(() => page.evaluate(() => JSON.stringify(window.__lab!.getState().scenario)), SLOW)
      .toContain('"titel"');
    await expect
      .poll(async () => (await markerMessages(page)).some((m) => m.includes('titel')), SLOW)
      .toBe(true);

    const messages = await markerMessages(page);
    const aboutTitel = messages.filter((m) => m.includes('titel'));
    expect(aboutTitel, messages.join('\n')).toHaveLength(1);
    expect(aboutTitel[0]).toContain('Did you mean "title"?');
    expect(
      messages.filter((m) => /is not allowed/.test(m)),
      messages.join('\n'),
    ).toEqual([]);

    // A value of the wrong type: one marker, the lab's.
    await typeAfter(panel, page, '"titel": "Payroll",', '"description": 7,');
    await expect
      .poll(async () => (await markerMessages(page)).filter((m) => /description/.test(m)), SLOW)
      .toHaveLength(1);
    await screenshot(page, 'markers-unknown-scenario-field');
  });

  test('a misspelt element and a value of the wrong type in a key policy get one marker each; broken JSON is still marked', async ({
    page,
  }) => {
    const panel = await openLabOn(page, SCENARIO);
    await expect(panel).toHaveAttribute('data-active-editor', KEY_POLICY_ID);
    await typeAfter(panel, page, '"Effect": "Allow"', '"Condtion": {},');
    await expect
      .poll(() => page.evaluate((id) => window.__lab!.getState().texts[id] ?? '', KEY_POLICY_ID), SLOW)
      .toContain('"Condtion"');
    await expect
      .poll(async () => (await markerMessages(page)).some((m) => m.includes('Condtion')), SLOW)
      .toBe(true);

    let messages = await markerMessages(page);
    const aboutCondtion = messages.filter((m) => m.includes('Condtion'));
    expect(aboutCondtion, messages.join('\n')).toHaveLength(1);
    expect(aboutCondtion[0]).toContain('Did you mean "Condition"?');
    expect(
      messages.filter((m) => /is not allowed/.test(m)),
      messages.join('\n'),
    ).toEqual([]);

    // A value of the wrong type: one marker too, the lab's.
    await typeAfter(panel, page, '"Condtion": {}', '"Sid": 7,');
    await expect
      .poll(async () => (await markerMessages(page)).some((m) => m.includes('Sid must be a string')), SLOW)
      .toBe(true);
    messages = await markerMessages(page);
    expect(
      messages.filter((m) => m.includes('Condtion')),
      messages.join('\n'),
    ).toHaveLength(1);
    expect(
      messages.filter((m) => /Incorrect type/.test(m)),
      messages.join('\n'),
    ).toEqual([]);

    // Broken JSON is still marked, by Monaco's parser.
    await typeAfter(panel, page, '"Sid": 7', '"Dangling"');
    await expect
      .poll(async () => (await markerMessages(page)).some((m) => /expected|Colon/i.test(m)), SLOW)
      .toBe(true);
    await screenshot(page, 'markers-misspelt-element');
  });
});
