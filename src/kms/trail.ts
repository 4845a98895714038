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
function bisect(records: TrailRecord[], time: string, after: boolean): number {
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
    const start = filter.startTime ? eventTime(filter.startTime.getTime()) : undefined;
    const end = filter.endTime ? eventTime(filter.endTime.getTime()) : undefined;
    const key = filter.keyId;
    let candidates = this.records;
    // A time range on records in time order is a slice (100,000 events: issue 9 "Performance").
    if ((start || end) && this.inTimeOrder())
      candidates = candidates.slice(
        start ? bisect(candidates, start, false) : 0,
        end ? bisect(candidates, end, true) : candidates.length,
      );
    return candidates.filter((r) => {
      if (start && r.eventTime < start) return false;
      if (end && r.eventTime > end) return false;
      if (filter.eventName && r.eventName !== filter.eventName) return false;
      if (filter.account && r.recipientAccountId !== filter.account) return false;
      if (filter.error === true && !r.errorCode) return false;
      if (filter.error === false && r.errorCode) return false;
      if (typeof filter.error === 'string' && r.errorCode !== filter.error) return false;
      if (filter.user) {
        const identity = r.userIdentity;
        const arn = String(identity.arn ?? '');
        if (arn !== filter.user && identity.userName !== filter.user && !arn.endsWith(`/${filter.user}`))
          return false;
      }
      if (key && !r.resources?.some((res) => res.ARN === key || res.ARN.endsWith(`/${key}`))) return false;
      return true;
    });
  }
}
