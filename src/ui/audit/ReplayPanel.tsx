/**
 * Replay the shown trail against the Lab's current scenario with the engine's trail replay (in the worker): the
 * calls whose decision would change, each opening its decision in the Lab.
 */
import { SKIP_REASONS, type SkipReason } from '../../replay/index';
import type { TrailSource } from '../../state/audit-core';
import { auditRecords, replayShownTrail, useAudit } from '../../state/audit-store';
import { ExplainButton } from './ExplainButton';

const DIRECTION: Record<string, string> = {
  deny: 'would now be denied (AWS allowed it)',
  allow: 'would now be allowed (AWS denied it)',
  fail: 'would now fail (AWS let it succeed)',
};

export function ReplayPanel({ source }: { source: TrailSource }) {
  const replay = useAudit((s) => s.replay);
  const mine = replay?.source === source ? replay : null;
  const records = auditRecords(source);
  const skipped = mine?.counts
    ? (Object.entries(mine.counts.skippedBy) as [SkipReason, number][]).filter(([, n]) => n > 0)
    : [];
  return (
    <section className="audit-question" aria-labelledby="audit-replay-title">
      <h3 id="audit-replay-title">Replay against the current scenario</h3>
      <p className="audit-muted">
        Every KMS call of {source === 'lab' ? 'this lab’s trail' : 'the imported trail'} is decided again
        under the Lab’s scenario as it is now (with your policy changes), and compared with the answer
        recorded.
      </p>
      <button type="button" onClick={() => void replayShownTrail()} disabled={mine?.running}>
        {mine?.running ? 'Replaying…' : 'Replay the trail'}
      </button>
      <div role="status" aria-live="polite" data-testid="replay-summary">
        {mine?.error && <p className="audit-problem">{mine.error}</p>}
        {mine?.counts && (
          <p>
            {mine.counts.replayed} of {mine.counts.read} events replayed;{' '}
            {mine.counts.changed === 0
              ? 'no decision would change.'
              : `${mine.counts.changed} ${mine.counts.changed === 1 ? 'decision' : 'decisions'} would change.`}
            {skipped.length > 0 &&
              ` Skipped: ${skipped.map(([reason, n]) => `${n} ${SKIP_REASONS[reason]}`).join(', ')}.`}
          </p>
        )}
      </div>
      {mine && mine.changes.length > 0 && (
        <ol className="audit-list" data-testid="replay-changes">
          {mine.changes.map(({ index, change }) => (
            <li key={index}>
              <p>
                <strong>{change.action}</strong> by <code>{change.caller}</code> at {change.eventTime}{' '}
                <span className={change.direction === 'allow' ? 'audit-allow' : 'audit-deny'}>
                  {DIRECTION[change.direction]}
                </span>
              </p>
              <p className="audit-message">{change.explanation}</p>
              {records[index] && <ExplainButton record={records[index]} asReplayed />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
