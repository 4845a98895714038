/**
 * The simulated KMS in the browser keeps its state across reloads (issue 9): keys, the trail, and key material
 * (CryptoKeys in IndexedDB) that still decrypts what was encrypted before the reload. A saved state that does not
 * open is set aside with a notice, never a blank page. `window.__kms` sets up the calls and reads results; the
 * interaction under test is the reload.
 */
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { gotoArea, screenshot } from './support';

const ROOT = 'arn:aws:iam::111122223333:root';
/** The Lab's starter key (alias/app); key-management operations take no alias (API RotateKeyOnDemand). */
const APP_KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const SLOW = { timeout: 30_000 };

async function kmsReady(page: Page) {
  await gotoArea(page, 'keys');
  const status = page.getByTestId('kms-status');
  await expect(status).toBeVisible(SLOW);
  await page.waitForFunction(() => window.__kms !== undefined);
  return status;
}

test.describe('the simulated KMS across reloads', () => {
  test('keys, trail and key material survive a reload; an old ciphertext still decrypts', async ({
    page,
  }) => {
    const status = await kmsReady(page);
    await expect(status).toHaveAttribute('data-origin', 'new');

    const made = await page.evaluate(
      async ({ root, APP_KEY }) => {
        const kms = window.__kms!;
        const created = (await kms.call('CreateKey', { Description: 'kept across reloads' }, root)) as {
          KeyMetadata: { KeyId: string };
        };
        const encrypted = (await kms.call(
          'Encrypt',
          { KeyId: 'alias/app', Plaintext: new TextEncoder().encode('before the reload') },
          root,
        )) as { CiphertextBlob: Uint8Array };
        await kms.call('RotateKeyOnDemand', { KeyId: APP_KEY }, root);
        await kms.whenSaved();
        return {
          keyId: created.KeyMetadata.KeyId,
          blob: btoa(String.fromCharCode(...encrypted.CiphertextBlob)),
        };
      },
      { root: ROOT, APP_KEY },
    );
    await expect(status).toContainText('2 keys, 3 CloudTrail events', SLOW);

    await page.reload();
    await expect(page.getByTestId('kms-status')).toHaveAttribute('data-origin', 'restored', SLOW);
    await expect(page.getByTestId('kms-status')).toContainText('Restored from this browser');
    await expect(page.getByTestId('kms-status')).toContainText('2 keys, 3 CloudTrail events');
    await page.waitForFunction(() => window.__kms !== undefined);

    const after = await page.evaluate(
      async ({ root, keyId, blob, APP_KEY }) => {
        const kms = window.__kms!;
        const CiphertextBlob = Uint8Array.from(atob(blob), (c) => c.charCodeAt(0));
        const opened = (await kms.call('Decrypt', { CiphertextBlob }, root)) as { Plaintext: Uint8Array };
        const described = (await kms.call('DescribeKey', { KeyId: keyId }, root)) as {
          KeyMetadata: { Description: string };
        };
        const rotations = (await kms.call('ListKeyRotations', { KeyId: APP_KEY }, root)) as {
          Rotations: unknown[];
        };
        return {
          plaintext: new TextDecoder().decode(opened.Plaintext),
          description: described.KeyMetadata.Description,
          rotations: rotations.Rotations.length,
        };
      },
      { root: ROOT, APP_KEY, ...made },
    );
    expect(after).toEqual({
      plaintext: 'before the reload',
      description: 'kept across reloads',
      rotations: 1,
    });
    await screenshot(page, 'kms-restored-after-reload');
  });

  test('a saved state that does not open is set aside with a notice, and the KMS starts from the scenario', async ({
    page,
  }) => {
    await kmsReady(page);
    await page.evaluate(() => window.__kms!.whenSaved());
    // Set-up: damage what IndexedDB holds.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('kms-policy-lab', 1);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const put = open.result
              .transaction('kms', 'readwrite')
              .objectStore('kms')
              .put({ format: 'kms-policy-lab.kms', version: 99 }, 'current');
            put.onsuccess = () => resolve();
            put.onerror = () => reject(put.error);
          };
        }),
    );
    await page.reload();
    const status = page.getByTestId('kms-status');
    await expect(status).toHaveAttribute('data-origin', 'set-aside', SLOW);
    await expect(status.getByRole('alert')).toContainText(
      'The saved KMS was set aside: it was saved by another version of the lab (format version 99).',
    );
    await expect(status.getByRole('alert')).toContainText('set-aside.');
    await expect(status).toContainText('1 key', SLOW);
    await screenshot(page, 'kms-set-aside');
  });
});
