import { useState } from 'react';
import { displayJson } from '../../kms/display-json';
import type { KmsState } from '../../kms/kms-state';
import { callService, type ServiceOutcome } from '../../state/kms-services';
import { aliasesOf } from './key-view';

const text = new TextEncoder();

function Outcome({ outcome }: { outcome: ServiceOutcome | null }) {
  if (!outcome) return null;
  if (!outcome.ok)
    return (
      <div className="kms-error" role="alert">
        <p>
          <strong>{outcome.code}</strong>
          {outcome.message ? `: ${outcome.message}` : ''}
        </p>
      </div>
    );
  const shown =
    outcome.response && typeof outcome.response === 'object' && 'Body' in outcome.response
      ? {
          ...outcome.response,
          BodyText: new TextDecoder().decode((outcome.response as { Body: Uint8Array }).Body),
        }
      : outcome.response;
  return <pre className="keys-service-out">{displayJson(shown)}</pre>;
}

/**
 * Secrets Manager and S3 as the acting principal, over the internet or through a VPC endpoint (aws:SourceVpce):
 * the KMS calls these services make for the caller (kms:ViaService, their encryption context) go to the trail.
 */
export function ServicesPanel({ state }: { state: Readonly<KmsState> }) {
  const keys = Object.values(state.keys).filter(
    (k) => k.manager === 'CUSTOMER' && k.keySpec === 'SYMMETRIC_DEFAULT',
  );
  const [keyId, setKeyId] = useState('');
  const [vpc, setVpc] = useState(false);
  const [secretName, setSecretName] = useState('app/db-password');
  const [secretValue, setSecretValue] = useState('hunter2');
  const [bucket, setBucket] = useState('lab-reports');
  const [objectKey, setObjectKey] = useState('q1.csv');
  const [body, setBody] = useState('region,total\nnorth,42\n');
  const [secretOut, setSecretOut] = useState<ServiceOutcome | null>(null);
  const [s3Out, setS3Out] = useState<ServiceOutcome | null>(null);
  const [buckets] = useState(() => new Set<string>());
  const kmsKey = keyId ? { KmsKeyId: keyId } : {};

  const putObject = async () =>
    setS3Out(
      await callService(vpc, async ({ s3 }, caller) => {
        if (!buckets.has(bucket)) {
          try {
            await s3.createBucket({ Bucket: bucket, ...kmsKey }, caller);
          } catch (error) {
            if ((error as { code?: string }).code !== 'BucketAlreadyOwnedByYou') throw error;
          }
          buckets.add(bucket);
        }
        return s3.putObject(
          {
            Bucket: bucket,
            Key: objectKey,
            Body: text.encode(body),
            ...(keyId ? { SSEKMSKeyId: keyId } : {}),
          },
          caller,
        );
      }),
    );

  return (
    <section className="keys-section" aria-labelledby="services-title">
      <h2 id="services-title">Service integrations</h2>
      <div className="keys-form">
        <label>
          KMS key
          <select value={keyId} onChange={(e) => setKeyId(e.target.value)}>
            <option value="">AWS managed key of the service (aws/…)</option>
            {keys.map((k) => (
              <option key={k.keyId} value={k.keyId}>
                {aliasesOf(state, k.arn)[0] ?? k.keyId}
              </option>
            ))}
          </select>
        </label>
        <label className="keys-check">
          <input type="checkbox" checked={vpc} onChange={(e) => setVpc(e.target.checked)} /> Through a VPC
          endpoint (aws:SourceVpce) instead of the internet
        </label>
      </div>
      <div className="keys-services">
        <fieldset className="keys-fieldset">
          <legend>Secrets Manager</legend>
          <label>
            Secret name
            <input value={secretName} onChange={(e) => setSecretName(e.target.value)} />
          </label>
          <label>
            Secret value
            <input value={secretValue} onChange={(e) => setSecretValue(e.target.value)} />
          </label>
          <div className="keys-actions">
            <button
              type="button"
              onClick={() =>
                void callService(vpc, ({ secrets }, caller) =>
                  secrets.createSecret({ Name: secretName, SecretString: secretValue, ...kmsKey }, caller),
                ).then(setSecretOut)
              }
            >
              Create secret
            </button>
            <button
              type="button"
              onClick={() =>
                void callService(vpc, ({ secrets }, caller) =>
                  secrets.getSecretValue({ SecretId: secretName }, caller),
                ).then(setSecretOut)
              }
            >
              Get secret value
            </button>
          </div>
          <Outcome outcome={secretOut} />
        </fieldset>
        <fieldset className="keys-fieldset">
          <legend>S3 (SSE-KMS)</legend>
          <label>
            Bucket
            <input value={bucket} onChange={(e) => setBucket(e.target.value)} />
          </label>
          <label>
            Object key
            <input value={objectKey} onChange={(e) => setObjectKey(e.target.value)} />
          </label>
          <label>
            Body
            <textarea rows={2} value={body} onChange={(e) => setBody(e.target.value)} />
          </label>
          <div className="keys-actions">
            <button type="button" onClick={() => void putObject()}>
              Put object
            </button>
            <button
              type="button"
              onClick={() =>
                void callService(vpc, ({ s3 }, caller) =>
                  s3.getObject({ Bucket: bucket, Key: objectKey }, caller),
                ).then(setS3Out)
              }
            >
              Get object
            </button>
          </div>
          <Outcome outcome={s3Out} />
        </fieldset>
      </div>
    </section>
  );
}
