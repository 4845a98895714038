/**
 * The always-visible bar of the KMS areas (Keys, Audit, Envelope): who the learner acts as, and the lab clock with
 * its moves. What a move brought is announced in a polite live region.
 */
import { useId, useState } from 'react';
import {
  actingPrincipal,
  advanceClock,
  setActingAs,
  useKmsActing,
  type ClockMove,
} from '../../state/kms-acting';
import { groupPrincipals } from './principals';
import { useKmsSession } from './use-kms';
import './kms-bar.css';

const MOVES: { label: string; move: ClockMove }[] = [
  { label: '+1 hour', move: { hours: 1 } },
  { label: '+1 day', move: { days: 1 } },
  { label: '+30 days', move: { days: 30 } },
  { label: '+1 year', move: { days: 365 } },
];

/** The lab clock to the second, in UTC (CloudTrail's eventTime has no milliseconds either). */
const shown = (date: Date) => `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

export function KmsBar() {
  const { session } = useKmsSession();
  const announcement = useKmsActing((s) => s.announcement);
  const advancing = useKmsActing((s) => s.advancing);
  useKmsActing((s) => s.principalArn); // redraw on a new choice
  const [date, setDate] = useState('');
  const [dateError, setDateError] = useState('');
  const pickerId = useId();
  const dateId = useId();
  if (!session) return null;
  const now = session.kms.clock.now();
  const acting = actingPrincipal(session);

  const goToDate = () => {
    const target = new Date(`${date}T00:00:00Z`);
    if (!date || Number.isNaN(target.getTime())) return setDateError('Pick a date first.');
    if (target.getTime() <= now.getTime())
      return setDateError(`The lab clock only moves forward: pick a day after ${shown(now).slice(0, 10)}.`);
    setDateError('');
    void advanceClock({ to: target });
  };

  return (
    <section className="kms-bar" aria-label="Acting as and lab clock">
      <div className="kms-bar__acting">
        <label htmlFor={pickerId}>Acting as</label>
        <select
          id={pickerId}
          value={acting}
          onChange={(e) => setActingAs(e.target.value)}
          data-testid="acting-as"
        >
          {groupPrincipals(session.kms.principals()).map((group) => (
            <optgroup key={group.label} label={group.label}>
              {group.principals.map((p) => (
                <option key={p.arn} value={p.arn}>
                  {p.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <code className="kms-bar__arn">{acting}</code>
      </div>
      <div className="kms-bar__clock">
        <span>
          Lab clock{' '}
          <time dateTime={now.toISOString()} data-testid="lab-clock">
            {shown(now)}
          </time>
        </span>
        <span className="kms-bar__moves" role="group" aria-label="Advance the lab clock">
          {MOVES.map((m) => (
            <button
              key={m.label}
              type="button"
              disabled={advancing}
              onClick={() => void advanceClock(m.move)}
            >
              {m.label}
            </button>
          ))}
        </span>
        <span className="kms-bar__date">
          <label htmlFor={dateId}>to date</label>
          <input id={dateId} type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          <button type="button" onClick={goToDate} disabled={advancing}>
            Go
          </button>
        </span>
      </div>
      {dateError && (
        <p className="kms-bar__error" role="alert">
          {dateError}
        </p>
      )}
      <p className="kms-bar__news" aria-live="polite" data-testid="clock-news">
        {announcement}
      </p>
    </section>
  );
}
