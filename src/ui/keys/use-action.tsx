import { useState, type ReactNode } from 'react';
import type { KmsRequest, KmsResponse } from '../../kms/api';
import { actAs, type KmsOutcome } from '../../state/kms-acting';
import { KmsErrorView } from '../kms-bar';

/**
 * One section's KMS calls: `run` calls as the acting principal; `result` shows AWS's error (with "Explain in
 * Lab" for a denial) or what the success did, next to the buttons that caused it.
 */
export function useKmsAction() {
  const [outcome, setOutcome] = useState<KmsOutcome | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (
    operation: string,
    request: KmsRequest,
    said?: (response: KmsResponse) => string,
  ): Promise<KmsResponse | undefined> => {
    setBusy(true);
    const result = await actAs(operation, request);
    setBusy(false);
    setOutcome(result);
    setDone(result.ok ? (said?.(result.response) ?? `${operation} succeeded.`) : '');
    return result.ok ? result.response : undefined;
  };
  const result: ReactNode =
    outcome && !outcome.ok ? (
      <KmsErrorView failure={outcome} />
    ) : (
      <p className="keys-done" role="status">
        {done}
      </p>
    );
  return { run, result, busy, outcome };
}
