/**
 * The Audit area (issue 11): the simulated KMS's CloudTrail event history, filtered to answer "who used key X
 * between T1 and T2", an event's JSON, export as CloudTrail JSON and CSV and re-import, replay after a policy
 * change with a click through to the Lab, the trail kept across a reload, and axe in both themes.
 * `window.__kms` / `window.__lab` only set up the calls and the policy change; the rest is clicks and typing.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations, gotoArea, screenshot } from './support';

const ACCOUNT = '111122223333';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const APP = `arn:aws:sts::${ACCOUNT}:assumed-role/App/lab`;
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`;
const SLOW = { timeout: 30_000 };

async function openAudit(page: Page) {
  await gotoArea(page, 'audit');
  await page.waitForFunction(() => window.__kms !== undefined && window.__audit !== undefined, null, SLOW);
}

/** Four calls: root encrypts; two hours later the App session decrypts and is refused Encrypt; a day later root decrypts. */
async function makeCalls(page: Page) {
  await page.evaluate(
    async ({ ROOT, APP }) => {
      const kms = window.__kms!;
      const plain = new TextEncoder().encode('audit me');
      const { CiphertextBlob } = (await kms.call(
        'Encrypt',
        { KeyId: 'alias/app', Plaintext: plain },
        ROOT,
      )) as {
        CiphertextBlob: Uint8Array;
      };
      await kms.advance({ hours: 2 });
      await kms.call('Decrypt', { CiphertextBlob }, APP);
      await kms.call('Encrypt', { KeyId: 'alias/app', Plaintext: plain }, APP).catch(() => undefined);
      await kms.advance({ days: 1 });
      await kms.call('Decrypt', { CiphertextBlob }, ROOT);
      await kms.whenSaved();
    },
    { ROOT, APP },
  );
}

const minute = (iso: string, addMinutes = 0) =>
  new Date(Date.parse(iso) + addMinutes * 60_000).toISOString().slice(0, 16);

async function useTheme(page: Page, theme: 'light' | 'dark') {
  await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

test.describe('Audit', () => {
  test('answers who used a key between two times, shows JSON, exports, re-imports, replays, keeps the trail', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await openAudit(page);
    await makeCalls(page);
    const count = page.getByTestId('audit-count');
    await expect(count).toHaveText('4 of 4 events', SLOW);
    const table = page.getByRole('grid', { name: 'Events of this lab’s trail' });
    await expect(table).toHaveAttribute('aria-rowcount', '5');
    const firstTime = (await table.getByRole('row').nth(1).getByRole('gridcell').first().textContent())!;

    // Who used the key between T0+1h and T0+3h: the App session only (root's calls are outside).
    await page.getByRole('tab', { name: 'Who used a key' }).click();
    await page.getByLabel('Key', { exact: true }).selectOption(KEY_ID);
    await page.getByLabel('From (UTC)').fill(minute(firstTime, 60));
    await page.getByLabel('To (UTC)').fill(minute(firstTime, 180));
    await page.getByRole('button', { name: 'Find the users' }).click();
    const who = page.getByTestId('who-used');
    await expect(who).toContainText(`1 user used ${KEY_ID}`, SLOW);
    await expect(who.getByRole('rowheader')).toHaveText(['lab']);
    await expect(who.getByRole('row').nth(1)).toContainText('Decrypt, Encrypt');
    await screenshot(page, 'audit-who-used');

    // The same range in the event history; the keyboard moves through the rows and shows each event's JSON.
    await who.getByRole('button', { name: 'Show these events' }).click();
    await expect(count).toHaveText('2 of 4 events', SLOW);
    await table.focus();
    await page.keyboard.press('ArrowDown');
    const detail = page.getByTestId('audit-detail');
    await expect(detail.getByRole('heading')).toContainText('Decrypt at');
    await page.keyboard.press('ArrowDown');
    await expect(detail.getByRole('heading')).toContainText('Encrypt at');
    await expect(detail.getByLabel('Event record JSON')).toContainText('"errorCode": "AccessDenied"');
    await expect(table.getByRole('row', { selected: true })).toHaveCount(1);

    // Filter by typing: only errors, then by user.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(count).toHaveText('4 of 4 events', SLOW);
    await page.getByLabel('Error').selectOption('Only errors');
    await expect(count).toHaveText('1 of 4 events', SLOW);
    await page.getByLabel('Error').selectOption('Any outcome');
    await page.getByLabel('User name').pressSequentially('root');
    await expect(count).toHaveText('2 of 4 events', SLOW);
    await table.getByRole('row').nth(1).click();
    await expect(detail.getByLabel('Event record JSON')).toContainText(`"arn": "${ROOT}"`);

    // Export the filtered events as CloudTrail JSON and CSV.
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    expect(json.suggestedFilename()).toBe('lab-trail-filtered.json');
    const exported = JSON.parse(readFileSync((await json.path())!, 'utf8')) as {
      Records: { userIdentity: { arn: string } }[];
    };
    expect(exported.Records.map((r) => r.userIdentity.arn)).toEqual([ROOT, ROOT]);
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe('lab-trail-filtered.csv');
    const lines = readFileSync((await csv.path())!, 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Event time,Event name,User name,Resource,Source IP address,Error code,Event ID');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 4))).toEqual([
      ['Encrypt', 'root', KEY_ID],
      ['Decrypt', 'root', KEY_ID],
    ]);

    // Re-import the exported JSON: a trail of its own, beside the lab's.
    await page.getByTestId('audit-file').setInputFiles((await json.path())!);
    await expect(page.getByRole('radio', { name: /^Imported: .*\(2 events\)/ })).toBeChecked(SLOW);
    await expect(count).toHaveText('2 of 2 events', SLOW);
    await page.getByRole('radio', { name: /This lab’s trail \(4 events\)/ }).check();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(count).toHaveText('4 of 4 events', SLOW);

    // Denied calls, and why.
    await page.getByRole('tab', { name: 'Denied calls' }).click();
    await expect(page.getByTestId('denied-count')).toHaveText('1 call was denied.', SLOW);
    await expect(page.getByTestId('denied-list')).toContainText('Encrypt by lab');

    // A policy change in the Lab (set up through its hook): the key policy now denies the App role Decrypt.
    await page.goto('./#/lab');
    await page.waitForFunction(() => window.__lab !== undefined, null, SLOW);
    await page.evaluate(
      ({ KEY_ARN, ACCOUNT }) => {
        window.__lab!.setPolicyText(
          `key:${KEY_ARN}`,
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'Enable IAM',
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                Action: 'kms:*',
                Resource: '*',
              },
              {
                Sid: 'NoAppDecrypt',
                Effect: 'Deny',
                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/App` },
                Action: 'kms:Decrypt',
                Resource: '*',
              },
            ],
          }),
        );
      },
      { KEY_ARN, ACCOUNT },
    );
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('tab', { name: 'Replay' }).click();
    await page.getByRole('button', { name: 'Replay the trail' }).click();
    const summary = page.getByTestId('replay-summary');
    await expect(summary).toContainText('1 decision would change', SLOW);
    const changes = page.getByTestId('replay-changes');
    await expect(changes.getByRole('listitem')).toHaveCount(1);
    await expect(changes).toContainText('kms:Decrypt');
    await expect(changes).toContainText('would now be denied');
    await screenshot(page, 'audit-replay');
    await changes.getByRole('button', { name: /^Explain in Lab: Decrypt/ }).click();
    await expect(page.locator('#area-title')).toHaveText('Lab', SLOW);
    await expect(page.getByTestId('decision')).toHaveAttribute('data-decision', 'ExplicitDeny', SLOW);

    // A reload keeps the lab's trail.
    await page.goto('./#/audit');
    await page.reload();
    await page.waitForFunction(() => window.__audit !== undefined, null, SLOW);
    await expect(page.getByTestId('audit-count')).toHaveText('4 of 4 events', SLOW);
  });

  test('a link opens Audit filtered to one key; a file that is not a trail is refused with a reason', async ({
    page,
  }) => {
    await openAudit(page);
    await page.evaluate(async (ROOT) => {
      const kms = window.__kms!;
      await kms.call('Encrypt', { KeyId: 'alias/app', Plaintext: new Uint8Array([1]) }, ROOT);
      await kms.call('CreateKey', { Description: 'other' }, ROOT);
      await kms.whenSaved();
    }, ROOT);
    await expect(page.getByTestId('audit-count')).toHaveText('2 of 2 events', SLOW);
    await page.goto(`./#/audit?key=${KEY_ID}`);
    await expect(page.getByLabel('Key', { exact: true })).toHaveValue(KEY_ID);
    await expect(page.getByTestId('audit-count')).toHaveText('1 of 2 events', SLOW);

    // The tabs follow the arrow keys; a range that ends before it starts is named, and not asked.
    await page.getByRole('tab', { name: 'Event history' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Who used a key' })).toBeFocused();
    await expect(page.getByRole('tab', { name: 'Who used a key' })).toHaveAttribute('aria-selected', 'true');
    await page.getByLabel('From (UTC)').fill('2026-03-01T15:00');
    await page.getByLabel('To (UTC)').fill('2026-03-01T14:00');
    await expect(page.getByLabel('To (UTC)')).toHaveAccessibleDescription('The range ends before it starts.');
    await expect(page.getByRole('button', { name: 'Find the users' })).toBeDisabled();
    await page.getByRole('tab', { name: 'Who used a key' }).focus();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('tab', { name: 'Event history' })).toHaveAttribute('aria-selected', 'true');

    // A gzipped CloudTrail file dropped on the area, as lookup-events output.
    const lookup = {
      Events: [
        {
          EventName: 'Decrypt',
          CloudTrailEvent: JSON.stringify({
            eventVersion: '1.11',
            eventTime: '2025-06-01T15:00:00Z',
            eventSource: 'kms.amazonaws.com',
            eventName: 'Decrypt',
            userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/dana`, userName: 'dana' },
            sourceIPAddress: '203.0.113.9',
            resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY_ARN }],
            eventID: 'dropped-1',
          }),
        },
      ],
    };
    const gz = [...gzipSync(JSON.stringify(lookup))];
    const transfer = await page.evaluateHandle((bytes) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], 'lookup.json.gz', { type: 'application/gzip' }));
      return data;
    }, gz);
    await page.getByTestId('audit-area').dispatchEvent('dragover', { dataTransfer: transfer });
    await page.getByTestId('audit-area').dispatchEvent('drop', { dataTransfer: transfer });
    await expect(page.getByRole('radio', { name: 'Imported: lookup.json.gz (1 event)' })).toBeChecked(SLOW);
    await expect(page.getByRole('grid').getByRole('row').nth(1)).toContainText('dana');

    await page.getByTestId('audit-file').setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"Records": [ {"eventName": ]}'),
    });
    await expect(page.getByRole('alert')).toContainText(
      'The file was not imported: notes.json: line 1',
      SLOW,
    );
  });

  test('looks right and passes axe in both themes, at 1280 and 768 px', async ({ page }) => {
    test.setTimeout(120_000);
    await openAudit(page);
    await makeCalls(page);
    await expect(page.getByTestId('audit-count')).toHaveText('4 of 4 events', SLOW);
    await page.getByRole('grid').getByRole('row').nth(3).click();
    for (const theme of ['light', 'dark'] as const) {
      await useTheme(page, theme);
      for (const width of [1280, 768]) {
        await page.setViewportSize({ width, height: 720 });
        await page.getByRole('tab', { name: 'Event history' }).click();
        await screenshot(page, `audit-history-${theme}-${width}`);
        await expectNoSeriousA11yViolations(page);
        await page.getByRole('tab', { name: 'Denied calls' }).click();
        await expect(page.getByTestId('denied-count')).toHaveText('1 call was denied.', SLOW);
        await screenshot(page, `audit-denied-${theme}-${width}`);
        await expectNoSeriousA11yViolations(page);
      }
    }
  });
});
