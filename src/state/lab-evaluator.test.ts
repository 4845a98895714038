import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EvalInput, EvalOutput } from './lab-eval-core';
import { createEvaluator, EVALUATION_BUDGET_MS, type EvalWorker } from './lab-evaluator';

/** A worker that records its messages and answers only when told to. */
function fakeWorkers() {
  const started: (EvalWorker & { posted: EvalInput[]; terminated: boolean })[] = [];
  return {
    started,
    spawn: () => {
      const worker = {
        posted: [] as EvalInput[],
        terminated: false,
        onmessage: null as EvalWorker['onmessage'],
        onerror: null as EvalWorker['onerror'],
        postMessage(message: EvalInput) {
          worker.posted.push(message);
        },
        terminate() {
          worker.terminated = true;
        },
      };
      started.push(worker);
      return worker as unknown as EvalWorker;
    },
    answer(seq: number, version = 1) {
      const worker = started[started.length - 1];
      const versions = { panel: version, flow: version, findings: version };
      const output = { seq, result: null, summaries: [], findings: {}, versions } as unknown as EvalOutput;
      worker.onmessage?.call(worker as unknown as Worker, { data: output } as MessageEvent);
    },
  };
}

const input = { scenario: { version: 2 as const }, sources: {}, lint: {}, requestId: null };

let workers: ReturnType<typeof fakeWorkers>;
let results: number[];
let panelVersions: number[];
let timeouts: number;

beforeEach(() => {
  vi.useFakeTimers();
  workers = fakeWorkers();
  results = [];
  panelVersions = [];
  timeouts = 0;
});
afterEach(() => vi.useRealTimers());

const start = () =>
  createEvaluator(
    (output) => {
      results.push(output.seq);
      panelVersions.push(output.versions.panel);
    },
    {
      spawnWorker: workers.spawn,
      onTimeout: () => (timeouts += 1),
    },
  );

describe('lab evaluator', () => {
  it('delivers only the latest reply', () => {
    const evaluator = start();
    evaluator.evaluate(input);
    evaluator.evaluate(input);
    workers.answer(1);
    workers.answer(2);
    expect(results).toEqual([2]);
    evaluator.dispose();
  });

  it('replaces a worker that stays silent past the budget, and says so', () => {
    const evaluator = start();
    evaluator.evaluate(input);
    vi.advanceTimersByTime(EVALUATION_BUDGET_MS - 1);
    expect(timeouts).toBe(0);
    vi.advanceTimersByTime(1);
    expect(timeouts).toBe(1);
    expect(workers.started.map((w) => w.terminated)).toEqual([true, false]);
    evaluator.evaluate(input);
    expect(workers.started[1].posted.map((m) => m.seq)).toEqual([2]);
    evaluator.dispose();
  });

  it('does not time out once answered', () => {
    const evaluator = start();
    evaluator.evaluate(input);
    workers.answer(1);
    vi.advanceTimersByTime(EVALUATION_BUDGET_MS * 2);
    expect(timeouts).toBe(0);
    evaluator.dispose();
  });

  it('counts the budget from the worker’s last reply, not from the latest request', () => {
    const evaluator = start();
    evaluator.evaluate(input);
    vi.advanceTimersByTime(EVALUATION_BUDGET_MS / 2);
    evaluator.evaluate(input);
    vi.advanceTimersByTime(EVALUATION_BUDGET_MS / 2);
    expect(timeouts).toBe(1);
    evaluator.dispose();
  });

  it('cancels: the busy worker is replaced and its late reply is dropped', () => {
    const evaluator = start();
    evaluator.evaluate(input);
    evaluator.cancel();
    expect(workers.started.map((w) => w.terminated)).toEqual([true, false]);
    workers.answer(1);
    expect(results).toEqual([]);
    vi.advanceTimersByTime(EVALUATION_BUDGET_MS * 2);
    expect(timeouts).toBe(0);
    evaluator.dispose();
  });

  it('keeps display versions unique across a replaced worker (so the panels redraw)', () => {
    const evaluator = start();
    evaluator.evaluate(input);
    workers.answer(1, 3);
    evaluator.evaluate(input);
    evaluator.cancel();
    evaluator.evaluate(input);
    workers.answer(4, 1);
    expect(panelVersions).toEqual([3, 4]);
    evaluator.dispose();
  });
});
