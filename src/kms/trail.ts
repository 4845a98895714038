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

/** CloudTrail's eventTime: ISO-8601 UTC without milliseconds. */
export const eventTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** How KMS writes dates inside responseElements, e.g. "Aug 10, 2022, 10:38:27 PM" (facts §3.1). */
export function displayDate(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours() % 12 || 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${hours}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

export class Trail {
  readonly records: TrailRecord[] = [];

  add(record: TrailRecord): void {
    this.records.push(record);
  }

  query(filter: TrailQuery = {}): TrailRecord[] {
    const start = filter.startTime ? eventTime(filter.startTime.getTime()) : undefined;
    const end = filter.endTime ? eventTime(filter.endTime.getTime()) : undefined;
    const key = filter.keyId;
    return this.records.filter((r) => {
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
