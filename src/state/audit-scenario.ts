/**
 * The scenario an Audit replay decides under: the Lab's current one (with the learner's edits), plus the keys and
 * grants that exist only in the simulated KMS (keys created with CreateKey, grants made in Keys), so their calls
 * are replayed too rather than skipped as unknown keys. Where both hold a key, the Lab's entry wins: a policy
 * change made in the Lab is what the replay is asked about.
 */
import { engineScenario } from '../kms/authorize';
import type { KmsState } from '../kms/kms-state';
import type { Scenario } from '../scenario/types';

export function replayScenario(lab: Scenario, kms: KmsState | undefined): Scenario {
  if (!kms) return lab;
  const live = engineScenario(lab, kms);
  const labGrants = lab.grants ?? [];
  const known = new Set(labGrants.map((g) => g.grantId));
  return {
    ...lab,
    keys: { ...live.keys, ...lab.keys },
    grants: [...labGrants, ...(live.grants ?? []).filter((g) => !known.has(g.grantId))],
  };
}
