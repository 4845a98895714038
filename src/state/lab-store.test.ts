import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EvalInput, EvalOutput } from './lab-eval-core';
import { EVALUATION_BUDGET_MS, type EvaluatorOptions } from './lab-evaluator';
import type { KeyValueStorage } from './lab-persist';
import {
  BUSY_INDICATOR_DELAY_MS,
  createLabStore,
  EVALUATION_DEBOUNCE_MS,
  SAVE_DEBOUNCE_MS,
  STARTER_SCENARIO,
  type LabStore,
} from './lab-store';

const KEY = Object.keys(STARTER_SCENARIO.keys ?? {})[0];
const KEY_POLICY = `key:${KEY}`;

function memoryStorage(): KeyValueStorage & { data: Record<string, string> } {
  const data: Record<string, string> = {};
  return {
    data,
    getItem: (k) => data[k] ?? null,
    setItem: (k, v) => {
      data[k] = v;
    },
    removeItem: (k) => {
      delete data[k];
    },
  };
}

/** An evaluator that records what it was asked and answers only when told to. */
function fakeEvaluator() {
  const asked: EvalInput[] = [];
  let deliver: (output: EvalOutput) => void = () => {};
  let timeOut: () => void = () => {};
  const fake = {
    asked,
    cancelled: 0,
    create(onResult: (output: EvalOutput) => void, options: EvaluatorOptions) {
      deliver = onResult;
      timeOut = () => options.onTimeout?.(EVALUATION_BUDGET_MS);
      let seq = 0;
      return {
        evaluate(input: Omit<EvalInput, 'seq'>) {
          asked.push({ ...input, seq: ++seq });
          return seq;
        },
        cancel() {
          fake.cancelled += 1;
        },
        dispose() {},
      };
    },
    /** As the real evaluator does when the worker runs past its budget. */
    timeOut: () => timeOut(),
    answer(decision: 'Allow' | 'ImplicitDeny') {
      const input = asked[asked.length - 1];
      deliver({
        seq: input.seq,
        result: {
          id: input.requestId ?? '',
          decision,
          outcome: decision === 'Allow' ? 'Success' : 'AccessDeniedException',
          allowedBy: null,
          deniedBy: null,
          steps: [],
          statements: [],
          deciding: [],
          context: {},
          explanation: '',
          notes: [],
        },
        summaries: [],
        findings: {},
        versions: { panel: 1, flow: 1, findings: 1 },
        elapsedMs: 1,
      });
    },
  };
  return fake;
}

let store: LabStore;
let storage: ReturnType<typeof memoryStorage>;
let evaluator: ReturnType<typeof fakeEvaluator>;

beforeEach(() => {
  vi.useFakeTimers();
  storage = memoryStorage();
  evaluator = fakeEvaluator();
  store = createLabStore({ storage: () => storage, createEvaluator: evaluator.create });
});

afterEach(() => {
  store.dispose();
  vi.useRealTimers();
});

describe('lab store: texts and data', () => {
  it('starts on the starter scenario with its first request and key selected', () => {
    const state = store.getState();
    expect(state.selectedRequestId).toBe('app-decrypt');
    expect(state.selectedKeyArn).toBe(KEY);
    expect(JSON.parse(state.texts[KEY_POLICY])).toEqual(STARTER_SCENARIO.keys?.[KEY].policy);
  });

  it('keeps invalid text as typed, leaves the data alone and marks the result stale', () => {
    const before = store.getState().scenario;
    store.getState().setPolicyText(KEY_POLICY, '{ "Version": ');
    const state = store.getState();
    expect(state.texts[KEY_POLICY]).toBe('{ "Version": ');
    expect(state.scenario).toBe(before);
    expect(state.stale).toBe(true);
    expect(state.invalid[KEY_POLICY]).toMatch(/JSON/);
  });

  it('updates the data when the text parses again, and clears stale', () => {
    store.getState().setPolicyText(KEY_POLICY, '{');
    store.getState().setPolicyText(KEY_POLICY, '{"Version":"2012-10-17","Statement":[]}');
    const state = store.getState();
    expect(state.stale).toBe(false);
    expect(state.scenario.keys?.[KEY].policy).toEqual({ Version: '2012-10-17', Statement: [] });
  });

  it('the whole-scenario editor replaces the data and reprints the policy texts', () => {
    const edited = {
      ...STARTER_SCENARIO,
      title: 'Edited',
      keys: { [KEY]: { policy: { Version: '2012-10-17', Statement: [] } } },
    };
    store.getState().setScenarioText(JSON.stringify(edited));
    expect(store.getState().scenario.title).toBe('Edited');
    expect(JSON.parse(store.getState().texts[KEY_POLICY])).toEqual({ Version: '2012-10-17', Statement: [] });
    store.getState().setScenarioText('{ nope');
    expect(store.getState().scenario.title).toBe('Edited');
    expect(store.getState().stale).toBe(true);
    expect(store.getState().scenarioText).toBe('{ nope');
  });

  it('revealing a statement of a policy without an editor (an AWS managed SCP) keeps the editor shown', () => {
    store.getState().setActiveEditor(KEY_POLICY);
    store.getState().revealRanges('scp:root#FullAWSAccess', []);
    expect(store.getState().activeEditor).toBe(KEY_POLICY);
    store.getState().revealRanges('scenario', []);
    expect(store.getState().activeEditor).toBe('scenario');
    store.getState().revealRanges(KEY_POLICY, []);
    expect(store.getState().activeEditor).toBe(KEY_POLICY);
  });

  it('renaming a request moves its selection', () => {
    const request = store.getState().scenario.requests![0];
    store.getState().updateSelectedRequest({ ...request, id: 'renamed' });
    expect(store.getState().selectedRequestId).toBe('renamed');
    expect(store.getState().scenario.requests?.map((r) => r.id)).toContain('renamed');
  });

  it('addRequest reuses an identical request instead of adding a copy', () => {
    const request = store.getState().scenario.requests![1];
    const id = store
      .getState()
      .addRequest({ principal: request.principal, action: request.action, keyId: request.keyId });
    expect(id).toBe(request.id);
    const other = store
      .getState()
      .addRequest({ principal: request.principal, action: 'kms:DescribeKey', keyId: request.keyId });
    expect(store.getState().selectedRequestId).toBe(other);
    expect(store.getState().scenario.requests).toHaveLength(3);
  });
});

describe('lab store: evaluation', () => {
  it('debounces typing into one evaluation of the latest text and keeps the last good result while stale', () => {
    store.evaluateNow();
    evaluator.answer('Allow');
    expect(store.getState().evaluation?.result?.decision).toBe('Allow');

    store.getState().setPolicyText(KEY_POLICY, '{"Version":"2012-10-17","Statement":[1]}');
    store.getState().setPolicyText(KEY_POLICY, '{"Version":"2012-10-17","Statement":[2]}');
    vi.advanceTimersByTime(EVALUATION_DEBOUNCE_MS - 1);
    expect(evaluator.asked).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(evaluator.asked).toHaveLength(2);
    expect(evaluator.asked[1].sources[KEY_POLICY]).toBe('{"Version":"2012-10-17","Statement":[2]}');

    store.getState().setPolicyText(KEY_POLICY, '{ broken');
    vi.advanceTimersByTime(EVALUATION_DEBOUNCE_MS);
    const last = evaluator.asked[evaluator.asked.length - 1];
    expect(last.sources[KEY_POLICY]).toBeUndefined();
    expect(last.lint[KEY_POLICY].text).toBe('{ broken');
    expect(evaluator.asked[1].lint[KEY_POLICY].text).toBeUndefined();
    expect(store.getState().evaluation?.result?.decision).toBe('Allow');
    expect(store.getState().stale).toBe(true);
  });

  it('asks for a matrix only in the matrix view, with the what-if', () => {
    store.getState().setView('matrix');
    store.getState().setWhatIf({ kind: 'key-state', keyArn: KEY, state: 'Disabled' });
    vi.advanceTimersByTime(0);
    const last = evaluator.asked[evaluator.asked.length - 1];
    expect(last.matrix).toEqual({
      keyArn: KEY,
      whatIf: { kind: 'key-state', keyArn: KEY, state: 'Disabled' },
    });
  });

  it('whenEvaluated resolves once the latest evaluation came back', async () => {
    store.getState().selectRequest('app-encrypt');
    let done = false;
    const waiting = store.whenEvaluated().then(() => (done = true));
    vi.advanceTimersByTime(0);
    await Promise.resolve();
    expect(done).toBe(false);
    evaluator.answer('ImplicitDeny');
    await waiting;
    expect(done).toBe(true);
  });
});

describe('lab store: persistence', () => {
  it('saves as the learner types (debounced) and a new store reads the work back, invalid text included', () => {
    store.getState().setPolicyText(KEY_POLICY, '{ half typed');
    store.getState().saveAs('mine');
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS);
    const reopened = createLabStore({ storage: () => storage, createEvaluator: fakeEvaluator().create });
    expect(reopened.getState().texts[KEY_POLICY]).toBe('{ half typed');
    expect(reopened.getState().stale).toBe(true);
    expect(reopened.getState().saved.map((s) => s.name)).toEqual(['mine']);
    reopened.dispose();
  });

  it('says once when the browser refuses to save', () => {
    const full: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    };
    const refused = createLabStore({ storage: () => full, createEvaluator: fakeEvaluator().create });
    refused.getState().setPolicyText(KEY_POLICY, '{}');
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS);
    expect(refused.getState().notice?.message).toMatch(/could not be saved/);
    refused.getState().setNotice(null);
    refused.getState().setPolicyText(KEY_POLICY, '{ }');
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS);
    expect(refused.getState().notice).toBeNull();
    refused.dispose();
  });

  it('sets aside corrupt saved state with a notice instead of failing', () => {
    storage.data['kms-policy-lab.lab'] = '{"version":1,"working":{"scenario":42}}';
    const reopened = createLabStore({ storage: () => storage, createEvaluator: fakeEvaluator().create });
    expect(reopened.getState().scenario).toEqual(STARTER_SCENARIO);
    expect(reopened.getState().notice?.message).toMatch(/set aside/);
    expect(reopened.getState().notice?.download?.text()).toBe('{"version":1,"working":{"scenario":42}}');
    expect(Object.keys(storage.data).some((k) => k.includes('set-aside'))).toBe(true);
    reopened.dispose();
  });

  it('never overwrites unreadable saved state it could not set aside, until the learner says so', () => {
    const unreadable = JSON.stringify({ version: 2, working: { scenario: { version: 2, requests: {} } } });
    const full = memoryStorage();
    full.data['kms-policy-lab.lab'] = unreadable;
    full.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const reopened = createLabStore({ storage: () => full, createEvaluator: fakeEvaluator().create });
    const notice = reopened.getState().notice;
    expect(notice?.message).toMatch(/could not be set aside/);
    reopened.getState().setPolicyText(KEY_POLICY, '{}');
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS);
    reopened.flushSave();
    expect(full.data['kms-policy-lab.lab']).toBe(unreadable);
    let written = '';
    full.setItem = (_key, value) => {
      written = value;
    };
    notice?.action?.run();
    expect(JSON.parse(written).working.texts[KEY_POLICY]).toBe('{}');
    reopened.dispose();
  });

  it('offers the work for download when storage is full', () => {
    const full: KeyValueStorage = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {},
    };
    const refused = createLabStore({ storage: () => full, createEvaluator: fakeEvaluator().create });
    refused.getState().setPolicyText(KEY_POLICY, '{"Statement": []}');
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS);
    const download = refused.getState().notice?.download;
    expect(JSON.parse(download?.text() ?? '').keys[KEY].policy).toEqual({ Statement: [] });
    expect(refused.getState().texts[KEY_POLICY]).toBe('{"Statement": []}');
    refused.dispose();
  });
});

describe('lab store: slow evaluations', () => {
  const startEvaluation = () => {
    store.getState().selectRequest('app-encrypt');
    vi.advanceTimersByTime(0);
  };

  it('shows busy, and the result as stale, only after the evaluation has run for a while', () => {
    startEvaluation();
    vi.advanceTimersByTime(BUSY_INDICATOR_DELAY_MS - 1);
    expect(store.getState()).toMatchObject({ evaluating: true, busy: false, stale: false });
    vi.advanceTimersByTime(1);
    expect(store.getState()).toMatchObject({ busy: true, stale: true });
    evaluator.answer('ImplicitDeny');
    expect(store.getState()).toMatchObject({ evaluating: false, busy: false, stale: false });
  });

  it('does not show busy for an evaluation that comes back quickly', () => {
    startEvaluation();
    evaluator.answer('Allow');
    vi.advanceTimersByTime(BUSY_INDICATOR_DELAY_MS * 2);
    expect(store.getState().busy).toBe(false);
  });

  it('cancels: the evaluator is told, the result stays marked stale, the next change evaluates again', () => {
    startEvaluation();
    vi.advanceTimersByTime(BUSY_INDICATOR_DELAY_MS);
    store.getState().cancelEvaluation();
    expect(evaluator.cancelled).toBe(1);
    expect(store.getState()).toMatchObject({
      evaluating: false,
      busy: false,
      evaluationStopped: 'cancelled',
      stale: true,
    });
    store.getState().selectRequest('app-decrypt');
    vi.advanceTimersByTime(0);
    expect(store.getState()).toMatchObject({ evaluating: true, evaluationStopped: null });
    evaluator.answer('Allow');
    expect(store.getState().stale).toBe(false);
  });

  it('reports an evaluation stopped by the time budget and lets waiting callers go', async () => {
    startEvaluation();
    const evaluated = store.whenEvaluated();
    evaluator.timeOut();
    await evaluated;
    expect(store.getState()).toMatchObject({ evaluating: false, evaluationStopped: 'timeout', stale: true });
  });

  it('passes a hold for the next evaluation only (test set-up)', () => {
    store.holdNextEvaluation(5000);
    startEvaluation();
    store.getState().selectRequest('app-decrypt');
    vi.advanceTimersByTime(0);
    expect(evaluator.asked.map((input) => input.holdMs)).toEqual([5000, undefined]);
  });
});
