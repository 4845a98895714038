/**
 * What the panels draw from an evaluation, as comparable keys, and a version number per panel that changes
 * only when its key does. Typing moves the source ranges of later statements, so every evaluation returns new
 * objects; compared without ranges, most are the same picture. The keys are computed where the evaluation runs
 * (the Web Worker), so the main thread compares two numbers instead of serializing the result on each reply.
 */
import type { EvaluationResult, Finding, PolicyId } from '../engine/types';

/**
 * Fields left out of the comparison: source ranges (they move while typing, nothing draws them) and the
 * clock keys of the derived context (they change on every evaluation; a condition that compares them still
 * shows the new value, since its comparison's values are part of the key).
 */
const IGNORED_FIELDS = new Set(['range', 'aws:CurrentTime', 'aws:EpochTime']);

/** JSON of a value without the ignored fields: what the panels draw, not where statements sit in the text. */
export function displayKey(value: unknown): string {
  return JSON.stringify(value ?? null, (key, v: unknown) => (IGNORED_FIELDS.has(key) ? undefined : v));
}

/** What the flowchart draws: the steps (ids, results, summaries, decisive mark, statements named). */
export const flowKey = (result: EvaluationResult | null): string => displayKey(result?.steps);

/** Everything the decision panel draws. */
export const panelKey = (result: EvaluationResult | null): string => displayKey(result);

/**
 * The findings as the editors mark them. Offsets are left out: the editor places markers by line and column,
 * which an edit elsewhere does not move.
 */
export const findingsKey = (findings: Record<PolicyId, Finding[]> | null): string =>
  JSON.stringify(findings, (key, value: unknown) => (key === 'offset' ? undefined : value));

/** Per panel, a number that changes exactly when what the panel draws changes. */
export interface DisplayVersionNumbers {
  /** The decision panel (the whole result). */
  panel: number;
  /** The flowchart (the result's steps). */
  flow: number;
  /** The editors' markers and the problems panel (every policy's findings). */
  findings: number;
}

/** Remembers the last key of each panel; `next` bumps a panel's number when its key differs. */
export class DisplayVersions {
  private counter = 0;
  private last = new Map<keyof DisplayVersionNumbers, { key: string; version: number }>();

  private versionOf(panel: keyof DisplayVersionNumbers, key: string): number {
    const previous = this.last.get(panel);
    if (previous?.key === key) return previous.version;
    // One counter for all panels: a number never comes back with another meaning.
    const version = ++this.counter;
    this.last.set(panel, { key, version });
    return version;
  }

  /** Versions for a successful evaluation. */
  next(result: EvaluationResult | null, findings: Record<PolicyId, Finding[]>): DisplayVersionNumbers {
    return {
      panel: this.versionOf('panel', panelKey(result)),
      flow: this.versionOf('flow', flowKey(result)),
      findings: this.versionOf('findings', findingsKey(findings)),
    };
  }

  /** The findings' version alone, for a failed evaluation (its result is not shown). */
  nextFindings(findings: Record<PolicyId, Finding[]>): number {
    return this.versionOf('findings', findingsKey(findings));
  }
}
