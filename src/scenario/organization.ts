/**
 * Reading a scenario's AWS Organizations tree (`Scenario.organization`, format version 2): which root, OUs and
 * account an account's guardrails come from, what is attached at each of those levels, and the org id and
 * entity path the engine derives condition keys from. Pure: the engine compiles what this returns.
 */
import type { NamedPolicy, Organization, OrgPolicy, OrgTarget, PolicyDocument, Scenario } from './types';

export type OrgPolicyKind = 'scp' | 'rcp';

/** Where a policy is attached: `'root'`, an OU id (`ou-…`) or an account id. */
export type OrgTargetId = string;

/** The AWS managed organization policies a scenario may name instead of writing them out. */
export const AWS_MANAGED_ORG_POLICIES: Record<OrgPolicyKind, { name: string; document: PolicyDocument }> = {
  // Organizations attaches FullAWSAccess to every root, OU and account when SCPs are enabled (SCP page).
  scp: {
    name: 'FullAWSAccess',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    },
  },
  // RCPFullAWSAccess is attached to the root, every OU and every account and cannot be detached (RCPK).
  rcp: {
    name: 'RCPFullAWSAccess',
    document: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
    },
  },
};

/** One attached policy, ready to compile. `index` is its place in the target's list (absent: implied by AWS). */
export interface AttachedPolicy {
  name?: string;
  document: PolicyDocument;
  index?: number;
  /** True for FullAWSAccess / RCPFullAWSAccess (written by name or implied). */
  awsManaged: boolean;
}

/** One level of the path from the root down to an account: every level must allow (SCPs). */
export interface OrgLevel {
  target: OrgTargetId;
  /** 0 for the root, 1 for an OU under it, …; the account is the deepest. */
  depth: number;
  /** "the root", "OU Workloads (ou-ab12-11111111)", "account 111122223333". */
  label: string;
  policies: AttachedPolicy[];
}

/** The document of an attachment, whether written bare, named, or as the name of an AWS managed policy. */
export function attachedPolicy(kind: OrgPolicyKind, policy: OrgPolicy, index: number): AttachedPolicy {
  if (typeof policy === 'string') {
    const managed = AWS_MANAGED_ORG_POLICIES[kind];
    // The schema only lets the managed policy's own name through; anything else was reported at load.
    return { name: policy, document: managed.document, index, awsManaged: policy === managed.name };
  }
  const named = policy as NamedPolicy;
  if (
    'document' in named &&
    typeof named.name === 'string' &&
    named.document &&
    typeof named.document === 'object'
  )
    return { name: named.name, document: named.document as PolicyDocument, index, awsManaged: false };
  return { document: policy as PolicyDocument, index, awsManaged: false };
}

/** The default root id when the scenario gives none: `r-` and the first four characters of the org id. */
export function orgRootId(org: Organization): string {
  return org.rootId ?? `r-${(org.id?.slice(2, 6) ?? 'root').padEnd(4, '0')}`;
}

/** Whether the account belongs to the scenario's organization (listed, or its management account). */
export function isOrgMember(org: Organization | undefined, account: string): boolean {
  return !!org && (org.accounts?.[account] !== undefined || org.managementAccount === account);
}

/** The OU ids from the root down to the account's own OU (empty: directly under the root). Cycle-safe. */
export function unitChain(org: Organization, account: string): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  let unit = org.accounts?.[account]?.unit;
  while (unit !== undefined && !seen.has(unit)) {
    seen.add(unit);
    chain.unshift(unit);
    unit = org.units?.[unit]?.parent;
  }
  return chain;
}

function attachments(kind: OrgPolicyKind, target: OrgTarget | undefined): AttachedPolicy[] {
  const written =
    (kind === 'scp' ? target?.scps : target?.rcps)?.map((p, i) => attachedPolicy(kind, p, i)) ?? [];
  if (kind === 'scp') {
    // Omitted: AWS's default attachment (SCP page). The schema refuses an empty list.
    return written.length > 0 ? written : [{ ...AWS_MANAGED_ORG_POLICIES.scp, awsManaged: true }];
  }
  // RCPFullAWSAccess is always there (RCPK); written again by name, it is not doubled.
  const managed = AWS_MANAGED_ORG_POLICIES.rcp;
  return written.some((p) => p.awsManaged) ? written : [{ ...managed, awsManaged: true }, ...written];
}

/**
 * The levels whose policies of this kind apply to an account, from the root down to the account itself.
 * Empty when the account is outside the organization.
 */
export function orgLevels(org: Organization | undefined, account: string, kind: OrgPolicyKind): OrgLevel[] {
  if (!org || !isOrgMember(org, account)) return [];
  const chain = unitChain(org, account);
  return [
    { target: 'root', depth: 0, label: 'the root', policies: attachments(kind, org.root) },
    ...chain.map((unit, i) => ({
      target: unit,
      depth: i + 1,
      label: unitLabel(org, unit),
      policies: attachments(kind, org.units?.[unit]),
    })),
    {
      target: account,
      depth: chain.length + 1,
      label: `account ${account}`,
      policies: attachments(kind, org.accounts?.[account]),
    },
  ];
}

export function unitLabel(org: Organization, unit: string): string {
  const name = org.units?.[unit]?.name;
  return name ? `OU ${name} (${unit})` : `OU ${unit}`;
}

/** What is attached at one target (for the policy list and ids); `'root'` names the root. */
export function orgTarget(org: Organization, target: OrgTargetId): OrgTarget | undefined {
  if (target === 'root') return org.root;
  return target.startsWith('ou-') ? org.units?.[target] : org.accounts?.[target];
}

/** Every target of the organization that has policies written out, root first, then OUs, then accounts. */
export function orgTargets(org: Organization | undefined): [OrgTargetId, OrgTarget][] {
  if (!org) return [];
  const targets: [OrgTargetId, OrgTarget][] = [];
  if (org.root) targets.push(['root', org.root]);
  for (const [id, unit] of Object.entries(org.units ?? {})) targets.push([id, unit]);
  for (const [id, account] of Object.entries(org.accounts ?? {})) targets.push([id, account]);
  return targets;
}

/** The organization an account belongs to and its entity path, for aws:PrincipalOrgID/Paths, aws:ResourceOrgID/Paths. */
export interface OrgMembership {
  id?: string;
  /**
   * The path of the account's place in the organization: `o-…/r-…/ou-…/…/` down to the OU the account is in
   * (IAM global condition keys page, aws:PrincipalOrgPaths). Absent outside the scenario's organization tree.
   */
  path?: string;
}

export function orgMembership(scenario: Scenario, account: string): OrgMembership {
  const org = scenario.organization;
  const own = scenario.accounts?.[account]?.organizationId;
  if (!org || !isOrgMember(org, account)) return own ? { id: own } : {};
  const id = org.id ?? own;
  if (!id) return {};
  return { id, path: [id, orgRootId(org), ...unitChain(org, account)].join('/') + '/' };
}

// ---- Checks the schema cannot express (reported by the loader with their paths) ----

export interface OrganizationProblem {
  path: (string | number)[];
  message: string;
}

/** Parents and units that exist, no cycles, policy names AWS knows, one org id per account. Defensive. */
export function organizationProblems(raw: Record<string, unknown>): OrganizationProblem[] {
  const org = raw.organization;
  if (!isRecord(org)) return [];
  const problems: OrganizationProblem[] = [];
  const units = isRecord(org.units) ? org.units : {};
  const members = isRecord(org.accounts) ? org.accounts : {};

  for (const [id, unit] of Object.entries(units)) {
    if (!isRecord(unit)) continue;
    if (typeof unit.parent === 'string' && !(unit.parent in units))
      problems.push({
        path: ['organization', 'units', id, 'parent'],
        message: `no OU "${unit.parent}" under "organization.units"`,
      });
    const seen = new Set<string>([id]);
    for (let parent = unit.parent; typeof parent === 'string' && parent in units;) {
      if (seen.has(parent)) {
        // An OU tree has one parent per OU, ending at the root (Organizations: OrganizationalUnit).
        problems.push({
          path: ['organization', 'units', id, 'parent'],
          message: "the OUs' parents form a loop; every OU must lead up to the root",
        });
        break;
      }
      seen.add(parent);
      const next = units[parent];
      parent = isRecord(next) ? next.parent : undefined;
    }
  }
  const accounts = isRecord(raw.accounts) ? raw.accounts : {};
  for (const [id, member] of Object.entries(members)) {
    if (!isRecord(member)) continue;
    if (typeof member.unit === 'string' && !(member.unit in units))
      problems.push({
        path: ['organization', 'accounts', id, 'unit'],
        message: `no OU "${member.unit}" under "organization.units"`,
      });
    const own = isRecord(accounts[id]) ? accounts[id].organizationId : undefined;
    if (typeof own === 'string' && typeof org.id === 'string' && own !== org.id)
      problems.push({
        path: ['accounts', id, 'organizationId'],
        message: `the account is a member of organization ${org.id} ("organization.accounts"), not ${own}; an account belongs to one organization`,
      });
  }

  const targets: [(string | number)[], unknown][] = [
    [['organization', 'root'], org.root],
    ...Object.entries(units).map(([id, u]): [(string | number)[], unknown] => [
      ['organization', 'units', id],
      u,
    ]),
    ...Object.entries(members).map(([id, a]): [(string | number)[], unknown] => [
      ['organization', 'accounts', id],
      a,
    ]),
  ];
  for (const [path, target] of targets) {
    if (!isRecord(target)) continue;
    for (const kind of ['scp', 'rcp'] as const) {
      const list = target[kind === 'scp' ? 'scps' : 'rcps'];
      if (!Array.isArray(list)) continue;
      list.forEach((policy, index) => {
        const managed = AWS_MANAGED_ORG_POLICIES[kind].name;
        if (typeof policy === 'string' && policy !== managed)
          problems.push({
            path: [...path, kind === 'scp' ? 'scps' : 'rcps', index],
            message: `"${policy}" is not an AWS managed ${kind.toUpperCase()} this lab knows; write the policy document, or "${managed}"`,
          });
      });
    }
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
