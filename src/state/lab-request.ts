/**
 * Pure helpers for the lab's request builder: key references as the caller may write them, key/value pair
 * lists ↔ records, and cleaning a request of empty fields before it reaches the engine or a share link.
 */
import type { KeySpecEntry, RequestSpec, Scenario } from '../scenario/types';

/** One row of a key/value editor (encryption context, extra context keys). */
export interface Pair {
  key: string;
  value: string;
}

export function recordToPairs(record: Record<string, string | string[]> | undefined): Pair[] {
  return Object.entries(record ?? {}).map(([key, value]) => ({
    key,
    value: Array.isArray(value) ? value.join(', ') : value,
  }));
}

/**
 * Pairs → record, skipping rows without a key. With `multiValued`, a value containing commas becomes a list
 * (extra context keys such as `aws:PrincipalTag/x` may have several values); an encryption context never does.
 */
export function pairsToRecord(pairs: Pair[], multiValued: true): Record<string, string | string[]>;
export function pairsToRecord(pairs: Pair[], multiValued?: false): Record<string, string>;
export function pairsToRecord(pairs: Pair[], multiValued = false): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = {};
  for (const { key, value } of pairs) {
    const name = key.trim();
    if (!name) continue;
    if (multiValued && value.includes(',')) {
      record[name] = value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
    } else {
      record[name] = value;
    }
  }
  return record;
}

/** The ways a caller may name `keyArn`: key id, key ARN, each alias name and alias ARN (for the key picker). */
export function keyReferences(keyArn: string, key: KeySpecEntry | undefined): string[] {
  const [prefix, keyId] = keyArn.split(':key/');
  const refs = [keyArn];
  if (keyId) refs.unshift(keyId);
  for (const alias of key?.aliases ?? []) {
    refs.push(alias);
    if (prefix) refs.push(`${prefix}:${alias}`);
  }
  return refs;
}

/**
 * The scenario key a request's KeyId points at, for choosing which key the lab shows (the matrix, the key
 * policy tab). The engine resolves KeyId itself for the decision (resolve-key step); this is only the UI's guess.
 */
export function keyArnForReference(scenario: Scenario, keyId: string | undefined): string | undefined {
  if (!keyId) return undefined;
  for (const [arn, key] of Object.entries(scenario.keys ?? {})) {
    if (keyReferences(arn, key).includes(keyId)) return arn;
  }
  return undefined;
}

/** A copy of `request` without empty strings, empty lists and empty records, so shared JSON stays small. */
export function cleanRequest(request: RequestSpec): RequestSpec {
  const clean: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || value === null) continue;
    if (
      typeof value === 'string' &&
      value.trim() === '' &&
      field !== 'id' &&
      field !== 'principal' &&
      field !== 'action'
    )
      continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    clean[field] = value;
  }
  return clean as unknown as RequestSpec;
}

/** Every principal a request may name in this scenario: IAM users and roles, plus sessions already used in requests. */
export function knownCallers(scenario: Scenario): string[] {
  const callers = new Set(Object.keys(scenario.principals ?? {}));
  for (const request of scenario.requests ?? []) if (request.principal) callers.add(request.principal);
  for (const grant of scenario.grants ?? []) callers.add(grant.granteePrincipal);
  return [...callers];
}
