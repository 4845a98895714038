/**
 * A scenario prepared for evaluation: every policy parsed and compiled once, keys and aliases indexed, roles
 * findable from their sessions. Built by `prepareScenario`; read by the evaluator.
 */
import type {
  GrantSpec,
  KeySpecEntry,
  NamedPolicy,
  PolicyDocument,
  PrincipalSpec,
  Scenario,
} from '../scenario/types';
import type { PolicyId, PolicyLayer } from './types';
import { parsePolicyDocument, parsePolicyText, type ParsedPolicy } from './parse';
import { compilePolicy, type CompiledPolicy } from './compile';
import { classifyPrincipal, parseKmsArn } from './arn';
import { policyId } from './policy-ids';
import type { ContextEntries, ResolvedKey } from './context';
import {
  orgLevels,
  orgMembership,
  type AttachedPolicy,
  type OrgLevel,
  type OrgMembership,
  type OrgPolicyKind,
} from '../scenario/organization';
import { BoundedCache } from './bounded-cache';
import { MAX_DECISION_SHAPES, MAX_DECISIONS, type ScenarioReads } from './evaluate/decision-cache';

/**
 * How many callers (principal strings) a prepared scenario remembers, and how many caller classes (a role, shared by
 * all its sessions; a user; a root; a service). Beyond that the least recently used are forgotten and rebuilt when
 * they call again, so memory stays bounded whatever the number of callers (a replayed trail may have millions of
 * sessions). A remembered caller costs about 1 KB; a class, a few KB (its context keys and record templates).
 */
export const MAX_CALLERS = 4096;
export const MAX_CALLER_CLASSES = 1024;

export interface PreparedKey extends ResolvedKey {
  keyId: string;
  /** The context keys that depend only on the key, built on first use. */
  contextEntries?: ContextEntries;
  policy?: CompiledPolicy;
  grants: GrantSpec[];
}

export interface PreparedPrincipal {
  arn: string;
  spec: PrincipalSpec;
  identityPolicies: CompiledPolicy[];
  boundary?: CompiledPolicy;
}

export interface World {
  scenario: Scenario;
  keys: Map<string, PreparedKey>;
  /** `<account>|<alias name>` → keys with that alias (several regions possible). */
  aliases: Map<string, PreparedKey[]>;
  /** `<account>|<key id>` → keys. */
  keyIds: Map<string, PreparedKey[]>;
  principals: Map<string, PreparedPrincipal>;
  /** `<account>|<role name>` → the role's ARN as the scenario writes it (with its path). */
  roles: Map<string, string>;
  /** The SCPs / RCPs in force for an account, root level first (built on first need, see `guardrailPolicies`). */
  scps: Map<string, CompiledPolicy[]>;
  rcps: Map<string, CompiledPolicy[]>;
  /** Organization policies compiled once per target and kind: `scp|root`, `rcp|ou-…`, `scp|111122223333`. */
  orgPolicies: Map<string, CompiledPolicy[]>;
  /** aws:PrincipalOrgID/Paths and aws:ResourceOrgID/Paths per account. */
  orgMemberships: Map<string, OrgMembership>;
  endpoints: Map<string, { vpcId?: string; policy?: CompiledPolicy }>;
  /** Session policies, compiled on first use per document object. */
  sessionPolicies: WeakMap<PolicyDocument, CompiledPolicy>;
  sources: Record<PolicyId, string>;
  /** Fixed per prepared scenario so results are stable (aws:CurrentTime, aws:EpochTime). */
  now: { iso: string[]; epoch: string[] };
  /** Per principal string: the caller, its name and notes (evaluate/caller.ts). Bounded: `MAX_CALLERS`. */
  callers: BoundedCache<string, unknown>;
  /** Principal strings seen once (a caller is cached from its second call). Bounded: `MAX_CALLERS`. */
  seenOnce: BoundedCache<string, true>;
  /**
   * What callers of one class share: the scenario principal, its tags and the context keys that depend only on it
   * (every session of a role has the same ones). Bounded: `MAX_CALLER_CLASSES`.
   */
  callerClasses: BoundedCache<string, unknown>;
  /** Traced decisions by the decision-relevant shape of their request (evaluate/decision-cache.ts). Bounded. */
  decisions: BoundedCache<string, unknown>;
  /** Decision shapes seen once (a decision is kept from its shape's second time). Bounded: `MAX_DECISION_SHAPES`. */
  decisionShapesSeen: BoundedCache<string, true>;
  /** Decisions in a row the cache could not answer (it then only samples shapes, evaluate/decision-cache.ts). */
  decisionMisses: number;
  /** What the scenario's policies can read of a request, found on the first decision (evaluate/decision-cache.ts). */
  reads?: ScenarioReads;
}

/**
 * Parses a policy for evaluation. The editor text (from `sources`) gives the ranges when it is valid JSON and
 * says the same as the document; otherwise the ranges refer to `JSON.stringify(doc, null, 2)`.
 */
export function parseForWorld(document: unknown, text: string | undefined): ParsedPolicy {
  if (text !== undefined) {
    const parsed = parsePolicyText(text);
    if (parsed.syntaxErrors.length === 0 && JSON.stringify(parsed.value) === JSON.stringify(document))
      return parsed;
  }
  return parsePolicyDocument(document);
}

function namedDocument(policy: NamedPolicy): { name?: string; document: PolicyDocument } {
  if (
    policy &&
    typeof policy === 'object' &&
    'document' in policy &&
    typeof policy.name === 'string' &&
    policy.document &&
    typeof policy.document === 'object'
  ) {
    return { name: policy.name, document: policy.document as PolicyDocument };
  }
  return { document: policy as PolicyDocument };
}

export function shortName(arn: string): string {
  const info = classifyPrincipal(arn);
  switch (info.kind) {
    case 'assumed-role':
      return `${info.roleName}/${info.sessionName}`;
    case 'root':
      return `the root user of ${info.account}`;
    case 'user':
    case 'role':
    case 'federated-user':
      return info.name;
    default:
      return arn;
  }
}

function appendTo<T>(map: Map<string, T[]>, name: string, item: T): void {
  const list = map.get(name);
  if (list) list.push(item);
  else map.set(name, [item]);
}

export function buildWorld(
  scenario: Scenario,
  sources: Record<PolicyId, string> = {},
  now = new Date(),
): World {
  const compile = (document: unknown, id: PolicyId, layer: PolicyLayer, label: string): CompiledPolicy =>
    compilePolicy(parseForWorld(document, sources[id]), id, layer, label);

  const world: World = {
    scenario,
    keys: new Map(),
    aliases: new Map(),
    keyIds: new Map(),
    principals: new Map(),
    roles: new Map(),
    scps: new Map(),
    rcps: new Map(),
    orgPolicies: new Map(),
    orgMemberships: new Map(),
    endpoints: new Map(),
    sessionPolicies: new WeakMap(),
    sources,
    now: { iso: [now.toISOString()], epoch: [String(Math.floor(now.getTime() / 1000))] },
    callers: new BoundedCache(MAX_CALLERS),
    seenOnce: new BoundedCache(MAX_CALLERS),
    callerClasses: new BoundedCache(MAX_CALLER_CLASSES),
    decisions: new BoundedCache(MAX_DECISIONS),
    decisionShapesSeen: new BoundedCache(MAX_DECISION_SHAPES),
    decisionMisses: 0,
  };

  for (const [arn, entry] of Object.entries(scenario.keys ?? {})) {
    const parsed = parseKmsArn(arn);
    const key: PreparedKey = {
      arn,
      entry: entry ?? ({} as KeySpecEntry),
      partition: parsed?.partition ?? 'aws',
      region: parsed?.region ?? '',
      account: parsed?.account ?? '',
      keyId: parsed?.id ?? arn,
      grants: [],
    };
    if (entry?.policy)
      key.policy = compile(entry.policy, policyId({ layer: 'key', keyArn: arn }), 'key', 'key policy');
    world.keys.set(arn, key);
    // Appended in place: copying the list for each key made many keys sharing an id or alias quadratic.
    appendTo(world.keyIds, `${key.account}|${key.keyId}`, key);
    for (const alias of entry?.aliases ?? []) appendTo(world.aliases, `${key.account}|${alias}`, key);
  }
  for (const grant of scenario.grants ?? []) world.keys.get(grant.keyArn)?.grants.push(grant);

  for (const [arn, spec] of Object.entries(scenario.principals ?? {})) {
    const principalSpec = spec ?? {};
    const identityPolicies = (principalSpec.policies ?? []).map((policy, index) => {
      const { name, document } = namedDocument(policy);
      const label = name ? `identity policy "${name}"` : `identity policy ${index + 1}`;
      return compile(document, policyId({ layer: 'identity', principalArn: arn, index }), 'identity', label);
    });
    const boundary = principalSpec.permissionsBoundary
      ? compile(
          principalSpec.permissionsBoundary,
          policyId({ layer: 'boundary', principalArn: arn }),
          'boundary',
          'permissions boundary',
        )
      : undefined;
    world.principals.set(arn, { arn, spec: principalSpec, identityPolicies, boundary });
    const info = classifyPrincipal(arn);
    if (info.kind === 'role' && info.roleName) world.roles.set(`${info.account}|${info.roleName}`, arn);
  }

  for (const [vpceId, endpoint] of Object.entries(scenario.vpcEndpoints ?? {})) {
    world.endpoints.set(vpceId, {
      vpcId: endpoint?.vpcId,
      policy: endpoint?.policy
        ? compile(
            endpoint.policy,
            policyId({ layer: 'endpoint', vpceId }),
            'endpoint',
            `endpoint policy of ${vpceId}`,
          )
        : undefined,
    });
  }
  return world;
}

/**
 * The SCPs or RCPs in force for an account, from the root down to the account, each tagged with its level
 * (IAM-EVAL: every level must allow; RCPK: RCPFullAWSAccess at every level). Empty outside the organization.
 */
export function guardrailPolicies(world: World, kind: OrgPolicyKind, account: string): CompiledPolicy[] {
  const cache = kind === 'scp' ? world.scps : world.rcps;
  let policies = cache.get(account);
  if (!policies) {
    policies = [];
    for (const level of orgLevels(world.scenario.organization, account, kind)) {
      const key = `${kind}|${level.target}`;
      let compiled = world.orgPolicies.get(key);
      if (!compiled) {
        // RCPFullAWSAccess is on every level and allows everything (RCPK), so only the written RCPs, which may
        // only Deny, can change a decision: the RCP check needs no Allow from each level.
        compiled = level.policies
          .filter((attached) => kind === 'scp' || !attached.awsManaged)
          .map((attached) => compileOrgPolicy(world, kind, level, attached));
        world.orgPolicies.set(key, compiled);
      }
      policies.push(...compiled);
    }
    cache.set(account, policies);
  }
  return policies;
}

function compileOrgPolicy(
  world: World,
  kind: OrgPolicyKind,
  level: OrgLevel,
  attached: AttachedPolicy,
): CompiledPolicy {
  const id =
    attached.index !== undefined
      ? policyId({ layer: kind, target: level.target, index: attached.index })
      : `${kind}:${level.target}#${attached.name}`;
  const name = attached.name ? `"${attached.name}"` : `${attached.index! + 1}`;
  const compiled = compilePolicy(
    parseForWorld(attached.document, world.sources[id]),
    id,
    kind,
    `${kind.toUpperCase()} ${name} on ${level.label}`,
  );
  compiled.orgLevel = { depth: level.depth, label: level.label };
  return compiled;
}

/** The organization an account is in and its entity path (for aws:PrincipalOrgID, aws:PrincipalOrgPaths, …). */
export function orgMembershipOf(world: World, account: string): OrgMembership {
  let membership = world.orgMemberships.get(account);
  if (!membership) {
    membership = orgMembership(world.scenario, account);
    world.orgMemberships.set(account, membership);
  }
  return membership;
}

/** The compiled session policy of a request (cached per document). */
export function sessionPolicyFor(world: World, requestId: string, document: PolicyDocument): CompiledPolicy {
  let compiled = world.sessionPolicies.get(document);
  if (!compiled) {
    const id = policyId({ layer: 'session', requestId });
    compiled = compilePolicy(parseForWorld(document, world.sources[id]), id, 'session', 'session policy');
    world.sessionPolicies.set(document, compiled);
  }
  return compiled;
}
