/**
 * The real @aws-sdk/client-kms in Chromium against the tab's simulated KMS, through its `requestHandler` (issue 9,
 * "Proof with real clients"; lab-design §4): responses, Date timestamps, Uint8Array blobs and the SDK's own error
 * classes come out right. The SDK is bundled for the page here (Vite, library mode) rather than shipped in the app.
 */
import { build, type Rolldown } from 'vite';
import { expect, test } from './fixtures';
import { gotoArea } from './support';

const ACCOUNT = '111122223333';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const APP_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/App/lab`;
const APP_KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${APP_KEY_ID}`;

test('the real AWS SDK in the page calls the tab’s KMS through its requestHandler', async ({ page }) => {
  test.setTimeout(120_000);
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: 'e2e/browser-sdk/entry.ts', formats: ['iife'], name: 'sdkCheck' },
    },
  })) as Rolldown.RolldownOutput[];
  const chunk = output[0].output[0];
  await gotoArea(page, 'keys');
  await page.waitForFunction(() => window.__kms !== undefined, undefined, { timeout: 30_000 });
  await page.addScriptTag({ content: chunk.type === 'chunk' ? chunk.code : '' });

  const result = await page.evaluate(([root, app, keyId]) => window.__sdkCheck!(root, app, keyId), [
    ROOT,
    APP_SESSION,
    APP_KEY_ID,
  ] as const);
  expect(result).toMatchObject({
    blobIsBytes: true,
    plaintext: 'through the SDK',
    keyIdOfDecrypt: KEY_ARN,
    creationDateIsDate: true,
    keyState: 'Enabled',
  });
  // KMS's model has no AccessDeniedException shape, so the SDK raises its service exception under that name.
  expect(result.denied).toMatchObject({
    name: 'AccessDeniedException',
    isServiceException: true,
    status: 400,
  });
  expect(result.denied!.message).toContain(`User: ${APP_SESSION} is not authorized to perform: kms:Encrypt`);
  expect(result.disabled).toMatchObject({ name: 'DisabledException', isDisabledException: true });
  expect(result.disabled!.message).toBe(`${KEY_ARN} is disabled.`);
});
