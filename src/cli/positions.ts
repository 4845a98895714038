/**
 * Positions in the scenario file for what the engine locates inside a policy's own text (issue 8, wording).
 * The engine evaluates each policy's text as the editor holds it, so its ranges and the "line 9, column 7 of
 * the policy" of its messages are relative to that text. `lab eval` reads a scenario file, so it says where in
 * the file:
 * - a policy written in the scenario (a JSON object) is a slice of the file: `toFilePosition` moves a position
 *   by where the slice starts (the loader's `sourceStarts`);
 * - the new key policy of PutKeyPolicy or CreateKey may be a JSON string (`parameters.policy`, as AWS takes
 *   it): a position in the string's value is mapped through the string's escapes to the file;
 * - that policy given as an object was re-printed by the engine, so its problem is found by its JSON path.
 */
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import type {
  EvaluationResult,
  Finding,
  PolicyId,
  RejectedPolicy,
  SourcePosition,
  SourceRange,
  StatementRef,
} from '../engine/types';
import {
  IN_POLICY,
  newPolicyExplanation,
  refusedExplanation,
  type ProblemPlace,
} from '../engine/evaluate/rejected-policies';
import { locatePath, toFilePosition } from '../scenario/load';
import type { Scenario } from '../scenario/types';
import type { JsonPath } from '../scenario/validate';

export interface LoadedPolicies {
  scenario: Scenario;
  sourceStarts: Record<PolicyId, SourcePosition>;
}

/** The offset in `text` of the `inValue`-th UTF-16 unit of the value of the JSON string whose quote is at `quote`. */
export function stringValueOffset(text: string, quote: number, inValue: number): number {
  let raw = quote + 1;
  for (let decoded = 0; decoded < inValue && raw < text.length && text[raw] !== '"'; decoded++)
    raw += text[raw] !== '\\' ? 1 : text[raw + 1] === 'u' ? 6 : 2;
  return raw;
}

/** 1-based line and column of an offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Where a problem of the new key policy of request `index` is in the file. */
export function newPolicyProblemPosition(
  text: string,
  root: Node | undefined,
  index: number,
  problem: Finding,
): { line: number; column: number } {
  const base: JsonPath = ['requests', index, 'parameters', 'policy'];
  const node = root ? findNodeAtLocation(root, base) : undefined;
  if (node?.type === 'string')
    return lineAndColumn(text, stringValueOffset(text, node.offset, problem.range.start.offset));
  return locatePath(text, [...base, ...problem.path]);
}

/**
 * How `lab eval` places each problem of a refused policy: the file position, then the position in the policy's
 * own text (the one the result's ranges use).
 */
export function fileProblemPlace(
  file: string,
  text: string,
  loaded: LoadedPolicies,
  requestIndex: number,
): ProblemPlace {
  let root: Node | undefined;
  return (rejected: RejectedPolicy, problem: Finding) => {
    const inPolicy = IN_POLICY(rejected, problem);
    const start = rejected.policyId !== undefined ? loaded.sourceStarts[rejected.policyId] : undefined;
    if (start) {
      const at = toFilePosition(start, problem.range.start);
      return `${file}:${at.line}:${at.column} (${inPolicy})`;
    }
    if (rejected.policyId !== undefined) return inPolicy;
    root ??= parseTree(text, [], { allowTrailingComma: false, disallowComments: false });
    const at = newPolicyProblemPosition(text, root, requestIndex, problem);
    return `${file}:${at.line}:${at.column}`;
  };
}

/** The results with the explanations of refused policies naming file positions. */
export function withFilePositions(
  file: string,
  text: string,
  loaded: LoadedPolicies,
  results: EvaluationResult[],
): EvaluationResult[] {
  const requests = loaded.scenario.requests ?? [];
  return results.map((result) => {
    const rejected = result.rejectedPolicies;
    if (!rejected || rejected.length === 0) return result;
    const index = requests.findIndex((r) => r.id === result.id);
    const where = fileProblemPlace(file, text, loaded, index);
    const action = requests[index]?.action ?? '';
    const explanation =
      rejected[0].policyId === undefined
        ? newPolicyExplanation(action.replace(/^kms:/i, ''), result.outcome, rejected[0], where)
        : refusedExplanation(rejected, where);
    return { ...result, explanation };
  });
}

/**
 * The results with a `fileRange` beside each statement's `range` (lab-design §3: the `range` of a statement
 * reference is in its policy's own text, for the editor; `lab eval` adds where that is in the scenario file).
 * Statements of policies the file does not hold (FullAWSAccess, the new key policy) keep `range` only.
 */
export function withFileRanges(loaded: LoadedPolicies, results: EvaluationResult[]): EvaluationResult[] {
  const mapped = new Map<StatementRef, StatementRef>();
  const fileRange = (
    policy: PolicyId | undefined,
    range: SourceRange | undefined,
  ): SourceRange | undefined => {
    const start = policy !== undefined ? loaded.sourceStarts[policy] : undefined;
    return start && range
      ? { start: toFilePosition(start, range.start), end: toFilePosition(start, range.end) }
      : undefined;
  };
  const ref = (r: StatementRef): StatementRef => {
    let out = mapped.get(r);
    if (!out) {
      const range = fileRange(r.policyId, r.range);
      out = range ? { ...r, fileRange: range } : r;
      mapped.set(r, out);
    }
    return out;
  };
  return results.map((result) => ({
    ...result,
    deniedBy: result.deniedBy?.statement
      ? { ...result.deniedBy, statement: ref(result.deniedBy.statement) }
      : result.deniedBy,
    deciding: result.deciding.map(ref),
    statements: result.statements.map((s) => ({ ...s, ref: ref(s.ref) })),
    steps: result.steps.map((s) =>
      s.statements.length > 0 ? { ...s, statements: s.statements.map(ref) } : s,
    ),
    ...(result.rejectedPolicies
      ? {
          rejectedPolicies: result.rejectedPolicies.map((rejected) => ({
            ...rejected,
            problems: rejected.problems.map((p) => {
              const range = fileRange(rejected.policyId, p.range);
              return range ? { ...p, fileRange: range } : p;
            }),
          })),
        }
      : {}),
  }));
}
