/**
 * CloudTrail records of the simulated KMS (facts §3, CloudTrail record contents; "Logging AWS KMS API calls with
 * AWS CloudTrail"): one per call, failures included, in the real schema; service events when the clock runs
 * rotations, deletions and import expiries; and the console's event-history filters as a query.
 */

export interface TrailRecord {
  eventVersion: string;
  userIdentity: Record<string, unknown>;
  eventTime: string;
  eventSource: 'kms.amazonaws.com';
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: { accountId: string; type: 'AWS::KMS::Key'; ARN: string }[];
  eventType: 'AwsApiCall' | 'AwsServiceEvent';
  managementEvent: true;
  recipientAccountId: string;
  /** Present when the call was recorded in several accounts (a key of another account). */
  sharedEventID?: string;
  /** The VPC endpoint a direct call came through. */
  vpcEndpointId?: string;
  eventCategory: 'Management';
  serviceEventDetails?: Record<string, unknown>;
}

export interface TrailQuery {
  /** Inclusive bounds on eventTime. */
  startTime?: Date;
  endTime?: Date;
  eventName?: string;
  /** A principal ARN, a user name or a role session name (matched against userIdentity.arn / userName). */
  user?: string;
  /** A key id or key ARN, matched against resources[].ARN. */
  keyId?: string;
  /** An errorCode; `true` for any failure, `false` for successes only. */
  error?: string | boolean;
  /** The account whose trail to read (recipientAccountId). */
  account?: string;
}

/**
 * CloudTrail's errorCode for a KMS denial. AWS publishes no KMS sample; records of JSON-protocol services show
 * `AccessDeniedException`, S3/IAM `AccessDenied` (facts §3.1, §3.3). The lab writes `AccessDenied`, as facts §3.3's
 * example does; `lab replay` reads both.
 */
export const ACCESS_DENIED_ERROR_CODE = 'AccessDenied';

let lastTime = { ms: NaN, text: '' };
/** CloudTrail's eventTime: ISO-8601 UTC without milliseconds (the lab clock stands still between moves: kept). */
export function eventTime(ms: number): string {
  if (ms !== lastTime.ms) lastTime = { ms, text: `${new Date(ms).toISOString().slice(0, 19)}Z` };
  return lastTime.text;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** How KMS writes dates inside responseElements, e.g. "Aug 10, 2022, 10:38:27 PM" (facts §3.1). */
export function displayDate(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours() % 12 || 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hours}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

/** The first index in [lo, hi) whose record is not before `time` (`after`: not at or before), records in time order. */
function bisect(records: readonly TrailRecord[], time: string, after: boolean): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = records[mid].eventTime;
    if (t < time || (after && t === time)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Trail {
  readonly records: TrailRecord[] = [];
  /** How far `records` is known to be in eventTime order (records come in clock order; a restore may not). */
  private checked = 0;
  private ordered = true;

  add(record: TrailRecord): void {
    this.records.push(record);
  }

  /** Replaces every record (restore). */
  replace(records: readonly TrailRecord[]): void {
    this.records.length = 0;
    for (const record of records) this.records.push(record);
    this.checked = 0;
    this.ordered = true;
  }

  /** Whether the records are in time order, checking only those added since the last query. */
  private inTimeOrder(): boolean {
    const records = this.records;
    if (this.checked > records.length) [this.checked, this.ordered] = [0, true];
    for (let i = Math.max(this.checked, 1); this.ordered && i < records.length; i++)
      if (records[i].eventTime < records[i - 1].eventTime) this.ordered = false;
    this.checked = records.length;
    return this.ordered;
  }

  query(filter: TrailQuery = {}): TrailRecord[] {
    return queryRecords(this.records, filter, this.inTimeOrder());
  }
}

/**
 * The console's "User name" of a record (CloudTrail userIdentity element): an IAM user's name, a role session's
 * name, `root`, the calling service for a service principal, `AWS Internal` for KMS's own events. Records of an
 * imported trail may lack fields: never throws.
 */
export function userNameOf(record: Pick<TrailRecord, 'userIdentity'>): string {
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  if (typeof identity.userName === 'string') return identity.userName;
  const arn = typeof identity.arn === 'string' ? identity.arn : '';
  if (identity.type === 'Root') return 'root';
  if (identity.type === 'AssumedRole' && arn) return arn.slice(arn.lastIndexOf('/') + 1);
  if (typeof identity.invokedBy === 'string') return identity.invokedBy;
  if (arn) return arn.slice(arn.lastIndexOf('/') + 1) || arn;
  if (typeof identity.accountId === 'string') return identity.accountId;
  return '';
}

/** The principal ARN of a record's caller, when CloudTrail names one. */
export function userArnOf(record: Pick<TrailRecord, 'userIdentity'>): string {
  const arn = (record.userIdentity as Record<string, unknown> | undefined)?.arn;
  return typeof arn === 'string' ? arn : '';
}

/** The key ARNs a record names (resources[] of type AWS::KMS::Key), in order. */
export function keyArnsOf(record: Pick<TrailRecord, 'resources'>): string[] {
  const resources = Array.isArray(record.resources) ? record.resources : [];
  const arns: string[] = [];
  for (const res of resources) if (typeof res?.ARN === 'string') arns.push(res.ARN);
  return arns;
}

function matchesUser(record: TrailRecord, user: string): boolean {
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  const arn = typeof identity.arn === 'string' ? identity.arn : '';
  return (
    arn === user || identity.userName === user || arn.endsWith(`/${user}`) || userNameOf(record) === user
  );
}

function matchesKey(record: TrailRecord, key: string): boolean {
  return keyArnsOf(record).some((arn) => arn === key || arn.endsWith(`/${key}`));
}

/**
 * The records matching `filter`, in their order. `inTimeOrder` says the records are sorted by eventTime, so a time
 * range is a slice (100,000 events: issue 9 "Performance"); the Audit area's worker and `Trail.query` share it.
 */
export function queryRecords(
  records: readonly TrailRecord[],
  filter: TrailQuery = {},
  inTimeOrder = false,
): TrailRecord[] {
  return queryIndices(records, filter, inTimeOrder).map((i) => records[i]);
}

/** As `queryRecords`, the indices of the matching records (the Audit worker sends these, not the records). */
export function queryIndices(
  records: readonly TrailRecord[],
  filter: TrailQuery = {},
  inTimeOrder = false,
): number[] {
  const start = filter.startTime ? eventTime(filter.startTime.getTime()) : undefined;
  const end = filter.endTime ? eventTime(filter.endTime.getTime()) : undefined;
  const { keyId: key, user, eventName, account, error } = filter;
  let from = 0;
  let to = records.length;
  if ((start || end) && inTimeOrder) {
    if (start) from = bisect(records, start, false);
    if (end) to = bisect(records, end, true);
  }
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    const r = records[i];
    if (start && !(r.eventTime >= start)) continue;
    if (end && !(r.eventTime <= end)) continue;
    if (eventName && r.eventName !== eventName) continue;
    if (account && r.recipientAccountId !== account) continue;
    if (error === true && !r.errorCode) continue;
    if (error === false && r.errorCode) continue;
    if (typeof error === 'string' && r.errorCode !== error) continue;
    if (user && !matchesUser(r, user)) continue;
    if (key && !matchesKey(r, key)) continue;
    out.push(i);
  }
  return out;
}

/** Whether records are sorted by eventTime (then a time range is a bisection). */
export function isInTimeOrder(records: readonly TrailRecord[]): boolean {
  for (let i = 1; i < records.length; i++) if (records[i].eventTime < records[i - 1].eventTime) return false;
  return true;
}
