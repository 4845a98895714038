/**
 * Opening a scenario in the Lab from elsewhere (a template, a share link, an imported file, a KMS call to explain):
 * the learner's current work is kept among the saved scenarios first, so nothing is silently lost.
 */
import type { Scenario } from '../scenario/types';
import { labStore, STARTER_SCENARIO } from './lab-store';

const AUTOSAVE_PREFIX = 'Autosave: ';

/**
 * Before the working scenario is replaced, keep it as a saved scenario named after its title, unless it is
 * unchanged from the starter or identical to what replaces it.
 */
function keepCurrentWork(next: Scenario): void {
  const state = labStore().getState();
  const current = JSON.stringify(state.scenario);
  if (current === JSON.stringify(next) || current === JSON.stringify(STARTER_SCENARIO)) return;
  if (state.saved.some((s) => JSON.stringify(s.scenario) === current)) return;
  state.saveAs(`${AUTOSAVE_PREFIX}${state.scenario.title ?? 'untitled'}`);
}

/** Opens `next` as the working scenario, with a notice, after keeping the current work (keepCurrentWork). */
export function openScenario(next: Scenario, message: string): void {
  keepCurrentWork(next);
  labStore().getState().loadScenario(next, { tone: 'info', message });
}
