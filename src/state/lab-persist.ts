/**
 * The lab's saved work in localStorage, versioned: `{ "version": 1, "working": {…}, "saved": [...] }` under
 * LAB_STORAGE_KEY. Reading never throws and never loses data: an older version is migrated; unreadable, damaged
 * or newer data is copied aside under a `.set-aside.<time>` key and the lab starts fresh with a notice.
 */
import type { PolicyId } from '../engine/types';
import type { Scenario } from '../scenario/types';

export const LAB_STORAGE_KEY = 'kms-policy-lab.lab';

/** Bump when the persisted shape changes, and teach `migrateLabStorage` the old shape. */
export const LAB_STORAGE_VERSION = 1;

/** The learner's current work: enough to put the lab back exactly as it was, invalid editor texts included. */
export interface PersistedWorking {
  scenario: Scenario;
  texts: Record<PolicyId, string>;
  /** The whole-scenario editor's text while it differs from the data (e.g. invalid JSON being typed). */
  scenarioText: string | null;
  selectedRequestId: string | null;
  selectedKeyArn: string | null;
  activeEditor: string | null;
  /** The `#scenario=` hash last opened, so a reload of that address keeps the work done since (optional in v1). */
  openedShareLink?: string | null;
}

export interface SavedScenario {
  name: string;
  savedAt: string;
  scenario: Scenario;
}

export interface PersistedLab {
  version: typeof LAB_STORAGE_VERSION;
  working: PersistedWorking | null;
  saved: SavedScenario[];
}

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface LoadedLab {
  data: PersistedLab;
  /** A message for the learner when something was migrated or set aside. */
  notice?: string;
}

const EMPTY: PersistedLab = { version: LAB_STORAGE_VERSION, working: null, saved: [] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isScenario(value: unknown): value is Scenario {
  return isRecord(value) && typeof value.version === 'number';
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function readWorking(value: unknown): PersistedWorking | null | 'invalid' {
  if (value === null || value === undefined) return null;
  if (!isRecord(value) || !isScenario(value.scenario) || !isStringRecord(value.texts)) return 'invalid';
  return {
    scenario: value.scenario,
    texts: value.texts,
    scenarioText: stringOrNull(value.scenarioText),
    selectedRequestId: stringOrNull(value.selectedRequestId),
    selectedKeyArn: stringOrNull(value.selectedKeyArn),
    activeEditor: stringOrNull(value.activeEditor),
    openedShareLink: stringOrNull(value.openedShareLink),
  };
}

function readSaved(value: unknown): SavedScenario[] | 'invalid' {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return 'invalid';
  const saved: SavedScenario[] = [];
  for (const entry of value) {
    if (!isRecord(entry) || typeof entry.name !== 'string' || !isScenario(entry.scenario)) return 'invalid';
    saved.push({
      name: entry.name,
      savedAt: typeof entry.savedAt === 'string' ? entry.savedAt : '',
      scenario: entry.scenario,
    });
  }
  return saved;
}

/**
 * Any stored value → the current shape, or undefined when it cannot be understood.
 * Version 0 (the lab's first prototype) stored `{ scenario, texts }` at the top level with no saved list.
 */
export function migrateLabStorage(stored: unknown): PersistedLab | undefined {
  if (!isRecord(stored)) return undefined;
  const version = typeof stored.version === 'number' ? stored.version : 0;
  if (version === 0) {
    const working = readWorking({ ...stored, scenarioText: null });
    if (working === 'invalid') return undefined;
    return { version: LAB_STORAGE_VERSION, working, saved: [] };
  }
  if (version !== LAB_STORAGE_VERSION) return undefined;
  const working = readWorking(stored.working);
  const saved = readSaved(stored.saved);
  if (working === 'invalid' || saved === 'invalid') return undefined;
  return { version: LAB_STORAGE_VERSION, working, saved };
}

function safely<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}

/** Reads the saved lab; anything it cannot use is set aside (kept, under another key) and reported. */
export function loadLab(storage: KeyValueStorage | undefined, now: () => Date = () => new Date()): LoadedLab {
  const raw = storage && safely(() => storage.getItem(LAB_STORAGE_KEY));
  if (raw === undefined || raw === null) return { data: { ...EMPTY } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const migrated = migrateLabStorage(parsed);
  if (migrated) {
    const from = isRecord(parsed) && typeof parsed.version === 'number' ? parsed.version : 0;
    return {
      data: migrated,
      ...(from !== LAB_STORAGE_VERSION
        ? { notice: `Your saved lab was upgraded from an older format (version ${from}).` }
        : {}),
    };
  }
  const asideKey = `${LAB_STORAGE_KEY}.set-aside.${now().toISOString()}`;
  const kept = safely(() => {
    storage!.setItem(asideKey, raw);
    storage!.removeItem(LAB_STORAGE_KEY);
    return true;
  });
  return {
    data: { ...EMPTY },
    notice: kept
      ? `Your saved lab could not be read, so it was set aside (localStorage key "${asideKey}") and the lab started fresh.`
      : 'Your saved lab could not be read and the lab started fresh.',
  };
}

/** Writes the lab; a full or forbidden storage is reported through the return value, never thrown. */
export function saveLab(storage: KeyValueStorage | undefined, data: PersistedLab): boolean {
  if (!storage) return false;
  return (
    safely(() => {
      storage.setItem(LAB_STORAGE_KEY, JSON.stringify(data));
      return true;
    }) ?? false
  );
}
