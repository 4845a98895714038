/**
 * The main lab view: scenario panel | policy editors | request builder on top, the flowchart (wide) and the
 * decision below.
 * Node click → the statements it used are highlighted in their editor; statement click → the steps it took
 * part in are highlighted in the flowchart.
 */
import { lazy, Suspense } from 'react';
import { useLabStore } from '../../state/lab-store';
import DecisionPanel from '../decision/DecisionPanel';
import { EditorPane } from './EditorPane';
import { RequestBuilder } from './RequestBuilder';
import { ScenarioPanel } from './ScenarioPanel';

const Flowchart = lazy(() => import('../flow/Flowchart'));

export function EvaluateView() {
  const result = useLabStore((s) => s.evaluation?.result ?? null);
  const stale = useLabStore((s) => s.stale);
  const highlightedSteps = useLabStore((s) => s.highlightedSteps);
  const selectedStatement = useLabStore((s) => s.selectedStatement);
  const highlightStatements = useLabStore((s) => s.highlightStatements);
  const selectStatement = useLabStore((s) => s.selectStatement);
  const revealRanges = useLabStore((s) => s.revealRanges);

  return (
    <div className="lab-evaluate">
      <ScenarioPanel />
      <EditorPane />
      <RequestBuilder />
      <section className="lab-card lab-flow" aria-labelledby="lab-flow-title">
        <h3 id="lab-flow-title">How KMS decided</h3>
        <Suspense fallback={<p className="lab-muted">Loading the flowchart…</p>}>
          <Flowchart
            result={result}
            stale={stale}
            highlightedSteps={highlightedSteps}
            onSelectStep={(_stepId, statements) => highlightStatements(statements)}
          />
        </Suspense>
      </section>
      <section className="lab-card lab-decision" aria-labelledby="lab-decision-title">
        <h3 id="lab-decision-title">Decision</h3>
        <DecisionPanel
          result={result}
          stale={stale}
          selectedStatement={selectedStatement}
          onSelectStatement={(ref) => {
            selectStatement(ref);
            revealRanges(ref.policyId, ref.range ? [ref.range] : []);
          }}
        />
      </section>
    </div>
  );
}
