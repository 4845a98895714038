/**
 * Temporary stand-ins for components other helpers are building (DecisionPanel),
 * with their agreed props, so the lab works end to end meanwhile. Each is removed when the real one lands.
 */
import type { EvaluationResult, StatementRef } from '../../engine/types';

export function DecisionPanel(props: {
  result: EvaluationResult | null;
  stale?: boolean;
  onSelectStatement?(ref: StatementRef): void;
  selectedStatement?: StatementRef;
}) {
  const { result, stale } = props;
  if (!result) return <p data-testid="decision">No result yet.</p>;
  return (
    <div data-testid="decision" data-stale={stale ? 'true' : 'false'}>
      <p>
        <strong>{result.decision}</strong> {result.outcome !== 'Success' && result.outcome} {stale && '(stale)'}
      </p>
      <p>{result.explanation}</p>
      <ul>
        {result.statements.map((s) => (
          <li key={`${s.ref.policyId}#${s.ref.index}`}>
            <button type="button" className="lab-link" onClick={() => props.onSelectStatement?.(s.ref)}>
              {s.ref.label}
            </button>{' '}
            {s.summary}
          </li>
        ))}
      </ul>
    </div>
  );
}
