/**
 * The scenario panel's list of what the lab reads past (issue 8): unknown scenario fields, request parameters
 * the operation does not read, and misspelt names in the policies. Each item says where it is and, when
 * activated, opens that editor with the place highlighted. Shown only when there is something to say.
 */
import { useId, useMemo } from 'react';
import type { Finding, PolicyId } from '../../engine/types';
import { listPolicySlots } from '../../state/lab-policies';
import { labStore, useLabStore } from '../../state/lab-store';
import { labWarnings } from '../../state/lab-warnings';
import type { Scenario } from '../../scenario/types';

export function ScenarioWarnings({ scenario }: { scenario: Scenario }) {
  const headingId = useId();
  // The findings change identity on every evaluation; their version changes only when they do.
  const findingsVersion = useLabStore((s) => s.evaluation?.versions.findings ?? 0);
  const findings = useMemo<Record<PolicyId, Finding[]> | null>(
    () => labStore().getState().evaluation?.findings ?? null,
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the version stands for the findings read here
    [findingsVersion],
  );
  const revealRanges = useLabStore((s) => s.revealRanges);
  const slots = useMemo(() => listPolicySlots(scenario), [scenario]);
  const warnings = useMemo(() => labWarnings(findings, slots), [findings, slots]);
  if (warnings.length === 0) return null;
  return (
    <section className="lab-warnings" aria-labelledby={headingId} data-testid="scenario-warnings">
      <h4 id={headingId}>
        Ignored or unknown names <span className="lab-count">{warnings.length}</span>
      </h4>
      <ul>
        {warnings.map((warning, index) => (
          <li key={`${warning.editor}-${warning.range.start.offset}-${index}`}>
            <button
              type="button"
              className="lab-warning"
              onClick={() => revealRanges(warning.editor, [warning.range])}
            >
              <span className="lab-warning-icon" aria-hidden="true">
                ⚠
              </span>
              <span className="visually-hidden">Warning: </span>
              <span className="lab-warning-message">{warning.message}</span>
              <span className="lab-warning-where">
                {warning.where}, line {warning.range.start.line}, column {warning.range.start.column}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
