/**
 * Authorization through the engine, the single authority (docs/engine.md): the live state (keys with their
 * policies, states and aliases, grants with their propagation) becomes an engine scenario, together with the
 * identities, organization and endpoints of the scenario the KMS was built from. The prepared scenario is reused
 * until the state changes. A denial becomes AccessDeniedException with the engine's AWS-style text (facts §2.1).
 */
import { prepareScenario, type EvaluationResult, type PreparedScenario } from '../engine';
import type { GrantSpec, KeySpecEntry, RequestSpec, Scenario } from '../scenario/types';
import { KmsError } from './errors';
import type { KmsState, KeyRecord } from './kms-state';

/** The engine's scenario key states: the others (Unavailable, Creating, …) do not occur in the lab. */
const ENGINE_STATES = new Set(['Enabled', 'Disabled', 'PendingDeletion', 'PendingImport']);

function engineKey(key: KeyRecord, aliases: string[]): KeySpecEntry {
  let policy: Record<string, unknown>;
  try {
    policy = JSON.parse(key.policy) as Record<string, unknown>;
  } catch {
    policy = {};
  }
  return {
    description: key.description,
    manager: key.manager,
    state: (ENGINE_STATES.has(key.state) ? key.state : 'Enabled') as KeySpecEntry['state'],
    origin: key.origin as KeySpecEntry['origin'],
    keySpec: key.keySpec,
    keyUsage: key.keyUsage,
    aliases,
    tags: Object.fromEntries(key.tags.map((t) => [t.TagKey, t.TagValue])),
    policy,
  };
}

/** The engine's view of the live state. */
export function engineScenario(base: Scenario, state: KmsState): Scenario {
  const aliasesByKey = new Map<string, string[]>();
  for (const alias of Object.values(state.aliases)) {
    const list = aliasesByKey.get(alias.targetKeyArn) ?? [];
    list.push(alias.name);
    aliasesByKey.set(alias.targetKeyArn, list);
  }
  const keys: Record<string, KeySpecEntry> = {};
  for (const key of Object.values(state.keys))
    keys[key.arn] = engineKey(key, aliasesByKey.get(key.arn) ?? []);
  const grants: GrantSpec[] = state.grants.map((g) => ({
    grantId: g.grantId,
    keyArn: g.keyArn,
    granteePrincipal: g.granteePrincipal,
    retiringPrincipal: g.retiringPrincipal,
    operations: g.operations,
    constraints: g.constraints && {
      encryptionContextSubset: g.constraints.EncryptionContextSubset,
      encryptionContextEquals: g.constraints.EncryptionContextEquals,
    },
    issuingAccount: g.issuingAccount,
    name: g.name,
    // GR: before it propagates a grant works only with its token; all tokens of a grant are interchangeable,
    // so the engine sees the first and the request's tokens are translated to it (`canonicalTokens`).
    propagated: state.now >= g.propagatesAt,
    grantToken: g.tokens[0],
  }));
  return { ...base, version: 2, keys, grants, requests: [] };
}

export class Authorizer {
  private prepared: PreparedScenario | undefined;

  constructor(
    private readonly base: Scenario,
    private readonly state: () => KmsState,
  ) {}

  /** The state changed (a key, alias, grant, or the clock): prepare again on the next decision. */
  invalidate(): void {
    this.prepared = undefined;
  }

  private world(): PreparedScenario {
    if (!this.prepared) {
      const state = this.state();
      this.prepared = prepareScenario(engineScenario(this.base, state), { now: new Date(state.now) });
    }
    return this.prepared;
  }

  /** The engine's decision, with the full trace only when it is needed (a denial's message). */
  evaluate(request: RequestSpec): EvaluationResult {
    const fast = this.world().evaluate(request, { trace: false });
    if (fast.decision === 'Allow' && fast.outcome === 'Success') return fast;
    return this.world().evaluate(request, { trace: true });
  }

  /**
   * Throws what the engine decided against the request: AccessDeniedException for a denial, or the exception of
   * a policy AWS would refuse (MalformedPolicyDocumentException, LimitExceededException). Key-state outcomes are
   * left to the core's own key-state table (key-states.ts), which knows every state.
   */
  authorize(request: RequestSpec): EvaluationResult {
    const result = this.evaluate(request);
    if (result.decision !== 'Allow')
      throw new KmsError(
        result.outcome === 'Success' ? 'AccessDeniedException' : result.outcome,
        result.errorMessage ?? result.explanation,
      );
    if (result.outcome === 'MalformedPolicyDocumentException' || result.outcome === 'LimitExceededException')
      throw new KmsError(result.outcome, result.errorMessage ?? result.explanation);
    return result;
  }
}
