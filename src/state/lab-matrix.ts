/**
 * View-model of the access matrix and of what-if questions (pure): how a cell is shown (colour AND text),
 * which cells flip between two matrices, and the scenario/request a what-if change produces.
 */
import type { AccessMatrix, Decision, EvaluationResult, MatrixCell, Outcome } from '../engine/types';
import type { KeyState, RequestSpec, Scenario } from '../scenario/types';
import { updateKey } from './lab-scenario-edit';

export type CellTone = 'allow' | 'deny' | 'implicit' | 'error';

export interface CellView {
  tone: CellTone;
  /** The short text shown in the cell (never colour alone). */
  text: string;
  /** A longer description for the title and the accessible name. */
  description: string;
}

const SHORT_OUTCOME: Partial<Record<Outcome, string>> = {
  DisabledException: 'Disabled',
  KMSInvalidStateException: 'Invalid state',
  NotFoundException: 'Not found',
  UnsupportedOperationException: 'Unsupported',
  ValidationException: 'Invalid',
  InvalidGrantTokenException: 'Bad token',
  MalformedPolicyDocumentException: 'Bad policy',
  LimitExceededException: 'Too large',
};

/** How a decision and outcome look in a cell or a badge. */
export function decisionView(decision: Decision, outcome: Outcome): CellView {
  if (decision === 'Allow' && outcome === 'Success') {
    return { tone: 'allow', text: 'Allow', description: 'Allowed' };
  }
  if (decision === 'Allow') {
    // Authorized, but the call still fails (a disabled key, a key pending deletion…).
    return {
      tone: 'error',
      text: SHORT_OUTCOME[outcome] ?? outcome,
      description: `Allowed, but fails with ${outcome}`,
    };
  }
  if (decision === 'ExplicitDeny') {
    return { tone: 'deny', text: 'Deny', description: 'Explicitly denied' };
  }
  if (outcome !== 'AccessDeniedException' && outcome !== 'Success') {
    return { tone: 'error', text: SHORT_OUTCOME[outcome] ?? outcome, description: `Fails with ${outcome}` };
  }
  return { tone: 'implicit', text: 'Implicit', description: 'Implicitly denied: nothing allows it' };
}

export function cellView(cell: MatrixCell): CellView {
  return decisionView(cell.decision, cell.outcome);
}

/** One cell whose decision or outcome differs between two matrices. */
export interface CellFlip {
  principal: string;
  action: string;
  before: CellView;
  after: CellView;
}

const cellKey = (principal: string, action: string) => `${principal}\u0000${action}`;

/**
 * Cells of `after` whose decision or outcome differs from the same principal × action in `before`. Cells that
 * exist in only one matrix are not flips (the rows or columns changed, not the decision).
 */
export function flippedCells(before: AccessMatrix, after: AccessMatrix): CellFlip[] {
  const previous = new Map<string, MatrixCell>();
  for (const row of before.cells)
    for (const cell of row) previous.set(cellKey(cell.principal, cell.action), cell);
  const flips: CellFlip[] = [];
  for (const row of after.cells) {
    for (const cell of row) {
      const old = previous.get(cellKey(cell.principal, cell.action));
      if (old && (old.decision !== cell.decision || old.outcome !== cell.outcome)) {
        flips.push({
          principal: cell.principal,
          action: cell.action,
          before: cellView(old),
          after: cellView(cell),
        });
      }
    }
  }
  return flips;
}

/** Set of `principal␀action` for quick lookups while rendering. */
export function flipKeys(flips: CellFlip[]): Set<string> {
  return new Set(flips.map((flip) => cellKey(flip.principal, flip.action)));
}

export function isFlipped(keys: Set<string>, principal: string, action: string): boolean {
  return keys.has(cellKey(principal, action));
}

/** Count of each tone, for the matrix summary line. */
export function toneCounts(matrix: AccessMatrix): Record<CellTone, number> {
  const counts: Record<CellTone, number> = { allow: 0, deny: 0, implicit: 0, error: 0 };
  for (const row of matrix.cells) for (const cell of row) counts[cellView(cell).tone]++;
  return counts;
}

// ---------------------------------------------------------------- what-if

/** One change to try: a condition-key value, who calls, or the key's state. */
export type WhatIf =
  | { kind: 'context'; key: string; value: string }
  | { kind: 'principal'; from: string; to: string }
  | { kind: 'key-state'; keyArn: string; state: KeyState };

export function describeWhatIf(whatIf: WhatIf): string {
  switch (whatIf.kind) {
    case 'context':
      return `with ${whatIf.key} = ${whatIf.value}`;
    case 'principal':
      return `called by ${whatIf.to} instead of ${whatIf.from}`;
    case 'key-state':
      return `with the key ${whatIf.state}`;
  }
}

/** The scenario to evaluate for a what-if (only a key-state change alters the world). */
export function whatIfScenario(scenario: Scenario, whatIf: WhatIf): Scenario {
  return whatIf.kind === 'key-state' ? updateKey(scenario, whatIf.keyArn, { state: whatIf.state }) : scenario;
}

/** The request to evaluate for a what-if: the context override or the other caller applied to `request`. */
export function whatIfRequest(request: RequestSpec, whatIf: WhatIf): RequestSpec {
  if (whatIf.kind === 'context') {
    return { ...request, context: { ...request.context, [whatIf.key]: whatIf.value } };
  }
  if (whatIf.kind === 'principal' && request.principal === whatIf.from)
    return { ...request, principal: whatIf.to };
  return request;
}

/**
 * For a principal what-if, the matrix compares the `from` row with what `to` would get: the after-matrix is
 * computed with `to` in place of `from`, then relabelled so the flips line up with `from`'s row.
 */
export function relabelPrincipal(matrix: AccessMatrix, actual: string, shownAs: string): AccessMatrix {
  return {
    ...matrix,
    principals: matrix.principals.map((p) => (p === actual ? shownAs : p)),
    cells: matrix.cells.map((row) =>
      row.map((cell) => (cell.principal === actual ? { ...cell, principal: shownAs } : cell)),
    ),
  };
}

/** Whether a single result changed between the base and the what-if evaluation. */
export function resultFlipped(before: EvaluationResult | null, after: EvaluationResult | null): boolean {
  return !!before && !!after && (before.decision !== after.decision || before.outcome !== after.outcome);
}
