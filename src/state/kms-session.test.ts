/**
 * The browser's KMS across reloads (issue 9): a session saves after every call, a new session opens what was
 * saved (keys, trail, clock, and key material that still decrypts), and a saved state that does not open is set
 * aside, never lost, with the KMS starting over from the scenario. The store is an in-memory stand-in for
 * IndexedDB that clones values as IndexedDB does (structuredClone keeps the CryptoKey as itself).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, LAB_ADMIN } from '../kms/kms';
import { openKmsSession, SAVED_KMS_FORMAT, type SavedKms, type SavedKmsStore } from './kms-session';

const admin = { principalArn: LAB_ADMIN };

function memoryStore() {
  const data = new Map<string, unknown>();
  let failSaves = false;
  const store: SavedKmsStore & { data: Map<string, unknown>; failSaves(on: boolean): void } = {
    data,
    failSaves: (on) => void (failSaves = on),
    load: async () => structuredClone(data.get('current')),
    async save(saved) {
      if (failSaves) throw new Error('QuotaExceededError');
      data.set('current', structuredClone(saved));
    },
    async setAside(value) {
      const keptAs = `set-aside.${data.size}`;
      data.set(keptAs, structuredClone(value));
      return keptAs;
    },
    clear: async () => void data.delete('current'),
  };
  return store;
}

const encoder = new TextEncoder();

describe('the browser KMS session', () => {
  it('saves after each call, and a new session opens it: keys, trail, clock and decryptable ciphertext', async () => {
    const store = memoryStore();
    const first = await openKmsSession(store, DEFAULT_SCENARIO);
    expect(first.origin).toEqual({ kind: 'new' });
    const { KeyMetadata } = (await first.call('CreateKey', { Description: 'kept' }, admin)) as {
      KeyMetadata: { KeyId: string };
    };
    const { CiphertextBlob } = (await first.call(
      'Encrypt',
      { KeyId: KeyMetadata.KeyId, Plaintext: encoder.encode('across reloads') },
      admin,
    )) as { CiphertextBlob: Uint8Array };
    await first.advance({ days: 3 });
    await first.whenSaved();
    const saved = store.data.get('current') as SavedKms;
    expect(saved.format).toBe(SAVED_KMS_FORMAT);
    expect(saved.domainKey).toBeInstanceOf(CryptoKey);
    expect(saved.domainKey.extractable).toBe(false);

    const second = await openKmsSession(store, DEFAULT_SCENARIO);
    expect(second.origin).toMatchObject({ kind: 'restored', savedAt: saved.savedAt });
    expect(second.kms.clock.now().getTime()).toBe(first.kms.clock.now().getTime());
    expect(second.kms.trail.records.map((r) => r.eventName)).toEqual(['CreateKey', 'Encrypt']);
    const opened = (await second.call('Decrypt', { CiphertextBlob }, admin)) as { Plaintext: Uint8Array };
    expect(new TextDecoder().decode(opened.Plaintext)).toBe('across reloads');
  });

  it('keeps the simulated services: a secret and an object stored before a reload read back after it', async () => {
    const store = memoryStore();
    const everything = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    };
    const scenario = { ...DEFAULT_SCENARIO, principals: { [LAB_ADMIN]: { policies: [everything] } } };
    const first = await openKmsSession(store, scenario);
    await first.services.secretsManager.createSecret({ Name: 'app/db', SecretString: 'hunter2' }, admin);
    await first.services.s3.createBucket({ Bucket: 'reports' }, admin);
    await first.services.s3.putObject(
      { Bucket: 'reports', Key: 'q1.csv', Body: encoder.encode('a,b') },
      admin,
    );
    first.changed();
    await first.whenSaved();

    const second = await openKmsSession(store, scenario);
    expect(second.origin.kind).toBe('restored');
    const secret = await second.services.secretsManager.getSecretValue({ SecretId: 'app/db' }, admin);
    expect(secret.SecretString).toBe('hunter2');
    const object = await second.services.s3.getObject({ Bucket: 'reports', Key: 'q1.csv' }, admin);
    expect(new TextDecoder().decode(object.Body)).toBe('a,b');
    // A state saved before the services were kept opens with them empty.
    const older = { ...(store.data.get('current') as SavedKms), services: undefined };
    store.data.set('current', older);
    const third = await openKmsSession(store, scenario);
    expect(third.origin.kind).toBe('restored');
    await expect(
      third.services.secretsManager.getSecretValue({ SecretId: 'app/db' }, admin),
    ).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
  });

  it('keeps the last state when calls come faster than saves', async () => {
    const store = memoryStore();
    const session = await openKmsSession(store, DEFAULT_SCENARIO);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => session.call('CreateKey', { Description: `k${i}` }, admin)),
    );
    await session.whenSaved();
    const reopened = await openKmsSession(store, DEFAULT_SCENARIO);
    const { Keys } = (await reopened.call('ListKeys', {}, admin)) as { Keys: unknown[] };
    expect(Keys).toHaveLength(8);
  });

  it.each([
    ['not a saved KMS', { hello: 'world' }, /not a saved KMS/],
    [
      'a newer version',
      { format: SAVED_KMS_FORMAT, version: 99 },
      /another version of the lab \(format version 99\)/,
    ],
  ])('sets aside %s and starts from the scenario, with the reason', async (_, value, reason) => {
    const store = memoryStore();
    store.data.set('current', value);
    const session = await openKmsSession(store, DEFAULT_SCENARIO);
    expect(session.origin).toMatchObject({ kind: 'set-aside', reason: expect.stringMatching(reason) });
    const keptAs = (session.origin as { keptAs: string }).keptAs;
    expect(store.data.get(keptAs)).toEqual(value);
    await session.whenSaved();
    expect((store.data.get('current') as SavedKms).format).toBe(SAVED_KMS_FORMAT);
  });

  it('sets aside a state sealed under another domain key (it cannot open)', async () => {
    const store = memoryStore();
    const first = await openKmsSession(store, DEFAULT_SCENARIO);
    await first.call('CreateKey', {}, admin);
    await first.whenSaved();
    const other = memoryStore();
    const foreign = await openKmsSession(other, DEFAULT_SCENARIO);
    await foreign.whenSaved();
    store.data.set('current', {
      ...(store.data.get('current') as SavedKms),
      domainKey: (other.data.get('current') as SavedKms).domainKey,
    });
    const session = await openKmsSession(store, DEFAULT_SCENARIO);
    expect(session.origin).toMatchObject({
      kind: 'set-aside',
      reason: expect.stringMatching(/does not open/),
    });
    const { Keys } = (await session.call('ListKeys', {}, admin)) as { Keys: unknown[] };
    expect(Keys).toEqual([]);
  });

  it('starts over from the scenario when asked (reset), replacing what was saved', async () => {
    const store = memoryStore();
    const first = await openKmsSession(store, DEFAULT_SCENARIO);
    await first.call('CreateKey', {}, admin);
    await first.whenSaved();
    const reset = await openKmsSession(store, DEFAULT_SCENARIO, { fresh: true });
    await reset.whenSaved();
    const reopened = await openKmsSession(store, DEFAULT_SCENARIO);
    const { Keys } = (await reopened.call('ListKeys', {}, admin)) as { Keys: unknown[] };
    expect(Keys).toEqual([]);
  });

  it('reports a refused save and keeps working; the next save that succeeds clears it', async () => {
    const store = memoryStore();
    const errors: unknown[] = [];
    const session = await openKmsSession(store, DEFAULT_SCENARIO, { onSaveError: (e) => errors.push(e) });
    await session.whenSaved();
    store.failSaves(true);
    await session.call('CreateKey', {}, admin);
    await expect(session.whenSaved()).rejects.toThrow('QuotaExceededError');
    expect(errors).toHaveLength(1);
    store.failSaves(false);
    await session.call('CreateKey', {}, admin);
    await expect(session.whenSaved()).resolves.toBeUndefined();
  });

  it('opens a new KMS when the store cannot be read at all', async () => {
    const store = memoryStore();
    store.load = async () => {
      throw new Error('SecurityError: storage is disabled');
    };
    const session = await openKmsSession(store, DEFAULT_SCENARIO);
    expect(session.origin).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/disabled/) });
  });
});
