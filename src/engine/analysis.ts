/**
 * Beyond one decision: the access matrix (principals × actions on one key) and the diff of two scenario
 * versions (which requests change decision, and which statement made the difference).
 */
import type { KeySpecEntry, RequestSpec, Scenario } from '../scenario/types';
import type {
  AccessMatrix,
  DecisionChange,
  EvaluationResult,
  MatrixCell,
  ScenarioDiff,
  StatementRef,
} from './types';
import { operationsForKeyType } from './kms-actions';
import { evaluateRequest } from './evaluate';
import type { World } from './world';
import { lowerFirst } from './sentence';

/** The KMS actions that make sense on a key of this spec, usage, origin and Region type (e.g. no Sign on a symmetric key). */
export function actionsForKey(key: KeySpecEntry): string[] {
  return operationsForKeyType(
    key.keySpec ?? 'SYMMETRIC_DEFAULT',
    key.keyUsage ?? 'ENCRYPT_DECRYPT',
    key.origin ?? 'AWS_KMS',
    key.multiRegion ?? false,
  ).map((o) => `kms:${o.name}`);
}

/** Every principal a scenario mentions: the listed identities, then the callers of its requests. */
export function scenarioPrincipals(scenario: Scenario): string[] {
  const seen = new Set(Object.keys(scenario.principals ?? {}));
  for (const request of scenario.requests ?? [])
    if (typeof request.principal === 'string') seen.add(request.principal);
  return [...seen];
}

/** Parameters that let operations with extra inputs be evaluated in the matrix (alias name, grant id). */
function matrixParameters(world: World, keyArn: string, action: string): Record<string, unknown> | undefined {
  const key = world.keys.get(keyArn);
  switch (action) {
    case 'kms:CreateAlias':
      return { aliasName: 'alias/new-alias', targetKeyId: keyArn };
    case 'kms:DeleteAlias':
    case 'kms:UpdateAlias':
      return { aliasName: key?.entry.aliases?.[0] ?? 'alias/new-alias', targetKeyId: keyArn };
    case 'kms:RetireGrant':
    case 'kms:RevokeGrant':
      return key?.grants[0] ? { grantId: key.grants[0].grantId } : undefined;
    default:
      return undefined;
  }
}

export function buildMatrix(
  world: World,
  keyArn: string,
  options: { principals?: string[]; actions?: string[]; base?: Partial<RequestSpec> } = {},
): AccessMatrix {
  const key = world.keys.get(keyArn);
  const principals = options.principals ?? scenarioPrincipals(world.scenario);
  const actions = options.actions ?? (key ? actionsForKey(key.entry) : []);
  const base = options.base as RequestSpec | undefined;
  const cells: MatrixCell[][] = principals.map((principal) =>
    actions.map((action) => {
      const parameters = matrixParameters(world, keyArn, action);
      // Built field by field: object spread per cell is slow in V8 and the matrix has thousands of cells.
      const request: RequestSpec = base ? Object.assign({}, base) : ({} as RequestSpec);
      request.id = `matrix ${principal} ${action}`;
      request.principal = principal;
      request.action = action;
      request.keyId = keyArn;
      request.parameters = parameters ? Object.assign({}, parameters, base?.parameters) : base?.parameters;
      request.expect = undefined;
      const result = evaluateRequest(world, request, { trace: false });
      return {
        principal,
        action,
        decision: result.decision,
        outcome: result.outcome,
        allowedBy: result.allowedBy,
      };
    }),
  );
  return { keyArn, principals, actions, cells };
}

function label(ref: StatementRef): string {
  return ref.label;
}

/** Plain English: what changed and which statement made the difference. */
export function explainChange(before: EvaluationResult, after: EvaluationResult): string {
  const transition = `${before.decision}${before.outcome !== 'Success' && before.outcome !== 'AccessDeniedException' ? ` (${before.outcome})` : ''} → ${after.decision}${after.outcome !== 'Success' && after.outcome !== 'AccessDeniedException' ? ` (${after.outcome})` : ''}`;
  if (after.decision === 'ExplicitDeny' && after.deniedBy?.statement) {
    return `${transition}: ${label(after.deniedBy.statement)} now denies it.`;
  }
  if (before.decision === 'ExplicitDeny' && before.deniedBy?.statement && after.decision !== 'ExplicitDeny') {
    const was = before.deniedBy.statement;
    const now = after.statements.find((s) => s.ref.policyId === was.policyId && s.ref.index === was.index);
    return `${transition}: ${label(was)} no longer denies it${now ? ` (${lowerFirst(now.summary)})` : ' (it was removed)'}.`;
  }
  if (after.decision === 'Allow' && before.decision !== 'Allow') {
    return `${transition}: ${after.deciding.length > 0 ? after.deciding.map(label).join(' and ') : `the ${after.allowedBy ?? 'allow'} path`} now allows it.`;
  }
  if (before.decision === 'Allow' && after.decision !== 'Allow') {
    const lost = before.deciding.find((ref) => {
      const now = after.statements.find((s) => s.ref.policyId === ref.policyId && s.ref.index === ref.index);
      return !now || !now.applies;
    });
    if (lost) {
      const now = after.statements.find(
        (s) => s.ref.policyId === lost.policyId && s.ref.index === lost.index,
      );
      return `${transition}: ${label(lost)} no longer allows it${now ? ` (${lowerFirst(now.summary.replace(/^Does not apply: /, ''))})` : ' (it was removed)'}. ${after.explanation}`;
    }
    return `${transition}: ${after.explanation}`;
  }
  return `${transition}: ${after.explanation}`;
}

export function diffWorlds(before: World, after: World): ScenarioDiff {
  const changes: DecisionChange[] = [];
  let compared = 0;
  const afterRequests = new Map((after.scenario.requests ?? []).map((r) => [r.id, r]));
  for (const request of before.scenario.requests ?? []) {
    const counterpart = afterRequests.get(request.id);
    if (!counterpart) continue;
    compared++;
    const a = evaluateRequest(before, request);
    const b = evaluateRequest(after, counterpart);
    if (a.decision !== b.decision || a.outcome !== b.outcome) {
      changes.push({
        requestId: request.id,
        principal: counterpart.principal,
        action: counterpart.action,
        keyId: counterpart.keyId,
        before: { decision: a.decision, outcome: a.outcome },
        after: { decision: b.decision, outcome: b.outcome },
        why: explainChange(a, b),
      });
    }
  }
  const principals = [
    ...new Set([...scenarioPrincipals(before.scenario), ...scenarioPrincipals(after.scenario)]),
  ];
  for (const [keyArn, key] of before.keys) {
    const afterKey = after.keys.get(keyArn);
    if (!afterKey) continue;
    const actions = [...new Set([...actionsForKey(key.entry), ...actionsForKey(afterKey.entry)])];
    for (const principal of principals) {
      for (const action of actions) {
        compared++;
        const parameters = matrixParameters(before, keyArn, action);
        const request: RequestSpec = {
          id: `matrix ${principal} ${action}`,
          principal,
          action,
          keyId: keyArn,
          parameters,
        };
        const quickA = evaluateRequest(before, request, { trace: false });
        const quickB = evaluateRequest(after, request, { trace: false });
        if (quickA.decision !== quickB.decision || quickA.outcome !== quickB.outcome) {
          // Only the cells that changed need the full trace, to say which statement made the difference.
          const a = evaluateRequest(before, request);
          const b = evaluateRequest(after, request);
          changes.push({
            requestId: request.id,
            principal,
            action,
            keyId: keyArn,
            before: { decision: a.decision, outcome: a.outcome },
            after: { decision: b.decision, outcome: b.outcome },
            why: explainChange(a, b),
          });
        }
      }
    }
  }
  return { compared, changes };
}
