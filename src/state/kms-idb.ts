/**
 * The browser's store for the simulated KMS (`kms-session.ts`): one IndexedDB database, one object store, the
 * current state under `current` and each state set aside under `set-aside.<time>`. IndexedDB rather than
 * localStorage because it keeps a CryptoKey as itself (structured clone), so the domain key never has to be
 * extractable, and because a trail outgrows localStorage's few megabytes.
 */
import type { SavedKms, SavedKmsStore } from './kms-session';

export const KMS_DATABASE = 'kms-policy-lab';
const OBJECTS = 'kms';
const CURRENT = 'current';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function openDatabase(name: string): Promise<IDBDatabase> {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(OBJECTS);
  return request(open);
}

export function indexedDbKmsStore(name = KMS_DATABASE): SavedKmsStore {
  let database: Promise<IDBDatabase> | undefined;
  const objects = async (mode: IDBTransactionMode) => {
    database ??= openDatabase(name);
    return (await database).transaction(OBJECTS, mode).objectStore(OBJECTS);
  };
  return {
    load: async () => request((await objects('readonly')).get(CURRENT)),
    save: async (saved: SavedKms) => void (await request((await objects('readwrite')).put(saved, CURRENT))),
    async setAside(value) {
      const keptAs = `set-aside.${new Date().toISOString()}`;
      await request((await objects('readwrite')).add(value, keptAs));
      return keptAs;
    },
    clear: async () => void (await request((await objects('readwrite')).delete(CURRENT))),
  };
}
