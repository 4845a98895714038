/**
 * The Envelope area in Chromium, driven by clicks and typing: the step-by-step visualizer and every what-if, the
 * inspector (a pasted message, a malformed one), streaming a 64 MB file through the Worker both ways with progress,
 * cancel; axe in both themes; screenshots at 1280 and 768 px.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createRawAesKeyring, encrypt } from '../src/envelope';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations, gotoArea, screenshot, waitForArea } from './support';

const slow = { timeout: 30_000 };

async function openView(page: Page, name: string) {
  await gotoArea(page, 'envelope');
  await page.getByRole('button', { name, exact: true }).click();
}

/** Playwright takes buffers up to 50 MB; a larger input goes through a file. */
function bigFile(name: string, bytes: Buffer): string {
  const dir = join('test-results', 'envelope-input');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

async function trailEvents(page: Page): Promise<number> {
  return page.evaluate(async () => {
    await window.__kms!.whenSaved();
    return window.__kms!.getState().saved?.trailEvents ?? 0;
  });
}

async function useTheme(page: Page, theme: 'light' | 'dark') {
  await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

async function startWalkthrough(page: Page) {
  await openView(page, 'Step by step');
  const text = page.getByLabel('Text to encrypt');
  await expect(text).toBeVisible(slow);
  await text.fill('');
  await text.click();
  await page.keyboard.type('Launch codes: 0000');
  const context = page.getByLabel('Encryption context (key=value per line)');
  await context.fill('');
  await context.click();
  await page.keyboard.type('project=alpha');
  await page.keyboard.press('Enter');
  await page.keyboard.type('stage=test');
  await page.getByRole('button', { name: 'Encrypt step by step' }).click();
  await expect(page.getByTestId('step-description')).toContainText('KMS allowed it', slow);
}

test.describe('Envelope visualizer', () => {
  test('steps through GenerateDataKey, local encryption, the byte map and back', async ({ page }) => {
    const before = await (async () => {
      await startWalkthrough(page);
      return trailEvents(page);
    })();
    const steps = page.getByRole('navigation', { name: 'Steps' });
    await expect(steps.getByRole('button', { name: /^1\. Ask KMS/ })).toHaveAttribute('aria-current', 'step');
    await expect(page.getByText('"NumberOfBytes": 32')).toBeVisible();
    await expect(page.getByText(/"project": "alpha"/).first()).toBeVisible();

    const next = page.getByRole('button', { name: 'Next', exact: true });
    await next.click();
    await expect(steps.getByRole('button', { name: /^2\./ })).toHaveAttribute('aria-current', 'step');
    await expect(page.getByTestId('step-description')).toContainText('in plaintext, and encrypted');
    await next.click();
    await expect(page.getByTestId('step-description')).toContainText('18 bytes here in the tab');
    await page.getByText('AES-256-GCM step by step').click();
    await expect(page.getByTestId('gcm-tag')).toHaveText(/^[0-9a-f]{32}$/);
    await next.click();
    await expect(page.getByTestId('discarded-key')).toHaveText(/^(0000 ){15}0000$/);
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await expect(page.getByTestId('step-description')).toContainText('here in the tab');
    await next.click();
    await next.click();
    await expect(page.getByTestId('step-description')).toContainText('The stored message');
    // The byte map: regions are buttons; choose the signature with the keyboard.
    const footer = page.getByRole('button', { name: /^Signature/ });
    await footer.focus();
    await page.keyboard.press('Enter');
    await expect(footer).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('byte-map-detail')).toContainText(
      'ECDSA signature over the header and body',
    );
    await page.getByRole('button', { name: /^Encrypted data key 1/ }).click();
    await expect(page.getByTestId('byte-map-detail')).toContainText('aws-kms');
    await next.click();
    await expect(page.getByTestId('step-description')).toContainText(
      'KMS decrypted the encrypted data key',
      slow,
    );
    await next.click();
    await expect(page.getByTestId('decrypted-text')).toHaveText('Launch codes: 0000');
    await expect(next).toBeDisabled();
    // GenerateDataKey and Decrypt went through the tab's KMS: both are in its trail.
    expect(await trailEvents(page)).toBe(before + 1);
  });

  test('a principal KMS refuses stops the walkthrough at the request', async ({ page }) => {
    await openView(page, 'Step by step');
    // The Acting-as bar the KMS areas share.
    await page.getByTestId('acting-as').selectOption('arn:aws:sts::111122223333:assumed-role/App/lab');
    await page.getByRole('button', { name: 'Encrypt step by step' }).click();
    await expect(page.getByTestId('step-description')).toContainText('refused (AccessDeniedException)', slow);
    await expect(page.getByTestId('kms-refused')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeDisabled();
    // The Lab explains the refusal from the call's CloudTrail record.
    await page.getByRole('button', { name: 'Open this decision in the Lab' }).click();
    await waitForArea(page, 'lab');
    await expect(page.getByTestId('decision')).toHaveAttribute('data-decision', 'ImplicitDeny', slow);
  });

  test('every what-if, one click each', async ({ page }) => {
    test.setTimeout(90_000);
    await startWalkthrough(page);
    const outcomes = page.getByTestId('what-if-outcomes');
    const expected: [string, RegExp][] = [
      ['Wrong encryption context', /did not open\. KMS refused .*InvalidCiphertextException/],
      ['Key disabled', /did not open\. Refused: .*DisabledException/],
      ['Key pending deletion', /did not open\. Refused: .*KMSInvalidStateException/],
      ['Key rotated', /opened\. The old message still opens: .*the material it was made with.*a newer one/],
      ['Principal without kms:Decrypt', /NoDecryptPermission: Refused: .*AccessDeniedException/],
      ['One byte flipped', /did not open\. Byte \d+ changed .*at byte \d+: .*No plaintext was released/],
      [
        'Second key in another account',
        /opened\. One message, two encrypted data keys .*444455556666.*opened it with the second one/,
      ],
    ];
    for (const [label, outcome] of expected) {
      await page.getByRole('button', { name: label, exact: true }).click();
      await expect(outcomes.locator('li').first()).toContainText(label, slow);
      await expect(outcomes.locator('li').first()).toHaveText(outcome);
    }
    await expect(outcomes.locator('li')).toHaveCount(expected.length);
  });
});

async function sampleMessage(): Promise<Uint8Array> {
  const keyring = createRawAesKeyring({
    keyNamespace: 'e2e',
    keyName: 'sample',
    wrappingKey: new Uint8Array(32).fill(9),
  });
  const { message } = await encrypt(new TextEncoder().encode('x'.repeat(5000)), {
    keyring,
    encryptionContext: { tenant: 'zürich' },
    frameLength: 1024,
  });
  return message;
}

test.describe('Envelope inspector', () => {
  test('a pasted base64 message, then a malformed hex one', async ({ page }) => {
    const message = await sampleMessage();
    await openView(page, 'Inspect a message');
    const paste = page.getByLabel('Paste a message (base64 or hex)');
    await paste.fill(Buffer.from(message).toString('base64'));
    await page.getByRole('button', { name: 'Inspect', exact: true }).click();
    const summary = page.getByTestId('message-summary');
    await expect(summary).toContainText('0x0578 ALG_AES256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384');
    await expect(summary).toContainText('zürich');
    await expect(summary).toContainText('raw AES key sample');
    await expect(summary).toContainText('1024 bytes');
    await expect(summary.getByText(/^5 \(5000 plaintext bytes/)).toBeVisible();
    await expect(page.getByText('Read the pasted text as base64.')).toBeVisible();

    // One byte of the suite ID changed: the error names byte 1; the text stays as pasted.
    const hex = Buffer.from(message).toString('hex');
    const broken = hex.slice(0, 2) + 'ffff' + hex.slice(6);
    await paste.fill(broken);
    await page.getByRole('button', { name: 'Inspect', exact: true }).click();
    await expect(page.getByTestId('inspect-error')).toHaveText(/at byte 1: unknown algorithm suite 0xffff/);
    await expect(paste).toHaveValue(broken);

    // A binary file cut short: the error names where the message ends.
    await page.getByTestId('inspect-file').setInputFiles({
      name: 'cut.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(message.subarray(0, 400)),
    });
    await expect(page.getByTestId('inspect-error')).toHaveText(
      /cut\.bin does not parse: at byte 400: the message ends/,
    );
  });
});

test.describe('Envelope streaming', () => {
  test('64 MB through the Worker: encrypt, then decrypt, with progress', async ({ page }) => {
    test.setTimeout(240_000);
    const input = randomBytes(64 * 1024 * 1024);
    const digest = createHash('sha256').update(input).digest('hex');
    await openView(page, 'Stream a file');
    await page.getByTestId('stream-file').setInputFiles(bigFile('big.bin', input));
    await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
    await expect(page.getByRole('progressbar', { name: 'Encryption progress' })).toBeVisible();
    await expect(page.getByTestId('stream-result')).toContainText('Encrypted 67.1 MB', { timeout: 120_000 });
    await page.getByRole('button', { name: 'Decrypt this message' }).click();
    await expect(page.getByRole('progressbar', { name: 'Decryption progress' })).toBeVisible();
    await expect(page.getByTestId('stream-result')).toContainText('Decrypted 67.', { timeout: 120_000 });
    const link = page.getByTestId('stream-download');
    await expect(link).toHaveText('Download big.bin.decrypted');
    const href = await link.getAttribute('href');
    const got = await page.evaluate(async (url) => {
      const bytes = await (await fetch(url!)).arrayBuffer();
      const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
    }, href);
    expect(got).toBe(digest);
  });

  test('cancel stops a running encryption and keeps nothing', async ({ page }) => {
    test.setTimeout(120_000);
    await openView(page, 'Stream a file');
    await page
      .getByTestId('stream-file')
      .setInputFiles(bigFile('sevens.bin', Buffer.alloc(64 * 1024 * 1024, 7)));
    await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
    await expect(page.getByTestId('stream-progress')).not.toHaveText(/^0\.0 MB/, slow);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('stream-error')).toHaveText('Cancelled: nothing was kept.', slow);
    await expect(page.getByTestId('stream-download')).toHaveCount(0);
  });

  test('a tampered message decrypts to an error and no download', async ({ page }) => {
    await openView(page, 'Stream a file');
    await page
      .getByTestId('stream-file')
      .setInputFiles({ name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.alloc(20_000, 65) });
    await page.getByRole('button', { name: 'Encrypt', exact: true }).click();
    await expect(page.getByTestId('stream-result')).toContainText('Encrypted', slow);
    const href = await page.getByTestId('stream-download').getAttribute('href');
    const message = Buffer.from(
      await page.evaluate(
        async (url) => Array.from(new Uint8Array(await (await fetch(url!)).arrayBuffer())),
        href,
      ),
    );
    message[message.length - 200] ^= 1;
    await page
      .getByTestId('stream-file')
      .setInputFiles({ name: 'a.txt.encrypted', mimeType: 'application/octet-stream', buffer: message });
    await page.getByRole('button', { name: 'Decrypt', exact: true }).click();
    await expect(page.getByTestId('stream-error')).toHaveText(
      /Decryption failed: at byte \d+: .*No plaintext was released\./,
      slow,
    );
    await expect(page.getByTestId('stream-download')).toHaveCount(0);
  });
});

test.describe('Envelope look and accessibility', () => {
  for (const theme of ['light', 'dark'] as const)
    test(`axe and screenshots, ${theme}`, async ({ page }) => {
      test.setTimeout(90_000);
      await startWalkthrough(page);
      await useTheme(page, theme);
      for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Next', exact: true }).click();
      await page.getByRole('button', { name: 'Key rotated', exact: true }).click();
      await expect(page.getByTestId('what-if-outcomes').locator('li')).toHaveCount(1, slow);
      await expectNoSeriousA11yViolations(page);
      await screenshot(page, `envelope-visualizer-${theme}-1280`);
      await page.setViewportSize({ width: 768, height: 1024 });
      await screenshot(page, `envelope-visualizer-${theme}-768`);
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.getByRole('button', { name: 'Inspect a message', exact: true }).click();
      await page
        .getByLabel('Paste a message (base64 or hex)')
        .fill(Buffer.from(await sampleMessage()).toString('hex'));
      await page.getByRole('button', { name: 'Inspect', exact: true }).click();
      await expect(page.getByTestId('message-summary')).toBeVisible();
      await expectNoSeriousA11yViolations(page);
      await screenshot(page, `envelope-inspector-${theme}-1280`);
      await page.setViewportSize({ width: 768, height: 1024 });
      await screenshot(page, `envelope-inspector-${theme}-768`);
      await page.getByRole('button', { name: 'Stream a file', exact: true }).click();
      await expectNoSeriousA11yViolations(page);
    });
});
