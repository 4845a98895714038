/**
 * Replays CloudTrail records of KMS calls against a scenario: each call is decided again, as its caller, with its
 * encryption context, source address, VPC endpoint, calling service and grant tokens, and compared with what AWS
 * answered. The calls whose answer would change are reported ("this key policy would have denied 14 calls by
 * role/Payroll"), and the reverse. It is how a practitioner tests a policy change against real traffic.
 *
 * Pure. Records come in one at a time (from `TrailReader`, or parsed objects); only counts, the per-caller groups
 * and the changes the caller asks to keep are held, so memory does not grow with the trail.
 */
import { prepareScenario, type PrepareOptions, type PreparedScenario } from '../engine/index';
import { classifyPrincipal, parseKmsArn } from '../engine/arn';
import { kmsOperation, type KmsOperation } from '../engine/kms-actions';
import type { Decision, Outcome, RejectedPolicy } from '../engine/types';
import { callOfEvent, isAccessDenied, isJsonObject, KMS_EVENT_SOURCE } from '../scenario/cloudtrail-event';
import type { RequestSpec, Scenario } from '../scenario/types';
import { RecentIds } from './recent-ids';
import { recordPath, type RecordPlace } from './trail-reader';

/** Where a record came from: its file (as the user named it), its JSON path, line and column. */
export interface RecordLocation {
  file: string;
  path: string;
  line: number;
  column: number;
}

/** How the scenario's answer differs from AWS's: it denies what AWS allowed, allows what AWS denied, or fails. */
export type ChangeDirection = 'deny' | 'allow' | 'fail';

/** One call whose answer under the scenario differs from what AWS answered. */
export interface ReplayChange {
  eventTime?: string;
  eventId?: string;
  /** The caller as CloudTrail names it (a session ARN for a role session). */
  caller: string;
  /** Whom the change is counted against: a session's role, else the caller. */
  group: string;
  action: string;
  /** The key ARN (or the key as the caller wrote it when the scenario resolved it that way). */
  key?: string;
  /** What AWS answered: Allow (the call succeeded) or Deny (AccessDenied), and its error code. */
  aws: 'Allow' | 'Deny';
  awsError?: string;
  decision: Decision;
  outcome: Outcome;
  direction: ChangeDirection;
  /** The statements that decided under the scenario (`policy #index "Sid"`). */
  decidedBy: string[];
  explanation: string;
  location: RecordLocation;
}

/** Why a record was read but not replayed. */
export type SkipReason =
  | 'not-kms' // another service's event
  | 'service-event' // AwsServiceEvent (automatic rotation, deletion): no caller to decide for
  | 'aws-internal' // KMS's own calls ("AWS Internal")
  | 'other-error' // AWS answered neither success nor AccessDenied (throttling, NotFound…): nothing to compare
  | 'unknown-key' // the scenario does not hold the key the call used
  | 'unknown-operation' // an operation the lab does not model
  | 'rejected-policy' // the call met a scenario policy AWS would refuse to store (reported on its own)
  | 'duplicate'; // an eventID already replayed (CloudTrail may deliver an event twice; a file given twice)

export const SKIP_REASONS: Record<SkipReason, string> = {
  'not-kms': 'not KMS',
  'service-event': 'AWS service events',
  'aws-internal': 'KMS internal calls',
  'other-error': 'other errors (neither success nor AccessDenied)',
  'unknown-key': 'keys not in the scenario',
  'unknown-operation': 'operations the lab does not model',
  'rejected-policy': 'calls that meet a policy AWS would refuse',
  duplicate: 'duplicate event IDs',
};

/**
 * How many recent eventIDs are remembered to skip duplicates: about 10 MB. CloudTrail's duplicate deliveries and a
 * file given twice fall well within it; a duplicate further apart than this is replayed again (memory stays bounded).
 */
export const DUPLICATE_WINDOW = 100_000;

export interface ReplayCounts {
  /** Records read, malformed ones included. */
  read: number;
  /** Records of KMS calls (eventSource kms.amazonaws.com). */
  kms: number;
  /** KMS calls decided again and compared. */
  replayed: number;
  changed: number;
  byDirection: Record<ChangeDirection, number>;
  skipped: number;
  skippedBy: Record<SkipReason, number>;
  /** AWS error codes of the calls skipped as `other-error` (at most 50 codes). */
  otherErrors: Record<string, number>;
  malformed: number;
  /** Replayed calls whose caller the scenario does not list (decided as an identity with no IAM policies). */
  unlistedCallers: number;
  /** Replayed calls whose caller is known only by its account (the key owner's trail hides the identity). */
  accountOnlyCallers: number;
}

/** The replayed calls of one caller (a session's role) and action, and how many of them change. */
export interface ReplayGroup {
  caller: string;
  action: string;
  replayed: number;
  byDirection: Record<ChangeDirection, number>;
}

export interface ReplayOptions extends PrepareOptions {
  /** Called for each change, in trail order (stream them out; the replay does not keep them). */
  onChange?(change: ReplayChange): void;
  /** Called for each record that cannot be replayed as written, with its location. */
  onMalformed?(location: RecordLocation, message: string): void;
  /** Called once for each scenario policy AWS would refuse to store that a replayed call met. */
  onRejectedPolicy?(policy: RejectedPolicy): void;
}

/** Per-caller groups kept at most; calls of further callers are counted under `OTHER_CALLERS`. */
export const MAX_GROUPS = 100_000;
export const OTHER_CALLERS = '(other callers)';
const MAX_ERROR_CODES = 50;

interface CallerFacts {
  group: string;
  listed: boolean;
  /** This caller's group per action (a group is shared by a role's sessions). */
  groups: Map<string, ReplayGroup>;
}

export class TrailReplay {
  readonly counts: ReplayCounts = {
    read: 0,
    kms: 0,
    replayed: 0,
    changed: 0,
    byDirection: { deny: 0, allow: 0, fail: 0 },
    skipped: 0,
    skippedBy: {
      'not-kms': 0,
      'service-event': 0,
      'aws-internal': 0,
      'other-error': 0,
      'unknown-key': 0,
      'unknown-operation': 0,
      'rejected-policy': 0,
      duplicate: 0,
    },
    otherErrors: {},
    malformed: 0,
    unlistedCallers: 0,
    accountOnlyCallers: 0,
  };
  private readonly rejectedReported = new Set<string>();

  private readonly prepared: PreparedScenario;
  private readonly keys: KeyIndex;
  private readonly principals: Set<string>;
  /** `<account>|<role name>` of the scenario's roles. */
  private readonly roles = new Map<string, string>();
  private readonly callers = new Map<string, CallerFacts>();
  private readonly groupMap = new Map<string, ReplayGroup>();
  /** The last DUPLICATE_WINDOW eventIDs seen. */
  private readonly recentEventIds = new RecentIds(DUPLICATE_WINDOW);

  constructor(
    readonly scenario: Scenario,
    private readonly options: ReplayOptions = {},
  ) {
    this.prepared = prepareScenario(scenario, options);
    this.keys = new KeyIndex(scenario);
    this.principals = new Set(Object.keys(scenario.principals ?? {}));
    for (const arn of this.principals) {
      const info = classifyPrincipal(arn);
      if (info.kind === 'role' && info.roleName) this.roles.set(`${info.account}|${info.roleName}`, arn);
    }
  }

  /** A record that could not be read (a syntax error, not an object…). */
  malformed(location: RecordLocation, message: string): void {
    this.counts.read++;
    this.bad(location, message);
  }

  private bad(location: RecordLocation, message: string): void {
    this.counts.malformed++;
    this.options.onMalformed?.(location, message);
  }

  /** Reads one record; `place` says where it is, for messages (computed only when needed). */
  record(record: unknown, file: string, place: RecordPlace): void {
    const counts = this.counts;
    counts.read++;
    if (!isJsonObject(record)) {
      this.bad(locate(file, place), 'the record is not a JSON object');
      return;
    }
    const source = record.eventSource;
    if (source !== KMS_EVENT_SOURCE) {
      if (source !== undefined && typeof source !== 'string') {
        this.bad(locate(file, place, ['eventSource']), 'eventSource is not a string');
        return;
      }
      if (source === undefined && record.eventName === undefined && record.userIdentity === undefined) {
        this.bad(
          locate(file, place),
          'this is not a CloudTrail record (it has no eventSource, eventName or userIdentity)',
        );
        return;
      }
      this.skip('not-kms');
      return;
    }
    counts.kms++;
    if (record.eventType === 'AwsServiceEvent') return this.skip('service-event');
    const identity = record.userIdentity;
    if (isJsonObject(identity) && identity.invokedBy === 'AWS Internal' && identity.arn === undefined)
      return this.skip('aws-internal');

    const eventId = typeof record.eventID === 'string' ? record.eventID : undefined;
    if (eventId !== undefined && this.recentEventIds.seenBefore(eventId)) return this.skip('duplicate');
    const converted = callOfEvent(record, eventId ?? 'cloudtrail-event');
    if (!converted.ok) {
      this.bad(locate(file, place, converted.path), converted.message);
      return;
    }
    if (converted.problems.length > 0) {
      const problem = converted.problems[0];
      this.bad(locate(file, place, problem.path), problem.message);
      return;
    }
    const { call } = converted;
    const request = call.request;
    if (call.error && !isAccessDenied(call.error.code)) {
      const errors = counts.otherErrors;
      const code =
        call.error.code in errors || Object.keys(errors).length < MAX_ERROR_CODES ? call.error.code : 'other';
      errors[code] = (errors[code] ?? 0) + 1;
      return this.skip('other-error');
    }
    const operation = this.operationOf(request.action);
    if (!operation) return this.skip('unknown-operation');
    if (operation.kind !== 'iam-only' && !this.placeKeys(request, call.resourceKeys))
      return this.skip('unknown-key');

    const awsAllowed = call.error === undefined;
    const quick = this.prepared.evaluate(request, { trace: false });
    if (quick.rejectedPolicies?.length) {
      // A policy AWS would refuse to store can never be in force: the scenario cannot say what AWS would answer.
      this.skip('rejected-policy');
      for (const policy of quick.rejectedPolicies) {
        const id = policy.policyId ?? `${policy.layer}|${policy.label}`;
        if (this.rejectedReported.has(id)) continue;
        this.rejectedReported.add(id);
        this.options.onRejectedPolicy?.(policy);
      }
      return;
    }
    const scenarioAllowed = quick.decision === 'Allow';
    const caller = this.callerFacts(request.principal);
    counts.replayed++;
    if (!caller.listed) counts.unlistedCallers++;
    if (call.accountOnly) counts.accountOnlyCallers++;
    let group = caller.groups.get(request.action);
    if (!group) {
      group = this.group(caller.group, request.action);
      caller.groups.set(request.action, group);
    }
    group.replayed++;

    let direction: ChangeDirection | undefined;
    if (awsAllowed && !scenarioAllowed) direction = 'deny';
    else if (!awsAllowed && scenarioAllowed) direction = 'allow';
    else if (awsAllowed && quick.outcome !== 'Success') direction = 'fail';
    if (direction === undefined) return;
    counts.changed++;
    counts.byDirection[direction]++;
    group.byDirection[direction]++;
    const onChange = this.options.onChange;
    if (!onChange) return;
    // Only the calls that change need the full trace, to say which statement decided.
    const full = this.prepared.evaluate(request);
    onChange({
      ...(typeof record.eventTime === 'string' ? { eventTime: record.eventTime } : {}),
      ...(eventId ? { eventId } : {}),
      caller: request.principal,
      group: caller.group,
      action: request.action,
      ...(request.keyId ? { key: this.keys.arnOf(request.keyId, request.principal) ?? request.keyId } : {}),
      aws: awsAllowed ? 'Allow' : 'Deny',
      ...(call.error ? { awsError: call.error.code } : {}),
      decision: full.decision,
      outcome: full.outcome,
      direction,
      decidedBy: full.deciding.map((ref) => ref.label),
      explanation: full.explanation,
      location: locate(file, place),
    });
  }

  /** The groups, most changes first, then by caller and action. */
  groups(): ReplayGroup[] {
    const changes = (g: ReplayGroup) => g.byDirection.deny + g.byDirection.allow + g.byDirection.fail;
    return [...this.groupMap.values()].sort(
      (a, b) =>
        changes(b) - changes(a) || a.caller.localeCompare(b.caller) || a.action.localeCompare(b.action),
    );
  }

  private readonly operations = new Map<string, KmsOperation | null>();

  /** The operation of an action (`kms:Decrypt`), remembered: a trail has a few dozen. */
  private operationOf(action: string): KmsOperation | undefined {
    let operation = this.operations.get(action);
    if (operation === undefined) {
      // ReEncrypt is one API call but two actions (DEF); the engine takes it as `kms:ReEncrypt`.
      operation = kmsOperation(action === 'kms:ReEncrypt' ? 'ReEncryptFrom' : action) ?? null;
      if (this.operations.size < 1024) this.operations.set(action, operation);
    }
    return operation ?? undefined;
  }

  private skip(reason: SkipReason): void {
    this.counts.skipped++;
    this.counts.skippedBy[reason]++;
  }

  private group(caller: string, action: string): ReplayGroup {
    const id = `${caller} ${action}`;
    let group = this.groupMap.get(id);
    if (!group) {
      if (this.groupMap.size >= MAX_GROUPS) return this.group(OTHER_CALLERS, action);
      group = { caller, action, replayed: 0, byDirection: { deny: 0, allow: 0, fail: 0 } };
      this.groupMap.set(id, group);
    }
    return group;
  }

  /** Whom a caller's calls are counted against, and whether the scenario lists it (cached; bounded). */
  private callerFacts(principal: string): CallerFacts {
    let facts = this.callers.get(principal);
    if (facts) return facts;
    const info = classifyPrincipal(principal);
    let group = principal;
    let listed = this.principals.has(principal) || info.kind === 'root' || info.kind === 'service';
    if (info.kind === 'assumed-role') {
      // lab-design §2: a session takes its identity policies from its role, so its role is what the scenario lists.
      const role = this.roles.get(`${info.account}|${info.roleName}`);
      group = role ?? `arn:${info.partition}:iam::${info.account}:role/${info.roleName}`;
      listed = role !== undefined;
    }
    facts = { group, listed, groups: new Map() };
    if (this.callers.size >= 4096) this.callers.clear();
    this.callers.set(principal, facts);
    return facts;
  }

  /**
   * Points the request at a key the scenario holds, or says there is none. The key as the caller wrote it is kept
   * when the scenario resolves it (kms:RequestAlias depends on it, CK); else the key ARN from the event's resources,
   * with kms:RequestAlias kept when the caller named an alias the scenario does not list.
   */
  private placeKeys(request: RequestSpec, resourceKeys: string[]): boolean {
    const keys = this.keys;
    const written = request.keyId;
    if (written !== undefined && keys.arnOf(written, request.principal) === undefined) {
      const known = resourceKeys.find((arn) => keys.has(arn));
      if (!known) return false;
      request.keyId = known;
      const alias = aliasName(written);
      if (alias) request.context = { ...request.context, 'kms:RequestAlias': alias };
    } else if (written === undefined) {
      // RetireGrant by grant token names no key; the alias operations name the alias in parameters.
      return true;
    }
    if (request.action === 'kms:ReEncrypt') {
      // ReEncrypt: the destination must be known too (resources[] lists the source, then the destination).
      const destination = request.parameters?.destinationKeyId;
      if (typeof destination === 'string' && keys.arnOf(destination, request.principal) === undefined) {
        const known = resourceKeys.slice(1).find((arn) => keys.has(arn));
        if (!known) return false;
        request.parameters = { ...request.parameters, destinationKeyId: known };
      }
    }
    return true;
  }
}

/** The scenario's keys by ARN, by `<account>|<key id>` and by alias, to tell whether a call's key is there. */
class KeyIndex {
  private readonly arns = new Set<string>();
  private readonly byId = new Map<string, string>();
  private readonly byAlias = new Map<string, string>();

  constructor(scenario: Scenario) {
    for (const [arn, entry] of Object.entries(scenario.keys ?? {})) {
      const parsed = parseKmsArn(arn);
      this.arns.add(arn);
      if (!parsed) continue;
      this.byId.set(`${parsed.account}|${parsed.id}`, arn);
      for (const alias of entry?.aliases ?? []) {
        this.byAlias.set(`${parsed.account}|${alias}`, arn);
        this.byAlias.set(`arn:${parsed.partition}:kms:${parsed.region}:${parsed.account}:${alias}`, arn);
      }
    }
  }

  has(arn: string): boolean {
    return this.arns.has(arn);
  }

  /** The key ARN a KeyId names, as the engine resolves it: a bare id or alias in the caller's account. */
  arnOf(keyId: string, caller: string): string | undefined {
    if (this.arns.has(keyId)) return keyId;
    if (keyId.startsWith('arn:')) return this.byAlias.get(keyId);
    const account = classifyPrincipal(caller).account;
    return keyId.startsWith('alias/')
      ? this.byAlias.get(`${account}|${keyId}`)
      : this.byId.get(`${account}|${keyId}`);
  }
}

function aliasName(keyId: string): string | undefined {
  if (keyId.startsWith('alias/')) return keyId;
  const at = keyId.indexOf(':alias/');
  return keyId.startsWith('arn:') && at >= 0 ? keyId.slice(at + 1) : undefined;
}

export function locate(file: string, place: RecordPlace, inner: (string | number)[] = []): RecordLocation {
  return { file, path: recordPath(place, inner), line: place.line, column: place.column };
}

/** The sentence of one group's changes, e.g. `would deny 14 of 120 calls`. */
export function describeGroup(group: ReplayGroup): string {
  const parts: string[] = [];
  const { deny, allow, fail } = group.byDirection;
  const calls = (n: number) => `${n} call${n === 1 ? '' : 's'}`;
  if (deny) parts.push(`would deny ${calls(deny)} AWS allowed`);
  if (allow) parts.push(`would allow ${calls(allow)} AWS denied`);
  if (fail) parts.push(`would fail ${calls(fail)} AWS let succeed`);
  return parts.length ? `${parts.join(', ')} (of ${group.replayed})` : `no change (${calls(group.replayed)})`;
}
