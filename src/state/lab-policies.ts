/**
 * Pure helpers that tie the lab's editor texts to the scenario data (no zustand, no React): which policy
 * documents a scenario holds (one "slot" per PolicyId), reading and replacing one of them, and turning editor
 * text into a document. The store keeps both the data and every editor's text, so nothing typed is lost when
 * the text is not valid JSON; these functions keep the two in step.
 */
import { findTooDeepNesting, tooDeepMessage } from '../engine/json-depth';
import { policyId, parsePolicyId } from '../engine/policy-ids';
import type { PolicyId, PolicyType } from '../engine/types';
import { attachedPolicy, orgTarget, orgTargets, type OrgTargetId } from '../scenario/organization';
import type { NamedPolicy, PolicyDocument, Scenario } from '../scenario/types';
import { withOrgTarget } from './lab-scenario-edit';

/** One policy document of a scenario, as the editors list it. */
export interface PolicySlot {
  id: PolicyId;
  type: PolicyType;
  /** Short label for tabs and problem lists, e.g. `Key policy · alias/payroll`. */
  label: string;
  /** The principal, key, organization target (`root`, OU id, account id), endpoint or request it belongs to. */
  owner: string;
  /** The identity policy's, SCP's or RCP's name, when it was given one. */
  name?: string;
  document: PolicyDocument | undefined;
}

function isNamedPolicy(policy: NamedPolicy): policy is { name: string; document: PolicyDocument } {
  return typeof policy.name === 'string' && typeof policy.document === 'object' && policy.document !== null;
}

/** The last path segment of an ARN (`role/Finance-Role` → `Finance-Role`), for short labels. */
export function shortArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  if (!resource) return arn;
  const parts = resource.split('/');
  if (parts[0] === 'assumed-role' && parts.length >= 3) return `${parts[1]}/${parts.slice(2).join('/')}`;
  if (parts[0] === 'key') return `key ${parts[1]?.slice(0, 8) ?? ''}…`;
  return parts.length > 1 ? parts.slice(1).join('/') : resource;
}

/** How labels name a root, OU or account of the organization: `root`, `OU Workloads`, `account Payroll`. */
export function orgTargetLabel(scenario: Scenario, target: OrgTargetId): string {
  if (target === 'root') return 'root';
  if (target.startsWith('ou-')) return `OU ${scenario.organization?.units?.[target]?.name || target}`;
  return `account ${scenario.accounts?.[target]?.name || target}`;
}

function keyLabel(scenario: Scenario, keyArn: string): string {
  return scenario.keys?.[keyArn]?.aliases?.[0] ?? shortArn(keyArn);
}

/**
 * Every policy document the scenario holds, in a stable order: keys, principals, SCPs, RCPs (each by target:
 * root, OUs, accounts), endpoints, sessions. AWS managed SCPs and RCPs written by name are not among them.
 */
export function listPolicySlots(scenario: Scenario): PolicySlot[] {
  const slots: PolicySlot[] = [];
  for (const [keyArn, key] of Object.entries(scenario.keys ?? {})) {
    slots.push({
      id: policyId({ layer: 'key', keyArn }),
      type: 'key',
      label: `Key policy · ${keyLabel(scenario, keyArn)}`,
      owner: keyArn,
      document: key.policy,
    });
  }
  for (const [principalArn, principal] of Object.entries(scenario.principals ?? {})) {
    (principal.policies ?? []).forEach((policy, index) => {
      const named = isNamedPolicy(policy);
      slots.push({
        id: policyId({ layer: 'identity', principalArn, index }),
        type: 'identity',
        label: `${shortArn(principalArn)} · ${named ? policy.name : `identity #${index + 1}`}`,
        owner: principalArn,
        name: named ? policy.name : undefined,
        document: named ? policy.document : policy,
      });
    });
    if (principal.permissionsBoundary) {
      slots.push({
        id: policyId({ layer: 'boundary', principalArn }),
        type: 'boundary',
        label: `${shortArn(principalArn)} · boundary`,
        owner: principalArn,
        document: principal.permissionsBoundary,
      });
    }
  }
  for (const layer of ['scp', 'rcp'] as const) {
    for (const [target, attached] of orgTargets(scenario.organization)) {
      (layer === 'scp' ? attached.scps : attached.rcps)?.forEach((policy, index) => {
        // An AWS managed policy ("FullAWSAccess") cannot be edited, in AWS or here: it has no editor. The
        // organization panel shows its document read-only.
        if (typeof policy === 'string') return;
        const { name, document } = attachedPolicy(layer, policy, index);
        slots.push({
          id: policyId({ layer, target, index }),
          type: layer,
          label: `${layer.toUpperCase()} ${name ? `"${name}"` : `#${index + 1}`} · ${orgTargetLabel(scenario, target)}`,
          owner: target,
          name,
          document,
        });
      });
    }
  }
  for (const [vpceId, endpoint] of Object.entries(scenario.vpcEndpoints ?? {})) {
    if (!endpoint.policy) continue;
    slots.push({
      id: policyId({ layer: 'endpoint', vpceId }),
      type: 'endpoint',
      label: `Endpoint policy · ${vpceId}`,
      owner: vpceId,
      document: endpoint.policy,
    });
  }
  for (const request of scenario.requests ?? []) {
    if (!request.sessionPolicy) continue;
    slots.push({
      id: policyId({ layer: 'session', requestId: request.id }),
      type: 'session',
      label: `Session policy · ${request.id}`,
      owner: request.id,
      document: request.sessionPolicy,
    });
  }
  return slots;
}

/**
 * A copy of `scenario` with the policy `id` replaced by `document` (only the objects on the way are copied).
 * Returns the scenario unchanged when `id` names no existing place (a policy of a removed principal).
 */
export function setPolicyDocument(scenario: Scenario, id: PolicyId, document: PolicyDocument): Scenario {
  const parts = parsePolicyId(id);
  if (!parts) return scenario;
  switch (parts.layer) {
    case 'key': {
      const key = scenario.keys?.[parts.keyArn];
      if (!key) return scenario;
      return { ...scenario, keys: { ...scenario.keys, [parts.keyArn]: { ...key, policy: document } } };
    }
    case 'identity': {
      const principal = scenario.principals?.[parts.principalArn];
      const policies = principal?.policies;
      if (!principal || !policies || parts.index >= policies.length) return scenario;
      const previous = policies[parts.index];
      const next = policies.slice();
      next[parts.index] = isNamedPolicy(previous) ? { name: previous.name, document } : document;
      return {
        ...scenario,
        principals: { ...scenario.principals, [parts.principalArn]: { ...principal, policies: next } },
      };
    }
    case 'boundary': {
      const principal = scenario.principals?.[parts.principalArn];
      if (!principal) return scenario;
      return {
        ...scenario,
        principals: {
          ...scenario.principals,
          [parts.principalArn]: { ...principal, permissionsBoundary: document },
        },
      };
    }
    case 'scp':
    case 'rcp': {
      const field = parts.layer === 'scp' ? 'scps' : 'rcps';
      const list = scenario.organization && orgTarget(scenario.organization, parts.target)?.[field];
      const previous = list?.[parts.index];
      // A managed policy's name stays a name: its document is AWS's, not the learner's.
      if (!list || previous === undefined || typeof previous === 'string') return scenario;
      const next = list.slice();
      next[parts.index] = isNamedPolicy(previous) ? { name: previous.name, document } : document;
      return withOrgTarget(scenario, parts.target, (attached) => ({ ...attached, [field]: next }));
    }
    case 'endpoint': {
      const endpoint = scenario.vpcEndpoints?.[parts.vpceId];
      if (!endpoint) return scenario;
      return {
        ...scenario,
        vpcEndpoints: { ...scenario.vpcEndpoints, [parts.vpceId]: { ...endpoint, policy: document } },
      };
    }
    case 'session': {
      const requests = scenario.requests ?? [];
      const at = requests.findIndex((request) => request.id === parts.requestId);
      if (at < 0) return scenario;
      const next = requests.slice();
      next[at] = { ...requests[at], sessionPolicy: document };
      return { ...scenario, requests: next };
    }
  }
}

/** How the lab prints a document into an editor. */
export function formatPolicy(document: PolicyDocument | undefined): string {
  return JSON.stringify(document ?? {}, null, 2);
}

export type ParsedPolicyText = { ok: true; document: PolicyDocument } | { ok: false; message: string };

/** Editor text → policy document. A policy must be a JSON object; anything else is reported, not thrown. */
export function parsePolicyText(text: string): ParsedPolicyText {
  // JSON.parse reads any depth, but what walks the value later (JSON.stringify, structuredClone) does not.
  if (findTooDeepNesting(text) !== undefined)
    return { ok: false, message: `The policy is ${tooDeepMessage()}.` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'A policy must be a JSON object ({ "Version": …, "Statement": … }).' };
  }
  return { ok: true, document: value as PolicyDocument };
}

/** The editor text of every policy of `scenario`, printed from the data. */
export function textsFromScenario(scenario: Scenario): Record<PolicyId, string> {
  const texts: Record<PolicyId, string> = {};
  for (const slot of listPolicySlots(scenario)) texts[slot.id] = formatPolicy(slot.document);
  return texts;
}

/**
 * The editor texts for `scenario` after a structural change (a policy added, an owner renamed or removed):
 * a slot keeps the learner's text, even invalid, when it existed before under the same id or under the id
 * `renamed` maps it from; other slots are printed from the data; texts of slots that are gone are dropped.
 */
export function carryTexts(
  previous: Record<PolicyId, string>,
  scenario: Scenario,
  renamed: (id: PolicyId) => PolicyId = (id) => id,
): Record<PolicyId, string> {
  const previousIdOf = new Map<PolicyId, PolicyId>();
  for (const oldId of Object.keys(previous)) previousIdOf.set(renamed(oldId), oldId);
  const texts: Record<PolicyId, string> = {};
  for (const slot of listPolicySlots(scenario)) {
    const oldId = previousIdOf.get(slot.id);
    const kept = oldId === undefined ? undefined : previous[oldId];
    // A kept text that is valid JSON but no longer matches the data was superseded by the change itself.
    if (kept !== undefined) {
      const parsed = parsePolicyText(kept);
      texts[slot.id] =
        parsed.ok && !sameJson(parsed.document, slot.document) ? formatPolicy(slot.document) : kept;
    } else {
      texts[slot.id] = formatPolicy(slot.document);
    }
  }
  return texts;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The policy ids whose text is not a valid policy, with the reason (for the banner and the stale flag). */
export function invalidTexts(texts: Record<PolicyId, string>): Record<PolicyId, string> {
  const invalid: Record<PolicyId, string> = {};
  for (const [id, text] of Object.entries(texts)) {
    const parsed = parsePolicyText(text);
    if (!parsed.ok) invalid[id] = parsed.message;
  }
  return invalid;
}
