/**
 * The main lab view: scenario panel | policy editors | request builder on top, the flowchart (wide) and the
 * decision below.
 * Node click → the statements it used are highlighted in their editor; statement click → the steps it took
 * part in are highlighted in the flowchart.
 */
import { lazy, memo, Suspense, useCallback, useMemo } from 'react';
import type { StatementRef, StepId } from '../../engine/types';
import { labStore, useLabStore } from '../../state/lab-store';
import DecisionPanel from '../decision/DecisionPanel';
import { EditorPane } from './EditorPane';
import { RequestBuilder } from './RequestBuilder';
import { ScenarioPanel } from './ScenarioPanel';
import { latestStatement, latestStepStatements } from './stable-result';

// Memoized: they redraw only when their result (kept stable while it looks the same) or other props change.
const Flowchart = memo(lazy(() => import('../flow/Flowchart')));
const StableDecisionPanel = memo(DecisionPanel);

const currentResult = () => labStore().getState().evaluation?.result ?? null;

/**
 * The result a panel draws. Every evaluation returns a new result object, but the panel's display version
 * (state/lab-display.ts) changes only when its picture does: subscribing to the version alone keeps the
 * section from rendering at all when a keystroke leaves the picture as it was.
 */
function useShownResult(panel: 'flow' | 'panel') {
  const version = useLabStore((s) => s.evaluation?.versions[panel] ?? 0);
  // The version stands for the result read here.
  return useMemo(currentResult, [version]);
}

function FlowSection() {
  const result = useShownResult('flow');
  const stale = useLabStore((s) => s.stale);
  const highlightedSteps = useLabStore((s) => s.highlightedSteps);
  // The picture may be an older (equal-looking) result: clicks read the statements of the latest one.
  const onSelectStep = useCallback((stepId: StepId) => {
    labStore().getState().highlightStatements(latestStepStatements(currentResult(), stepId));
  }, []);
  return (
    <section className="lab-card lab-flow" aria-labelledby="lab-flow-title">
      <h3 id="lab-flow-title">How KMS decided</h3>
      <Suspense fallback={<p className="lab-muted">Loading the flowchart…</p>}>
        <Flowchart
          result={result}
          stale={stale}
          highlightedSteps={highlightedSteps}
          onSelectStep={onSelectStep}
        />
      </Suspense>
    </section>
  );
}

function DecisionSection() {
  const result = useShownResult('panel');
  const stale = useLabStore((s) => s.stale);
  const selectedStatement = useLabStore((s) => s.selectedStatement);
  const onSelectStatement = useCallback((shown: StatementRef) => {
    const ref = latestStatement(currentResult(), shown);
    const state = labStore().getState();
    state.selectStatement(ref);
    state.revealRanges(ref.policyId, ref.range ? [ref.range] : []);
  }, []);
  return (
    <section className="lab-card lab-decision" aria-labelledby="lab-decision-title">
      <h3 id="lab-decision-title">Decision</h3>
      <StableDecisionPanel
        result={result}
        stale={stale}
        selectedStatement={selectedStatement}
        onSelectStatement={onSelectStatement}
      />
    </section>
  );
}

export function EvaluateView() {
  return (
    <div className="lab-evaluate">
      <ScenarioPanel />
      <EditorPane />
      <RequestBuilder />
      <FlowSection />
      <DecisionSection />
    </div>
  );
}
