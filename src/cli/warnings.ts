/**
 * What `lab eval` says on stderr beside the results (issue 8, "nothing the user wrote is silently ignored"),
 * each located in the scenario file as `file:line:column  $.json.path: warning: …`:
 * - the loader's warnings (unknown fields, request parameters the operation does not read);
 * - names in the scenario's policies that the lab reads past (a misspelt condition key, an unknown action);
 * - each policy AWS would refuse to store that a request met, as an error (its requests fail with
 *   MalformedPolicyDocumentException, so their expectations fail unless they name it).
 * Warnings never change the exit code.
 */
import { parsePolicyId } from '../engine/policy-ids';
import { UNKNOWN_NAME_CODES } from '../engine/lint/rejected';
import type { EvaluationResult, Finding, PolicyId, PolicyType } from '../engine/types';
import { parseTree, type Node } from 'jsonc-parser';
import { policyPaths, toFilePosition, type LocatedError } from '../scenario/load';
import { newPolicyProblemPosition } from './positions';
import type { Scenario } from '../scenario/types';
import type { JsonPath } from '../scenario/validate';

type LoadedScenario = {
  scenario: Scenario;
  sources: Record<PolicyId, string>;
  sourceStarts: Record<PolicyId, { line: number; column: number; offset: number }>;
};

/** A finding inside a scenario policy, located in the file: its JSON path is the policy's path plus its own. */
function locateFinding(
  file: string,
  loaded: LoadedScenario,
  paths: Map<PolicyId, JsonPath>,
  policy: PolicyId,
  finding: Finding,
  message: string,
): LocatedError {
  const start = loaded.sourceStarts[policy];
  const where = start ? toFilePosition(start, finding.range.start) : { line: 1, column: 1 };
  return {
    file,
    path: [...(paths.get(policy) ?? []), ...finding.path],
    line: where.line,
    column: where.column,
    message,
  };
}

/** Misspelt condition keys and unknown actions in the scenario's policies (AWS accepts them; they never match). */
export function policyNameWarnings(
  file: string,
  loaded: LoadedScenario,
  lint: (text: string, type: PolicyType) => Finding[],
): LocatedError[] {
  const paths = new Map(policyPaths(loaded.scenario));
  const found: LocatedError[] = [];
  for (const [policy, text] of Object.entries(loaded.sources)) {
    const type = parsePolicyId(policy)?.layer;
    if (!type) continue;
    for (const finding of lint(text, type)) {
      if (!UNKNOWN_NAME_CODES.has(finding.code)) continue;
      found.push(locateFinding(file, loaded, paths, policy, finding, `${finding.message} (${finding.code})`));
    }
  }
  return found;
}

/** Each problem of each rejected policy the results met, once, located in the file. */
export function rejectedPolicyErrors(
  file: string,
  text: string,
  loaded: LoadedScenario,
  results: EvaluationResult[],
): LocatedError[] {
  const paths = new Map(policyPaths(loaded.scenario));
  const seen = new Set<string>();
  const found: LocatedError[] = [];
  let root: Node | undefined;
  results.forEach((result) => {
    for (const rejected of result.rejectedPolicies ?? []) {
      for (const problem of rejected.problems) {
        const prefix = `AWS would refuse ${rejected.label}, so requests that meet it fail with MalformedPolicyDocumentException: `;
        if (rejected.policyId !== undefined) {
          const key = `${rejected.policyId}|${problem.code}|${problem.range.start.offset}`;
          if (seen.has(key)) continue;
          seen.add(key);
          found.push(
            locateFinding(file, loaded, paths, rejected.policyId, problem, prefix + problem.message),
          );
        } else {
          // The new key policy of PutKeyPolicy / CreateKey, in the request's parameters.
          const index = (loaded.scenario.requests ?? []).findIndex((r) => r.id === result.id);
          const path: JsonPath = ['requests', index, 'parameters', 'policy', ...problem.path];
          // A policy written as a JSON string is located through the string's escapes (positions.ts).
          root ??= parseTree(text, [], { allowTrailingComma: false, disallowComments: false });
          const where = newPolicyProblemPosition(text, root, index, problem);
          found.push({
            file,
            path,
            ...where,
            message: `request ${result.id} fails with ${result.outcome}: ${problem.message}`,
          });
        }
      }
    }
  });
  return found;
}
