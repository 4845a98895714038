/**
 * `window.__lab`: the lab's stable test hook (lab-design §4 and §6). E2E tests and the bench use it to set up
 * a state or read one; the interaction a test is about goes through the keyboard and the mouse (lab-design §4).
 * Always installed while the Lab area is loaded; it only calls the store's public actions, so it cannot reach
 * states the UI cannot.
 *
 *   __lab.setPolicyText(policyId, text)  as if typed into that policy's editor (invalid JSON allowed)
 *   __lab.setScenario(scenario)          as if loaded from a file (selects its first request)
 *   __lab.selectRequest(id)              as if chosen in the request list
 *   __lab.setView('evaluate'|'matrix'|'compare')
 *   __lab.getState()                     a plain snapshot: scenario, texts, selection, stale, the decision…
 *   __lab.whenEvaluated()                resolves once no evaluation is pending or running
 *   __lab.holdNextEvaluation(ms)         set-up only: the next evaluation blocks its worker for `ms` first
 */
import type { Decision, EvaluationResult, Outcome, PolicyId } from '../../engine/types';
import type { Scenario } from '../../scenario/types';
import type { LabStore, LabView } from '../../state/lab-store';

export interface LabStateSnapshot {
  scenario: Scenario;
  texts: Record<PolicyId, string>;
  invalid: Record<PolicyId, string>;
  selectedRequestId: string | null;
  selectedKeyArn: string | null;
  activeEditor: string | null;
  view: LabView;
  stale: boolean;
  evaluating: boolean;
  decision: Decision | null;
  outcome: Outcome | null;
  result: EvaluationResult | null;
  savedNames: string[];
  notice: string | null;
}

export interface LabTestHook {
  setPolicyText(policyId: PolicyId, text: string): void;
  setScenario(scenario: Scenario): void;
  selectRequest(id: string): void;
  setView(view: LabView): void;
  getState(): LabStateSnapshot;
  whenEvaluated(): Promise<void>;
  holdNextEvaluation(ms: number): void;
}

declare global {
  interface Window {
    __lab?: LabTestHook;
  }
}

export function installLabHook(store: LabStore): void {
  const hook: LabTestHook = {
    setPolicyText: (policyId, text) => store.getState().setPolicyText(policyId, text),
    setScenario: (scenario) => store.getState().loadScenario(scenario),
    selectRequest: (id) => store.getState().selectRequest(id),
    setView: (view) => store.getState().setView(view),
    getState: () => {
      const state = store.getState();
      const result = state.evaluation?.result ?? null;
      return {
        scenario: state.scenario,
        texts: state.texts,
        invalid: state.invalid,
        selectedRequestId: state.selectedRequestId,
        selectedKeyArn: state.selectedKeyArn,
        activeEditor: state.activeEditor,
        view: state.view,
        stale: state.stale,
        evaluating: state.evaluating,
        decision: result?.decision ?? null,
        outcome: result?.outcome ?? null,
        result,
        savedNames: state.saved.map((s) => s.name),
        notice: state.notice?.message ?? null,
      };
    },
    whenEvaluated: () => store.whenEvaluated(),
    holdNextEvaluation: (ms) => store.holdNextEvaluation(ms),
  };
  window.__lab = hook;
}
