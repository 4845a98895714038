import { useState } from 'react';
import { randomMaterial, wrapMaterial } from '../../kms/import-client';
import type { KeyRecord } from '../../kms/kms-state';
import { day } from './key-view';
import { useKmsAction } from './use-action';

/**
 * Imported key material (origin EXTERNAL): GetParametersForImport, then random material wrapped in this page with
 * WebCrypto and ImportKeyMaterial, with or without an expiry (ValidTo, run by the lab clock); DeleteImportedKeyMaterial.
 */
export function ImportSection({ keyRecord: key }: { keyRecord: KeyRecord }) {
  const { run, result, busy } = useKmsAction();
  const [validTo, setValidTo] = useState('');
  const [problem, setProblem] = useState('');
  const KeyId = key.keyId;

  const importMaterial = async () => {
    setProblem('');
    let material: Uint8Array;
    try {
      material = randomMaterial(key.keySpec);
    } catch (error) {
      return setProblem((error as Error).message);
    }
    const params = await run('GetParametersForImport', {
      KeyId,
      WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      WrappingKeySpec: 'RSA_2048',
    });
    if (!params) return;
    const wrapped = await wrapMaterial(params.PublicKey as Uint8Array, material);
    material.fill(0);
    const expiry = validTo
      ? { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(`${validTo}T00:00:00Z`) }
      : { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' };
    await run(
      'ImportKeyMaterial',
      { KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial: wrapped, ...expiry },
      () => `Imported new material${validTo ? `, valid to ${validTo}` : ' that does not expire'}.`,
    );
  };

  return (
    <section className="keys-section" aria-labelledby="import-title">
      <h3 id="import-title">Imported key material</h3>
      <ul>
        {key.materials.map((m) => (
          <li key={m.id}>
            <code>{m.id.slice(0, 16)}…</code> {m.state}, {m.importState ?? '—'}
            {m.validTo !== undefined ? `, expires ${day(m.validTo)} UTC` : ', does not expire'}
          </li>
        ))}
        {key.materials.length === 0 && <li>No material yet: the key awaits import.</li>}
      </ul>
      <div className="keys-actions">
        <label>
          Valid to (empty: never expires)
          <input type="date" value={validTo} onChange={(e) => setValidTo(e.target.value)} />
        </label>
        <button type="button" disabled={busy} onClick={() => void importMaterial()}>
          Wrap random material and import it
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => void run('DeleteImportedKeyMaterial', { KeyId })}
        >
          Delete imported material
        </button>
      </div>
      {problem && <p role="alert">{problem}</p>}
      {result}
    </section>
  );
}
