/**
 * The lab's state (zustand). It holds the working scenario as data AND the text of every policy editor (keyed
 * by PolicyId), so nothing typed is lost while it is not valid JSON; the selected request and key; the last
 * good evaluation with a `stale` flag; named saved scenarios; and what the views show (matrix, what-if,
 * compare, highlights). Evaluation runs in a Web Worker (lab-evaluator.ts), debounced, latest wins; the work
 * is saved to localStorage as the learner types (lab-persist.ts). Pure helpers live in the other lab-*.ts files.
 */
import { createStore, useStore } from 'zustand';
import type { EvaluationResult, Finding, PolicyId, SourceRange, StatementRef, StepId } from '../engine/types';
import { defaultKeyPolicy } from '../scenario/default-key-policy';
import { formatLocatedError, loadScenario } from '../scenario/load';
import type { RequestSpec, Scenario } from '../scenario/types';
import type { EvalInput, EvalOutput, RequestSummary } from './lab-eval-core';
import { createEvaluator, type Evaluator, type EvaluatorOptions } from './lab-evaluator';
import type { WhatIf } from './lab-matrix';
import {
  carryTexts,
  formatPolicy,
  invalidTexts,
  listPolicySlots,
  parsePolicyText,
  setPolicyDocument,
  textsFromScenario,
} from './lab-policies';
import {
  LAB_STORAGE_VERSION,
  loadLab,
  saveLab,
  type KeyValueStorage,
  type PersistedLab,
  type SavedScenario,
} from './lab-persist';
import { cleanRequest, keyArnForReference } from './lab-request';
import { SCENARIO_EDITOR, scenarioErrorFindings } from './lab-warnings';
import { addRequest as addRequestTo, replaceRequest, renamePolicyId } from './lab-scenario-edit';

export { SCENARIO_EDITOR } from './lab-warnings';

export type LabView = 'evaluate' | 'matrix' | 'compare';

export interface LabNotice {
  tone: 'info' | 'error';
  message: string;
  /** An optional button in the notice (e.g. "Open the link again"). */
  action?: { label: string; run(): void };
  /** An optional download button: the text is read when clicked, so it is the work as it is then. */
  download?: { label: string; fileName: string; text(): string };
}

/** Why the evaluation on screen is not for the current input although nothing is invalid. */
export type EvaluationStop = 'cancelled' | 'timeout';

/** The last good evaluation: what the flowchart, decision panel, problems panel and matrix show. */
export interface LabEvaluation {
  result: EvaluationResult | null;
  summaries: RequestSummary[];
  findings: Record<PolicyId, Finding[]>;
  matrix?: EvalOutput['matrix'];
  whatIf?: EvalOutput['whatIf'];
  diff?: EvalOutput['diff'];
  /** Which panels' pictures changed (numbers compared instead of the result serialized on each reply). */
  versions: EvalOutput['versions'];
  elapsedMs: number;
}

export interface LabData {
  scenario: Scenario;
  texts: Record<PolicyId, string>;
  /** Editor texts that are not valid policies, with why (a banner, and the result is stale). */
  invalid: Record<PolicyId, string>;
  scenarioText: string | null;
  /** Why the scenario editor's text does not load (the banner), and the same errors located for its markers. */
  scenarioTextError: { message: string; findings: Finding[] } | null;
  selectedRequestId: string | null;
  selectedKeyArn: string | null;
  activeEditor: PolicyId | null;
  saved: SavedScenario[];
  evaluation: LabEvaluation | null;
  /** An evaluation was asked for and has not come back yet. */
  evaluating: boolean;
  /** Evaluating for longer than BUSY_INDICATOR_DELAY_MS: show it, offer Cancel, and mark the result stale. */
  busy: boolean;
  /** The last evaluation was cancelled or stopped by the time budget; the result on screen is older. */
  evaluationStopped: EvaluationStop | null;
  /** The engine failed on the current input (the last good evaluation stays). */
  evalError: string | null;
  /** The evaluation on screen does not reflect the editors (invalid text, or an engine failure). */
  stale: boolean;
  notice: LabNotice | null;
  view: LabView;
  whatIf: WhatIf | null;
  compareWith: string | null;
  /** Statements to highlight in the editor (from a flowchart node click). */
  highlight: { policyId: PolicyId; ranges: SourceRange[] } | null;
  /** Steps to highlight in the flowchart (from a statement click). */
  highlightedSteps: StepId[];
  selectedStatement: StatementRef | null;
  /** The share-link hash last opened (see PersistedWorking.openedShareLink). */
  openedShareLink: string | null;
}

export interface LabActions {
  /** Replaces the whole working scenario (template, share link, import, test hook); selects its first request. */
  loadScenario(scenario: Scenario, notice?: LabNotice | null): void;
  /** One editor changed: keep the text, and update the data when it parses. */
  setPolicyText(id: PolicyId, text: string): void;
  /** The whole-scenario editor changed. */
  setScenarioText(text: string): void;
  /** A structural change from the scenario panel; `renamed` maps old policy ids to new ones. */
  updateScenario(change: (scenario: Scenario) => Scenario, renamed?: (id: PolicyId) => PolicyId): void;
  selectRequest(id: string | null): void;
  selectKey(keyArn: string | null): void;
  setActiveEditor(id: PolicyId | null): void;
  /** Replaces the selected request with `request` (from the request builder). */
  updateSelectedRequest(request: RequestSpec): void;
  /** Adds a request (or selects an identical one) and selects it; returns its id. */
  addRequest(request: Omit<RequestSpec, 'id'> & { id?: string }): string;
  saveAs(name: string): void;
  deleteSaved(name: string): void;
  setView(view: LabView): void;
  setWhatIf(whatIf: WhatIf | null): void;
  setCompareWith(name: string | null): void;
  setNotice(notice: LabNotice | null): void;
  /** From the flowchart: highlight these statements (in the editor of the first one's policy). */
  highlightStatements(statements: StatementRef[]): void;
  /** Opens the editor of `policyId` and highlights `ranges` in it (a problem, a statement). */
  revealRanges(policyId: PolicyId, ranges: SourceRange[]): void;
  /** From the decision panel: select a statement and highlight the steps it took part in. */
  selectStatement(ref: StatementRef | null): void;
  receiveEvaluation(output: EvalOutput): void;
  /** Stops the evaluation in progress; the result on screen stays, marked stale. */
  cancelEvaluation(): void;
  setOpenedShareLink(hash: string | null): void;
}

export type LabState = LabData & LabActions;

/** The scenario the lab opens with when nothing was saved: the key policy KMS gives a key created by the API. */
export const STARTER_SCENARIO: Scenario = {
  version: 2,
  title: 'Start: the default key policy',
  description:
    'A key with the default key policy (it lets the account use IAM) and a role whose IAM policy allows Decrypt.',
  accounts: { '111122223333': { name: 'Workload' } },
  principals: {
    'arn:aws:iam::111122223333:role/App': {
      policies: [
        {
          name: 'AllowDecrypt',
          document: {
            Version: '2012-10-17',
            Statement: [{ Sid: 'UseTheKey', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }],
          },
        },
      ],
    },
  },
  keys: {
    'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab': {
      description: 'Application data',
      manager: 'CUSTOMER',
      state: 'Enabled',
      origin: 'AWS_KMS',
      aliases: ['alias/app'],
      policy: defaultKeyPolicy('111122223333'),
    },
  },
  requests: [
    {
      id: 'app-decrypt',
      principal: 'arn:aws:iam::111122223333:role/App',
      action: 'kms:Decrypt',
      keyId: 'alias/app',
      expect: 'Allow',
    },
    {
      id: 'app-encrypt',
      principal: 'arn:aws:iam::111122223333:role/App',
      action: 'kms:Encrypt',
      keyId: 'alias/app',
      expect: 'ImplicitDeny',
    },
  ],
};

/** How long typing must pause before an evaluation is asked for. */
export const EVALUATION_DEBOUNCE_MS = 120;
/** How long typing must pause before the work is written to localStorage. */
export const SAVE_DEBOUNCE_MS = 400;
/** An evaluation running longer than this is shown as busy (shorter ones would only flicker). */
export const BUSY_INDICATOR_DELAY_MS = 200;

function firstKeyArn(scenario: Scenario): string | null {
  return Object.keys(scenario.keys ?? {})[0] ?? null;
}

/** The key the lab shows for a request: the key it names, else the current choice, else the first key. */
function keyForRequest(scenario: Scenario, requestId: string | null, current: string | null): string | null {
  const request = scenario.requests?.find((r) => r.id === requestId);
  const named = keyArnForReference(scenario, request?.keyId);
  if (named) return named;
  return current && scenario.keys?.[current] ? current : firstKeyArn(scenario);
}

type StaleInputs = Pick<
  LabData,
  'invalid' | 'scenarioTextError' | 'evalError' | 'busy' | 'evaluationStopped'
>;

function staleOf(data: StaleInputs): boolean {
  return (
    Object.keys(data.invalid).length > 0 ||
    data.scenarioTextError !== null ||
    data.evalError !== null ||
    data.busy ||
    data.evaluationStopped !== null
  );
}

/**
 * A change to the lab state with `stale` brought up to date: it is derived from the inputs above, here in one
 * place rather than recomputed by hand at every change that touches one of them.
 */
function withStale<T extends Partial<LabData>>(current: StaleInputs, change: T): T & { stale: boolean } {
  return { ...change, stale: staleOf({ ...current, ...change }) };
}

function freshWorking(
  scenario: Scenario,
): Pick<
  LabData,
  | 'scenario'
  | 'texts'
  | 'invalid'
  | 'scenarioText'
  | 'scenarioTextError'
  | 'selectedRequestId'
  | 'selectedKeyArn'
  | 'activeEditor'
> {
  const selectedRequestId = scenario.requests?.[0]?.id ?? null;
  const selectedKeyArn = keyForRequest(scenario, selectedRequestId, null);
  return {
    scenario,
    texts: textsFromScenario(scenario),
    invalid: {},
    scenarioText: null,
    scenarioTextError: null,
    selectedRequestId,
    selectedKeyArn,
    activeEditor: selectedKeyArn ? `key:${selectedKeyArn}` : null,
  };
}

export interface LabStoreOptions {
  storage?: () => KeyValueStorage | undefined;
  /** Where evaluations run; tests pass a synchronous fake. */
  createEvaluator?: (onResult: (output: EvalOutput) => void, options: EvaluatorOptions) => Evaluator;
}

function browserStorage(): KeyValueStorage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export function createLabStore(options: LabStoreOptions = {}) {
  const getStorage = options.storage ?? browserStorage;
  const loaded = loadLab(getStorage());
  const working = loaded.data.working;
  const initial: LabData = {
    ...freshWorking(working?.scenario ?? STARTER_SCENARIO),
    ...(working
      ? {
          scenario: working.scenario,
          texts: { ...textsFromScenario(working.scenario), ...working.texts },
          invalid: invalidTexts(working.texts),
          scenarioText: working.scenarioText,
          scenarioTextError: null,
          selectedRequestId: working.selectedRequestId,
          selectedKeyArn: working.selectedKeyArn ?? firstKeyArn(working.scenario),
          activeEditor: working.activeEditor,
        }
      : {}),
    saved: loaded.data.saved,
    evaluation: null,
    evaluating: false,
    busy: false,
    evaluationStopped: null,
    evalError: null,
    stale: false,
    notice: null,
    view: 'evaluate',
    whatIf: null,
    compareWith: null,
    highlight: null,
    highlightedSteps: [],
    selectedStatement: null,
    openedShareLink: working?.openedShareLink ?? null,
  };
  initial.stale = staleOf(initial);

  const store = createStore<LabState>()((set, get) => ({
    ...initial,

    loadScenario(scenario, notice = null) {
      set((current) =>
        withStale(current, {
          ...freshWorking(scenario),
          evalError: null,
          notice,
          whatIf: null,
          highlight: null,
          highlightedSteps: [],
          selectedStatement: null,
        }),
      );
    },

    setPolicyText(id, text) {
      const state = get();
      if (state.texts[id] === text) return;
      const texts = { ...state.texts, [id]: text };
      const parsed = parsePolicyText(text);
      const invalid = { ...state.invalid };
      let scenario = state.scenario;
      if (parsed.ok) {
        delete invalid[id];
        scenario = setPolicyDocument(scenario, id, parsed.document);
      } else {
        invalid[id] = parsed.message;
      }
      set((current) =>
        withStale(current, {
          texts,
          invalid,
          scenario,
          highlight: null,
          // The whole-scenario editor is reprinted from the data, unless it holds invalid text of its own.
          ...(state.scenarioTextError ? {} : { scenarioText: null }),
        }),
      );
    },

    setScenarioText(text) {
      const state = get();
      // Read as a scenario file is read (comments allowed, migration, schema), so errors say where.
      const loaded = loadScenario(text, 'scenario JSON');
      if (!loaded.ok) {
        const shown = loaded.errors.slice(0, 3).map(formatLocatedError);
        const more = loaded.errors.length > 3 ? ` (and ${loaded.errors.length - 3} more)` : '';
        const scenarioTextError = {
          message: `${shown.join('; ')}${more}`,
          // Monaco marks JSON syntax errors itself.
          findings: loaded.syntax ? [] : scenarioErrorFindings(text, loaded.errors),
        };
        set((current) => withStale(current, { scenarioText: text, scenarioTextError }));
        return;
      }
      const scenario = loaded.scenario;
      const selectedRequestId = scenario.requests?.some((r) => r.id === state.selectedRequestId)
        ? state.selectedRequestId
        : (scenario.requests?.[0]?.id ?? null);
      // The whole-scenario editor is the source of truth here: policy editors are reprinted from it.
      const texts = textsFromScenario(scenario);
      set((current) =>
        withStale(current, {
          scenario,
          texts,
          invalid: {},
          scenarioText: text,
          scenarioTextError: null,
          selectedRequestId,
          selectedKeyArn: keyForRequest(scenario, selectedRequestId, state.selectedKeyArn),
        }),
      );
    },

    updateScenario(change, renamed) {
      const state = get();
      const scenario = change(state.scenario);
      if (scenario === state.scenario) return;
      const texts = carryTexts(state.texts, scenario, renamed);
      const invalid = invalidTexts(texts);
      const selectedRequestId = scenario.requests?.some((r) => r.id === state.selectedRequestId)
        ? state.selectedRequestId
        : (scenario.requests?.[0]?.id ?? null);
      const activeEditor =
        state.activeEditor === SCENARIO_EDITOR || (state.activeEditor && state.activeEditor in texts)
          ? state.activeEditor
          : state.activeEditor && renamed && renamed(state.activeEditor) in texts
            ? renamed(state.activeEditor)
            : null;
      set((current) =>
        withStale(current, {
          scenario,
          texts,
          invalid,
          scenarioText: null,
          scenarioTextError: null,
          selectedRequestId,
          selectedKeyArn: scenario.keys?.[state.selectedKeyArn ?? '']
            ? state.selectedKeyArn
            : keyForRequest(scenario, selectedRequestId, null),
          activeEditor,
        }),
      );
    },

    selectRequest(id) {
      const state = get();
      if (id !== null && !state.scenario.requests?.some((r) => r.id === id)) return;
      set({
        selectedRequestId: id,
        selectedKeyArn: keyForRequest(state.scenario, id, state.selectedKeyArn),
        highlight: null,
        highlightedSteps: [],
        selectedStatement: null,
      });
    },

    selectKey(keyArn) {
      if (keyArn !== null && !get().scenario.keys?.[keyArn]) return;
      set({ selectedKeyArn: keyArn });
    },

    setActiveEditor(id) {
      set({ activeEditor: id });
    },

    updateSelectedRequest(request) {
      const state = get();
      const currentId = state.selectedRequestId;
      if (!currentId) return;
      const cleaned = cleanRequest(request);
      const idChanged = cleaned.id !== currentId;
      if (idChanged && (!cleaned.id || state.scenario.requests?.some((r) => r.id === cleaned.id))) return;
      const change = (scenario: Scenario) => replaceRequest(scenario, currentId, cleaned);
      state.updateScenario(change, idChanged ? renamePolicyId('request', currentId, cleaned.id) : undefined);
      set({
        selectedRequestId: cleaned.id,
        selectedKeyArn: keyForRequest(get().scenario, cleaned.id, state.selectedKeyArn),
      });
    },

    addRequest(request) {
      const state = get();
      const same = state.scenario.requests?.find(
        (r) =>
          r.principal === request.principal &&
          r.action === request.action &&
          r.keyId === request.keyId &&
          !r.encryptionContext &&
          !r.context,
      );
      if (same) {
        state.selectRequest(same.id);
        return same.id;
      }
      const added = addRequestTo(state.scenario, cleanRequest({ id: '', ...request } as RequestSpec));
      state.updateScenario(() => added.scenario);
      get().selectRequest(added.id);
      return added.id;
    },

    saveAs(name) {
      const trimmed = name.trim();
      if (!trimmed) return;
      const state = get();
      const entry: SavedScenario = {
        name: trimmed,
        savedAt: new Date().toISOString(),
        scenario: state.scenario,
      };
      const saved = [...state.saved.filter((s) => s.name !== trimmed), entry];
      set({ saved, notice: { tone: 'info', message: `Saved as “${trimmed}”.` } });
    },

    deleteSaved(name) {
      const state = get();
      set({
        saved: state.saved.filter((s) => s.name !== name),
        compareWith: state.compareWith === name ? null : state.compareWith,
      });
    },

    setView(view) {
      set({ view });
    },

    setWhatIf(whatIf) {
      set({ whatIf });
    },

    setCompareWith(name) {
      set({ compareWith: name });
    },

    setNotice(notice) {
      set({ notice });
    },

    highlightStatements(statements) {
      const first = statements[0];
      if (!first) {
        set({ highlight: null });
        return;
      }
      const ranges = statements
        .filter((s) => s.policyId === first.policyId && s.range)
        .map((s) => s.range as SourceRange);
      set({
        highlight: { policyId: first.policyId, ranges },
        activeEditor: first.policyId in get().texts ? first.policyId : get().activeEditor,
      });
    },

    revealRanges(policyId, ranges) {
      // An AWS managed SCP/RCP (FullAWSAccess) has no editor: the editor shown stays (as in highlightStatements).
      const editable = policyId === SCENARIO_EDITOR || policyId in get().texts;
      set({ activeEditor: editable ? policyId : get().activeEditor, highlight: { policyId, ranges } });
    },

    selectStatement(ref) {
      const steps = get().evaluation?.result?.steps ?? [];
      const highlightedSteps = ref
        ? steps
            .filter((step) =>
              step.statements.some((s) => s.policyId === ref.policyId && s.index === ref.index),
            )
            .map((step) => step.id)
        : [];
      set({ selectedStatement: ref, highlightedSteps });
    },

    setOpenedShareLink(hash) {
      set({ openedShareLink: hash });
    },

    receiveEvaluation(output) {
      const state = get();
      if (output.error) {
        set((current) =>
          withStale(current, {
            evaluating: false,
            busy: false,
            evalError: output.error,
            // Findings are still fresh even when the engine failed.
            evaluation: state.evaluation
              ? {
                  ...state.evaluation,
                  findings: output.findings,
                  versions: { ...state.evaluation.versions, findings: output.versions.findings },
                }
              : null,
          }),
        );
        return;
      }
      set((current) =>
        withStale(current, {
          evaluating: false,
          busy: false,
          evalError: null,
          evaluation: {
            result: output.result,
            summaries: output.summaries,
            findings: output.findings,
            matrix: output.matrix,
            whatIf: output.whatIf,
            diff: output.diff,
            versions: output.versions,
            elapsedMs: output.elapsedMs,
          },
        }),
      );
    },

    cancelEvaluation() {
      if (!get().evaluating) return;
      evaluator.cancel();
      stopEvaluation('cancelled');
    },
  }));

  /** The evaluation in progress will not come back (cancelled, or stopped by the budget). */
  const stopEvaluation = (reason: EvaluationStop) => {
    store.setState((current) =>
      withStale(current, {
        evaluating: false,
        busy: false,
        evaluationStopped: reason,
      }),
    );
  };

  // ------------------------------------------------------------ evaluation: debounced, in a worker, latest wins
  const evaluator = (options.createEvaluator ?? createEvaluator)(
    (output) => store.getState().receiveEvaluation(output),
    { onTimeout: () => stopEvaluation('timeout') },
  );
  let evalTimer: ReturnType<typeof setTimeout> | undefined;
  let busyTimer: ReturnType<typeof setTimeout> | undefined;
  let holdNextMs = 0;
  const showBusy = () => {
    busyTimer = undefined;
    const state = store.getState();
    if (state.evaluating) store.setState((current) => withStale(current, { busy: true }));
  };
  const waiting: (() => void)[] = [];

  const evaluationInput = (state: LabData): Omit<EvalInput, 'seq'> => {
    const sources: Record<PolicyId, string> = {};
    const lint: EvalInput['lint'] = {};
    for (const slot of listPolicySlots(state.scenario)) {
      const text = state.texts[slot.id] ?? formatPolicy(slot.document);
      if (slot.id in state.invalid) {
        lint[slot.id] = { text, type: slot.type };
      } else {
        lint[slot.id] = { type: slot.type };
        sources[slot.id] = text;
      }
    }
    const compared =
      state.view === 'compare' ? state.saved.find((s) => s.name === state.compareWith) : undefined;
    return {
      scenario: state.scenario,
      sources,
      lint,
      // The scenario's warnings are located in the text its editor shows (the learner's, when valid).
      ...(state.scenarioText !== null && state.scenarioTextError === null
        ? { scenarioText: state.scenarioText }
        : {}),
      requestId: state.selectedRequestId,
      ...(state.view === 'matrix' && state.selectedKeyArn
        ? { matrix: { keyArn: state.selectedKeyArn, ...(state.whatIf ? { whatIf: state.whatIf } : {}) } }
        : {}),
      ...(compared ? { compareWith: compared.scenario } : {}),
    };
  };

  const requestEvaluation = () => {
    // Called by the timer or directly (evaluateNow): either way no other evaluation stays scheduled.
    clearTimeout(evalTimer);
    evalTimer = undefined;
    store.setState((current) =>
      withStale(current, {
        evaluating: true,
        evaluationStopped: null,
      }),
    );
    busyTimer ??= setTimeout(showBusy, BUSY_INDICATOR_DELAY_MS);
    const input = evaluationInput(store.getState());
    evaluator.evaluate(holdNextMs ? { ...input, holdMs: holdNextMs } : input);
    holdNextMs = 0;
  };

  const scheduleEvaluation = (delay: number) => {
    clearTimeout(evalTimer);
    evalTimer = setTimeout(requestEvaluation, delay);
  };

  // What an evaluation depends on; any change schedules one (typing debounced, clicks at once).
  store.subscribe((state, previous) => {
    if (state.evaluating === false && previous.evaluating === true) {
      clearTimeout(busyTimer);
      busyTimer = undefined;
      if (evalTimer === undefined) while (waiting.length) waiting.shift()?.();
    }
    const typed = state.texts !== previous.texts || state.scenarioText !== previous.scenarioText;
    const changed =
      state.scenario !== previous.scenario ||
      state.selectedRequestId !== previous.selectedRequestId ||
      state.selectedKeyArn !== previous.selectedKeyArn ||
      state.view !== previous.view ||
      state.whatIf !== previous.whatIf ||
      state.compareWith !== previous.compareWith;
    if (typed) scheduleEvaluation(EVALUATION_DEBOUNCE_MS);
    else if (changed) scheduleEvaluation(0);
  });

  // ------------------------------------------------------------ persistence, debounced
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const persistedOf = (state: LabData): PersistedLab => ({
    version: LAB_STORAGE_VERSION,
    working: {
      scenario: state.scenario,
      texts: state.texts,
      scenarioText: state.scenarioTextError ? state.scenarioText : null,
      selectedRequestId: state.selectedRequestId,
      selectedKeyArn: state.selectedKeyArn,
      activeEditor: state.activeEditor,
      openedShareLink: state.openedShareLink,
    },
    saved: state.saved,
  });
  // False while unreadable data that could not be set aside sits under the lab's key: saving would destroy it.
  let canSave = loaded.canSave;
  const downloadWork: LabNotice['download'] = {
    label: 'Download my work',
    fileName: 'kms-policy-lab-scenario.json',
    text: () => `${JSON.stringify(store.getState().scenario, null, 2)}\n`,
  };
  let saveFailed = false;
  const saveNow = () => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (!canSave) return;
    const storage = getStorage();
    const saved = saveLab(storage, persistedOf(store.getState()));
    // Say so once when the browser refuses to store the work (quota full, storage blocked), not on every key.
    if (storage && !saved && !saveFailed) {
      store.getState().setNotice({
        tone: 'error',
        message:
          'Your work could not be saved in this browser (storage full or blocked). It stays here until you close the page: download it to keep it, or delete saved scenarios you no longer need.',
        download: downloadWork,
      });
    }
    saveFailed = storage !== undefined && !saved;
  };
  if (loaded.notice) {
    const { tone, message, unreadableCopy } = loaded.notice;
    store.setState({
      notice: {
        tone,
        message,
        ...(unreadableCopy !== undefined
          ? {
              download: {
                label: 'Download the unreadable copy',
                fileName: 'kms-policy-lab-unreadable-save.json',
                text: () => unreadableCopy,
              },
            }
          : {}),
        ...(canSave
          ? {}
          : {
              action: {
                label: 'Replace it with my work',
                run: () => {
                  canSave = true;
                  saveNow();
                  store.getState().setNotice(null);
                },
              },
            }),
      },
    });
  }
  store.subscribe((state, previous) => {
    if (
      state.texts !== previous.texts ||
      state.scenario !== previous.scenario ||
      state.scenarioText !== previous.scenarioText ||
      state.saved !== previous.saved ||
      state.selectedRequestId !== previous.selectedRequestId ||
      state.selectedKeyArn !== previous.selectedKeyArn ||
      state.activeEditor !== previous.activeEditor ||
      state.openedShareLink !== previous.openedShareLink
    ) {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(saveNow, SAVE_DEBOUNCE_MS);
    }
  });

  return Object.assign(store, {
    /** Evaluates now (skipping the debounce); used at start-up. */
    evaluateNow: requestEvaluation,
    /** Resolves when no evaluation is pending or running (for tests and the bench). */
    whenEvaluated(): Promise<void> {
      const state = store.getState();
      if (evalTimer === undefined && !state.evaluating) return Promise.resolve();
      return new Promise((resolve) => waiting.push(resolve));
    },
    /** Test set-up (`__lab.holdNextEvaluation`): the next evaluation keeps its thread busy for `ms` first. */
    holdNextEvaluation(ms: number): void {
      holdNextMs = ms;
    },
    /** Writes pending work at once (page hide). */
    flushSave(): void {
      if (saveTimer !== undefined) saveNow();
    },
    dispose(): void {
      clearTimeout(evalTimer);
      clearTimeout(busyTimer);
      clearTimeout(saveTimer);
      evaluator.dispose();
    },
  });
}

export type LabStore = ReturnType<typeof createLabStore>;

let singleton: LabStore | undefined;

/** The lab's store, created on first use (when the lazy Lab chunk loads). */
export function labStore(): LabStore {
  singleton ??= createLabStore();
  return singleton;
}

export function useLabStore<T>(selector: (state: LabState) => T): T {
  return useStore(labStore(), selector);
}
