/**
 * Pure, immutable edits of a scenario for the lab's scenario panel: add, rename and remove accounts,
 * principals, keys, grants, SCPs, RCPs, VPC endpoints and requests. A rename also rewrites the references to
 * the renamed thing (requests, grants) and tells the caller how policy ids moved (`renamePolicyId`), so the
 * editors keep their texts.
 */
import { parsePolicyId, policyId } from '../engine/policy-ids';
import { defaultKeyPolicy } from '../scenario/default-key-policy';
import type { PolicyId } from '../engine/types';
import type {
  GrantSpec,
  KeySpecEntry,
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
  const organization = scenario.organization && {
    scps: withoutKey(scenario.organization.scps, accountId),
    rcps: withoutKey(scenario.organization.rcps, accountId),
  };
  return { ...scenario, accounts, ...(organization ? { organization } : {}) };
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

// ---------------------------------------------------------------- SCPs and RCPs

export function addGuardrail(
  scenario: Scenario,
  layer: 'scp' | 'rcp',
  accountId: string,
  document = allowAllPolicy(layer === 'rcp'),
): Scenario {
  const field = layer === 'scp' ? 'scps' : 'rcps';
  const perAccount = scenario.organization?.[field] ?? {};
  const documents = [...(perAccount[accountId] ?? []), document];
  return {
    ...scenario,
    organization: { ...scenario.organization, [field]: { ...perAccount, [accountId]: documents } },
  };
}

export function removeGuardrail(
  scenario: Scenario,
  layer: 'scp' | 'rcp',
  accountId: string,
  index: number,
): Scenario {
  const field = layer === 'scp' ? 'scps' : 'rcps';
  const perAccount = scenario.organization?.[field];
  const documents = perAccount?.[accountId];
  if (!documents) return scenario;
  const rest = documents.filter((_, i) => i !== index);
  const next = { ...perAccount };
  if (rest.length) next[accountId] = rest;
  else delete next[accountId];
  return { ...scenario, organization: { ...scenario.organization, [field]: next } };
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
    const partOwner = parts.layer === 'identity' ? parts.principalArn : parts.accountId;
    if (partOwner !== owner || parts.index < removedIndex) return id;
    // The removed policy's text must not land on its successor: send it to an id no slot has.
    if (parts.index === removedIndex) return `${id}#removed`;
    return policyId({ ...parts, index: parts.index - 1 } as typeof parts);
  };
}
