import { useEffect, useState } from 'react';
import type { KeyRecord } from '../../kms/kms-state';
import { day } from './key-view';
import { useKmsAction } from './use-action';

interface RotationEntry {
  KeyMaterialId?: string;
  KeyMaterialState?: string;
  RotationDate?: Date;
  RotationType?: string;
}

/** Automatic rotation (period 90–2560 days), rotation on demand, and ListKeyRotations with key-material ids. */
export function RotationSection({ keyRecord: key }: { keyRecord: KeyRecord }) {
  const { run, result, busy } = useKmsAction();
  const history = useKmsAction();
  const [period, setPeriod] = useState(String(key.rotation.periodInDays));
  const [rotations, setRotations] = useState<RotationEntry[] | null>(null);
  const KeyId = key.keyId;
  const loadHistory = async () => {
    const response = await history.run(
      'ListKeyRotations',
      { KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' },
      (r) => {
        const n = (r.Rotations as unknown[]).length;
        return `${n} ${n === 1 ? 'rotation' : 'rotations'} listed.`;
      },
    );
    if (response) setRotations(response.Rotations as RotationEntry[]);
  };
  // A listed history follows the key: list again when its material changes (a rotation) while it is shown.
  // (Not on every revision: the listing is a call too, and would list again without end.)
  const materials = key.materials.length;
  useEffect(() => {
    if (rotations) void loadHistory();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [materials]);
  return (
    <section className="keys-section" aria-labelledby="rotation-title">
      <h3 id="rotation-title">Rotation</h3>
      <p data-testid="rotation-status">
        {key.rotation.enabled
          ? `Automatic rotation every ${key.rotation.periodInDays} days; next on ${day(key.rotation.nextRotation)} UTC.`
          : 'Automatic rotation is off.'}{' '}
        On-demand rotations so far: {key.rotation.onDemandCount}.
      </p>
      <div className="keys-actions">
        <label>
          Rotation period (days, 90–2560)
          <input
            type="number"
            min={90}
            max={2560}
            value={period}
            onChange={(e) => setPeriod(e.target.value)}
          />
        </label>
        <button
          type="button"
          disabled={busy}
          onClick={() => void run('EnableKeyRotation', { KeyId, RotationPeriodInDays: Number(period) })}
        >
          Enable automatic rotation
        </button>
        <button type="button" disabled={busy} onClick={() => void run('DisableKeyRotation', { KeyId })}>
          Disable automatic rotation
        </button>
        <button type="button" disabled={busy} onClick={() => void run('RotateKeyOnDemand', { KeyId })}>
          Rotate now
        </button>
      </div>
      {result}
      <div className="keys-actions">
        <button type="button" disabled={history.busy} onClick={() => void loadHistory()}>
          List key rotations
        </button>
      </div>
      {history.result}
      {rotations && rotations.length > 0 && (
        <table className="keys-table" data-testid="rotation-history">
          <caption>Rotation history (ListKeyRotations)</caption>
          <thead>
            <tr>
              <th scope="col">Key material id</th>
              <th scope="col">State</th>
              <th scope="col">Rotation date</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {rotations.map((r) => (
              <tr key={r.KeyMaterialId}>
                <td>
                  <code>{r.KeyMaterialId}</code>
                </td>
                <td>{r.KeyMaterialState ?? '—'}</td>
                <td>{r.RotationDate ? day(r.RotationDate.getTime()) : '—'}</td>
                <td>{r.RotationType ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
