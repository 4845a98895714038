/**
 * The simulated KMS (lab-design §4, issue 9): `createKms` builds it from a scenario, a Region, an account, a start
 * time and an HSM. Every call is validated as AWS does, authorized by the engine against the live state, refused
 * or served by the key-state table and the operation, and recorded in CloudTrail. Time moves only when the lab
 * clock is advanced; rotations, deletions and import expiries then happen, each as a CloudTrail service event.
 */
import type { KeySpecEntry, PolicyDocument, Scenario } from '../scenario/types';
import { defaultKeyPolicy } from '../scenario/default-key-policy';
import type { KmsApi, KmsCaller, KmsCredentials, KmsRequest, KmsResponse } from './api';
import { Authorizer } from './authorize';
import { isKmsError, KmsError } from './errors';
import { createHsm } from './crypto/hsm';
import { isKeySpec } from './crypto/specs';
import type { Hsm, HsmSnapshot } from './hsm';
import { accountOfPrincipal, userIdentity } from './identity';
import { OPERATIONS, type Member } from './model';
import { Call, type Core, type KmsOptions } from './operations/context';
import { deleteImportedMaterial } from './operations/imports';
import { OPERATION_HANDLERS, READ_ONLY } from './operations/index';
import { quotaOf, RequestQuotas } from './quotas';
import { rotateKey } from './operations/rotation';
import { aliasArnOf, DAY_MS, keyArnOf, partitionOf, type KeyRecord, type KmsState } from './kms-state';
import { ACCESS_DENIED_ERROR_CODE, displayDate, eventTime, Trail, type TrailRecord } from './trail';
import { validateRequest } from './validate';

export const DEFAULT_ACCOUNT = '111122223333';
export const DEFAULT_REGION = 'us-east-1';
export const LAB_ADMIN = `arn:aws:iam::${DEFAULT_ACCOUNT}:user/lab-admin`;

/** lab-design §4: without a scenario, one account and the user lab-admin whose IAM policy allows kms:*. */
export const DEFAULT_SCENARIO: Scenario = {
  version: 2,
  title: 'Empty account',
  principals: {
    [LAB_ADMIN]: {
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }],
    },
  },
};

export interface CreateKmsOptions {
  scenario?: Scenario;
  region?: string;
  accountId?: string;
  /** Where the lab clock starts (default: now). It moves only through `kms.clock`. */
  clock?: Date;
  /**
   * The HSM (default: `createHsm()` with a random domain key). A KMS that restores another's snapshot needs an HSM
   * with the same domain key: `createHsm({ domainKey })`.
   */
  hsm?: Hsm;
  onDemandRotationLimit?: number;
  grantPropagationSeconds?: number;
  /**
   * Request quotas answering ThrottlingException (quotas.ts), counted per account, Region and second of the lab
   * clock. Off by default; `true` for AWS's default quotas; an object changes some of them, by Service Quotas
   * name (`{ 'CreateKey request rate': 1 }`).
   */
  quotas?: boolean | Record<string, number>;
  /** Credentials of a principal ARN (the endpoint's `credentials.ts`); without it `credentials()` is empty. */
  credentialsFor?: (principalArn: string) => KmsCredentials;
}

export interface AdvanceBy {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
}

export interface LabClock {
  now(): Date;
  /** Moves time forward, running what falls due on the way, in order. */
  advance(by: AdvanceBy): Promise<void>;
  /** Moves time forward to a date (never back). */
  advanceTo(date: Date): Promise<void>;
}

export interface KmsSnapshot {
  version: 1;
  region: string;
  accountId: string;
  state: KmsState;
  trail: TrailRecord[];
  hsm: HsmSnapshot;
}

/** An AWS managed key a service integration asks for (`alias/aws/<service>`), with the policy the service gives it. */
export interface AwsManagedKeySpec {
  alias: string;
  account: string;
  region: string;
  description: string;
  policy: PolicyDocument;
}

/** What the simulated services that call KMS for a principal need from the core (src/kms/services). */
export interface ServiceIntegration {
  /**
   * Decides `action` of that service (`secretsmanager:GetSecretValue`) on `resource` for the caller through the
   * engine, as KMS calls are decided (IAM, SCPs, the endpoint policy of `caller.vpcEndpointId`). Throws
   * AccessDeniedException with the engine's message.
   */
  authorize(caller: KmsCaller, action: string, resource: string): Promise<void>;
  /** The key ARN of an AWS managed key, created on first use (developer guide "AWS managed keys"). */
  awsManagedKey(spec: AwsManagedKeySpec): Promise<string>;
}

export interface Kms extends KmsApi {
  readonly trail: Trail;
  readonly integration: ServiceIntegration;
  readonly clock: LabClock;
  /** Resolves once the scenario's keys exist. Calls wait for it themselves. */
  readonly ready: Promise<void>;
  /** Every principal the endpoint should offer credentials for (users, a `…/lab` session per role, roots). */
  principals(): string[];
  /**
   * The live state, read-only: the lab's look inside (as S3's `storedObject`), for the UI to draw keys, grants and
   * the clock without making calls that would fill the trail. Decisions still go through `call`.
   */
  view(): Readonly<KmsState>;
  snapshot(): Promise<KmsSnapshot>;
  restore(snapshot: KmsSnapshot): Promise<void>;
}

/** `secretsmanager.us-east-1.amazonaws.com` (kms:ViaService) → `secretsmanager.amazonaws.com` (CloudTrail's name). */
function serviceHost(viaService: string): string {
  const match = /^([a-z0-9-]+)\.[a-z0-9-]+\.amazonaws\.com$/.exec(viaService);
  return match ? `${match[1]}.amazonaws.com` : viaService;
}

const camelNames = new Map<string, string>();
/** `KeyId` → `keyId`, remembered: every record converts the same few member names. */
function lowerFirst(name: string): string {
  let camel = camelNames.get(name);
  if (camel === undefined) {
    camel = name.charAt(0).toLowerCase() + name.slice(1);
    if (camelNames.size >= 1000) camelNames.clear(); // callers may send any member names
    camelNames.set(name, camel);
  }
  return camel;
}

/**
 * CloudTrail's requestParameters (facts §3.1): lowerCamelCase members as the caller sent them, blobs left out,
 * encryption-context maps kept as they are.
 */
function trailParameters(value: unknown, member: Member | undefined): unknown {
  if (value instanceof Uint8Array) return undefined;
  if (value instanceof Date) return displayDate(value.getTime());
  if (member?.type === 'map') return value;
  if (Array.isArray(value))
    return value.map((v) => trailParameters(v, member?.type === 'list' ? member.member : undefined));
  if (value && typeof value === 'object') {
    const members = member?.type === 'structure' ? member.members : undefined;
    const out: Record<string, unknown> = {};
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      const converted = trailParameters((value as Record<string, unknown>)[k], members?.[k]);
      if (converted !== undefined) out[lowerFirst(k)] = converted;
    }
    return out;
  }
  return value;
}

export function createKms(options: CreateKmsOptions = {}): Kms {
  const base = options.scenario ?? DEFAULT_SCENARIO;
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT;
  const hsm = options.hsm ?? createHsm();
  const kmsOptions: KmsOptions = {
    onDemandRotationLimit: options.onDemandRotationLimit ?? 25,
    grantPropagationSeconds: options.grantPropagationSeconds ?? 300,
  };
  let state: KmsState = {
    version: 1,
    now: (options.clock ?? new Date()).getTime(),
    keys: {},
    aliases: {},
    grants: [],
  };
  const trail = new Trail();
  const quotas = options.quotas
    ? new RequestQuotas(options.quotas === true ? {} : options.quotas)
    : undefined;
  const authorizer = new Authorizer(base, () => state);
  const core: Core = {
    get state() {
      return state;
    },
    hsm,
    authorizer,
    options: kmsOptions,
    changed: () => authorizer.invalidate(),
    rotate: (key, type) => rotateKey({ hsm, state }, key, type),
  };

  /** Changes run one at a time (a clock move waits for the calls before it); reads run freely. */
  let exclusive: Promise<unknown> = Promise.resolve();
  function serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = exclusive.then(work, work);
    exclusive = run.catch(() => undefined);
    return run;
  }

  const ready = serialized(() => seed(base));

  /** A key of the scenario, or an AWS managed key a service integration asks for, with its aliases. */
  async function addKey(
    keyRegion: string,
    account: string,
    keyId: string,
    entry: KeySpecEntry,
  ): Promise<KeyRecord> {
    const arn = keyArnOf(keyRegion, account, keyId);
    const keySpec = entry.keySpec ?? 'SYMMETRIC_DEFAULT';
    if (!isKeySpec(keySpec))
      throw new KmsError(
        'ValidationException',
        `Scenario key ${arn}: KeySpec ${keySpec} is not supported by the lab.`,
      );
    const origin = entry.origin ?? 'AWS_KMS';
    const keyState = entry.state ?? 'Enabled';
    const key: KeyRecord = {
      arn,
      keyId,
      account,
      region: keyRegion,
      partition: partitionOf(keyRegion),
      creationDate: state.now,
      description: entry.description ?? '',
      keyUsage: entry.keyUsage ?? (keySpec.startsWith('HMAC') ? 'GENERATE_VERIFY_MAC' : 'ENCRYPT_DECRYPT'),
      keySpec,
      origin,
      manager: entry.manager ?? 'CUSTOMER',
      state: keyState,
      policy: JSON.stringify(entry.policy ?? defaultKeyPolicy(account), null, 2),
      tags: Object.entries(entry.tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
      materials: [],
      // developer guide "AWS managed keys": rotated every year, always on.
      rotation: {
        enabled: entry.manager === 'AWS',
        periodInDays: 365,
        nextRotation: entry.manager === 'AWS' ? state.now + 365 * DAY_MS : undefined,
        onDemandCount: 0,
      },
      deletionDate: keyState === 'PendingDeletion' ? state.now + 30 * DAY_MS : undefined,
      pendingWindowInDays: keyState === 'PendingDeletion' ? 30 : undefined,
      importParameters: [],
    };
    if (!(origin === 'EXTERNAL' && keyState === 'PendingImport')) {
      // A scenario's imported key starts with material the lab made for it (docs/kms.md, Departures).
      const id = await hsm.generate(keySpec);
      key.materials.push({
        id,
        state: 'CURRENT',
        ...(origin === 'EXTERNAL'
          ? { importState: 'IMPORTED' as const, expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' as const }
          : {}),
      });
      key.currentMaterialId = id;
    }
    state.keys[key.arn] = key;
    for (const name of entry.aliases ?? []) {
      const aliasArn = aliasArnOf(keyRegion, account, name);
      state.aliases[aliasArn] = {
        name,
        arn: aliasArn,
        account,
        region: keyRegion,
        targetKeyArn: key.arn,
        creationDate: state.now,
        lastUpdatedDate: state.now,
      };
    }
    return key;
  }

  async function seed(scenario: Scenario): Promise<void> {
    for (const [arn, entry] of Object.entries(scenario.keys ?? {})) {
      const match = /^arn:[^:]+:kms:([^:]+):(\d{12}):key\/(.+)$/.exec(arn);
      if (match) await addKey(match[1], match[2], match[3], entry);
    }
    for (const grant of scenario.grants ?? []) {
      const key = state.keys[grant.keyArn];
      if (!key) continue;
      state.grants.push({
        grantId: grant.grantId,
        keyArn: key.arn,
        name: grant.name,
        granteePrincipal: grant.granteePrincipal,
        retiringPrincipal: grant.retiringPrincipal,
        operations: [...grant.operations],
        constraints: grant.constraints && {
          EncryptionContextSubset: grant.constraints.encryptionContextSubset,
          EncryptionContextEquals: grant.constraints.encryptionContextEquals,
        },
        issuingAccount: grant.issuingAccount ?? key.account,
        creationDate: state.now,
        propagatesAt:
          grant.propagated === false ? state.now + kmsOptions.grantPropagationSeconds * 1000 : state.now,
        tokens: [grant.grantToken ?? `AQpAscenario${grant.grantId.replace(/[^A-Za-z0-9_-]/g, '')}`],
      });
    }
    core.changed();
  }

  /** CloudTrail: one record in the caller's account, and one in each other account whose key the call used. */
  function record(call: Call, error: KmsError | undefined): void {
    const caller = call.caller;
    const parameters = trailParameters(call.request, {
      type: 'structure',
      members: OPERATIONS[call.operation] ?? {},
    }) as Record<string, unknown>;
    Object.assign(parameters, call.impliedParameters);
    const requestParameters = Object.keys(parameters).length > 0 ? parameters : null;
    // A service calling for the principal is named by its host (`secretsmanager.amazonaws.com`) as invokedBy, source
    // and user agent (facts §3.1; Secrets Manager's "Monitor Secrets Manager interaction with AWS KMS" samples).
    const service = caller.viaService && serviceHost(caller.viaService);
    const identity = userIdentity(caller.principalArn, caller.accessKeyId, service);
    const resources = call.resources.map((k) => ({
      accountId: k.account,
      type: 'AWS::KMS::Key' as const,
      ARN: k.arn,
    }));
    const accounts = [call.account];
    for (const key of call.resources) if (!accounts.includes(key.account)) accounts.push(key.account);
    // CloudTrail record contents "sharedEventID": the records of one call delivered to several accounts share it.
    const sharedEventID = accounts.length > 1 ? globalThis.crypto.randomUUID() : undefined;
    for (const recipientAccountId of accounts) {
      if (!recipientAccountId) continue;
      // Built member by member, in CloudTrail's order (facts §3.1); the records of one call share their parts.
      const entry = {
        eventVersion: '1.11',
        userIdentity: identity,
        eventTime: eventTime(call.now),
        eventSource: 'kms.amazonaws.com',
        eventName: call.operation,
        awsRegion: call.region,
        sourceIPAddress: service ?? caller.sourceIp ?? '127.0.0.1',
        userAgent: service ?? caller.userAgent ?? 'kms-lab/1.0',
      } as TrailRecord;
      if (error) {
        entry.errorCode = error.type === 'AccessDeniedException' ? ACCESS_DENIED_ERROR_CODE : error.type;
        entry.errorMessage = error.message;
      }
      entry.requestParameters = requestParameters;
      entry.responseElements = error ? null : call.responseElements;
      if (call.additionalEventData && !error) entry.additionalEventData = call.additionalEventData;
      entry.requestID = call.requestId;
      entry.eventID = globalThis.crypto.randomUUID();
      entry.readOnly = READ_ONLY.has(call.operation);
      entry.resources = resources;
      entry.eventType = 'AwsApiCall';
      entry.managementEvent = true;
      entry.recipientAccountId = recipientAccountId;
      if (sharedEventID) entry.sharedEventID = sharedEventID;
      // CloudTrail record contents "vpcEndpointId": the endpoint a call from a VPC came through.
      if (caller.vpcEndpointId) entry.vpcEndpointId = caller.vpcEndpointId;
      entry.eventCategory = 'Management';
      trail.add(entry);
    }
  }

  function serviceEvent(
    eventName: string,
    key: KeyRecord,
    at: number,
    details: Record<string, unknown> = {},
  ) {
    // facts §3.4: KMS's own actions on the clock.
    trail.add({
      eventVersion: '1.11',
      userIdentity: { accountId: key.account, invokedBy: 'AWS Internal' },
      eventTime: eventTime(at),
      eventSource: 'kms.amazonaws.com',
      eventName,
      awsRegion: key.region,
      sourceIPAddress: 'AWS Internal',
      userAgent: 'AWS Internal',
      requestParameters: null,
      responseElements: null,
      requestID: globalThis.crypto.randomUUID(),
      eventID: globalThis.crypto.randomUUID(),
      readOnly: false,
      resources: [{ accountId: key.account, type: 'AWS::KMS::Key', ARN: key.arn }],
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      recipientAccountId: key.account,
      eventCategory: 'Management',
      serviceEventDetails: { keyId: key.keyId, ...details },
    });
  }

  /** The next thing that falls due on the clock, at or before `until`. */
  function nextDue(until: number): { at: number; run: () => Promise<void> } | undefined {
    let next: { at: number; run: () => Promise<void> } | undefined;
    const consider = (at: number | undefined, run: () => Promise<void>) => {
      if (at !== undefined && at <= until && (!next || at < next.at)) next = { at, run };
    };
    for (const key of Object.values(state.keys)) {
      // facts §2.3: no automatic rotation while disabled (it happens on re-enable) or pending deletion.
      if (key.rotation.enabled && key.state === 'Enabled')
        consider(key.rotation.nextRotation, async () => {
          await core.rotate(key, 'AUTOMATIC');
          key.rotation.nextRotation = state.now + key.rotation.periodInDays * DAY_MS;
          serviceEvent('RotateKey', key, state.now);
        });
      if (key.state === 'PendingDeletion')
        consider(key.deletionDate, async () => {
          // facts §2.8: the key, its aliases and its grants go; AWS writes a DeleteKey service event.
          delete state.keys[key.arn];
          for (const [arn, alias] of Object.entries(state.aliases))
            if (alias.targetKeyArn === key.arn) delete state.aliases[arn];
          state.grants = state.grants.filter((g) => g.keyArn !== key.arn);
          for (const m of key.materials) hsm.destroy(m.id);
          serviceEvent('DeleteKey', key, state.now);
        });
      for (const material of key.materials)
        if (material.importState === 'IMPORTED' && material.expirationModel === 'KEY_MATERIAL_EXPIRES')
          consider(material.validTo, async () => {
            deleteImportedMaterial(core, key, material);
            serviceEvent('DeleteExpiredKeyMaterial', key, state.now, { keyMaterialId: material.id });
          });
    }
    return next;
  }

  async function advanceTo(target: number): Promise<void> {
    if (!Number.isFinite(target)) throw new KmsError('ValidationException', 'The clock needs a finite time.');
    if (target < state.now) throw new KmsError('ValidationException', 'The lab clock only moves forward.');
    for (let due = nextDue(target); due; due = nextDue(target)) {
      state.now = Math.max(state.now, due.at);
      await due.run();
    }
    state.now = target;
    core.changed();
  }

  const clock: LabClock = {
    now: () => new Date(state.now),
    advance: (by) =>
      serialized(() =>
        advanceTo(
          state.now +
            ((by.days ?? 0) * 86_400 + (by.hours ?? 0) * 3_600 + (by.minutes ?? 0) * 60 + (by.seconds ?? 0)) *
              1000,
        ),
      ),
    advanceTo: (date) => serialized(() => advanceTo(date.getTime())),
  };

  async function perform(operation: string, request: KmsRequest, caller: KmsCaller): Promise<KmsResponse> {
    const call = new Call(
      core,
      operation,
      request,
      caller,
      caller.region ?? region,
      caller.requestId ?? globalThis.crypto.randomUUID(),
    );
    try {
      // Throttling comes first (quotas.ts): a request over its quota is not looked at further.
      if (quotas)
        quotas.admit(
          quotaOf(operation, request, (written) => call.peekKey(written)?.keySpec),
          call.account,
          call.region,
          call.now,
        );
      validateRequest(OPERATIONS[operation], request);
      const response = await OPERATION_HANDLERS[operation](call, request);
      record(call, undefined);
      return response;
    } catch (error) {
      // Never a stack trace to the caller: anything unexpected is AWS's internal error.
      const kmsError = isKmsError(error)
        ? error
        : new KmsError(
            'KMSInternalException',
            `The lab KMS failed: ${error instanceof Error ? error.message : String(error)}`,
          );
      record(call, kmsError);
      throw kmsError;
    }
  }

  const integration: ServiceIntegration = {
    async authorize(caller, action, resource) {
      await ready;
      authorizer.authorize({
        id: globalThis.crypto.randomUUID(),
        principal: caller.principalArn,
        action,
        sourceIp: caller.vpcEndpointId ? undefined : caller.sourceIp,
        vpcEndpoint: caller.vpcEndpointId,
        parameters: { resource },
      });
    },
    awsManagedKey: (spec) =>
      serialized(async () => {
        const existing = state.aliases[aliasArnOf(spec.region, spec.account, spec.alias)];
        if (existing) return existing.targetKeyArn;
        // [unknown] what CloudTrail records when a service creates the key: the lab records nothing.
        const key = await addKey(spec.region, spec.account, globalThis.crypto.randomUUID(), {
          manager: 'AWS',
          description: spec.description,
          policy: spec.policy,
          aliases: [spec.alias],
        });
        core.changed();
        return key.arn;
      }),
  };

  const kms: Kms = {
    accountId,
    region,
    trail,
    clock,
    ready,
    integration,
    async call(operation, request, caller) {
      if (!Object.hasOwn(OPERATION_HANDLERS, operation)) throw new KmsError('UnknownOperationException', ''); // the JSON 1.1 protocol's answer to an unknown target
      if (!caller || typeof caller.principalArn !== 'string')
        throw new KmsError('AccessDeniedException', 'The call has no caller.');
      await ready;
      if (READ_ONLY.has(operation)) return perform(operation, request ?? {}, caller);
      return serialized(() => perform(operation, request ?? {}, caller));
    },
    credentials() {
      return options.credentialsFor ? kms.principals().map(options.credentialsFor) : [];
    },
    principals() {
      const out = new Set<string>();
      const accounts = new Set<string>([accountId, ...Object.keys(base.accounts ?? {})]);
      for (const arn of Object.keys(base.principals ?? {})) {
        accounts.add(accountOfPrincipal(arn));
        const role = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
        out.add(role ? `arn:${role[1]}:sts::${role[2]}:assumed-role/${role[3]}/lab` : arn);
      }
      for (const key of Object.values(state.keys)) accounts.add(key.account);
      for (const account of accounts) if (account) out.add(`arn:aws:iam::${account}:root`);
      return [...out];
    },
    view: () => state,
    snapshot: () =>
      serialized(async () => ({
        version: 1 as const,
        region,
        accountId,
        state: JSON.parse(JSON.stringify(state)) as KmsState,
        trail: JSON.parse(JSON.stringify(trail.records)) as TrailRecord[],
        hsm: await hsm.snapshot(),
      })),
    restore: (snapshot) =>
      serialized(async () => {
        if (snapshot?.version !== 1)
          throw new KmsError('ValidationException', 'Unknown KMS snapshot version.');
        await hsm.restore(snapshot.hsm);
        state = JSON.parse(JSON.stringify(snapshot.state)) as KmsState;
        trail.replace(snapshot.trail);
        core.changed();
      }),
  };
  return kms;
}
