/** Takes the tab's KMS session and a failed call (its KmsFailure, or the CloudTrail record the KMS wrote for it) and opens the Lab on that request in the live state. */
import { engineScenario } from '../kms/authorize';
import type { KmsState } from '../kms/kms-state';
import type { TrailRecord } from '../kms/trail';
import { policyId } from '../engine/policy-ids';
import { callOfEvent } from '../scenario/cloudtrail-event';
import type { Scenario } from '../scenario/types';
import type { KmsFailure } from './kms-acting';
import type { KmsSession } from './kms-session';
import { openScenario } from './lab-open';
import { labStore } from './lab-store';

export const EXPLAINED_REQUEST_ID = 'explain-kms-call';

export type ExplainScenario =
  { ok: true; scenario: Scenario; requestId: string; title: string } | { ok: false; message: string };

const isAlias = (keyId: string) => keyId.startsWith('alias/') || /:alias\//.test(keyId);

/**
 * The engine scenario of the live state (the one the KMS decided with) plus the request a CloudTrail record of a
 * KMS call stands for, read as `lab replay` reads records (`callOfEvent`). Pure.
 */
export function explainScenario(
  base: Scenario,
  state: Readonly<KmsState>,
  record: TrailRecord,
): ExplainScenario {
  const converted = callOfEvent(record as unknown as Record<string, unknown>, EXPLAINED_REQUEST_ID);
  if (!converted.ok) return { ok: false, message: converted.message };
  const { request, resourceKeys, error } = converted.call;
  // The key as KMS resolved it (resources[]); an alias the caller wrote stays, so kms:RequestAlias is kept.
  if (resourceKeys[0] && (!request.keyId || !isAlias(request.keyId))) request.keyId = resourceKeys[0];
  const title = `${record.eventName} by ${request.principal} at ${record.eventTime}`;
  request.description = `From the Keys area: ${title}${error ? `, answered ${error.code}${error.message ? `: ${error.message}` : ''}` : ''}.`;
  const live = engineScenario(base, state as KmsState);
  const scenario: Scenario = {
    ...live,
    title: `Explain: ${title}`,
    description: 'The simulated KMS as it was when the call was made, with that call as the request.',
    requests: [request],
  };
  return { ok: true, scenario, requestId: request.id, title };
}

/**
 * Opens the Lab on the failed call: the learner's previous Lab work is kept among the saved scenarios (as a share
 * link's load keeps it), the request is selected, and the page goes to #/lab. Returns why it could not, if so.
 */
export function openInLab(session: KmsSession, failed: KmsFailure | TrailRecord): string | undefined {
  const record = 'eventVersion' in failed ? failed : failed.record;
  if (!record) return 'The KMS wrote no CloudTrail record for this call, so there is no request to explain.';
  const built = explainScenario(session.scenario, session.kms.view(), record);
  if (!built.ok) return built.message;
  openScenario(built.scenario, `Opened ${built.title} from the simulated KMS.`);
  const lab = labStore().getState();
  lab.selectRequest(built.requestId);
  lab.setView('evaluate');
  window.location.hash = '#/lab';
  return undefined;
}

/** Opens the Lab on the live state with `keyArn`'s policy in the editor (the learner's Lab work is kept first). */
export function openKeyPolicyInLab(session: KmsSession, keyArn: string): void {
  const live = engineScenario(session.scenario, session.kms.view());
  openScenario(
    { ...live, title: `Key policy of ${keyArn}`, description: 'The simulated KMS as it is now.' },
    `Opened the key policy of ${keyArn} from the simulated KMS. Edit it here, then use "Apply the Lab's version" on the key's page.`,
  );
  const lab = labStore().getState();
  lab.selectKey(keyArn);
  lab.setActiveEditor(policyId({ layer: 'key', keyArn }));
  window.location.hash = '#/lab';
}

/** The Lab's current text of `keyArn`'s key policy, when the Lab's scenario has that key. */
export function labKeyPolicyText(keyArn: string): string | undefined {
  const lab = labStore().getState();
  if (!lab.scenario.keys?.[keyArn]) return undefined;
  return lab.texts[policyId({ layer: 'key', keyArn })];
}
