/**
 * "Explain in Lab" from the Audit area. A call of the lab's own trail opens as the Keys area opens a failed call
 * (open-in-lab.ts: the live state the KMS decided with). A call of an imported trail, or one a replay says would
 * change, opens in the scenario the replay decided under (the Lab's current one plus the KMS's own keys), so the
 * Lab shows the decision the replay reported.
 */
import type { TrailRecord } from '../kms/trail';
import { replayScenario } from './audit-scenario';
import { browserKms } from './kms-store';
import { openScenario } from './lab-open';
import { labStore } from './lab-store';
import { explainScenario, openInLab } from './open-in-lab';

export async function explainInLab(record: TrailRecord, asReplayed: boolean): Promise<string | undefined> {
  const session = await browserKms();
  if (!asReplayed) return openInLab(session, record);
  const lab = labStore().getState();
  const state = session.kms.view();
  const built = explainScenario(lab.scenario, state, record);
  if (!built.ok) return built.message;
  const decidedUnder = replayScenario(lab.scenario, state);
  openScenario(
    { ...built.scenario, keys: decidedUnder.keys, grants: decidedUnder.grants },
    `Opened ${built.title} from Audit, decided under the current scenario.`,
  );
  const opened = labStore().getState();
  opened.selectRequest(built.requestId);
  opened.setView('evaluate');
  window.location.hash = '#/lab';
  return undefined;
}
