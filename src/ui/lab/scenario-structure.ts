/**
 * The scenario as the panels around the editors see it: everything but the policy documents. Typing in a
 * policy changes the scenario on every keystroke; the scenario panel, the request builder and the editor tabs
 * show none of the policy text, so they subscribe to this key and skip those redraws.
 */
import { useMemo } from 'react';
import type { Scenario } from '../../scenario/types';
import { labStore, useLabStore } from '../../state/lab-store';

/** Fields that hold policy documents: replaced by a marker of their presence (or their names). */
function withoutPolicyDocuments(key: string, value: unknown): unknown {
  if (key === 'policy' || key === 'permissionsBoundary' || key === 'sessionPolicy')
    return value ? true : undefined;
  // Identity policies, SCPs and RCPs: each by its name (a managed SCP/RCP is one), or the mark of a bare document.
  if ((key === 'policies' || key === 'scps' || key === 'rcps') && Array.isArray(value)) {
    return value.map((p: unknown) =>
      typeof p === 'string'
        ? p
        : p && typeof p === 'object' && 'name' in p && typeof p.name === 'string'
          ? p.name
          : true,
    );
  }
  return value;
}

/** A string that changes exactly when something other than a policy document's content changes. */
export function structureKey(scenario: Scenario): string {
  return JSON.stringify(scenario, withoutPolicyDocuments);
}

/** The current scenario, re-rendering only when its structure (not a policy's text) changes. */
export function useScenarioStructure(): Scenario {
  const key = useLabStore((s) => structureKey(s.scenario));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the parts of the scenario read here
  return useMemo(() => labStore().getState().scenario, [key]);
}
