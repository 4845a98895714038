/**
 * What the Audit area shows of a trail, as data: the columns of CloudTrail's event history (event time, event
 * name, user name, resource, source IP address, error code; CloudTrail "Viewing events with Event history"), the
 * values each filter offers, and the two quick questions ("who used this key between T1 and T2", "which calls were
 * denied"). Pure; the table, the CSV export and the worker all read these.
 */
import { keyArnsOf, userArnOf, userNameOf, type TrailRecord } from './trail';

export interface AuditColumn {
  id: 'time' | 'event' | 'user' | 'resource' | 'source' | 'error';
  label: string;
  value(record: TrailRecord): string;
}

/** A key ARN's short id (`key/<id>` → `<id>`). */
export function keyIdOfArn(arn: string): string {
  const at = arn.indexOf(':key/');
  return at >= 0 ? arn.slice(at + 5) : arn;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

export const AUDIT_COLUMNS: readonly AuditColumn[] = [
  { id: 'time', label: 'Event time', value: (r) => text(r.eventTime) },
  { id: 'event', label: 'Event name', value: (r) => text(r.eventName) },
  { id: 'user', label: 'User name', value: (r) => userNameOf(r) },
  { id: 'resource', label: 'Resource', value: (r) => keyArnsOf(r).map(keyIdOfArn).join(', ') },
  { id: 'source', label: 'Source IP address', value: (r) => text(r.sourceIPAddress) },
  { id: 'error', label: 'Error code', value: (r) => text(r.errorCode) },
];

/** The values the filters offer, each sorted: what the trail holds, so a filter never offers an empty answer. */
export interface AuditFacets {
  eventNames: string[];
  users: string[];
  /** Key ARNs. */
  keys: string[];
  errorCodes: string[];
  /** The first and last eventTime, when there are records. */
  first?: string;
  last?: string;
}

export function auditFacets(records: readonly TrailRecord[]): AuditFacets {
  const eventNames = new Set<string>();
  const users = new Set<string>();
  const keys = new Set<string>();
  const errorCodes = new Set<string>();
  let first: string | undefined;
  let last: string | undefined;
  for (const r of records) {
    if (r.eventName) eventNames.add(r.eventName);
    const user = userNameOf(r);
    if (user) users.add(user);
    for (const arn of keyArnsOf(r)) keys.add(arn);
    if (r.errorCode) errorCodes.add(r.errorCode);
    const t = r.eventTime;
    if (typeof t === 'string') {
      if (first === undefined || t < first) first = t;
      if (last === undefined || t > last) last = t;
    }
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return {
    eventNames: sorted(eventNames),
    users: sorted(users),
    keys: sorted(keys),
    errorCodes: sorted(errorCodes),
    first,
    last,
  };
}

/** One caller of a key: how many calls, which operations, the first and last time, how many failed. */
export interface KeyUser {
  user: string;
  arn: string;
  calls: number;
  failed: number;
  eventNames: string[];
  first: string;
  last: string;
}

/** "Who used this key": the callers of the given records (already filtered to the key and range), most calls first. */
export function usersOf(records: Iterable<TrailRecord>): KeyUser[] {
  const byUser = new Map<string, KeyUser & { names: Set<string> }>();
  for (const r of records) {
    const user = userNameOf(r);
    const arn = userArnOf(r);
    const id = arn || user;
    let entry = byUser.get(id);
    if (!entry) {
      entry = {
        user,
        arn,
        calls: 0,
        failed: 0,
        eventNames: [],
        first: r.eventTime,
        last: r.eventTime,
        names: new Set(),
      };
      byUser.set(id, entry);
    }
    entry.calls++;
    if (r.errorCode) entry.failed++;
    entry.names.add(r.eventName);
    if (r.eventTime < entry.first) entry.first = r.eventTime;
    if (r.eventTime > entry.last) entry.last = r.eventTime;
  }
  return [...byUser.values()]
    .map(({ names, ...entry }) => ({ ...entry, eventNames: [...names].sort() }))
    .sort((a, b) => b.calls - a.calls || a.user.localeCompare(b.user));
}

/**
 * Whether a record is a denial: CloudTrail writes AccessDenied (S3/IAM, the lab) or AccessDeniedException
 * (JSON-protocol services) as the errorCode (facts §3.3).
 */
export function isDenied(record: Pick<TrailRecord, 'errorCode'>): boolean {
  return record.errorCode === 'AccessDenied' || record.errorCode === 'AccessDeniedException';
}
