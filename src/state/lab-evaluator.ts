/**
 * Runs lab evaluations in a Web Worker when the platform has one, else on this thread after a timeout (unit
 * tests, very old browsers). Replies older than the latest request are dropped ("latest wins").
 */
import type { EvalInput, EvalOutput } from './lab-eval-core';

export interface Evaluator {
  /** Queues an evaluation; `onResult` receives its output unless a newer one was asked for meanwhile. */
  evaluate(input: Omit<EvalInput, 'seq'>): number;
  dispose(): void;
}

export function createEvaluator(onResult: (output: EvalOutput) => void): Evaluator {
  let seq = 0;
  const deliver = (output: EvalOutput) => {
    if (output.seq === seq) onResult(output);
  };

  let worker: Worker | undefined;
  let sentToWorker: EvalInput | undefined;
  if (typeof Worker !== 'undefined') {
    try {
      worker = new Worker(new URL('./lab-eval.worker.ts', import.meta.url), { type: 'module' });
      worker.onmessage = (event: MessageEvent<EvalOutput>) => deliver(event.data);
      worker.onerror = (event) => {
        // A worker that cannot start (a CSP, a blob: URL the page may not load, a broken chunk) falls back to
        // evaluating here, starting with the request it never answered; otherwise the decision would stay empty.
        event.preventDefault();
        worker?.terminate();
        worker = undefined;
        if (sentToWorker) evaluateHere(sentToWorker);
      };
    } catch {
      worker = undefined;
    }
  }

  // The engine is loaded on this thread only when there is no worker, so the page's own chunk stays small.
  let inline: Promise<(input: EvalInput) => EvalOutput> | undefined;
  const inlineEvaluator = () =>
    (inline ??= Promise.all([import('./lab-eval-core'), import('./lab-display')]).then(
      ([{ LintCache, runEvaluation }, { DisplayVersions }]) => {
        const lintCache = new LintCache();
        const displayVersions = new DisplayVersions();
        return (input: EvalInput) => runEvaluation(input, lintCache, displayVersions);
      },
    ));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const evaluateHere = (message: EvalInput) => {
    clearTimeout(timer);
    timer = setTimeout(() => void inlineEvaluator().then((run) => deliver(run(message))), 0);
  };

  return {
    evaluate(input) {
      seq += 1;
      const message: EvalInput = { ...input, seq };
      if (worker) {
        sentToWorker = message;
        worker.postMessage(message);
      } else {
        evaluateHere(message);
      }
      return seq;
    },
    dispose() {
      clearTimeout(timer);
      worker?.terminate();
      worker = undefined;
    },
  };
}
