import { useId, useState } from 'react';
import { KEY_SPECS, type KeySpec, type KeyUsage } from '../../kms/crypto/specs';
import { keyHref } from './key-view';
import { useKmsAction } from './use-action';

const SPECS = Object.keys(KEY_SPECS) as KeySpec[];

/** CreateKey of every kind the lab's KMS makes: symmetric, RSA, ECC, HMAC, and EXTERNAL (imported material). */
export function CreateKeyForm() {
  const [keySpec, setKeySpec] = useState<KeySpec>('SYMMETRIC_DEFAULT');
  const usages = KEY_SPECS[keySpec].usages;
  const [usage, setUsage] = useState<KeyUsage>('ENCRYPT_DECRYPT');
  const [origin, setOrigin] = useState('AWS_KMS');
  const [description, setDescription] = useState('');
  const [alias, setAlias] = useState('');
  const { run, result, busy } = useKmsAction();
  // The key made when its alias was refused.
  const [created, setCreated] = useState('');
  const id = useId();
  const keyUsage = usages.includes(usage) ? usage : usages[0];

  const create = async () => {
    const response = await run(
      'CreateKey',
      {
        KeySpec: keySpec,
        KeyUsage: keyUsage,
        Origin: origin,
        ...(description ? { Description: description } : {}),
      },
      (r) => `Created key ${(r.KeyMetadata as { KeyId: string }).KeyId}.`,
    );
    const keyId = (response?.KeyMetadata as { KeyId?: string } | undefined)?.KeyId;
    if (!keyId) return;
    setCreated('');
    // A refused alias (taken, reserved `alias/aws/`, no `alias/` prefix) keeps the learner here with AWS's error
    // and a link to the key that was made; opening the key page would hide the error.
    if (alias && !(await run('CreateAlias', { AliasName: alias, TargetKeyId: keyId })))
      return setCreated(keyId);
    window.location.hash = keyHref(keyId);
  };

  return (
    <section className="keys-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Create a key</h2>
      <div className="keys-form">
        <label>
          Key spec
          <select value={keySpec} onChange={(e) => setKeySpec(e.target.value as KeySpec)}>
            {SPECS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Key usage
          <select value={keyUsage} onChange={(e) => setUsage(e.target.value as KeyUsage)}>
            {usages.map((u) => (
              <option key={u}>{u}</option>
            ))}
          </select>
        </label>
        <label>
          Origin
          <select value={origin} onChange={(e) => setOrigin(e.target.value)}>
            <option value="AWS_KMS">AWS_KMS (KMS makes the material)</option>
            <option value="EXTERNAL">EXTERNAL (you import the material)</option>
          </select>
        </label>
        <label>
          Description
          <input value={description} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <label>
          Alias (optional)
          <input value={alias} placeholder="alias/my-key" onChange={(e) => setAlias(e.target.value)} />
        </label>
        <button type="button" className="keys-primary" disabled={busy} onClick={() => void create()}>
          Create key
        </button>
      </div>
      {created && (
        <p data-testid="created-without-alias">
          Key <a href={keyHref(created)}>{created}</a> was created without the alias:
        </p>
      )}
      {result}
    </section>
  );
}
