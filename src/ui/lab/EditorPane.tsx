/**
 * The policy editors: one tab per policy document of the scenario plus the whole scenario as JSON, the
 * editor itself (Monaco, lazy), format on demand, and the problems panel listing every policy's findings.
 */
import { useMemo } from 'react';
import type { Finding, PolicyId, SourceRange } from '../../engine/types';
import { listPolicySlots } from '../../state/lab-policies';
import { labStore, SCENARIO_EDITOR, useLabStore } from '../../state/lab-store';
import type { Scenario } from '../../scenario/types';
import { useScenarioStructure } from './scenario-structure';
import { LazyPolicyEditor } from '../editor/LazyPolicyEditor';
import ProblemsPanel from '../editor/ProblemsPanel';

export function editorUri(kind: string, id: string): string {
  return `inmemory://policy/${kind}/${encodeURIComponent(id)}`;
}

/** The whole scenario as printed in its editor; cached so the selector above returns the same string. */
let lastPrinted: { scenario: Scenario; json: string } | undefined;
function scenarioJson(scenario: Scenario): string {
  if (lastPrinted?.scenario !== scenario) lastPrinted = { scenario, json: JSON.stringify(scenario, null, 2) };
  return lastPrinted.json;
}

export function EditorPane() {
  const structure = useScenarioStructure();
  const texts = useLabStore((s) => s.texts);
  const invalid = useLabStore((s) => s.invalid);
  const activeEditor = useLabStore((s) => s.activeEditor);
  // Every evaluation sends new finding objects; compared as JSON, the editor re-marks only on a real change.
  const findingsKey = useLabStore((s) => JSON.stringify(s.evaluation?.findings ?? null));
  const findings = useMemo(
    () => JSON.parse(findingsKey) as Record<PolicyId, Finding[]> | null,
    [findingsKey],
  );
  const highlight = useLabStore((s) => s.highlight);
  const setActiveEditor = useLabStore((s) => s.setActiveEditor);
  const setPolicyText = useLabStore((s) => s.setPolicyText);
  const setScenarioText = useLabStore((s) => s.setScenarioText);
  const selectStatement = useLabStore((s) => s.selectStatement);
  const revealRanges = useLabStore((s) => s.revealRanges);

  const slots = useMemo(() => listPolicySlots(structure), [structure]);
  const active =
    activeEditor === SCENARIO_EDITOR ? null : (slots.find((s) => s.id === activeEditor) ?? slots[0] ?? null);
  const showingScenario = activeEditor === SCENARIO_EDITOR || !active;
  // Read only while the scenario editor is open, so typing in a policy does not re-render for it otherwise.
  const scenarioValue = useLabStore((s) =>
    showingScenario ? (s.scenarioText ?? scenarioJson(s.scenario)) : '',
  );

  const problems = useMemo(
    () =>
      slots.flatMap((slot) =>
        (findings?.[slot.id] ?? []).map((finding) => ({
          policyId: slot.id,
          policyLabel: slot.label,
          finding,
        })),
      ),
    [slots, findings],
  );

  const highlights: SourceRange[] | undefined =
    active && highlight?.policyId === active.id ? highlight.ranges : undefined;

  const onCursorStatement = (index: number | null) => {
    if (!active || index === null) {
      selectStatement(null);
      return;
    }
    const result = labStore().getState().evaluation?.result;
    const match = result?.statements.find((s) => s.ref.policyId === active.id && s.ref.index === index);
    selectStatement(match ? match.ref : null);
  };

  const openProblem = (policyId: PolicyId, range: SourceRange) => revealRanges(policyId, [range]);

  return (
    <section className="lab-card lab-editors" aria-labelledby="lab-editors-title">
      <div className="lab-card-head">
        <h3 id="lab-editors-title">Policies</h3>
      </div>
      <div className="lab-editor-tabs" role="tablist" aria-label="Policy documents">
        {slots.map((slot) => (
          <button
            key={slot.id}
            type="button"
            role="tab"
            aria-selected={!showingScenario && active?.id === slot.id}
            className={`lab-editor-tab${slot.id in invalid ? ' lab-editor-tab-invalid' : ''}`}
            data-policy-id={slot.id}
            title={slot.id}
            onClick={() => setActiveEditor(slot.id)}
          >
            {slot.label}
            {slot.id in invalid && <span className="lab-badge lab-badge-warn"> invalid</span>}
            {(findings?.[slot.id]?.length ?? 0) > 0 && !(slot.id in invalid) && (
              <span className="lab-count" aria-label={`${findings?.[slot.id]?.length} findings`}>
                {' '}
                {findings?.[slot.id]?.length}
              </span>
            )}
          </button>
        ))}
        <button
          type="button"
          role="tab"
          aria-selected={showingScenario}
          className="lab-editor-tab"
          data-policy-id={SCENARIO_EDITOR}
          onClick={() => setActiveEditor(SCENARIO_EDITOR)}
        >
          Scenario JSON
        </button>
      </div>
      <div
        role="tabpanel"
        aria-label={showingScenario ? 'Scenario JSON' : active?.label}
        data-testid="policy-editor"
        data-active-editor={showingScenario ? SCENARIO_EDITOR : active?.id}
      >
        {showingScenario ? (
          <LazyPolicyEditor
            key={SCENARIO_EDITOR}
            uri="inmemory://scenario/working.json"
            kind="scenario"
            value={scenarioValue}
            onChange={setScenarioText}
            ariaLabel="The whole scenario as JSON"
            height={340}
          />
        ) : (
          <LazyPolicyEditor
            key={active.id}
            uri={editorUri(active.type, active.id)}
            kind={active.type}
            value={texts[active.id] ?? ''}
            onChange={(text) => setPolicyText(active.id, text)}
            findings={findings?.[active.id]}
            highlights={highlights}
            onCursorStatement={onCursorStatement}
            ariaLabel={`${active.label} (JSON)`}
            height={340}
          />
        )}
      </div>
      <div className="lab-problems-panel">
        <ProblemsPanel items={problems} onSelect={openProblem} headingLevel={4} />
      </div>
    </section>
  );
}
