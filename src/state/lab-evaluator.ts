/**
 * Runs lab evaluations in a Web Worker when the platform has one, else on this thread after a timeout (unit
 * tests, very old browsers). Replies older than the latest request are dropped ("latest wins"). An evaluation
 * can be cancelled, and one that runs past EVALUATION_BUDGET_MS is stopped: a worker cannot be interrupted,
 * so in both cases it is terminated and a fresh one takes its place.
 */
import type { EvalInput, EvalOutput } from './lab-eval-core';

/** How long the worker may go without answering before it is considered stuck. */
export const EVALUATION_BUDGET_MS = 10_000;

export interface Evaluator {
  /** Queues an evaluation; `onResult` receives its output unless a newer one was asked for meanwhile. */
  evaluate(input: Omit<EvalInput, 'seq'>): number;
  /** Drops the evaluation in progress (its reply will not be delivered) and restarts the worker. */
  cancel(): void;
  dispose(): void;
}

/** The part of a Worker the evaluator uses, so tests can pass a fake one. */
export type EvalWorker = Pick<Worker, 'postMessage' | 'terminate' | 'onmessage' | 'onerror'>;

export interface EvaluatorOptions {
  /** Called when an evaluation ran past the budget and was stopped. */
  onTimeout?(budgetMs: number): void;
  budgetMs?: number;
  /** Starts a worker; undefined where there is none (the evaluation then runs on this thread). */
  spawnWorker?: () => EvalWorker | undefined;
}

function spawnLabWorker(): EvalWorker | undefined {
  if (typeof Worker === 'undefined') return undefined;
  try {
    return new Worker(new URL('./lab-eval.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return undefined;
  }
}

export function createEvaluator(
  onResult: (output: EvalOutput) => void,
  { onTimeout, budgetMs = EVALUATION_BUDGET_MS, spawnWorker = spawnLabWorker }: EvaluatorOptions = {},
): Evaluator {
  let seq = 0;
  let answered = 0;
  let budgetTimer: ReturnType<typeof setTimeout> | undefined;

  const stopBudget = () => {
    clearTimeout(budgetTimer);
    budgetTimer = undefined;
  };
  // The budget counts from the worker's last sign of life, so a burst of edits does not stretch it forever.
  const restartBudget = () => {
    stopBudget();
    if (worker && answered < seq) budgetTimer = setTimeout(stopStuckWorker, budgetMs);
  };

  // A fresh worker numbers its display versions from 1 again; shifted past every number already delivered,
  // a version never comes back with another meaning (the panels would keep showing the older result).
  let versionOffset = 0;
  let highestVersion = 0;
  const shifted = (version: number) => {
    if (version === 0) return 0;
    highestVersion = Math.max(highestVersion, version + versionOffset);
    return version + versionOffset;
  };
  const deliver = (output: EvalOutput) => {
    answered = Math.max(answered, output.seq);
    restartBudget();
    if (output.seq !== seq) return;
    const { panel, flow, findings } = output.versions;
    onResult({
      ...output,
      versions: { panel: shifted(panel), flow: shifted(flow), findings: shifted(findings) },
    });
  };

  let worker: EvalWorker | undefined;
  let sentToWorker: EvalInput | undefined;
  const startWorker = () => {
    worker = spawnWorker();
    if (!worker) return;
    worker.onmessage = (event: MessageEvent<EvalOutput>) => deliver(event.data);
    worker.onerror = (event) => {
      // A worker that cannot start (a CSP, a blob: URL the page may not load, a broken chunk) falls back to
      // evaluating here, starting with the request it never answered; otherwise the decision would stay empty.
      event.preventDefault();
      worker?.terminate();
      worker = undefined;
      stopBudget();
      if (sentToWorker) evaluateHere(sentToWorker);
    };
  };
  const replaceWorker = () => {
    stopBudget();
    worker?.terminate();
    versionOffset = highestVersion;
    sentToWorker = undefined;
    startWorker();
  };
  function stopStuckWorker() {
    answered = seq;
    replaceWorker();
    onTimeout?.(budgetMs);
  }
  startWorker();

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
        if (budgetTimer === undefined) restartBudget();
        sentToWorker = message;
        worker.postMessage(message);
      } else {
        evaluateHere(message);
      }
      return seq;
    },
    cancel() {
      clearTimeout(timer);
      // Bumping seq drops whatever reply is still on its way.
      seq += 1;
      answered = seq;
      if (worker) replaceWorker();
    },
    dispose() {
      clearTimeout(timer);
      stopBudget();
      worker?.terminate();
      worker = undefined;
    },
  };
}
