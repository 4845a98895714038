/**
 * What one lab evaluation computes, as a pure function of plain data, so the same code runs in the Web Worker
 * (lab-eval.worker.ts) and, where workers are missing (unit tests), on the calling thread. It never throws: an
 * engine failure comes back as `error` and the lab keeps its last good result.
 */
import { accessMatrix, diffScenarios, lintPolicy, prepareScenario } from '../engine/index';
import type {
  AccessMatrix,
  EvaluationResult,
  Finding,
  PolicyId,
  PolicyType,
  ScenarioDiff,
} from '../engine/types';
import type { Scenario } from '../scenario/types';
import { DisplayVersions, type DisplayVersionNumbers } from './lab-display';
import { relabelPrincipal, whatIfRequest, whatIfScenario, type WhatIf } from './lab-matrix';
import { SCENARIO_EDITOR, scenarioFindings } from './lab-warnings';

export interface EvalInput {
  /** Increases with every request; a reply carries it back so the caller keeps only the latest. */
  seq: number;
  /** The last valid scenario data. */
  scenario: Scenario;
  /** The editor texts that parsed, so results carry source ranges into the editors. */
  sources: Record<PolicyId, string>;
  /**
   * Every policy to lint, with its type, and its text when it differs from `sources` (invalid text); the
   * others are linted from `sources`, so a large policy is not copied to the worker twice. Cached by text.
   */
  lint: Record<PolicyId, { text?: string; type: PolicyType }>;
  /** The scenario editor's own text, when the learner edited it and it is valid (where warnings are located). */
  scenarioText?: string;
  /** The request to explain in full (flowchart, decision panel). */
  requestId: string | null;
  /** The access matrix to compute, when the matrix view is open. */
  matrix?: { keyArn: string; whatIf?: WhatIf };
  /** A saved scenario to compare with, when the compare view is open. */
  compareWith?: Scenario;
  /**
   * Test set-up only (`__lab.holdNextEvaluation`): keep the evaluating thread busy this long first, the way a
   * pathological scenario would, so the busy indicator, Cancel and the time budget can be exercised.
   */
  holdMs?: number;
}

/** The decision of one request of the scenario, for the request list (the full result is sent only for one). */
export interface RequestSummary {
  id: string;
  decision: EvaluationResult['decision'];
  outcome: EvaluationResult['outcome'];
  expect?: string;
  pass?: boolean;
}

export interface EvalOutput {
  seq: number;
  result: EvaluationResult | null;
  summaries: RequestSummary[];
  findings: Record<PolicyId, Finding[]>;
  matrix?: AccessMatrix;
  whatIf?: { matrix?: AccessMatrix; result: EvaluationResult | null };
  diff?: ScenarioDiff;
  /**
   * Which panels' pictures changed since the previous output of the same session (lab-display.ts). After an
   * error only `findings` is meaningful: the result shown stays the last good one.
   */
  versions: DisplayVersionNumbers;
  /** The engine failed on this input (a bug or an input it cannot handle): the message, for a banner. */
  error?: string;
  /** Milliseconds the evaluation took where it ran. */
  elapsedMs: number;
}

/** Lint results by type and text: typing in one editor must not re-lint the others. */
export class LintCache {
  private entries = new Map<string, Finding[]>();

  lint(text: string, type: PolicyType): Finding[] {
    const cacheKey = `${type}\u0000${text}`;
    let findings = this.entries.get(cacheKey);
    if (!findings) {
      findings = safeLint(text, type);
      if (this.entries.size > 200) this.entries.clear();
      this.entries.set(cacheKey, findings);
    }
    return findings;
  }
}

function safeLint(text: string, type: PolicyType): Finding[] {
  try {
    return lintPolicy(text, type);
  } catch (error) {
    return [
      {
        type: 'ERROR',
        code: 'LINT_FAILED',
        message: `The linter failed on this policy: ${(error as Error).message}`,
        learnMoreLink: '',
        path: [],
        range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
      },
    ];
  }
}

function safeScenarioFindings(input: EvalInput): Finding[] {
  try {
    return scenarioFindings(input.scenario, input.scenarioText);
  } catch {
    return []; // warnings are a help: a bug here must not cost the evaluation
  }
}

export function runEvaluation(
  input: EvalInput,
  lintCache: LintCache,
  displayVersions: DisplayVersions,
): EvalOutput {
  const started = now();
  if (input.holdMs) holdThread(started + input.holdMs);
  const findings: Record<PolicyId, Finding[]> = {};
  for (const [id, { text, type }] of Object.entries(input.lint))
    findings[id] = lintCache.lint(text ?? input.sources[id] ?? '', type);
  // Unknown fields and unread parameters, marked in the scenario editor (the panel lists them too).
  const ignored = safeScenarioFindings(input);
  if (ignored.length > 0) findings[SCENARIO_EDITOR] = ignored;
  try {
    const prepared = prepareScenario(input.scenario, { sources: input.sources });
    const requests = input.scenario.requests ?? [];
    const results = prepared.evaluateAll();
    const summaries: RequestSummary[] = results.map((r) => ({
      id: r.id,
      decision: r.decision,
      outcome: r.outcome,
      ...(r.expect !== undefined ? { expect: r.expect, pass: r.pass } : {}),
    }));
    const result = results.find((r) => r.id === input.requestId) ?? null;
    const output: EvalOutput = {
      seq: input.seq,
      result,
      summaries,
      findings,
      versions: displayVersions.next(result, findings),
      elapsedMs: 0,
    };

    if (input.matrix && input.scenario.keys?.[input.matrix.keyArn]) {
      const { keyArn, whatIf } = input.matrix;
      const baseMatrix = accessMatrix(prepared, keyArn);
      output.matrix = baseMatrix;
      if (whatIf) {
        const selected = requests.find((r) => r.id === input.requestId);
        const alteredScenario = whatIfScenario(input.scenario, whatIf);
        const altered =
          alteredScenario === input.scenario
            ? prepared
            : prepareScenario(alteredScenario, { sources: input.sources });
        let matrix: AccessMatrix;
        if (whatIf.kind === 'principal') {
          const principals = baseMatrix.principals.map((p) => (p === whatIf.from ? whatIf.to : p));
          matrix = relabelPrincipal(accessMatrix(altered, keyArn, { principals }), whatIf.to, whatIf.from);
        } else if (whatIf.kind === 'context') {
          matrix = accessMatrix(altered, keyArn, { base: { context: { [whatIf.key]: whatIf.value } } });
        } else {
          matrix = accessMatrix(altered, keyArn);
        }
        output.whatIf = {
          matrix,
          result: selected ? altered.evaluate(whatIfRequest(selected, whatIf)) : null,
        };
      }
    }
    if (input.compareWith) output.diff = diffScenarios(input.compareWith, input.scenario);
    output.elapsedMs = now() - started;
    return output;
  } catch (error) {
    return {
      seq: input.seq,
      result: null,
      summaries: [],
      findings,
      versions: { panel: 0, flow: 0, findings: displayVersions.nextFindings(findings) },
      error: (error as Error).message || String(error),
      elapsedMs: now() - started,
    };
  }
}

/** Blocks like a stuck synchronous evaluation would (a timer would not: the thread would stay responsive). */
function holdThread(until: number): void {
  while (now() < until) {
    // spin
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
