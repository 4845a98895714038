/**
 * Compare the working scenario with a saved one: which decisions differ (the scenarios' requests and the
 * access-matrix cells of the keys they share), each with the engine's reason (diffScenarios).
 */
import { useId, useState } from 'react';
import { decisionView } from '../../state/lab-matrix';
import { shortArn } from '../../state/lab-policies';
import { useLabStore } from '../../state/lab-store';

export function CompareView() {
  const saved = useLabStore((s) => s.saved);
  const compareWith = useLabStore((s) => s.compareWith);
  const setCompareWith = useLabStore((s) => s.setCompareWith);
  const saveAs = useLabStore((s) => s.saveAs);
  const title = useLabStore((s) => s.scenario.title);
  const diff = useLabStore((s) => s.evaluation?.diff);
  const evaluating = useLabStore((s) => s.evaluating);
  const [name, setName] = useState('');
  const ids = useId();
  const chosen = saved.find((s) => s.name === compareWith);

  return (
    <section className="lab-card lab-compare" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>Compare with a saved scenario</h3>
      <p className="lab-hint">
        Save a version, change the policies, then compare: every request of either scenario and every
        principal × action on the keys they share is evaluated in both, and the ones whose decision changed
        are listed.
      </p>
      <div className="lab-row-actions">
        <label htmlFor={`${ids}-with`}>Before</label>
        <select
          id={`${ids}-with`}
          value={compareWith ?? ''}
          onChange={(e) => setCompareWith(e.target.value || null)}
        >
          <option value="">{saved.length ? 'Choose a saved scenario…' : 'Nothing saved yet'}</option>
          {saved.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
        <span aria-hidden="true">→</span>
        <span>After: the current scenario</span>
      </div>
      <form
        className="lab-row-actions"
        onSubmit={(event) => {
          event.preventDefault();
          const saveName = name.trim() || `${title ?? 'Scenario'} (before)`;
          saveAs(saveName);
          setCompareWith(saveName);
          setName('');
        }}
      >
        <label htmlFor={`${ids}-name`}>Save the current scenario as</label>
        <input
          id={`${ids}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={`${title ?? 'Scenario'} (before)`}
        />
        <button type="submit">Save and compare</button>
      </form>
      {chosen && !diff && <p role="status">{evaluating ? 'Comparing…' : 'No comparison yet.'}</p>}
      {chosen && diff && (
        <div data-testid="scenario-diff" aria-live="polite">
          <p>
            Compared <strong>{diff.compared}</strong> requests: <strong>{diff.changes.length}</strong>{' '}
            decision
            {diff.changes.length === 1 ? '' : 's'} changed.
          </p>
          {diff.changes.length > 0 && (
            <div className="lab-diff-scroll" tabIndex={0} role="region" aria-label="Decisions that changed">
              <table className="lab-diff-table">
                <caption className="visually-hidden">Decisions that changed</caption>
                <thead>
                  <tr>
                    <th scope="col">Request</th>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.changes.map((change) => {
                    const before = decisionView(change.before.decision, change.before.outcome);
                    const after = decisionView(change.after.decision, change.after.outcome);
                    return (
                      <tr key={`${change.requestId}-${change.principal}-${change.action}`}>
                        <th scope="row">
                          <code>{change.action}</code> by {shortArn(change.principal)}
                          {change.keyId && <> on {shortArn(change.keyId)}</>}
                        </th>
                        <td>
                          <span className={`lab-badge lab-tone-${before.tone}`}>{before.text}</span>
                        </td>
                        <td>
                          <span className={`lab-badge lab-tone-${after.tone}`}>{after.text}</span>
                        </td>
                        <td>{change.why}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
