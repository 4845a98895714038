/**
 * Scenario format versions and the step-by-step migration to the current one (lab-design §1: "every persisted or
 * shared format carries a version and an explicit migration").
 *
 * Version 0 is the hand-written shape that came before the version field: a document with no `version` (or
 * `"version": 0`), otherwise like version 1, that may give one request under `request` (singular) instead of a
 * `requests` array. People write this shorthand when they paste a single AccessDenied case.
 * Version 1 is lab-design §2 as first written: `organization.scps` / `organization.rcps` mapped each account to
 * one policy per level, "from the root down to the account". Version 2 describes the organization as AWS
 * configures it (types.ts `Organization`): a root, OUs and member accounts, each with several named policies.
 * A version newer than this lab understands is an error, never a guess.
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

/**
 * Version 1 → 2 gives each account's levels OUs of their own, one per level, named so that a path in the new
 * document maps back to the old one: `ou-v1v1-<account>l<level>`. The account sits in the deepest of them; the
 * root and the account keep AWS's defaults (FullAWSAccess, RCPFullAWSAccess), which allow everything, so every
 * decision is the one version 1 meant. (Version 1 could not say that two accounts share an OU, so nothing is
 * lost; its aws:PrincipalOrgPaths are these made-up OUs.)
 */
const V1_UNIT = /^ou-v1v1-(\d{12})l(\d+)$/;
const v1Unit = (account: string, level: number) => `ou-v1v1-${account}l${level}`;

export function organizationFromV1(raw: unknown, accounts: unknown): { value: unknown; note?: string } {
  if (!isObject(raw) || !('scps' in raw || 'rcps' in raw)) return { value: raw };
  const { scps, rcps, ...rest } = raw;
  const perAccount = (layer: unknown, account: string): unknown[] =>
    isObject(layer) && Array.isArray(layer[account]) ? (layer[account] as unknown[]) : [];
  const units: Record<string, Record<string, unknown>> = {};
  const members: Record<string, Record<string, unknown>> = {};
  const orgIds = new Set<unknown>();
  const ids = new Set([
    ...Object.keys(isObject(scps) ? scps : {}),
    ...Object.keys(isObject(rcps) ? rcps : {}),
  ]);
  for (const account of ids) {
    const levels = { scps: perAccount(scps, account), rcps: perAccount(rcps, account) };
    const depth = Math.max(levels.scps.length, levels.rcps.length);
    if (depth === 0) continue; // version 1: an empty list meant no guardrail on that account
    for (let level = 0; level < depth; level++) {
      const unit: Record<string, unknown> = { name: `${account} level ${level + 1} (version 1)` };
      if (level > 0) unit.parent = v1Unit(account, level - 1);
      if (level < levels.scps.length) unit.scps = [levels.scps[level]];
      if (level < levels.rcps.length) unit.rcps = [levels.rcps[level]];
      units[v1Unit(account, level)] = unit;
    }
    members[account] = { unit: v1Unit(account, depth - 1) };
    orgIds.add(
      isObject(accounts) && isObject(accounts[account]) ? accounts[account].organizationId : undefined,
    );
  }
  const value: Record<string, unknown> = { ...rest, units, accounts: members };
  const [onlyId] = orgIds;
  if (orgIds.size === 1 && typeof onlyId === 'string') value.id = onlyId;
  return {
    value,
    note: 'Its guardrails ("organization.scps" and "organization.rcps", one policy per level and account) became the organization tree of version 2: each level is an OU of its own, with the same policy, so every decision stays the same. RCPFullAWSAccess is now attached everywhere, as in AWS, so an RCP level no longer denies what it does not mention.',
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The id a version 1 guardrail policy (`scp:<account>#<level>`) has after migration, for saved editor texts. */
export function policyIdFromV1(id: string): string {
  const match = /^(scp|rcp):(\d{12})#(\d+)$/.exec(id);
  return match ? `${match[1]}:${v1Unit(match[2], Number(match[3]))}#0` : id;
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
  {
    from: 1,
    to: 2,
    migrate(raw) {
      const { value: organization, note } = organizationFromV1(raw.organization, raw.accounts);
      const value: Record<string, unknown> = { ...raw, version: 2 };
      if (organization !== undefined) value.organization = organization;
      return { value, notes: note ? [`The file is a version 1 scenario. ${note}`] : [] };
    },
    pathBefore(path) {
      // organization.units["ou-v1v1-<account>l<level>"].scps[0]… was organization.scps[<account>][<level>]…
      if (path[0] !== 'organization') return path;
      const unit = path[1] === 'units' && typeof path[2] === 'string' ? V1_UNIT.exec(path[2]) : null;
      if (unit && (path[3] === 'scps' || path[3] === 'rcps') && path[4] === 0)
        return ['organization', path[3], unit[1], Number(unit[2]), ...path.slice(5)];
      return path[1] === 'units' || path[1] === 'accounts' ? ['organization'] : path;
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
