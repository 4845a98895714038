import { useState } from 'react';
import { DAY_MS, type KeyRecord } from '../../kms/kms-state';
import { day } from './key-view';
import { useKmsAction } from './use-action';

/** Enable, disable, and deletion with its 7–30 day window counted down on the lab clock. */
export function LifecycleSection({ keyRecord: key, now }: { keyRecord: KeyRecord; now: number }) {
  const { run, result, busy } = useKmsAction();
  const [windowDays, setWindowDays] = useState('30');
  const KeyId = key.keyId;
  const left = key.deletionDate !== undefined ? key.deletionDate - now : undefined;
  return (
    <section className="keys-section" aria-labelledby="lifecycle-title">
      <h3 id="lifecycle-title">State and deletion</h3>
      <p>
        State: <strong data-testid="key-state">{key.state}</strong>
      </p>
      {left !== undefined && (
        <p data-testid="deletion-countdown">
          Deletion on {day(key.deletionDate)} UTC (lab clock): {Math.floor(left / DAY_MS)} days{' '}
          {Math.floor((left % DAY_MS) / 3_600_000)} hours left.
        </p>
      )}
      <div className="keys-actions">
        <button type="button" disabled={busy} onClick={() => void run('EnableKey', { KeyId })}>
          Enable key
        </button>
        <button type="button" disabled={busy} onClick={() => void run('DisableKey', { KeyId })}>
          Disable key
        </button>
        <label>
          Waiting period (days, 7–30)
          <input
            type="number"
            min={7}
            max={30}
            value={windowDays}
            onChange={(e) => setWindowDays(e.target.value)}
          />
        </label>
        <button
          type="button"
          disabled={busy}
          onClick={() => void run('ScheduleKeyDeletion', { KeyId, PendingWindowInDays: Number(windowDays) })}
        >
          Schedule deletion
        </button>
        <button type="button" disabled={busy} onClick={() => void run('CancelKeyDeletion', { KeyId })}>
          Cancel deletion
        </button>
      </div>
      {result}
    </section>
  );
}
