/**
 * The browser's simulated KMS: one `Kms` for the tab, kept across reloads (issue 9, "the browser keeps it across
 * reloads in IndexedDB, CryptoKey objects included"). What is kept is the KMS snapshot (state, trail, and the key
 * material sealed by the HSM) beside the HSM's domain key, a non-extractable WebCrypto key that IndexedDB stores
 * as a CryptoKey: the saved bytes alone open nothing.
 *
 * Every call and every move of the clock schedules a save; saves run one at a time, the latest state last. A saved
 * state that does not open (another format, a newer version, a different domain key, damage) is set aside under
 * its own name, never overwritten, and the session starts from the scenario with a notice.
 */
import { credentialsFor } from '../kms/credentials';
import { createHsm } from '../kms/crypto/hsm';
import { createKms, type Kms, type KmsSnapshot } from '../kms/kms';
import type { KmsApi } from '../kms/api';
import { createS3, type S3, type S3Snapshot } from '../kms/services/s3';
import {
  createSecretsManager,
  type SecretsManager,
  type SecretsManagerSnapshot,
} from '../kms/services/secrets-manager';
import type { Scenario } from '../scenario/types';

export const SAVED_KMS_FORMAT = 'kms-policy-lab.kms';
export const SAVED_KMS_VERSION = 1;

export interface SavedKms {
  format: typeof SAVED_KMS_FORMAT;
  version: typeof SAVED_KMS_VERSION;
  savedAt: string;
  /** The scenario the KMS was built from: "reset to scenario" and a fresh start use it. */
  scenario: Scenario;
  /** AES-GCM, not extractable: the HSM seals the key material under it. */
  domainKey: CryptoKey;
  snapshot: KmsSnapshot;
  /** The simulated services' stores (absent in states saved before they were kept: then they start empty). */
  services?: { secretsManager: SecretsManagerSnapshot; s3: S3Snapshot };
}

/** The simulated services over the session's KMS (src/kms/services); their KMS calls are in its trail. */
export interface SessionServices {
  secretsManager: SecretsManager;
  s3: S3;
}

/** Where the session keeps its state (IndexedDB in the browser, `kms-idb.ts`; a map in tests). */
export interface SavedKmsStore {
  load(): Promise<unknown>;
  save(saved: SavedKms): Promise<void>;
  /** Keeps `value` under a name of its own (never overwritten) and returns that name. */
  setAside(value: unknown): Promise<string>;
  clear(): Promise<void>;
}

export type SessionOrigin =
  | { kind: 'new' }
  | { kind: 'restored'; savedAt: string }
  | { kind: 'set-aside'; reason: string; keptAs: string }
  /** The store could not be read at all (storage disabled): a new KMS, saved when the store allows. */
  | { kind: 'unreadable'; reason: string };

export interface KmsSession extends KmsApi {
  readonly kms: Kms;
  readonly services: SessionServices;
  readonly scenario: Scenario;
  readonly origin: SessionOrigin;
  /** `call` is `kms.call`, then a save; `credentials` sign as each principal (the HTTP handler's). */
  /** Moves the lab clock (rotations, deletions, expiries happen), then a save. */
  advance(by: Parameters<Kms['clock']['advance']>[0]): Promise<void>;
  /** Schedules a save after a change made on `kms` directly (the simulated services call it). */
  changed(): void;
  /** Moves the lab clock to a date (never back), then a save. */
  advanceTo(date: Date): Promise<void>;
  /** Resolves when every change so far is saved; rejects with the last save's error. */
  whenSaved(): Promise<void>;
}

function newDomainKey(): Promise<CryptoKey> {
  return globalThis.crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
  ]) as Promise<CryptoKey>;
}

const servicesOf = (kms: Kms): SessionServices => ({
  secretsManager: createSecretsManager(kms),
  s3: createS3(kms),
});

/** Why a saved value is not a state this version opens, or undefined when it is. */
function problemOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'it is not a saved KMS';
  const saved = value as Partial<SavedKms>;
  if (saved.format !== SAVED_KMS_FORMAT) return 'it is not a saved KMS';
  if (saved.version !== SAVED_KMS_VERSION)
    return `it was saved by another version of the lab (format version ${String(saved.version)})`;
  if (!(saved.domainKey instanceof CryptoKey)) return 'its domain key is missing';
  if (typeof saved.snapshot !== 'object' || saved.snapshot === null) return 'its KMS snapshot is missing';
  if (typeof saved.scenario !== 'object' || saved.scenario === null) return 'its scenario is missing';
  return undefined;
}

/**
 * Opens the tab's KMS: the saved one when there is one that opens, else a new one built from `scenario`.
 * `fresh: true` (reset to scenario) starts over from `scenario` and replaces what was saved.
 */
export async function openKmsSession(
  store: SavedKmsStore,
  scenario: Scenario,
  options: {
    fresh?: boolean;
    now?: () => Date;
    /** A save the store refused (storage full, private mode): the UI says so; the KMS keeps working. */
    onSaveError?: (error: unknown) => void;
    /** The state the store now holds: the one opened, then each one saved (the UI shows what the tab keeps). */
    onStored?: (saved: SavedKms) => void;
  } = {},
): Promise<KmsSession> {
  const now = options.now ?? (() => new Date());
  let origin: SessionOrigin = { kind: 'new' };
  let opened: { kms: Kms; scenario: Scenario; domainKey: CryptoKey; services: SessionServices } | undefined;

  let saved: unknown;
  if (!options.fresh) {
    try {
      saved = await store.load();
    } catch (error) {
      origin = { kind: 'unreadable', reason: `The saved KMS could not be read: ${String(error)}.` };
    }
  }
  if (saved !== undefined) {
    let problem = problemOf(saved);
    if (!problem) {
      const { domainKey, snapshot, scenario: savedScenario, savedAt } = saved as SavedKms;
      const kms = createKms({ scenario: savedScenario, hsm: createHsm({ domainKey }), credentialsFor });
      try {
        await kms.ready;
        await kms.restore(snapshot);
        const services = servicesOf(kms);
        const kept = (saved as SavedKms).services;
        if (kept) {
          services.secretsManager.restore(kept.secretsManager);
          services.s3.restore(kept.s3);
        }
        opened = { kms, scenario: savedScenario, domainKey, services };
        origin = { kind: 'restored', savedAt };
        options.onStored?.(saved as SavedKms);
      } catch (error) {
        problem = `it does not open (${(error as Error).message})`;
      }
    }
    if (problem) {
      const keptAs = await store.setAside(saved);
      origin = { kind: 'set-aside', reason: `The saved KMS was set aside: ${problem}.`, keptAs };
    }
  }
  if (!opened) {
    const domainKey = await newDomainKey();
    const kms = createKms({ scenario, hsm: createHsm({ domainKey }), credentialsFor });
    await kms.ready;
    opened = { kms, scenario, domainKey, services: servicesOf(kms) };
  }

  const { kms, domainKey, services } = opened;
  const sessionScenario = opened.scenario;
  // One save at a time; a change during a save asks for one more, so the last state is the one kept.
  let saving: Promise<void> = Promise.resolve();
  let queued = false;
  let lastSaveError: unknown;
  const scheduleSave = (): void => {
    if (queued) return;
    queued = true;
    saving = saving.then(async () => {
      queued = false;
      try {
        const saved: SavedKms = {
          format: SAVED_KMS_FORMAT,
          version: SAVED_KMS_VERSION,
          savedAt: now().toISOString(),
          scenario: sessionScenario,
          domainKey,
          snapshot: await kms.snapshot(),
          services: { secretsManager: services.secretsManager.snapshot(), s3: services.s3.snapshot() },
        };
        await store.save(saved);
        lastSaveError = undefined;
        options.onStored?.(saved);
      } catch (error) {
        lastSaveError = error;
        options.onSaveError?.(error);
      }
    });
  };
  // A new or reset session is saved at once, so a reload finds it.
  if (origin.kind !== 'restored') scheduleSave();

  return {
    kms,
    services,
    scenario: sessionScenario,
    origin,
    async call(operation, request, caller) {
      try {
        return await kms.call(operation, request, caller);
      } finally {
        scheduleSave(); // a failed call leaves a trail record too
      }
    },
    async advance(by) {
      await kms.clock.advance(by);
      scheduleSave();
    },
    changed: scheduleSave,
    async advanceTo(date) {
      await kms.clock.advanceTo(date);
      scheduleSave();
    },
    accountId: kms.accountId,
    region: kms.region,
    credentials: () => kms.credentials(),
    whenSaved: () =>
      saving.then(() => {
        if (lastSaveError !== undefined) throw lastSaveError;
      }),
  };
}
