import { useState } from 'react';
import type { KmsFailure } from '../../state/kms-acting';
import { browserKms } from '../../state/kms-store';
import { openInLab } from '../../state/open-in-lab';
import './kms-bar.css';

/**
 * A KMS error as AWS words it (exception name, then its message). A denial offers "Explain in Lab", which opens
 * the Lab on that exact request with its flowchart and explanation.
 */
export function KmsErrorView({ failure }: { failure: KmsFailure }) {
  const [problem, setProblem] = useState('');
  const explain = async () => setProblem(openInLab(await browserKms(), failure) ?? '');
  return (
    <div className="kms-error" role="alert" data-testid="kms-error" data-error={failure.name}>
      <p>
        <strong>{failure.name}</strong>
        {failure.message ? `: ${failure.message}` : ''}
      </p>
      <p className="kms-error__meta">
        {failure.operation} as <code>{failure.caller.principalArn}</code>
      </p>
      {failure.name === 'AccessDeniedException' && (
        <button type="button" onClick={() => void explain()}>
          Explain in Lab
        </button>
      )}
      {problem && <p>{problem}</p>}
    </div>
  );
}
