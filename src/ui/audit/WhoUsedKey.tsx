/** Quick question: who used this key between T1 and T2 (the callers, their calls, operations and times). */
import { useId, useState } from 'react';
import { keyIdOfArn, type AuditFacets } from '../../kms/trail-audit';
import { EMPTY_FILTER, filterProblems } from '../../state/audit-filter';
import { askWhoUsed, replaceFilter, useAudit } from '../../state/audit-store';
import { TimeField } from './TimeField';

export function WhoUsedKey({ facets, onShowEvents }: { facets: AuditFacets | null; onShowEvents(): void }) {
  const id = useId();
  const answer = useAudit((s) => s.users);
  const keys = facets?.keys ?? [];
  const [key, setKey] = useState(answer?.key ?? '');
  const [from, setFrom] = useState(answer?.from ?? '');
  const [to, setTo] = useState(answer?.to ?? '');
  const problems = filterProblems({ ...EMPTY_FILTER, from, to });
  const chosen = key || (keys[0] ? keyIdOfArn(keys[0]) : '');
  return (
    <section className="audit-question" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Who used this key between two times?</h3>
      <form
        className="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          askWhoUsed(chosen, from, to);
        }}
      >
        <div className="audit-field">
          <label htmlFor={`${id}-key`}>Key</label>
          <select id={`${id}-key`} value={chosen} onChange={(e) => setKey(e.target.value)}>
            {keys.length === 0 && <option value="">No key in this trail</option>}
            {keys.map((arn) => (
              <option key={arn} value={keyIdOfArn(arn)}>
                {keyIdOfArn(arn)}
              </option>
            ))}
          </select>
        </div>
        <TimeField label="From (UTC)" value={from} problem={problems.from} onChange={setFrom} />
        <TimeField label="To (UTC)" value={to} problem={problems.to} onChange={setTo} />
        <button type="submit" disabled={!chosen || Boolean(problems.from || problems.to)}>
          Find the users
        </button>
      </form>
      {answer && (
        <div role="status" aria-live="polite" data-testid="who-used">
          <p>
            {answer.rows.length === 0
              ? `Nobody used ${answer.key} in that range.`
              : `${answer.rows.length} ${answer.rows.length === 1 ? 'user' : 'users'} used ${answer.key}${answer.from || answer.to ? ` between ${answer.from || 'the start'} and ${answer.to || 'now'} (UTC)` : ''}.`}
          </p>
          {answer.rows.length > 0 && (
            <table className="audit-table">
              <thead>
                <tr>
                  <th scope="col">User name</th>
                  <th scope="col">Calls</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Operations</th>
                  <th scope="col">First</th>
                  <th scope="col">Last</th>
                </tr>
              </thead>
              <tbody>
                {answer.rows.map((row) => (
                  <tr key={row.arn || row.user}>
                    <th scope="row" title={row.arn}>
                      {row.user}
                    </th>
                    <td>{row.calls}</td>
                    <td>{row.failed}</td>
                    <td>{row.eventNames.join(', ')}</td>
                    <td>{row.first}</td>
                    <td>{row.last}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <button
            type="button"
            onClick={() => {
              replaceFilter({ ...EMPTY_FILTER, key: answer.key, from: answer.from, to: answer.to });
              onShowEvents();
            }}
          >
            Show these events
          </button>
        </div>
      )}
    </section>
  );
}
