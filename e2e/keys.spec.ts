/**
 * The Keys area (issue 11), driven by clicks and typing: a key's life on the lab clock (rotation every 90 days, a
 * year later the rotations and an old ciphertext that reports its older key material), deletion with its
 * countdown and cancel, a denial as an unauthorized principal explained in the Lab, and a reload that keeps it all.
 * `window.__kms` is only read.
 */
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations, gotoArea, screenshot, waitForArea } from './support';

const SLOW = { timeout: 30_000 };
const ROOT = 'arn:aws:iam::111122223333:root';
const APP_SESSION = 'arn:aws:sts::111122223333:assumed-role/App/lab';

async function openKeys(page: Page) {
  await gotoArea(page, 'keys');
  await expect(page.getByTestId('kms-status')).toBeVisible(SLOW);
  await expect(page.getByTestId('acting-as')).toBeVisible(SLOW);
}

async function createKey(page: Page, description: string, alias: string): Promise<string> {
  await page.getByLabel('Description').click();
  await page.keyboard.type(description);
  await page.getByLabel('Alias (optional)').click();
  await page.keyboard.type(alias);
  await page.getByRole('button', { name: 'Create key' }).click();
  const keyPage = page.getByTestId('key-page');
  await expect(keyPage).toBeVisible(SLOW);
  return (await keyPage.getAttribute('data-key-id'))!;
}

async function typeInto(page: Page, label: string, text: string) {
  const field = page.getByLabel(label);
  await field.click();
  await field.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

test.describe('the Keys area', () => {
  test('rotation on the lab clock, deletion countdown, a denial explained in the Lab, kept across a reload', async ({
    page,
  }) => {
    test.setTimeout(180_000);
    await openKeys(page);
    await page.getByTestId('acting-as').selectOption(ROOT);
    const keyId = await createKey(page, 'rotated by the clock', 'alias/e2e-rotation');
    await expect(page.getByRole('heading', { level: 2, name: /alias\/e2e-rotation/ })).toBeVisible();

    // Try it: an Encrypt before the clock moves.
    await page.getByRole('button', { name: 'Call Encrypt' }).click();
    await expect(page.getByTestId('try-response')).toContainText('CiphertextBlob', SLOW);
    await expect(page.getByTestId('cli-line')).toContainText('aws kms encrypt --endpoint-url');
    await expect(page.getByTestId('cli-line')).toContainText('--plaintext fileb://plaintext.bin');
    const original = await page.locator('.keys-facts dd code').nth(1).textContent();

    // Rotation every 90 days, then a year on the clock.
    await typeInto(page, 'Rotation period (days, 90–2560)', '90');
    await page.getByRole('button', { name: 'Enable automatic rotation' }).click();
    await expect(page.getByTestId('rotation-status')).toContainText('every 90 days', SLOW);
    await page.getByRole('button', { name: 'List key rotations' }).click();
    await expect(page.getByTestId('rotation-history').locator('tbody tr')).toHaveCount(1, SLOW);
    await page.getByRole('button', { name: '+1 year' }).click();
    const news = page.getByTestId('clock-news');
    await expect(news).toContainText('alias/e2e-rotation', SLOW);
    await expect(news).toContainText('rotated 4 times'); // days 90, 180, 270, 360
    await expect(page.getByTestId('rotation-history').locator('tbody tr')).toHaveCount(5, SLOW);
    await expect(page.getByTestId('rotation-history')).toContainText('AUTOMATIC');

    // The old ciphertext decrypts and names the older key material.
    await page.getByLabel('Operation').selectOption('Decrypt');
    await page.getByRole('button', { name: 'Call Decrypt' }).click();
    await expect(page.getByTestId('decrypt-result')).toContainText('hello from the lab', SLOW);
    await expect(page.getByTestId('decrypt-material')).toHaveText(original!);
    const current = await page.locator('.keys-facts dd code').nth(1).textContent();
    expect(current).not.toBe(original);
    await screenshot(page, 'keys-page-rotated-light-1280');

    // ReEncrypt names its destinations by alias.
    await page.getByLabel('Operation').selectOption('ReEncrypt');
    await page
      .getByLabel('Destination key')
      .selectOption({ label: 'alias/app · 1234abcd-12ab-34cd-56ef-1234567890ab' });
    await page.getByRole('button', { name: 'Call ReEncrypt' }).click();
    await expect(page.getByTestId('try-response')).toContainText(
      '"KeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
      SLOW,
    );
    await page.getByLabel('Operation').selectOption('Encrypt');

    // Deletion: a 7-day window counted down on the lab clock, then cancelled.
    await typeInto(page, 'Waiting period (days, 7–30)', '7');
    await page.getByRole('button', { name: 'Schedule deletion' }).click();
    await expect(page.getByTestId('key-state')).toHaveText('PendingDeletion', SLOW);
    await expect(page.getByTestId('deletion-countdown')).toContainText('7 days 0 hours left');
    await page.getByRole('button', { name: '+1 day' }).click();
    await expect(page.getByTestId('deletion-countdown')).toContainText('6 days 0 hours left', SLOW);
    await page.getByRole('button', { name: 'Cancel deletion' }).click();
    await expect(page.getByTestId('key-state')).toHaveText('Disabled', SLOW);
    await expect(page.getByTestId('deletion-countdown')).toHaveCount(0);

    // Reload: the key, its state, the clock and the acting-as choice stay.
    await page.getByTestId('acting-as').selectOption(APP_SESSION);
    const clock = await page.getByTestId('lab-clock').textContent();
    await page.evaluate(() => window.__kms!.whenSaved());
    await page.reload();
    await waitForArea(page, 'keys');
    await expect(page.getByTestId('key-state')).toHaveText('Disabled', SLOW);
    await expect(page.getByTestId('lab-clock')).toHaveText(clock!);
    await expect(page.getByTestId('acting-as')).toHaveValue(APP_SESSION);
    await expect(page.getByTestId('rotation-status')).toContainText('every 90 days');

    // As the App role's session, enabling the key is denied; the Lab explains that exact request.
    await page.getByRole('button', { name: 'Enable key' }).click();
    const error = page.getByTestId('kms-error');
    await expect(error).toHaveAttribute('data-error', 'AccessDeniedException', SLOW);
    await expect(error).toContainText(`AccessDeniedException: User: ${APP_SESSION} is not authorized`);
    await expect(error).toContainText(
      `kms:EnableKey on resource: arn:aws:kms:us-east-1:111122223333:key/${keyId}`,
    );
    await screenshot(page, 'keys-page-denied-light-1280');
    await error.getByRole('button', { name: 'Explain in Lab' }).click();
    await waitForArea(page, 'lab');
    await expect(page.getByTestId('decision')).toContainText(/ImplicitDeny|ExplicitDeny/, SLOW);
    await expect(page.getByTestId('flowchart')).toBeVisible(SLOW);
    const request = await page.evaluate(() => {
      const state = window.__lab!.getState();
      return state.scenario.requests?.find((r) => r.id === state.selectedRequestId);
    });
    expect(request).toMatchObject({ principal: APP_SESSION, action: 'kms:EnableKey' });
    await screenshot(page, 'keys-explained-in-lab-light-1280');
  });

  test('keys of every kind; the key list; a malformed policy is refused as AWS words it', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await openKeys(page);
    await page.getByTestId('acting-as').selectOption(ROOT);
    // A taken alias: the key is made, the page stays with AWS's refusal and a link to the new key.
    await page.getByLabel('Description').click();
    await page.keyboard.type('alias taken');
    await page.getByLabel('Alias (optional)').click();
    await page.keyboard.type('alias/app');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect(page.getByTestId('kms-error')).toHaveAttribute('data-error', 'AlreadyExistsException', SLOW);
    await expect(page.getByTestId('kms-error')).toContainText('alias/app already exists');
    await page.getByTestId('created-without-alias').getByRole('link').click();
    await expect(page.getByTestId('key-page')).toContainText('alias taken', SLOW);
    await page.getByRole('link', { name: '← All keys' }).click();
    await expect(page.getByLabel('Alias (optional)')).toHaveValue('');

    await page.getByLabel('Key spec').selectOption('HMAC_256');
    await createKey(page, 'mac key', 'alias/e2e-mac');
    await page.getByRole('button', { name: 'Call GenerateMac' }).click();
    await expect(page.getByTestId('try-response')).toContainText('"MacAlgorithm": "HMAC_SHA_256"', SLOW);
    await page.getByLabel('Operation').selectOption('VerifyMac');
    await page.getByRole('button', { name: 'Call VerifyMac' }).click();
    await expect(page.getByTestId('try-response')).toContainText('"MacValid": true', SLOW);

    // The key policy is edited in the lab's Monaco editor: the checker's findings show as the text is typed.
    const editor = page.getByTestId('key-policy-editor');
    await expect(editor.locator('.monaco-editor .view-lines')).toBeVisible(SLOW);
    await editor.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('not a policy');
    await expect(page.getByTestId('key-policy-findings')).toContainText('Error', SLOW);
    await expect(editor.locator('.squiggly-error').first()).toBeAttached(SLOW);
    await page.getByRole('button', { name: 'Apply (PutKeyPolicy)' }).click();
    await expect(page.getByTestId('kms-error')).toHaveAttribute(
      'data-error',
      'MalformedPolicyDocumentException',
      SLOW,
    );
    await expect(editor.locator('.view-lines')).toHaveText('not a policy'); // what was typed stays
    await page.getByRole('button', { name: 'Discard my edits' }).click();
    await expect(editor.locator('.view-lines')).toContainText('"Version": "2012-10-17"', SLOW);
    await expect(page.getByTestId('key-policy-findings')).toHaveCount(0);

    await page.getByRole('link', { name: '← All keys' }).click();
    await page.getByLabel('Key spec').selectOption('ECC_NIST_P256');
    await createKey(page, 'signing key', 'alias/e2e-sign');
    await page.getByRole('button', { name: 'Call Sign' }).click();
    await expect(page.getByTestId('try-response')).toContainText('ECDSA_SHA_256', SLOW);
    await page.getByLabel('Operation').selectOption('Verify');
    await page.getByRole('button', { name: 'Call Verify' }).click();
    await expect(page.getByTestId('try-response')).toContainText('"SignatureValid": true', SLOW);

    await page.getByRole('link', { name: '← All keys' }).click();
    await page.getByLabel('Origin').selectOption('EXTERNAL');
    await createKey(page, 'imported', 'alias/e2e-imported');
    await expect(page.getByTestId('key-state')).toHaveText('PendingImport');
    await page.getByRole('button', { name: 'Wrap random material and import it' }).click();
    await expect(page.getByTestId('key-state')).toHaveText('Enabled', SLOW);

    await page.getByRole('link', { name: '← All keys' }).click();
    const list = page.getByTestId('key-list');
    await expect(list).toContainText('alias/e2e-mac');
    await expect(list.locator('tr', { hasText: 'alias/e2e-sign' })).toContainText('ECC_NIST_P256');
    await expect(list.locator('tr', { hasText: 'alias/e2e-imported' })).toContainText('EXTERNAL');
  });

  test('a policy edited in the Lab applies to the key; services through a VPC endpoint; reset to scenario', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await openKeys(page);
    await page.getByTestId('acting-as').selectOption(APP_SESSION);
    await page.getByRole('link', { name: /1234abcd/ }).click();
    await page.getByRole('button', { name: 'Call Encrypt' }).click();
    await expect(page.getByTestId('kms-error')).toHaveAttribute('data-error', 'AccessDeniedException', SLOW);

    await page.getByRole('button', { name: 'Open in Lab editor' }).click();
    await waitForArea(page, 'lab');
    const keyArn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    await expect
      .poll(() => page.evaluate(() => window.__lab?.getState().activeEditor), SLOW)
      .toBe(`key:${keyArn}`);
    // The edit in the Lab's editor is set up through the hook (typing in Monaco is e2e/lab-typing's subject);
    // applying it to the key is the interaction under test.
    await page.evaluate(
      ({ keyArn, session }) => {
        const policy = {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Admin',
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::111122223333:root' },
              Action: 'kms:*',
              Resource: '*',
            },
            {
              Sid: 'AppEncrypts',
              Effect: 'Allow',
              Principal: { AWS: session },
              Action: 'kms:Encrypt',
              Resource: '*',
            },
          ],
        };
        window.__lab!.setPolicyText(`key:${keyArn}`, JSON.stringify(policy, null, 2));
      },
      { keyArn, session: APP_SESSION },
    );
    await page.getByRole('link', { name: 'Keys', exact: true }).click();
    await page.getByRole('link', { name: /1234abcd/ }).click();
    await page.getByTestId('acting-as').selectOption(ROOT);
    await page.getByRole('button', { name: 'Apply the Lab’s version' }).click();
    await expect(page.getByText('The key policy was applied.')).toBeVisible(SLOW);
    await expect(page.getByTestId('key-policy-editor').locator('.view-lines')).toContainText(
      '"Sid": "Admin"',
      SLOW,
    );
    await page.getByTestId('acting-as').selectOption(APP_SESSION);
    await page.getByRole('button', { name: 'Call Encrypt' }).click();
    await expect(page.getByTestId('try-response')).toContainText('CiphertextBlob', SLOW);

    // A grant with a constraint and a retiring principal, its token, then revoked.
    await page.getByTestId('acting-as').selectOption(ROOT);
    await typeInto(page, 'Grantee principal', APP_SESSION);
    await typeInto(page, 'Retiring principal (optional)', ROOT);
    await page.getByLabel('GenerateDataKey', { exact: true }).check();
    await page.getByLabel('Constraint').selectOption('EncryptionContextSubset');
    await typeInto(page, 'Constraint context (JSON)', '{"purpose": ');
    await page.getByRole('button', { name: 'Create grant' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Constraint context:' })).toBeVisible();
    await expect(page.getByTestId('grant-token')).toHaveCount(0);
    await typeInto(page, 'Constraint context (JSON)', '{"purpose": "demo"}');
    await page.getByRole('button', { name: 'Create grant' }).click();
    await expect(page.getByTestId('grant-token')).not.toBeEmpty(SLOW);
    await expect(page.getByRole('alert').filter({ hasText: 'Constraint context:' })).toHaveCount(0);
    const grantToken = (await page.getByTestId('grant-token').textContent())!;
    const grant = page.getByTestId('grant-list').locator('tbody tr');
    await expect(grant).toHaveCount(1);
    await expect(grant).toContainText('Decrypt, GenerateDataKey');
    await expect(grant).toContainText('EncryptionContextSubset');

    // Before the grant propagates it works only with its token: the App session is denied without it, and
    // Try it's "Grant token" field makes the same call work (also on the CLI line).
    const tryIt = page.locator('section[aria-labelledby="try-title"]');
    await page.getByTestId('acting-as').selectOption(APP_SESSION);
    await page.getByLabel('Operation').selectOption('GenerateDataKey');
    await page.getByRole('button', { name: 'Call GenerateDataKey' }).click();
    await expect(tryIt.getByTestId('kms-error')).toHaveAttribute('data-error', 'AccessDeniedException', SLOW);
    await page.getByLabel('Grant token (optional)').click();
    await page.keyboard.type(grantToken);
    await page.getByRole('button', { name: 'Call GenerateDataKey' }).click();
    await expect(page.getByTestId('try-response')).toContainText('"Plaintext"', SLOW);
    await expect(tryIt.getByTestId('kms-error')).toHaveCount(0);
    await expect(page.getByTestId('cli-line')).toContainText(`aws kms generate-data-key`);
    await expect(page.getByTestId('cli-line')).toContainText(`--grant-tokens ${grantToken}`);

    // Try it's fields are kept for the key across a reload.
    await page.reload();
    await expect(page.getByTestId('key-page')).toBeVisible(SLOW);
    await expect(page.getByLabel('Operation')).toHaveValue('GenerateDataKey');
    await expect(page.getByLabel('Grant token (optional)')).toHaveValue(grantToken);
    await expect(page.getByLabel('Encryption context (JSON)')).toHaveValue('{"purpose": "demo"}');
    await page.getByTestId('acting-as').selectOption(ROOT);
    await grant.getByRole('button', { name: 'Revoke' }).click();
    await expect(page.getByText('No grants on this key.')).toBeVisible(SLOW);

    await page.getByRole('link', { name: '← All keys' }).click();
    await page.getByTestId('acting-as').selectOption(ROOT);
    await page.getByLabel('Through a VPC endpoint (aws:SourceVpce) instead of the internet').check();
    await page.getByRole('button', { name: 'Create secret' }).click();
    await page.getByRole('button', { name: 'Get secret value' }).click();
    await expect(page.locator('.keys-service-out').first()).toContainText('"SecretString": "hunter2"', SLOW);
    await page.getByRole('button', { name: 'Put object' }).click();
    await page.getByRole('button', { name: 'Get object' }).click();
    await expect(page.locator('.keys-service-out').nth(1)).toContainText('north,42', SLOW);
    await expect(page.getByTestId('key-list')).toContainText('alias/aws/secretsmanager');

    // The AWS managed key's page says its state and its yearly rotation (it has no sections to change them),
    // and the account's root cannot use it directly: its policy allows use only through the service.
    await page
      .getByTestId('key-list')
      .locator('tr', { hasText: 'alias/aws/secretsmanager' })
      .getByRole('link')
      .click();
    const facts = page.locator('.keys-facts');
    await expect(facts).toContainText('AWS managed (read-only)', SLOW);
    await expect(facts.locator('div', { hasText: 'Key state' })).toContainText('Enabled');
    await expect(facts.locator('div', { hasText: 'Automatic rotation' })).toContainText(
      'every 365 days, by AWS',
    );
    await expect(page.getByRole('button', { name: 'Schedule deletion' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Call Encrypt' }).click();
    await expect(page.getByTestId('kms-error')).toHaveAttribute('data-error', 'AccessDeniedException', SLOW);
    await page.getByRole('link', { name: '← All keys' }).click();

    // The clock to a date: never back, with a clear message; forward, with what fell due announced.
    await page.getByLabel('to date').fill('2001-01-01');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'only moves forward' })).toBeVisible();
    await page.getByLabel('to date').fill('2040-06-01');
    await page.getByRole('button', { name: 'Go', exact: true }).click();
    await expect(page.getByTestId('lab-clock')).toHaveText('2040-06-01 00:00:00 UTC', SLOW);
    await expect(page.getByTestId('clock-news')).toContainText('alias/aws/secretsmanager', SLOW); // its yearly rotations

    await page.getByRole('button', { name: 'Reset to scenario…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset the simulated KMS?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Keep my work' }).click();
    await expect(page.getByTestId('key-list')).toContainText('alias/aws/secretsmanager');
    await page.getByRole('button', { name: 'Reset to scenario…' }).click();
    await dialog.getByRole('button', { name: 'Reset', exact: true }).click();
    await expect(page.getByText('The simulated KMS was reset to its scenario.')).toBeVisible(SLOW);
    await expect(page.getByTestId('key-list')).not.toContainText('alias/aws/secretsmanager', SLOW);
    await expect(page.getByTestId('key-list').locator('tbody tr')).toHaveCount(1);
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`screenshots at 1280 and 768 px and an axe scan in the ${theme} theme`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.emulateMedia({ colorScheme: theme });
      await openKeys(page);
      await page.getByTestId('acting-as').selectOption(ROOT);
      await page.getByRole('button', { name: 'Create secret' }).click();
      await expect(page.locator('.keys-service-out')).toContainText('ARN', SLOW);
      await screenshot(page, `keys-list-${theme}-1280`);
      await expectNoSeriousA11yViolations(page);
      await page.getByRole('link', { name: /1234abcd/ }).click();
      await expect(page.getByTestId('key-page')).toBeVisible(SLOW);
      await page.getByRole('button', { name: 'Call Encrypt' }).click();
      await expect(page.getByTestId('try-response')).toBeVisible(SLOW);
      await screenshot(page, `keys-page-${theme}-1280`);
      await expectNoSeriousA11yViolations(page);
      await page.setViewportSize({ width: 768, height: 1024 });
      await screenshot(page, `keys-page-${theme}-768`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await page.getByRole('link', { name: '← All keys' }).click();
      await screenshot(page, `keys-list-${theme}-768`);
      await expectNoSeriousA11yViolations(page);
    });
  }
});
