/** A button from a KMS call of the walkthrough to the Lab's flowchart of that authorization decision. */
import { useState } from 'react';
import type { KmsSession } from '../../state/kms-session';
import { openInLab } from '../../state/open-in-lab';
import type { KmsExchange } from '../../state/envelope-walkthrough';

export function LabDecisionLink({ call, session }: { call: KmsExchange; session: KmsSession }) {
  const [problem, setProblem] = useState<string>();
  if (!call.record) return null;
  const record = call.record;
  return (
    <p>
      <button type="button" onClick={() => setProblem(openInLab(session, record))}>
        Open this decision in the Lab
      </button>{' '}
      <span className="envelope-hint">
        the flowchart of how KMS authorized {call.operation} for this caller
      </span>
      {problem && (
        <span className="envelope-error" role="alert">
          {' '}
          {problem}
        </span>
      )}
    </p>
  );
}
