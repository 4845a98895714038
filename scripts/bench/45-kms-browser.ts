/**
 * The simulated KMS in Chromium (issue 9, "report it in Chromium"): Encrypt+Decrypt round trips per second of a
 * 64-byte secret through the tab's KMS (`window.__kms`: validation, engine authorization, CloudTrail, the HSM on
 * WebCrypto, and the IndexedDB saves that follow calls), beside bare WebCrypto AES-256-GCM encrypt+decrypt in the
 * same page; the Node figure is `55-kms-core.ts`'s. A fresh browser context, so IndexedDB starts empty.
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../find-chromium.mjs';
import { servePreview, stopPreview } from './lib/preview';

const SECONDS = 3;
const TARGET_PER_SECOND = 10_000; // the Node target, for the ratio

/** Runs in the page (a string: tsx's helpers do not exist there). */
const MEASURE = `async (seconds) => {
  const root = 'arn:aws:iam::111122223333:root';
  const plaintext = new TextEncoder().encode('a 64-byte secret of the kind an application keeps in KMS, padded');
  const context = { tenant: 'acme', purpose: 'bench' };
  const kms = window.__kms;
  async function rate(roundTrip) {
    for (let i = 0; i < 50; i++) await roundTrip(); // warm up
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) { await roundTrip(); count++; }
    return count / ((performance.now() - started) / 1000);
  }
  const kmsRate = await rate(async () => {
    const { CiphertextBlob } = await kms.call('Encrypt', { KeyId: 'alias/app', Plaintext: plaintext, EncryptionContext: context }, root);
    await kms.call('Decrypt', { CiphertextBlob, EncryptionContext: context }, root);
  });
  await kms.whenSaved();
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const aad = new Uint8Array(73);
  const bareRate = await rate(async () => {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, plaintext);
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, sealed);
  });
  return { kmsRate, bareRate, trail: kms.getState().saved };
}`;

const { executablePath, port, server } = await servePreview();
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/#/keys`);
  await page.waitForFunction(() => window.__kms !== undefined, undefined, { timeout: 60_000 });
  const { kmsRate, bareRate, trail } = (await page.evaluate(`(${MEASURE})(${SECONDS})`)) as {
    kmsRate: number;
    bareRate: number;
    trail: { trailEvents: number } | null;
  };
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    `Encrypt+Decrypt round trips in Chromium through the tab's KMS: ${fmt(kmsRate)}/s (${(kmsRate / TARGET_PER_SECOND).toFixed(2)}× the Node target of ${fmt(TARGET_PER_SECOND)}/s; ${trail?.trailEvents ?? '?'} trail events saved)`,
  );
  console.log(
    `bare WebCrypto AES-256-GCM encrypt+decrypt in the same page: ${fmt(bareRate)}/s (the KMS reaches ${(kmsRate / bareRate).toFixed(2)} of it)`,
  );
} finally {
  await browser.close();
  stopPreview(server);
}
