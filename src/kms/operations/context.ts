/**
 * What an operation works with: the KMS core (state, HSM, authorizer) and the call in progress (caller, Region,
 * the keys it touched and what its CloudTrail record will say). Resolution of key ids follows the KMS API
 * reference ("KeyId"): key id, key ARN, alias name, alias ARN; the messages are AWS's (conformance describekey-*).
 */
import type { KmsCaller, KmsRequest, KmsResponse } from '../api';
import type { RequestSpec } from '../../scenario/types';
import type { Authorizer } from '../authorize';
import { KmsError } from '../errors';
import type { Hsm } from '../hsm';
import { accountOfPrincipal } from '../identity';
import { stateRefusal, type StateGroup } from '../key-states';
import { aliasArnOf, keyArnOf, partitionOf, type KeyRecord, type KmsState } from '../kms-state';

export interface KmsOptions {
  /** RotateKeyOnDemand limit per key (rotating-keys-on-demand: 25 in the current guide; it was 10). */
  onDemandRotationLimit: number;
  /** Seconds until a new grant works without its grant token (API CreateGrant: "up to five minutes"). */
  grantPropagationSeconds: number;
}

export interface Core {
  state: KmsState;
  hsm: Hsm;
  authorizer: Authorizer;
  options: KmsOptions;
  /** Something the engine reads changed: authorize on the new state. */
  changed(): void;
  /** Rotates a key's material now (automatic or on demand). */
  rotate(key: KeyRecord, type: 'AUTOMATIC' | 'ON_DEMAND'): Promise<void>;
}

const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const KMS_ARN = /^arn:([^:]+):kms:([^:]*):(\d{12}):(key|alias)\/(.+)$/;

export class Call {
  readonly account: string;
  readonly partition: string;
  readonly now: number;
  /** The keys the call used, in order (CloudTrail `resources`). */
  readonly resources: KeyRecord[] = [];
  responseElements: Record<string, unknown> | null = null;
  additionalEventData: Record<string, unknown> | undefined;
  /** Members CloudTrail's requestParameters shows although the caller left them out (Decrypt's algorithm). */
  readonly impliedParameters: Record<string, unknown> = {};

  constructor(
    readonly core: Core,
    readonly operation: string,
    readonly request: KmsRequest,
    readonly caller: KmsCaller,
    readonly region: string,
    readonly requestId: string,
  ) {
    this.account = accountOfPrincipal(caller.principalArn);
    this.partition = partitionOf(region);
    this.now = core.state.now;
  }

  get state(): KmsState {
    return this.core.state;
  }

  used(key: KeyRecord): KeyRecord {
    if (!this.resources.includes(key)) this.resources.push(key);
    return key;
  }

  /**
   * The key a KeyId names. `alias: false` for the operations that take only a key id or key ARN (API reference of
   * each, "KeyId"). Throws NotFoundException with AWS's messages.
   */
  key(written: string, options: { alias: boolean } = { alias: true }): KeyRecord {
    return this.used(this.resolve(written, options));
  }

  /** The key a KeyId names, if any, without counting it as used (request quotas look before the call runs). */
  peekKey(written: string): KeyRecord | undefined {
    try {
      return this.resolve(written, { alias: true });
    } catch {
      return undefined;
    }
  }

  private resolve(written: string, options: { alias: boolean }): KeyRecord {
    const arn = KMS_ARN.exec(written);
    if (arn) {
      const [, , region, account, type, rest] = arn;
      if (region !== this.region) throw new KmsError('NotFoundException', `Invalid arn ${region}`);
      if (type === 'alias') {
        const alias = options.alias ? this.state.aliases[written] : undefined;
        if (!options.alias) throw new KmsError('NotFoundException', `Invalid keyId '${written}'`);
        if (!alias) throw new KmsError('NotFoundException', `Alias ${written} is not found.`);
        return this.state.keys[alias.targetKeyArn];
      }
      const key = this.state.keys[keyArnOf(region, account, rest)];
      if (!key) throw new KmsError('NotFoundException', `Key '${written}' does not exist`);
      return key;
    }
    if (written.startsWith('alias/')) {
      if (!options.alias) throw new KmsError('NotFoundException', `Invalid keyId '${written}'`);
      const aliasArn = aliasArnOf(this.region, this.account, written);
      const alias = this.state.aliases[aliasArn];
      if (!alias) throw new KmsError('NotFoundException', `Alias ${aliasArn} is not found.`);
      return this.state.keys[alias.targetKeyArn];
    }
    if (!KEY_ID.test(written)) throw new KmsError('NotFoundException', `Invalid keyId '${written}'`);
    const keyArn = keyArnOf(this.region, this.account, written);
    const key = this.state.keys[keyArn];
    if (!key) throw new KmsError('NotFoundException', `Key '${keyArn}' does not exist`);
    return key;
  }

  /** The request as the engine reads it (lab-design §2 requests), for `action` on `keyId` as the caller wrote it. */
  engineRequest(extra: Partial<RequestSpec> = {}): RequestSpec {
    const parameters: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(this.request))
      if (!(value instanceof Uint8Array) && name !== 'GrantTokens' && name !== 'EncryptionContext')
        parameters[name] = value;
    const caller = this.caller;
    return {
      id: this.requestId,
      principal: caller.principalArn,
      action: `kms:${this.operation}`,
      encryptionContext: this.request.EncryptionContext as Record<string, string> | undefined,
      grantTokens: this.canonicalTokens(),
      sourceIp: caller.vpcEndpointId ? undefined : caller.sourceIp,
      vpcEndpoint: caller.vpcEndpointId,
      viaService: caller.viaService,
      parameters,
      ...extra,
    };
  }

  /** The KeyId for the engine: as written, with a bare alias name made an alias ARN of this Region. */
  engineKeyId(written: string | undefined, key: KeyRecord): string {
    if (!written) return key.arn;
    if (written.startsWith('alias/')) return aliasArnOf(this.region, this.account, written);
    return written.startsWith('arn:') ? written : key.arn;
  }

  /** Authorizes the call on `key` (or an IAM-only call without one) through the engine. */
  authorize(key: KeyRecord | undefined, written?: string, extra: Partial<RequestSpec> = {}): void {
    this.core.authorizer.authorize(
      this.engineRequest({ keyId: key ? this.engineKeyId(written, key) : undefined, ...extra }),
    );
  }

  /** GR: every token of a grant opens it; the engine knows each grant by its first token. */
  private canonicalTokens(): string[] | undefined {
    const tokens = this.request.GrantTokens as string[] | undefined;
    if (!tokens) return undefined;
    return tokens.map((token) => {
      const grant = this.state.grants.find((g) => g.tokens.includes(token));
      if (grant) return grant.tokens[0];
      if (!/^[A-Za-z0-9_-]{16,8192}$/.test(token))
        throw new KmsError('InvalidGrantTokenException', 'Invalid grant token');
      return token;
    });
  }

  /** KS: refuses the call when the key's state does not allow this group of operations. */
  requireState(group: StateGroup, key: KeyRecord): void {
    const refusal = stateRefusal(group, key.state, key.arn);
    if (refusal) throw new KmsError(refusal.type, refusal.message);
  }

  /** AWS managed keys cannot be changed (developer guide "AWS managed keys"); the exception is [unknown]. */
  requireCustomerManaged(key: KeyRecord): void {
    if (key.manager === 'AWS')
      throw new KmsError(
        'UnsupportedOperationException',
        `${key.arn} is an AWS managed key; you cannot perform ${this.operation} on it.`,
      );
  }
}

export type Operation = (call: Call, request: KmsRequest) => Promise<KmsResponse>;

/** ISO dates become `Date` in responses (api.ts: timestamps as Date). */
export const date = (ms: number | undefined): Date | undefined =>
  ms === undefined ? undefined : new Date(ms);

/** Drops members whose value is undefined, so that absent members are absent. */
export function compact<T extends Record<string, unknown>>(record: T): T {
  for (const k of Object.keys(record)) if (record[k] === undefined) delete record[k];
  return record;
}
