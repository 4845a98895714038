/**
 * The lab's saved work in localStorage, versioned: `{ "version": 1, "working": {…}, "saved": [...] }` under
 * LAB_STORAGE_KEY. Reading never throws and never loses data: an older version is migrated; scenarios are checked
 * against the shape of the scenario schema; unreadable, damaged or newer data is copied aside under a
 * `.set-aside.<time>` key (never overwritten) and the lab opens what fits, with a notice.
 */
import type { PolicyId } from '../engine/types';
import { formatJsonPath } from '../scenario/load';
import { migrateScenario, policyIdFromV1 } from '../scenario/migrate';
import { scenarioSchema, type JsonSchema } from '../scenario/schema';
import { SCENARIO_VERSION, type Scenario } from '../scenario/types';
import { validateAgainstSchema } from '../scenario/validate';

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

/** A message for the learner about the saved lab, with the unreadable copy when there is one to offer. */
export interface LoadNotice {
  tone: 'info' | 'error';
  message: string;
  /** The stored text that could not be used, so the learner can download it (nothing is ever thrown away). */
  unreadableCopy?: string;
}

export interface LoadedLab {
  data: PersistedLab;
  notice?: LoadNotice;
  /**
   * False when unreadable data could not be set aside (storage full) and still sits under LAB_STORAGE_KEY:
   * saving would overwrite it, so the lab must keep the work in memory until the learner decides.
   */
  canSave: boolean;
}

const EMPTY: PersistedLab = { version: LAB_STORAGE_VERSION, working: null, saved: [] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keywords about values (patterns, enums, lengths), which the lab's own edits may break while typing. */
const VALUE_KEYWORDS = [
  'enum',
  'pattern',
  'patternErrorMessage',
  'minLength',
  'maxLength',
  'minItems',
  'propertyNames',
];

/**
 * The scenario schema reduced to its shape (types, required fields, nesting). A saved working state may hold
 * values the learner is still typing (`kms:Dec`, half an ARN), which the engine handles; a wrong shape
 * (`requests` an object, `policies` a string) is what crashes the views, so only the shape is checked on read.
 */
function shapeOnly(schema: JsonSchema): JsonSchema {
  const shape: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (VALUE_KEYWORDS.includes(keyword)) continue;
    if (keyword === 'properties' || keyword === 'patternProperties') {
      shape[keyword] = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, child]) => [name, shapeOnly(child)]),
      );
    } else if ((keyword === 'items' || keyword === 'additionalProperties') && isRecord(value)) {
      shape[keyword] = shapeOnly(value as JsonSchema);
    } else {
      shape[keyword] = value;
    }
  }
  return shape as JsonSchema;
}

let scenarioShape: JsonSchema | undefined;

type ScenarioCheck =
  { ok: true; scenario: Scenario; fromVersion: number } | { ok: false; future: boolean; problem: string };

/** A stored scenario, migrated to the current version and checked against the shape of the schema. */
function readScenario(value: unknown): ScenarioCheck {
  if (isRecord(value) && typeof value.version === 'number' && value.version > SCENARIO_VERSION)
    return { ok: false, future: true, problem: `its scenario is version ${value.version}` };
  const migrated = migrateScenario(value);
  if (!migrated.ok)
    return { ok: false, future: false, problem: `${formatJsonPath(migrated.path)} ${migrated.message}` };
  scenarioShape ??= shapeOnly(scenarioSchema);
  const [first] = validateAgainstSchema(migrated.scenario, scenarioShape);
  if (first) return { ok: false, future: false, problem: `${formatJsonPath(first.path)} ${first.message}` };
  return { ok: true, scenario: migrated.scenario as unknown as Scenario, fromVersion: migrated.fromVersion };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** What could be used of a stored lab, and what could not (each problem in words, for the notice). */
interface ReadLab {
  data: PersistedLab;
  problems: string[];
  future: boolean;
}

function readWorking(value: unknown, into: ReadLab): PersistedWorking | null {
  if (value === null || value === undefined) return null;
  if (!isRecord(value)) {
    into.problems.push('the working scenario is not an object');
    return null;
  }
  const scenario = readScenario(value.scenario);
  if (!scenario.ok) {
    into.future ||= scenario.future;
    into.problems.push(`the working scenario does not fit: ${scenario.problem}`);
    return null;
  }
  if (!isStringRecord(value.texts)) {
    into.problems.push('the editor texts are not all text');
    return null;
  }
  // Editor texts are keyed by policy id; version 1 guardrails had other ids (migrate.ts policyIdFromV1).
  const newId = (id: string) => (scenario.fromVersion < 2 ? policyIdFromV1(id) : id);
  const texts = Object.fromEntries(Object.entries(value.texts).map(([id, text]) => [newId(id), text]));
  const activeEditor = stringOrNull(value.activeEditor);
  return {
    scenario: scenario.scenario,
    texts,
    scenarioText: stringOrNull(value.scenarioText),
    selectedRequestId: stringOrNull(value.selectedRequestId),
    selectedKeyArn: stringOrNull(value.selectedKeyArn),
    activeEditor: activeEditor === null ? null : newId(activeEditor),
    openedShareLink: stringOrNull(value.openedShareLink),
  };
}

function readSaved(value: unknown, into: ReadLab): SavedScenario[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    into.problems.push('the list of saved scenarios is not a list');
    return [];
  }
  const saved: SavedScenario[] = [];
  value.forEach((entry, index) => {
    const name = isRecord(entry) && typeof entry.name === 'string' ? entry.name : `#${index + 1}`;
    const scenario = isRecord(entry) ? readScenario(entry.scenario) : undefined;
    if (!isRecord(entry) || typeof entry.name !== 'string' || !scenario?.ok) {
      into.future ||= scenario?.ok === false && scenario.future;
      into.problems.push(
        `saved scenario “${name}” does not fit${scenario?.ok === false ? `: ${scenario.problem}` : ''}`,
      );
      return;
    }
    saved.push({
      name: entry.name,
      savedAt: typeof entry.savedAt === 'string' ? entry.savedAt : '',
      scenario: scenario.scenario,
    });
  });
  return saved;
}

/**
 * Any stored value → the current shape, keeping every part that fits, with the parts that do not listed in
 * `problems`. Version 0 (the lab's first prototype) stored `{ scenario, texts }` at the top level.
 */
export function readLabStorage(stored: unknown): ReadLab {
  const read: ReadLab = { data: { ...EMPTY }, problems: [], future: false };
  if (!isRecord(stored)) {
    read.problems.push('it is not a JSON object');
    return read;
  }
  const version = typeof stored.version === 'number' ? stored.version : 0;
  if (version > LAB_STORAGE_VERSION) {
    read.future = true;
    read.problems.push(`it is version ${version}`);
    return read;
  }
  if (version !== 0 && version !== LAB_STORAGE_VERSION) {
    read.problems.push(`version ${version} is unknown`);
    return read;
  }
  const working = readWorking(version === 0 ? { ...stored, scenarioText: null } : stored.working, read);
  const saved = version === 0 ? [] : readSaved(stored.saved, read);
  read.data = { version: LAB_STORAGE_VERSION, working, saved };
  return read;
}

function safely<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}

/**
 * Reads the saved lab. What fits is used; when anything does not, the whole stored text is first copied aside
 * (kept, under a key of its own) and the notice says so and offers the copy for download. When even that copy
 * cannot be written (storage full), the original stays where it is and `canSave` is false.
 */
export function loadLab(storage: KeyValueStorage | undefined, now: () => Date = () => new Date()): LoadedLab {
  const raw = storage && safely(() => storage.getItem(LAB_STORAGE_KEY));
  if (raw === undefined || raw === null) return { data: { ...EMPTY }, canSave: true };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const read =
    parsed === undefined
      ? { data: { ...EMPTY }, problems: ['it is not JSON'], future: false }
      : readLabStorage(parsed);
  if (read.problems.length === 0) {
    const from = isRecord(parsed) && typeof parsed.version === 'number' ? parsed.version : 0;
    return {
      data: read.data,
      canSave: true,
      ...(from !== LAB_STORAGE_VERSION
        ? {
            notice: {
              tone: 'info',
              message: `Your saved lab was upgraded from an older format (version ${from}).`,
            },
          }
        : {}),
    };
  }
  const asideKey = `${LAB_STORAGE_KEY}.set-aside.${now().toISOString()}`;
  const keptAside = safely(() => {
    storage!.setItem(asideKey, raw);
    return true;
  });
  if (keptAside) safely(() => storage!.removeItem(LAB_STORAGE_KEY));
  const what = read.future
    ? 'Your saved lab was written by a newer version of the Lab, which this one cannot read'
    : 'Part of your saved lab could not be read';
  const where = keptAside
    ? `The stored copy was set aside unchanged (localStorage key "${asideKey}"); download it to keep it.`
    : 'Storage is full, so it could not be set aside: it was left where it is, and your work here is NOT saved until you download it and choose to replace it.';
  const opened = read.data.working
    ? 'The lab opened what could be read.'
    : 'The lab opened a fresh scenario.';
  return {
    data: read.data,
    canSave: keptAside === true,
    notice: {
      tone: 'error',
      message: `${what} (${read.problems.slice(0, 3).join('; ')}). ${opened} ${where}`,
      unreadableCopy: raw,
    },
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
