/**
 * The engine's library API: prepare a scenario once and evaluate requests against it, evaluate a whole
 * scenario, build an access matrix, diff two scenario versions, parse and lint policies.
 * Pure TypeScript; runs in Node and in a Web Worker.
 *
 * Request parameters the evaluator reads (`RequestSpec.parameters`, camelCase or AWS PascalCase) are listed per
 * operation in `REQUEST_PARAMETERS` (request-parameters.ts): CreateGrant's grantee, operations and constraints,
 * RetireGrant's grantId or grantToken, the alias operations' aliasName and targetKeyId, ReEncrypt's
 * destinationKeyId, the algorithm and option keys. The scenario loader warns about any other.
 *
 * Decisions: `decision` is the authorization result; `outcome` is what the call returns. A request that fails
 * before authorization (unknown key → NotFoundException, invalid parameters → ValidationException) has decision
 * `ImplicitDeny`; an authorized call that the key state refuses has decision `Allow` and the exception as outcome.
 */
import type { KeySpecEntry, RequestSpec, Scenario } from '../scenario/types';
import type { AccessMatrix, EvaluationResult, PolicyId, ScenarioDiff } from './types';
import { buildWorld, type World } from './world';
import { evaluateRequest } from './evaluate';
import { actionsForKey as keyActions, buildMatrix, diffWorlds } from './analysis';

export * from './types';
export type { Scenario, RequestSpec } from '../scenario/types';
export { parsePolicyText, parsePolicyDocument, rangeOf } from './parse';
export type {
  ParsedPolicy,
  ParsedStatement,
  ParsedPrincipal,
  ParsedCondition,
  ConditionBlock,
  ConditionEntry,
  Located,
  LocatedValue,
  PolicyProblem,
  JsonPath,
} from './parse';
export { policyId, parsePolicyId } from './policy-ids';
export { lintPolicy, lintPolicyDocument } from './lint';
export { KMS_OPERATIONS, kmsOperation } from './kms-actions';
export { REQUEST_PARAMETERS, parametersReadFor, unreadParameters } from './request-parameters';
export type { RequestParameter, UnreadParameter } from './request-parameters';

/** A scenario with every policy parsed and compiled once, ready to evaluate many requests quickly. */
export interface PreparedScenario {
  readonly scenario: Scenario;
  /**
   * Decides one request (it need not be one of the scenario's requests). Never throws. With `trace: false` the
   * result carries only the decision, outcome and allow path (no steps, statements, context or explanation): the
   * fast path of the access matrix and the trail replay.
   */
  evaluate(request: RequestSpec, options?: { trace?: boolean }): EvaluationResult;
  /** Decides every request of the scenario, in order. */
  evaluateAll(): EvaluationResult[];
}

export interface PrepareOptions {
  /**
   * The editor text of policies by policy id (see `policyId`), so that source ranges point into what the
   * learner sees. Without it (or when the text no longer says the same as the scenario's document), ranges
   * refer to `JSON.stringify(doc, null, 2)`.
   */
  sources?: Record<PolicyId, string>;
  /** The time used for aws:CurrentTime and aws:EpochTime (default: when the scenario is prepared). */
  now?: Date;
}

const preparedWorlds = new WeakMap<PreparedScenario, World>();

/** Parses and compiles every policy of the scenario once. */
export function prepareScenario(scenario: Scenario, options: PrepareOptions = {}): PreparedScenario {
  const world = buildWorld(
    scenario ?? ({ version: 2 } as Scenario),
    options.sources ?? {},
    options.now ?? new Date(),
  );
  const prepared: PreparedScenario = {
    scenario,
    evaluate: (request, evaluateOptions) => safeEvaluate(world, request, evaluateOptions?.trace !== false),
    evaluateAll: () => (scenario?.requests ?? []).map((request) => safeEvaluate(world, request)),
  };
  preparedWorlds.set(prepared, world);
  return prepared;
}

function worldOf(prepared: PreparedScenario): World {
  let world = preparedWorlds.get(prepared);
  if (!world) {
    world = buildWorld(prepared.scenario, {});
    preparedWorlds.set(prepared, world);
  }
  return world;
}

/** The evaluator must not throw at the UI: a malformed request becomes a ValidationException result. */
function safeEvaluate(world: World, request: RequestSpec, trace = true): EvaluationResult {
  try {
    return evaluateRequest(world, request, { trace });
  } catch (error) {
    return {
      id: String(request?.id ?? ''),
      decision: 'ImplicitDeny',
      outcome: 'ValidationException',
      errorMessage: `The request could not be evaluated: ${String(error)}`,
      allowedBy: null,
      deniedBy: null,
      steps: [
        {
          id: 'error',
          result: 'error',
          summary: 'The request could not be evaluated',
          statements: [],
          decisive: true,
        },
      ],
      statements: [],
      deciding: [],
      context: {},
      explanation: `The request could not be evaluated: ${String(error)}`,
      notes: [],
    };
  }
}

/** Evaluates every request of a scenario. */
export function evaluateScenario(scenario: Scenario, options: PrepareOptions = {}): EvaluationResult[] {
  return prepareScenario(scenario, options).evaluateAll();
}

/**
 * The access matrix of one key: rows are principals, columns are actions. By default every principal of the
 * scenario (listed identities, then request callers) × every action the key supports (by key spec and usage).
 * `base` adds fields to every cell's request (e.g. an encryption context or a VPC endpoint).
 */
export function accessMatrix(
  prepared: PreparedScenario,
  keyArn: string,
  options: { principals?: string[]; actions?: string[]; base?: Partial<RequestSpec> } = {},
): AccessMatrix {
  return buildMatrix(worldOf(prepared), keyArn, options);
}

/** The KMS actions a key of this spec and usage supports, e.g. `kms:Encrypt` but not `kms:Sign` for a symmetric key. */
export function actionsForKey(key: KeySpecEntry): string[] {
  return keyActions(key);
}

/**
 * Which decisions change between two versions of a scenario: the requests with the same id in both, and the
 * access-matrix cells (all principals of either version × the key's actions) of every key present in both.
 * `why` names the statement that made the difference.
 */
export function diffScenarios(before: Scenario, after: Scenario, options: PrepareOptions = {}): ScenarioDiff {
  const now = options.now ?? new Date();
  return diffWorlds(
    buildWorld(before, options.sources ?? {}, now),
    buildWorld(after, options.sources ?? {}, now),
  );
}
