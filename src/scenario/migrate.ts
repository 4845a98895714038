/**
 * Scenario format versions and the step-by-step migration to the current one (lab-design §1: "every persisted or
 * shared format carries a version and an explicit migration").
 *
 * Version 0 is the hand-written shape that came before the version field: a document with no `version` (or
 * `"version": 0`), otherwise like version 1, that may give one request under `request` (singular) instead of a
 * `requests` array. People write this shorthand when they paste a single AccessDenied case.
 * Version 1 is lab-design §2. A version newer than this lab understands is an error, never a guess.
 */
import { SCENARIO_VERSION } from './types';
import type { JsonPath } from './validate';

export interface MigrationStep {
  from: number;
  to: number;
  /** Upgrades a document of version `from` (never mutates its input). */
  migrate(raw: Record<string, unknown>): { value: Record<string, unknown>; notes: string[] };
  /** Maps a JSON path in the upgraded document back to the path in the document as written. */
  pathBefore(path: JsonPath): JsonPath;
}

export const MIGRATIONS: readonly MigrationStep[] = [
  {
    from: 0,
    to: 1,
    migrate(raw) {
      const { request, ...rest } = raw;
      const notes = [
        'The file has no "version" field; it was read as a version 0 scenario and upgraded to version 1.',
      ];
      const value: Record<string, unknown> = { ...rest, version: 1 };
      if (request !== undefined) {
        value.requests = [request];
        notes.push('Its single "request" became "requests"[0].');
      }
      return { value, notes };
    },
    pathBefore(path) {
      // Only `request` moved: requests[0]… in version 1 was request… in version 0.
      return path[0] === 'requests' && path[1] === 0 ? ['request', ...path.slice(2)] : path;
    },
  },
];

export type MigrationResult =
  | {
      ok: true;
      scenario: Record<string, unknown>;
      /** The version the document was written in. */
      fromVersion: number;
      notes: string[];
      /** Maps a path in the migrated scenario to the path in the document as written (for error locations). */
      pathBefore(path: JsonPath): JsonPath;
    }
  | { ok: false; path: JsonPath; message: string };

/** Reads the version of a raw scenario object and upgrades it, one step at a time, to the current version. */
export function migrateScenario(raw: unknown): MigrationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, path: [], message: 'a scenario must be a JSON object' };
  }
  const document = raw as Record<string, unknown>;
  const declared = document.version ?? 0;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 0) {
    return {
      ok: false,
      path: ['version'],
      message: `must be a whole number (this lab reads versions 0 to ${SCENARIO_VERSION})`,
    };
  }
  if (declared > SCENARIO_VERSION) {
    return {
      ok: false,
      path: ['version'],
      message: `version ${declared} is newer than this lab understands (it reads versions up to ${SCENARIO_VERSION}); open it in a newer lab`,
    };
  }
  if (declared === 0 && document.request !== undefined && document.requests !== undefined) {
    return { ok: false, path: ['request'], message: 'give either "request" or "requests", not both' };
  }
  let value = document;
  const notes: string[] = [];
  const applied: MigrationStep[] = [];
  for (let version = declared; version < SCENARIO_VERSION; version++) {
    const step = MIGRATIONS.find((m) => m.from === version);
    if (!step) return { ok: false, path: ['version'], message: `no migration from version ${version}` };
    const upgraded = step.migrate(value);
    value = upgraded.value;
    notes.push(...upgraded.notes);
    applied.push(step);
  }
  return {
    ok: true,
    scenario: value,
    fromVersion: declared,
    notes,
    // Undo the steps newest first: a path in version n+1 maps to version n, then to n-1…
    pathBefore: (path) => applied.reduceRight((p, step) => step.pathBefore(p), path),
  };
}
