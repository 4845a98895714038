/**
 * The PolicyId scheme documented on `PolicyId` in types.ts: one stable string per policy document of a
 * scenario, used by results (StatementRef.policyId), findings, editors and `prepareScenario({ sources })`.
 */
import type { PolicyId, PolicyLayer } from './types';

export type PolicyIdParts =
  | { layer: 'key'; keyArn: string }
  | { layer: 'identity'; principalArn: string; index: number }
  | { layer: 'boundary'; principalArn: string }
  | { layer: 'session'; requestId: string }
  /** `target`: `root`, an OU id or an account id of the organization (types.ts `Organization`). */
  | { layer: 'scp'; target: string; index: number }
  | { layer: 'rcp'; target: string; index: number }
  | { layer: 'endpoint'; vpceId: string };

/** Builds the id of one policy, e.g. `policyId({ layer: 'identity', principalArn, index: 0 })`. */
export function policyId(parts: PolicyIdParts): PolicyId {
  switch (parts.layer) {
    case 'key':
      return `key:${parts.keyArn}`;
    case 'identity':
      return `identity:${parts.principalArn}#${parts.index}`;
    case 'boundary':
      return `boundary:${parts.principalArn}`;
    case 'session':
      return `session:${parts.requestId}`;
    case 'scp':
      return `scp:${parts.target}#${parts.index}`;
    case 'rcp':
      return `rcp:${parts.target}#${parts.index}`;
    case 'endpoint':
      return `endpoint:${parts.vpceId}`;
  }
}

const LAYERS: readonly PolicyLayer[] = ['key', 'identity', 'boundary', 'session', 'scp', 'rcp', 'endpoint'];

/** The inverse of `policyId`; undefined for a string that is not a policy id. */
export function parsePolicyId(id: PolicyId): PolicyIdParts | undefined {
  const colon = id.indexOf(':');
  if (colon < 0) return undefined;
  const layer = id.slice(0, colon) as PolicyLayer;
  const rest = id.slice(colon + 1);
  if (!LAYERS.includes(layer) || rest === '') return undefined;
  const indexed = (): [string, number] | undefined => {
    const hash = rest.lastIndexOf('#');
    if (hash <= 0) return undefined;
    const index = Number(rest.slice(hash + 1));
    return Number.isInteger(index) && index >= 0 ? [rest.slice(0, hash), index] : undefined;
  };
  switch (layer) {
    case 'key':
      return { layer, keyArn: rest };
    case 'boundary':
      return { layer, principalArn: rest };
    case 'session':
      return { layer, requestId: rest };
    case 'endpoint':
      return { layer, vpceId: rest };
    case 'identity': {
      const parts = indexed();
      return parts && { layer, principalArn: parts[0], index: parts[1] };
    }
    case 'scp':
    case 'rcp': {
      const parts = indexed();
      return parts && { layer, target: parts[0], index: parts[1] };
    }
  }
}
