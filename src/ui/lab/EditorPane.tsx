/**
 * The policy editors: one tab per policy document of the scenario plus the whole scenario as JSON, the
 * editor itself (Monaco, lazy), format on demand, and the problems panel listing every policy's findings.
 */
import { useId, useMemo, type KeyboardEvent } from 'react';
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
  const tabIdPrefix = useId();
  const panelId = `${tabIdPrefix}-panel`;
  const structure = useScenarioStructure();
  const texts = useLabStore((s) => s.texts);
  const invalid = useLabStore((s) => s.invalid);
  const activeEditor = useLabStore((s) => s.activeEditor);
  // Every evaluation sends new finding objects; their display version changes only when the markers would
  // (state/lab-display.ts), so the editor re-marks only on a real change.
  const findingsVersion = useLabStore((s) => s.evaluation?.versions.findings ?? 0);
  const findings = useMemo<Record<PolicyId, Finding[]> | null>(
    () => labStore().getState().evaluation?.findings ?? null,
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the version stands for the findings read here
    [findingsVersion],
  );
  const highlight = useLabStore((s) => s.highlight);
  const scenarioTextError = useLabStore((s) => s.scenarioTextError);
  const scenarioFindings = useMemo(
    () => [...(scenarioTextError?.findings ?? []), ...(findings?.[SCENARIO_EDITOR] ?? [])],
    [scenarioTextError, findings],
  );
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

  // One tab per policy, then the whole scenario; arrow keys, Home and End move between them (roving focus).
  const tabs = [
    ...slots.map((slot) => ({ id: slot.id, label: slot.label })),
    { id: SCENARIO_EDITOR, label: 'Scenario JSON' },
  ];
  const selectedTab = showingScenario ? SCENARIO_EDITOR : active.id;
  const onTabKey = (event: KeyboardEvent) => {
    const current = tabs.findIndex((tab) => tab.id === selectedTab);
    const next =
      event.key === 'ArrowRight'
        ? (current + 1) % tabs.length
        : event.key === 'ArrowLeft'
          ? (current - 1 + tabs.length) % tabs.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tabs.length - 1
              : -1;
    if (next < 0) return;
    event.preventDefault();
    setActiveEditor(tabs[next].id);
    document.getElementById(`${tabIdPrefix}-${next}`)?.focus();
  };

  return (
    <section id="lab-editors" className="lab-card lab-editors" aria-labelledby="lab-editors-title">
      <div className="lab-card-head">
        <h3 id="lab-editors-title">Policies</h3>
      </div>
      <div className="lab-editor-tabs" role="tablist" aria-label="Policy documents" onKeyDown={onTabKey}>
        {tabs.map((tab, index) => {
          const selected = tab.id === selectedTab;
          const count = findings?.[tab.id]?.length ?? 0;
          return (
            <button
              key={tab.id}
              id={`${tabIdPrefix}-${index}`}
              type="button"
              role="tab"
              aria-selected={selected}
              aria-controls={panelId}
              tabIndex={selected ? 0 : -1}
              className={`lab-editor-tab${tab.id in invalid ? ' lab-editor-tab-invalid' : ''}`}
              data-policy-id={tab.id}
              title={tab.id}
              onClick={() => setActiveEditor(tab.id)}
            >
              {tab.label}
              {tab.id in invalid && <span className="lab-badge lab-badge-warn"> invalid</span>}
              {count > 0 && !(tab.id in invalid) && (
                <span className="lab-count">
                  {' '}
                  {count}
                  <span className="visually-hidden"> finding{count === 1 ? '' : 's'}</span>
                </span>
              )}
            </button>
          );
        })}
      </div>
      <div
        role="tabpanel"
        id={panelId}
        aria-labelledby={`${tabIdPrefix}-${tabs.findIndex((tab) => tab.id === selectedTab)}`}
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
            findings={scenarioFindings}
            highlights={highlight?.policyId === SCENARIO_EDITOR ? highlight.ranges : undefined}
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
