/** Quick question: which calls were denied, and why (AWS's message), each with "Explain in Lab". */
import { useEffect } from 'react';
import type { TrailSource } from '../../state/audit-core';
import { askDenied, auditRecords, useAudit } from '../../state/audit-store';
import { userNameOf } from '../../kms/trail';
import { ExplainButton } from './ExplainButton';

/** Denials listed at most (the count covers all). */
const LISTED = 200;

export function DeniedCalls({ source }: { source: TrailSource }) {
  const denied = useAudit((s) => s.denied);
  useEffect(() => askDenied(), [source]);
  if (!denied) return <p role="status">Looking for denied calls…</p>;
  const records = auditRecords(source);
  const shown = Array.from(denied.subarray(0, LISTED), (i) => records[i]);
  return (
    <section className="audit-question" aria-labelledby="audit-denied-title">
      <h3 id="audit-denied-title">Which calls were denied, and why?</h3>
      <p role="status" data-testid="denied-count">
        {denied.length === 0
          ? 'No call in this trail was denied.'
          : `${denied.length} ${denied.length === 1 ? 'call was' : 'calls were'} denied${denied.length > LISTED ? ` (the first ${LISTED} are listed)` : ''}.`}
      </p>
      <ol className="audit-list" data-testid="denied-list">
        {shown.map((record) => (
          <li key={record.eventID}>
            <p>
              <strong>{record.eventName}</strong> by <code>{userNameOf(record)}</code> at {record.eventTime}:{' '}
              <span className="audit-deny">{record.errorCode}</span>
            </p>
            {record.errorMessage && <p className="audit-message">{record.errorMessage}</p>}
            <ExplainButton record={record} asReplayed={source === 'imported'} />
          </li>
        ))}
      </ol>
    </section>
  );
}
