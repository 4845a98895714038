/**
 * Pure, immutable edits of a scenario for the lab's scenario panel: add, rename and remove accounts,
 * principals, keys, grants, VPC endpoints and requests; the organization's OUs, member accounts, management
 * account, and the SCPs and RCPs attached to its root, OUs and accounts. A rename also rewrites the references to
 * the renamed thing (requests, grants) and tells the caller how policy ids moved (`renamePolicyId`), so the
 * editors keep their texts.
 */
import { parsePolicyId, policyId } from '../engine/policy-ids';
import { defaultKeyPolicy } from '../scenario/default-key-policy';
import type { PolicyId } from '../engine/types';
import {
  AWS_MANAGED_ORG_POLICIES,
  attachedPolicy,
  isOrgMember,
  orgRootId,
  orgTarget,
  orgTargets,
  type OrgPolicyKind,
  type OrgTargetId,
} from '../scenario/organization';
import type {
  GrantSpec,
  KeySpecEntry,
  Organization,
  OrgAccount,
  OrgPolicy,
  OrgTarget,
  OrgUnit,
  PolicyDocument,
  PrincipalSpec,
  RequestSpec,
  Scenario,
} from '../scenario/types';

export const DEFAULT_ACCOUNT = '111122223333';

/** The account id inside an ARN (`arn:aws:iam::111122223333:role/x` → `111122223333`), or '' when there is none. */
export function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}

/** A statement that allows everything, the shape AWS gives a new SCP/RCP/endpoint policy (FullAWSAccess). */
export function allowAllPolicy(withPrincipal: boolean): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', ...(withPrincipal ? { Principal: '*' } : {}), Action: '*', Resource: '*' },
    ],
  };
}

export function emptyIdentityPolicy(): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: '*' }] };
}

/** A name not yet used among `taken`: `base`, then `base-2`, `base-3`… */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

function randomKeyId(existing: Iterable<string>): string {
  const used = new Set(existing);
  for (let n = 1; ; n++) {
    const hex = n.toString(16).padStart(4, '0');
    const id = `${hex}abcd-12ab-34cd-56ef-1234567890ab`;
    if (![...used].some((arn) => arn.endsWith(id))) return id;
  }
}

// ---------------------------------------------------------------- accounts

export function addAccount(scenario: Scenario, accountId: string, name?: string): Scenario {
  if (scenario.accounts?.[accountId]) return scenario;
  return { ...scenario, accounts: { ...scenario.accounts, [accountId]: name ? { name } : {} } };
}

export function renameAccountLabel(scenario: Scenario, accountId: string, name: string): Scenario {
  const account = scenario.accounts?.[accountId] ?? {};
  return { ...scenario, accounts: { ...scenario.accounts, [accountId]: { ...account, name } } };
}

export function removeAccount(scenario: Scenario, accountId: string): Scenario {
  const accounts = { ...scenario.accounts };
  delete accounts[accountId];
  const org = scenario.organization;
  if (!org) return { ...scenario, accounts };
  // The account leaves the organization too, with the SCPs and RCPs attached to it.
  const organization: Organization = { ...org, accounts: withoutKey(org.accounts, accountId) };
  if (org.managementAccount === accountId) delete organization.managementAccount;
  return { ...scenario, accounts, organization };
}

function withoutKey<T>(record: Record<string, T> | undefined, key: string): Record<string, T> | undefined {
  if (!record) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}

function renameKeyOf<T>(
  record: Record<string, T> | undefined,
  from: string,
  to: string,
): Record<string, T> | undefined {
  if (!record || !(from in record)) return record;
  // Keep the order of entries so the panel does not jump.
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k === from ? to : k, v]));
}

// ---------------------------------------------------------------- principals

export type PrincipalKind = 'user' | 'role';

export function principalArn(accountId: string, kind: PrincipalKind, name: string): string {
  return `arn:aws:iam::${accountId}:${kind}/${name}`;
}

/** The ARN of a session of `roleArn` (an assumed-role ARN, the caller of most real requests). */
export function sessionArn(roleArn: string, sessionName: string): string {
  const account = accountOfArn(roleArn);
  const roleName = roleArn.split(':role/')[1]?.split('/').pop() ?? 'Role';
  return `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
}

export function addPrincipal(
  scenario: Scenario,
  arn: string,
  spec: PrincipalSpec = { policies: [] },
): Scenario {
  if (scenario.principals?.[arn]) return scenario;
  return { ...scenario, principals: { ...scenario.principals, [arn]: spec } };
}

export function removePrincipal(scenario: Scenario, arn: string): Scenario {
  return {
    ...scenario,
    principals: withoutKey(scenario.principals, arn),
    grants: scenario.grants?.filter((grant) => grant.granteePrincipal !== arn),
  };
}

/** Renames a principal and every reference to it (requests, grants, session ARNs of a role). */
export function renamePrincipal(scenario: Scenario, from: string, to: string): Scenario {
  if (from === to || !scenario.principals?.[from] || scenario.principals[to]) return scenario;
  const fromSession = sessionPrefix(from);
  const toSession = sessionPrefix(to);
  const renameRef = (arn: string): string => {
    if (arn === from) return to;
    if (fromSession && toSession && arn.startsWith(fromSession))
      return toSession + arn.slice(fromSession.length);
    return arn;
  };
  return {
    ...scenario,
    principals: renameKeyOf(scenario.principals, from, to),
    grants: scenario.grants?.map((grant) => ({
      ...grant,
      granteePrincipal: renameRef(grant.granteePrincipal),
      ...(grant.retiringPrincipal ? { retiringPrincipal: renameRef(grant.retiringPrincipal) } : {}),
    })),
    requests: scenario.requests?.map((request) => ({ ...request, principal: renameRef(request.principal) })),
  };
}

/** `arn:aws:sts::<acct>:assumed-role/<Role>/` for a role ARN, so the role's sessions follow a rename. */
function sessionPrefix(roleArn: string): string | undefined {
  const match = /^arn:aws:iam::(\d*):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return match ? `arn:aws:sts::${match[1]}:assumed-role/${match[2]}/` : undefined;
}

export function addIdentityPolicy(
  scenario: Scenario,
  arn: string,
  name: string,
  document = emptyIdentityPolicy(),
): Scenario {
  const principal = scenario.principals?.[arn];
  if (!principal) return scenario;
  const policies = [...(principal.policies ?? []), { name, document }];
  return { ...scenario, principals: { ...scenario.principals, [arn]: { ...principal, policies } } };
}

export function removeIdentityPolicy(scenario: Scenario, arn: string, index: number): Scenario {
  const principal = scenario.principals?.[arn];
  if (!principal?.policies) return scenario;
  const policies = principal.policies.filter((_, i) => i !== index);
  return { ...scenario, principals: { ...scenario.principals, [arn]: { ...principal, policies } } };
}

export function setBoundary(scenario: Scenario, arn: string, document: PolicyDocument | undefined): Scenario {
  const principal = scenario.principals?.[arn];
  if (!principal) return scenario;
  const next: PrincipalSpec = { ...principal };
  if (document) next.permissionsBoundary = document;
  else delete next.permissionsBoundary;
  return { ...scenario, principals: { ...scenario.principals, [arn]: next } };
}

// ---------------------------------------------------------------- keys

export function newKeyArn(scenario: Scenario, accountId = DEFAULT_ACCOUNT, region = 'us-east-1'): string {
  return `arn:aws:kms:${region}:${accountId}:key/${randomKeyId(Object.keys(scenario.keys ?? {}))}`;
}

export function addKey(scenario: Scenario, keyArn: string, entry?: Partial<KeySpecEntry>): Scenario {
  if (scenario.keys?.[keyArn]) return scenario;
  const key: KeySpecEntry = {
    manager: 'CUSTOMER',
    state: 'Enabled',
    origin: 'AWS_KMS',
    aliases: [],
    policy: defaultKeyPolicy(accountOfArn(keyArn) || DEFAULT_ACCOUNT),
    ...entry,
  };
  return { ...scenario, keys: { ...scenario.keys, [keyArn]: key } };
}

/** Changes the key's fields other than its policy (state, manager, origin, aliases, description). */
export function updateKey(
  scenario: Scenario,
  keyArn: string,
  patch: Partial<Omit<KeySpecEntry, 'policy'>>,
): Scenario {
  const key = scenario.keys?.[keyArn];
  if (!key) return scenario;
  return { ...scenario, keys: { ...scenario.keys, [keyArn]: { ...key, ...patch } } };
}

export function removeKey(scenario: Scenario, keyArn: string): Scenario {
  return {
    ...scenario,
    keys: withoutKey(scenario.keys, keyArn),
    grants: scenario.grants?.filter((grant) => grant.keyArn !== keyArn),
  };
}

/** Renames a key ARN and the references to it (grants, requests that named the key by this ARN). */
export function renameKey(scenario: Scenario, from: string, to: string): Scenario {
  if (from === to || !scenario.keys?.[from] || scenario.keys[to]) return scenario;
  const fromId = from.split(':key/')[1];
  const toId = to.split(':key/')[1];
  const renameKeyId = (keyId: string | undefined): string | undefined => {
    if (keyId === from) return to;
    if (fromId && toId && keyId === fromId) return toId;
    return keyId;
  };
  return {
    ...scenario,
    keys: renameKeyOf(scenario.keys, from, to),
    grants: scenario.grants?.map((grant) => (grant.keyArn === from ? { ...grant, keyArn: to } : grant)),
    requests: scenario.requests?.map((request) =>
      request.keyId === undefined ? request : { ...request, keyId: renameKeyId(request.keyId) },
    ),
  };
}

// ---------------------------------------------------------------- grants

export function addGrant(
  scenario: Scenario,
  grant: Omit<GrantSpec, 'grantId'> & { grantId?: string },
): Scenario {
  const grants = scenario.grants ?? [];
  const grantId =
    grant.grantId ??
    uniqueName(
      'grant-1',
      grants.map((g) => g.grantId),
    );
  return { ...scenario, grants: [...grants, { ...grant, grantId }] };
}

export function updateGrant(scenario: Scenario, grantId: string, patch: Partial<GrantSpec>): Scenario {
  return {
    ...scenario,
    grants: scenario.grants?.map((grant) => (grant.grantId === grantId ? { ...grant, ...patch } : grant)),
  };
}

/** Renames a grant id (refused when the new id is empty or taken). */
export function renameGrant(scenario: Scenario, from: string, to: string): Scenario {
  if (!to || from === to || scenario.grants?.some((grant) => grant.grantId === to)) return scenario;
  return updateGrant(scenario, from, { grantId: to });
}

export function removeGrant(scenario: Scenario, grantId: string): Scenario {
  return { ...scenario, grants: scenario.grants?.filter((grant) => grant.grantId !== grantId) };
}

// ---------------------------------------------------------------- the organization: OUs, accounts, SCPs, RCPs

/** The organization id the lab gives a new organization (a made-up one, in the documentation's style). */
export const DEFAULT_ORGANIZATION_ID = 'o-a1b2c3d4e5';

const ATTACHMENTS = { scp: 'scps', rcp: 'rcps' } as const;

/** A scenario with an organization: the one it has, or a new one whose id an account already claims. */
export function withOrganization(scenario: Scenario): Scenario & { organization: Organization } {
  if (scenario.organization) return scenario as Scenario & { organization: Organization };
  const claimed = Object.values(scenario.accounts ?? {}).find((a) => a.organizationId)?.organizationId;
  return { ...scenario, organization: { id: claimed ?? DEFAULT_ORGANIZATION_ID } };
}

/**
 * A copy of `scenario` with one root, OU or account of its organization changed (only the objects on the way
 * are copied). Unchanged when the target does not exist: an OU not in `units`, an account outside the
 * organization (a member or the management account may have no entry yet; it gets one).
 */
export function withOrgTarget(
  scenario: Scenario,
  target: OrgTargetId,
  change: <T extends OrgTarget>(attached: T) => T,
): Scenario {
  const org = scenario.organization;
  if (!org) return scenario;
  if (target === 'root') return { ...scenario, organization: { ...org, root: change(org.root ?? {}) } };
  if (target.startsWith('ou-')) {
    const unit = org.units?.[target];
    if (!unit) return scenario;
    return {
      ...scenario,
      organization: { ...org, units: { ...org.units, [target]: change(unit) } },
    };
  }
  if (!isOrgMember(org, target)) return scenario;
  const account = org.accounts?.[target] ?? {};
  return {
    ...scenario,
    organization: { ...org, accounts: { ...org.accounts, [target]: change(account) } },
  };
}

/** `attached` without its `scps` or `rcps` field. */
function withoutAttachments<T extends OrgTarget>(attached: T, layer: OrgPolicyKind): T {
  const copy = { ...attached };
  delete copy[ATTACHMENTS[layer]];
  return copy;
}

/**
 * A new RCP: RCPs may only Deny (Organizations RCP syntax: Allow is for RCPFullAWSAccess alone), so it starts as
 * a Deny of calls without TLS, which no lab request is, so attaching it changes no decision until edited.
 */
export function denyWithoutTlsPolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyWithoutTls',
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:*',
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

/** A new SCP allows everything, like FullAWSAccess; a new RCP denies what no lab request does: no decision changes until edited. */
export function newGuardrail(scenario: Scenario, layer: OrgPolicyKind): OrgPolicy {
  const taken = orgTargets(scenario.organization).flatMap(([, attached]) =>
    (attached[ATTACHMENTS[layer]] ?? []).map(
      (policy, index) => attachedPolicy(layer, policy, index).name ?? '',
    ),
  );
  // Policy names are unique in an organization (Organizations: CreatePolicy, DuplicatePolicyException).
  const name = uniqueName(layer === 'scp' ? 'NewSCP' : 'NewRCP', taken);
  return { name, document: layer === 'rcp' ? denyWithoutTlsPolicy() : allowAllPolicy(false) };
}

/**
 * Attaches an SCP or RCP to the root, an OU or an account (at the end of its list). A target whose SCPs were
 * not written has FullAWSAccess attached, and attaching another SCP does not detach it (SCP page), so it is
 * written out first. An AWS managed policy already attached there is not attached twice. An account outside
 * the organization joins it first (under the root); a scenario without an organization gets one.
 */
export function addGuardrail(
  scenario: Scenario,
  layer: OrgPolicyKind,
  target: OrgTargetId,
  policy: OrgPolicy = newGuardrail(scenario, layer),
): Scenario {
  const isAccount = target !== 'root' && !target.startsWith('ou-');
  const joined =
    isAccount && !isOrgMember(scenario.organization, target)
      ? placeAccount(scenario, target, 'root')
      : withOrganization(scenario);
  return withOrgTarget(joined, target, (attached) => {
    const written = attached[ATTACHMENTS[layer]];
    const managed = AWS_MANAGED_ORG_POLICIES[layer].name;
    const list = written ?? (layer === 'scp' && policy !== managed ? [managed] : []);
    if (typeof policy === 'string' && list.includes(policy))
      return { ...attached, [ATTACHMENTS[layer]]: list };
    return { ...attached, [ATTACHMENTS[layer]]: [...list, policy] };
  });
}

/**
 * Detaches the index-th SCP or RCP of a target. AWS keeps at least one SCP on every root, OU and account: when
 * the last written SCP goes, the field goes too, and the target has FullAWSAccess again (SCP page). An empty RCP
 * list goes the same way (RCPFullAWSAccess is always attached, RCPK).
 */
export function removeGuardrail(
  scenario: Scenario,
  layer: OrgPolicyKind,
  target: OrgTargetId,
  index: number,
): Scenario {
  const list = scenario.organization && orgTarget(scenario.organization, target)?.[ATTACHMENTS[layer]];
  if (!list || index < 0 || index >= list.length) return scenario;
  const rest = list.filter((_, i) => i !== index);
  return withOrgTarget(scenario, target, (attached) =>
    rest.length ? { ...attached, [ATTACHMENTS[layer]]: rest } : withoutAttachments(attached, layer),
  );
}

/** The policy id of the last SCP or RCP attached to a target (after `addGuardrail`), for opening its editor. */
export function lastGuardrailId(
  scenario: Scenario,
  layer: OrgPolicyKind,
  target: OrgTargetId,
): PolicyId | undefined {
  const list = scenario.organization && orgTarget(scenario.organization, target)?.[ATTACHMENTS[layer]];
  return list?.length ? policyId({ layer, target, index: list.length - 1 }) : undefined;
}

/**
 * An OU id not yet used, in AWS's shape (`ou-<root part>-<8 or more characters>`), made from the OU's name so it
 * reads well in aws:PrincipalOrgPaths: `ou-a1b2-workloads`, `ou-a1b2-prod0001`.
 */
export function newOrgUnitId(scenario: Scenario, name: string): string {
  const org = scenario.organization ?? {};
  const root = orgRootId(org).slice(2);
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 24) || 'unit';
  for (let n = 0; ; n++) {
    const suffix =
      n === 0 && slug.length >= 8
        ? slug
        : `${slug}${String(n + 1).padStart(Math.max(1, 8 - slug.length), '0')}`;
    const id = `ou-${root}-${suffix}`;
    if (!org.units?.[id]) return id;
  }
}

/** Adds an OU under the root or under `parent`; creates the organization when there is none. */
export function addOrgUnit(
  scenario: Scenario,
  name: string,
  parent?: string,
): { scenario: Scenario; id: string } {
  const withOrg = withOrganization(scenario);
  const org = withOrg.organization;
  const id = newOrgUnitId(withOrg, name);
  const unit: OrgUnit = { name, ...(parent && org.units?.[parent] ? { parent } : {}) };
  return { scenario: { ...withOrg, organization: { ...org, units: { ...org.units, [id]: unit } } }, id };
}

export function renameOrgUnit(scenario: Scenario, unit: string, name: string): Scenario {
  return scenario.organization?.units?.[unit]
    ? withOrgTarget(scenario, unit, (u) => ({ ...u, name }))
    : scenario;
}

/** The OU and every OU below it. */
function unitAndDescendants(org: Organization, unit: string): Set<string> {
  const found = new Set([unit]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [id, u] of Object.entries(org.units ?? {}))
      if (u.parent !== undefined && found.has(u.parent) && !found.has(id)) {
        found.add(id);
        grew = true;
      }
  }
  return found;
}

/** The OUs `unit` may move under (undefined: the root): not itself nor any OU below it, which would make a loop. */
export function possibleParents(org: Organization, unit: string): string[] {
  const below = unitAndDescendants(org, unit);
  return Object.keys(org.units ?? {}).filter((id) => !below.has(id));
}

/** Moves an OU under another OU, or under the root (`parent` undefined). Refused when it would make a loop. */
export function moveOrgUnit(scenario: Scenario, unit: string, parent: string | undefined): Scenario {
  const org = scenario.organization;
  const current = org?.units?.[unit];
  if (!org || !current) return scenario;
  if (parent !== undefined && !possibleParents(org, unit).includes(parent)) return scenario;
  const next: OrgUnit = { ...current, parent };
  if (parent === undefined) delete next.parent;
  return { ...scenario, organization: { ...org, units: { ...org.units, [unit]: next } } };
}

/** Whether an OU holds no OU and no account: AWS deletes only empty OUs (Organizations: DeleteOrganizationalUnit). */
export function isEmptyOrgUnit(org: Organization, unit: string): boolean {
  return (
    !Object.values(org.units ?? {}).some((u) => u.parent === unit) &&
    !Object.values(org.accounts ?? {}).some((a) => a.unit === unit)
  );
}

/** Removes an empty OU with its SCPs and RCPs; an OU that still holds OUs or accounts stays, as in AWS. */
export function removeOrgUnit(scenario: Scenario, unit: string): Scenario {
  const org = scenario.organization;
  if (!org?.units?.[unit] || !isEmptyOrgUnit(org, unit)) return scenario;
  return { ...scenario, organization: { ...org, units: withoutKey(org.units, unit) } };
}

/** Where an account is: outside the organization (null), directly under the root ('root') or in an OU. */
export type AccountPlace = null | 'root' | string;

export function accountPlace(org: Organization | undefined, account: string): AccountPlace {
  if (!org || !isOrgMember(org, account)) return null;
  return org.accounts?.[account]?.unit ?? 'root';
}

/**
 * Puts an account into the organization (under the root or in an OU), moves it, or takes it out (`null`).
 * An account taken out loses the SCPs and RCPs attached to it; the management account cannot leave
 * (Organizations: RemoveAccountFromOrganization), so taking it out is refused. Joining creates the
 * organization when there is none.
 */
export function placeAccount(scenario: Scenario, account: string, place: AccountPlace): Scenario {
  if (place === null) {
    const org = scenario.organization;
    if (!org?.accounts?.[account] || org.managementAccount === account) return scenario;
    return { ...scenario, organization: { ...org, accounts: withoutKey(org.accounts, account) } };
  }
  const withOrg = withOrganization(scenario);
  const org = withOrg.organization;
  if (place !== 'root' && !org.units?.[place]) return scenario;
  const member: OrgAccount = { ...org.accounts?.[account] };
  if (place === 'root') delete member.unit;
  else member.unit = place;
  return { ...withOrg, organization: { ...org, accounts: { ...org.accounts, [account]: member } } };
}

/**
 * Marks the organization's management account (SCPs do not apply to its principals, SCP page), or unmarks it
 * (`undefined`). The account stays in the organization either way: a former management account not listed as
 * a member becomes one, under the root, where it was.
 */
export function setManagementAccount(scenario: Scenario, account: string | undefined): Scenario {
  const withOrg = withOrganization(scenario);
  const org = withOrg.organization;
  const previous = org.managementAccount;
  const accounts = { ...org.accounts };
  if (previous && previous !== account && !accounts[previous]) accounts[previous] = {};
  const next: Organization = { ...org, accounts };
  if (account) next.managementAccount = account;
  else delete next.managementAccount;
  return { ...withOrg, organization: next };
}

// ---------------------------------------------------------------- VPC endpoints

export function addEndpoint(scenario: Scenario, vpceId: string): Scenario {
  if (scenario.vpcEndpoints?.[vpceId]) return scenario;
  return {
    ...scenario,
    vpcEndpoints: { ...scenario.vpcEndpoints, [vpceId]: { policy: allowAllPolicy(true) } },
  };
}

export function removeEndpoint(scenario: Scenario, vpceId: string): Scenario {
  return {
    ...scenario,
    vpcEndpoints: withoutKey(scenario.vpcEndpoints, vpceId),
    requests: scenario.requests?.map((request) => {
      if (request.vpcEndpoint !== vpceId) return request;
      const copy = { ...request };
      delete copy.vpcEndpoint;
      return copy;
    }),
  };
}

export function renameEndpoint(scenario: Scenario, from: string, to: string): Scenario {
  if (from === to || !scenario.vpcEndpoints?.[from] || scenario.vpcEndpoints[to]) return scenario;
  return {
    ...scenario,
    vpcEndpoints: renameKeyOf(scenario.vpcEndpoints, from, to),
    requests: scenario.requests?.map((request) =>
      request.vpcEndpoint === from ? { ...request, vpcEndpoint: to } : request,
    ),
  };
}

// ---------------------------------------------------------------- requests

export function addRequest(
  scenario: Scenario,
  request: Omit<RequestSpec, 'id'> & { id?: string },
): { scenario: Scenario; id: string } {
  const requests = scenario.requests ?? [];
  const id =
    request.id && !requests.some((r) => r.id === request.id)
      ? request.id
      : uniqueName(
          request.id ?? 'request-1',
          requests.map((r) => r.id),
        );
  return { scenario: { ...scenario, requests: [...requests, { ...request, id }] }, id };
}

/** Replaces the request `id` (the id itself may change through `request.id`). */
export function replaceRequest(scenario: Scenario, id: string, request: RequestSpec): Scenario {
  return { ...scenario, requests: scenario.requests?.map((r) => (r.id === id ? request : r)) };
}

export function removeRequest(scenario: Scenario, id: string): Scenario {
  return { ...scenario, requests: scenario.requests?.filter((r) => r.id !== id) };
}

// ---------------------------------------------------------------- policy ids after a rename

/** How policy ids move when a principal, a key, an endpoint or a request is renamed. */
export function renamePolicyId(kind: 'principal' | 'key' | 'endpoint' | 'request', from: string, to: string) {
  return (id: PolicyId): PolicyId => {
    const parts = parsePolicyId(id);
    if (!parts) return id;
    if (
      kind === 'principal' &&
      (parts.layer === 'identity' || parts.layer === 'boundary') &&
      parts.principalArn === from
    ) {
      return policyId({ ...parts, principalArn: to });
    }
    if (kind === 'key' && parts.layer === 'key' && parts.keyArn === from)
      return policyId({ layer: 'key', keyArn: to });
    if (kind === 'endpoint' && parts.layer === 'endpoint' && parts.vpceId === from)
      return policyId({ layer: 'endpoint', vpceId: to });
    if (kind === 'request' && parts.layer === 'session' && parts.requestId === from)
      return policyId({ layer: 'session', requestId: to });
    return id;
  };
}

/**
 * After removing the index-th identity policy (or SCP/RCP), the following ones move up by one: maps their old
 * ids to the new ones so the editors keep the right texts.
 */
export function shiftIndexedPolicyIds(
  layer: 'identity' | 'scp' | 'rcp',
  owner: string,
  removedIndex: number,
) {
  return (id: PolicyId): PolicyId => {
    const parts = parsePolicyId(id);
    if (!parts || parts.layer !== layer) return id;
    const partOwner = parts.layer === 'identity' ? parts.principalArn : parts.target;
    if (partOwner !== owner || parts.index < removedIndex) return id;
    // The removed policy's text must not land on its successor: send it to an id no slot has.
    if (parts.index === removedIndex) return `${id}#removed`;
    return policyId({ ...parts, index: parts.index - 1 } as typeof parts);
  };
}
