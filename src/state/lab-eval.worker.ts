/**
 * The lab's evaluation Web Worker: parses, evaluates, lints and builds matrices off the main thread, so typing
 * in a large policy stays smooth. "Latest wins": while one evaluation runs, newer requests replace older
 * queued ones, and only the newest is computed next.
 */
import { DisplayVersions } from './lab-display';
import { LintCache, runEvaluation, type EvalInput, type EvalOutput } from './lab-eval-core';

const lintCache = new LintCache();
const displayVersions = new DisplayVersions();
let latest: EvalInput | null = null;
let scheduled = false;

const post = (output: EvalOutput) =>
  (self as unknown as { postMessage(message: EvalOutput): void }).postMessage(output);

self.onmessage = (event: MessageEvent<EvalInput>) => {
  latest = event.data;
  if (scheduled) return;
  scheduled = true;
  // A zero timeout lets every message already queued arrive first, so a burst collapses into one evaluation.
  setTimeout(() => {
    scheduled = false;
    const input = latest;
    latest = null;
    if (input) post(runEvaluation(input, lintCache, displayVersions));
  }, 0);
};
