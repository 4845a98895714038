/**
 * The organization as the lab's organization panel shows it (pure, no React): the root, the OUs nested as
 * they are configured, the member accounts in them, and under each what is attached, in AWS's words: the
 * SCPs and RCPs written in the scenario (each opening its editor) and the AWS managed policies AWS attaches
 * without being asked (FullAWSAccess where no SCP is written, RCPFullAWSAccess everywhere).
 */
import { policyId } from '../engine/policy-ids';
import type { PolicyId } from '../engine/types';
import {
  AWS_MANAGED_ORG_POLICIES,
  attachedPolicy,
  isOrgMember,
  orgRootId,
  type OrgPolicyKind,
  type OrgTargetId,
} from '../scenario/organization';
import type { Organization, OrgTarget, PolicyDocument, Scenario } from '../scenario/types';
import { accountOfArn } from './lab-scenario-edit';

/** One policy attached to a root, OU or account. */
export interface OrgAttachmentView {
  layer: OrgPolicyKind;
  /** The policy's name, or its place in the target's list (`SCP #2`) when it has none. */
  name: string;
  /** Its place in the target's written list; absent when AWS attaches it without it being written. */
  index?: number;
  /** The editor of a written document; absent for an AWS managed policy (it cannot be edited). */
  editorId?: PolicyId;
  /** FullAWSAccess or RCPFullAWSAccess, written by name or implied. */
  awsManaged: boolean;
  /** Not written in the scenario: attached by AWS (the default FullAWSAccess, or RCPFullAWSAccess). */
  implied: boolean;
  document: PolicyDocument;
}

export interface OrgNodeView {
  kind: 'root' | 'unit' | 'account';
  target: OrgTargetId;
  /** `Root`, the OU's name, the account's name (or its id when it has none). */
  name: string;
  /** The root id, OU id or account id. */
  id: string;
  /** For an account: it is the management account (SCPs do not apply to its principals). */
  management?: boolean;
  scps: OrgAttachmentView[];
  rcps: OrgAttachmentView[];
  /** OUs first, then accounts, in the order the scenario lists them. */
  children: OrgNodeView[];
}

export interface OrganizationView {
  id?: string;
  root: OrgNodeView;
  /** Accounts the scenario knows (accounts, principals, keys) that are outside the organization. */
  outside: string[];
}

function attachments(layer: OrgPolicyKind, target: OrgTargetId, attached: OrgTarget | undefined) {
  const written = (layer === 'scp' ? attached?.scps : attached?.rcps) ?? [];
  const views: OrgAttachmentView[] = written.map((policy, index) => {
    const { name, document, awsManaged } = attachedPolicy(layer, policy, index);
    return {
      layer,
      name: name ?? `${layer.toUpperCase()} #${index + 1}`,
      index,
      ...(typeof policy === 'string' ? {} : { editorId: policyId({ layer, target, index }) }),
      awsManaged,
      implied: false,
      document,
    };
  });
  const managed = AWS_MANAGED_ORG_POLICIES[layer];
  // As organization.ts reads it: FullAWSAccess when no SCP is written (SCP page); RCPFullAWSAccess always (RCPK).
  const implied = layer === 'scp' ? views.length === 0 : !views.some((view) => view.awsManaged);
  if (implied)
    views.unshift({ layer, name: managed.name, awsManaged: true, implied: true, document: managed.document });
  return views;
}

/** The accounts a scenario mentions: its `accounts`, and the accounts of its principals and keys. */
export function knownAccounts(scenario: Scenario): string[] {
  return [
    ...new Set([
      ...Object.keys(scenario.accounts ?? {}),
      ...Object.keys(scenario.principals ?? {}).map(accountOfArn),
      ...Object.keys(scenario.keys ?? {}).map(accountOfArn),
    ]),
  ].filter((account) => /^\d{12}$/.test(account));
}

/**
 * The organization's tree, or undefined when the scenario has none. An OU whose parent is missing or part of
 * a loop, and an account in a missing OU, are shown under the root (the loader reports them).
 */
export function organizationView(scenario: Scenario): OrganizationView | undefined {
  const org = scenario.organization;
  if (!org) return undefined;
  const units = org.units ?? {};
  const members = [
    ...Object.keys(org.accounts ?? {}),
    ...(org.managementAccount && !org.accounts?.[org.managementAccount] ? [org.managementAccount] : []),
  ];
  // Where an OU or an account is drawn: under its parent when the chain up to the root holds.
  const unitHome = (unit: string): OrgTargetId =>
    reachesRoot(org, unit) ? (units[unit].parent ?? 'root') : 'root';
  const accountHome = (account: string): OrgTargetId => {
    const unit = org.accounts?.[account]?.unit;
    return unit !== undefined && reachesRoot(org, unit) ? unit : 'root';
  };
  const accountNode = (account: string): OrgNodeView => ({
    kind: 'account',
    target: account,
    name: scenario.accounts?.[account]?.name || account,
    id: account,
    ...(account === org.managementAccount ? { management: true } : {}),
    scps: attachments('scp', account, org.accounts?.[account]),
    rcps: attachments('rcp', account, org.accounts?.[account]),
    children: [],
  });
  const childrenOf = (target: OrgTargetId): OrgNodeView[] => [
    ...Object.keys(units)
      .filter((unit) => unitHome(unit) === target)
      .map((unit) => ({
        kind: 'unit' as const,
        target: unit,
        name: units[unit].name || unit,
        id: unit,
        scps: attachments('scp', unit, units[unit]),
        rcps: attachments('rcp', unit, units[unit]),
        children: childrenOf(unit),
      })),
    ...members.filter((account) => accountHome(account) === target).map(accountNode),
  ];
  const root: OrgNodeView = {
    kind: 'root',
    target: 'root',
    name: 'Root',
    id: orgRootId(org),
    scps: attachments('scp', 'root', org.root),
    rcps: attachments('rcp', 'root', org.root),
    children: childrenOf('root'),
  };
  return {
    ...(org.id ? { id: org.id } : {}),
    root,
    outside: knownAccounts(scenario).filter((account) => !isOrgMember(org, account)),
  };
}

/** Whether the OU's chain of parents ends at the root (no missing parent, no loop). */
function reachesRoot(org: Organization, unit: string): boolean {
  const seen = new Set<string>();
  for (let at: string | undefined = unit; at !== undefined; at = org.units?.[at]?.parent) {
    if (seen.has(at) || !org.units?.[at]) return false;
    seen.add(at);
  }
  return true;
}

/** Every node of the tree, depth first (root, then each OU followed by what it holds). */
export function flattenOrganization(node: OrgNodeView): OrgNodeView[] {
  return [node, ...node.children.flatMap(flattenOrganization)];
}

/** How a choice list names a node: `the root`, `OU Workloads`, `account Payroll (111122223333)`. */
export function orgNodeLabel(node: OrgNodeView): string {
  if (node.kind === 'root') return 'the root';
  if (node.kind === 'unit') return `OU ${node.name}`;
  return node.name === node.id ? `account ${node.id}` : `account ${node.name} (${node.id})`;
}

/**
 * Where a pasted SCP or RCP can be attached: the root, each OU and each member account, then the accounts the
 * scenario knows outside the organization (attaching puts them in it, under the root).
 */
export function guardrailTargets(scenario: Scenario): { value: string; label: string }[] {
  const view = organizationView(scenario);
  const outside = view ? view.outside : knownAccounts(scenario);
  return [
    ...(view
      ? flattenOrganization(view.root).map((node) => ({ value: node.target, label: orgNodeLabel(node) }))
      : [{ value: 'root', label: 'the root (of a new organization)' }]),
    ...outside.map((account) => {
      const name = scenario.accounts?.[account]?.name;
      return {
        value: account,
        label: `account ${name ? `${name} (${account})` : account}, outside the organization (it joins it)`,
      };
    }),
  ];
}
