/**
 * Try it's fields, kept per key across reloads in one small versioned localStorage record. The record is checked
 * on read: a field of the wrong type is dropped (the panel shows its default), a record of another version or
 * that is not JSON is ignored, so a damaged record never breaks the key page.
 */

const STORAGE_KEY = 'kms-policy-lab.try-it';
const VERSION = 1;
/** The record stays small: beyond this many keys, the least recently saved are dropped. */
export const MAX_KEYS = 50;

export interface TryItFields {
  operation: string;
  message: string;
  contextText: string;
  blob: string;
  signature: string;
  algorithm: string;
  destination: string;
  endpoint: string;
  grantToken: string;
}

const FIELD_NAMES: readonly (keyof TryItFields)[] = [
  'operation',
  'message',
  'contextText',
  'blob',
  'signature',
  'algorithm',
  'destination',
  'endpoint',
  'grantToken',
];

interface SavedRecord {
  version: typeof VERSION;
  /** Key id → its fields, the most recently saved last. */
  keys: Record<string, Partial<TryItFields>>;
}

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

const storage = (): Storage | undefined => {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage disabled: the fields last until the page closes
  }
};

function fieldsOf(value: unknown): Partial<TryItFields> {
  if (typeof value !== 'object' || value === null) return {};
  const fields: Partial<TryItFields> = {};
  for (const name of FIELD_NAMES) {
    const field = (value as Record<string, unknown>)[name];
    if (typeof field === 'string') fields[name] = field;
  }
  return fields;
}

function readRecord(store: Storage | undefined): SavedRecord {
  const empty: SavedRecord = { version: VERSION, keys: {} };
  let parsed: unknown;
  try {
    const text = store?.getItem(STORAGE_KEY);
    if (!text) return empty;
    parsed = JSON.parse(text);
  } catch {
    return empty;
  }
  if (typeof parsed !== 'object' || parsed === null) return empty;
  const { version, keys } = parsed as { version?: unknown; keys?: unknown };
  if (version !== VERSION || typeof keys !== 'object' || keys === null) return empty;
  const checked: SavedRecord['keys'] = {};
  for (const [keyId, value] of Object.entries(keys)) checked[keyId] = fieldsOf(value);
  return { version: VERSION, keys: checked };
}

/** The fields saved for `keyId` (only those that were valid), or none. */
export function loadTryItFields(keyId: string, store = storage()): Partial<TryItFields> {
  return readRecord(store).keys[keyId] ?? {};
}

/** Saves `fields` for `keyId`; a storage that refuses (full, disabled) keeps them in the page only. */
export function saveTryItFields(keyId: string, fields: TryItFields, store = storage()): void {
  const record = readRecord(store);
  delete record.keys[keyId]; // re-inserted last: the most recent
  record.keys[keyId] = fieldsOf(fields);
  const ids = Object.keys(record.keys);
  for (const old of ids.slice(0, Math.max(0, ids.length - MAX_KEYS))) delete record.keys[old];
  try {
    store?.setItem(STORAGE_KEY, JSON.stringify(record));
  } catch {
    // kept in the page only
  }
}
