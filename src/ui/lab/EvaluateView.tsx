/**
 * The main lab view: policy editors | the flowchart (the decision path) | the decision on top, so the answer is
 * in the first screen beside the policy being edited; the scenario panel and the request builder below
 * (layout in lab.css).
 * Node click → the statements it used are highlighted in their editor; statement click → the steps it took
 * part in are highlighted in the flowchart.
 */
import { lazy, memo, Suspense, useCallback } from 'react';
import type { StatementRef, StepId } from '../../engine/types';
import { labStore, useLabStore } from '../../state/lab-store';
import DecisionPanel from '../decision/DecisionPanel';
import { EditorPane } from './EditorPane';
import { RequestBuilder } from './RequestBuilder';
import { ScenarioPanel } from './ScenarioPanel';
import { latestStatement, latestStepStatements, useStableBy } from './stable-result';

// Memoized: they redraw only when their result (kept stable while it looks the same) or other props change.
const Flowchart = memo(lazy(() => import('../flow/Flowchart')));
const StableDecisionPanel = memo(DecisionPanel);

const currentResult = () => labStore().getState().evaluation?.result ?? null;

function FlowSection() {
  const result = useStableBy(
    useLabStore((s) => s.evaluation?.result ?? null),
    useLabStore((s) => s.evaluation?.versions.flow ?? 0),
  );
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
  const result = useStableBy(
    useLabStore((s) => s.evaluation?.result ?? null),
    useLabStore((s) => s.evaluation?.versions.panel ?? 0),
  );
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
      {/* In the order of the wide layout, so reading and Tab order follow what is on screen. */}
      <EditorPane />
      <FlowSection />
      <DecisionSection />
      <ScenarioPanel />
      <RequestBuilder />
    </div>
  );
}
