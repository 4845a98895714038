import { useEffect, useState } from 'react';
import { fromBase64, toBase64 } from '../../kms/bytes';
import { cliLine } from '../../kms/cli-line';
import { algorithmsFor, type KeyUsage } from '../../kms/crypto/specs';
import { displayJson } from '../../kms/display-json';
import { parseContext } from '../../kms/encryption-context-text';
import type { KeyRecord } from '../../kms/kms-state';
import type { KmsRequest } from '../../kms/api';
import { actAs, type KmsOutcome } from '../../state/kms-acting';
import type { KmsSession } from '../../state/kms-session';
import { loadTryItFields, saveTryItFields, type TryItFields } from '../../state/try-it-fields';
import { KmsErrorView } from '../kms-bar';
import { aliasesOf } from './key-view';

const OPERATIONS: Record<string, readonly string[]> = {
  ENCRYPT_DECRYPT: ['Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey'],
  SIGN_VERIFY: ['Sign', 'Verify'],
  GENERATE_VERIFY_MAC: ['GenerateMac', 'VerifyMac'],
  KEY_AGREEMENT: [],
};

const text = new TextEncoder();

/**
 * Cryptographic calls on a key as the acting principal, shown as the API takes and returns them (JSON, blobs in
 * base64 and hex) and as the AWS CLI command that makes the same call against `lab kms serve`. What a call returns
 * (a ciphertext, a signature, a MAC) fills the field the next call needs.
 */
export function TryIt({ keyRecord: key, session }: { keyRecord: KeyRecord; session: KmsSession }) {
  const operations = OPERATIONS[key.keyUsage] ?? [];
  const algorithms = algorithmsFor(key.keySpec, key.keyUsage as KeyUsage);
  const symmetric = key.keySpec === 'SYMMETRIC_DEFAULT';
  // The fields are kept per key across reloads (src/state/try-it-fields.ts); an operation this key no longer
  // offers falls back to its first.
  const [fields, setFields] = useState<TryItFields>(() => {
    const saved = loadTryItFields(key.keyId);
    return {
      message: 'hello from the lab',
      contextText: '{"purpose": "demo"}',
      blob: '',
      signature: '',
      algorithm: '',
      destination: key.keyId,
      endpoint: 'http://127.0.0.1:4566',
      grantToken: '',
      ...saved,
      operation:
        saved.operation && operations.includes(saved.operation) ? saved.operation : (operations[0] ?? ''),
    };
  });
  useEffect(() => saveTryItFields(key.keyId, fields), [key.keyId, fields]);
  const setter = (name: keyof TryItFields) => (value: string) => setFields((f) => ({ ...f, [name]: value }));
  const { operation, message, contextText, blob, signature, algorithm, destination, endpoint, grantToken } =
    fields;
  const [setOperation, setMessage, setContextText, setBlob, setSignature, setAlgorithm] = [
    setter('operation'),
    setter('message'),
    setter('contextText'),
    setter('blob'),
    setter('signature'),
    setter('algorithm'),
  ];
  const [setDestination, setEndpoint, setGrantToken] = [
    setter('destination'),
    setter('endpoint'),
    setter('grantToken'),
  ];
  const [problem, setProblem] = useState('');
  const [outcome, setOutcome] = useState<KmsOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  if (operations.length === 0) return null;

  const encryptionAlgorithm = algorithm || algorithms.EncryptionAlgorithms?.[0];
  const signingAlgorithm = algorithm || algorithms.SigningAlgorithms?.[0];
  const macAlgorithm = algorithms.MacAlgorithms?.[0];
  const algorithmChoices =
    operation === 'Sign' || operation === 'Verify'
      ? (algorithms.SigningAlgorithms ?? [])
      : symmetric
        ? []
        : (algorithms.EncryptionAlgorithms ?? []);

  const build = (): KmsRequest | string => {
    const request = buildCall();
    // Every call Try it makes takes GrantTokens: a grant works with its token before it propagates (developer
    // guide "Grant tokens"; facts doc "Grants").
    const token = grantToken.trim();
    return typeof request === 'string' || !token ? request : { ...request, GrantTokens: [token] };
  };

  const buildCall = (): KmsRequest | string => {
    const parsed = parseContext(contextText);
    if (!parsed.ok) return `Encryption context: ${parsed.message}`;
    const context = symmetric && parsed.context ? { EncryptionContext: parsed.context } : {};
    const ciphertext = (): Uint8Array | string => {
      try {
        return fromBase64(blob.trim());
      } catch {
        return 'The ciphertext is not base64.';
      }
    };
    const enc = symmetric ? {} : { EncryptionAlgorithm: encryptionAlgorithm };
    switch (operation) {
      case 'Encrypt':
        return { KeyId: key.keyId, Plaintext: text.encode(message), ...context, ...enc };
      case 'GenerateDataKey':
        return { KeyId: key.keyId, KeySpec: 'AES_256', ...context };
      case 'Decrypt':
      case 'ReEncrypt': {
        const bytes = ciphertext();
        if (typeof bytes === 'string') return bytes;
        if (operation === 'Decrypt')
          return { CiphertextBlob: bytes, ...(symmetric ? {} : { KeyId: key.keyId }), ...context, ...enc };
        return {
          CiphertextBlob: bytes,
          ...(symmetric ? {} : { SourceKeyId: key.keyId, SourceEncryptionAlgorithm: encryptionAlgorithm }),
          ...(parsed.context && symmetric ? { SourceEncryptionContext: parsed.context } : {}),
          DestinationKeyId: destinationId,
          ...(parsed.context ? { DestinationEncryptionContext: parsed.context } : {}),
        };
      }
      case 'Sign':
        return { KeyId: key.keyId, Message: text.encode(message), SigningAlgorithm: signingAlgorithm };
      case 'Verify':
        return {
          KeyId: key.keyId,
          Message: text.encode(message),
          Signature: fromBase64(signature.trim()),
          SigningAlgorithm: signingAlgorithm,
        };
      case 'GenerateMac':
        return { KeyId: key.keyId, Message: text.encode(message), MacAlgorithm: macAlgorithm };
      case 'VerifyMac':
        return {
          KeyId: key.keyId,
          Message: text.encode(message),
          Mac: fromBase64(signature.trim()),
          MacAlgorithm: macAlgorithm,
        };
    }
    return `Unknown operation ${operation}.`;
  };

  const call = async () => {
    let request: KmsRequest | string;
    try {
      request = build();
    } catch {
      request = 'The signature or MAC is not base64.';
    }
    if (typeof request === 'string') return setProblem(request);
    setProblem('');
    setBusy(true);
    const result = await actAs(operation, request);
    setBusy(false);
    setOutcome(result);
    if (!result.ok) return;
    const r = result.response;
    if (r.CiphertextBlob instanceof Uint8Array) setBlob(toBase64(r.CiphertextBlob));
    if (r.Signature instanceof Uint8Array) setSignature(toBase64(r.Signature));
    if (r.Mac instanceof Uint8Array) setSignature(toBase64(r.Mac));
  };

  const credentials = outcome
    ? session.credentials().find((c) => c.principalArn === outcome.caller.principalArn)
    : undefined;
  const cli =
    outcome && cliLine(outcome.operation, outcome.request, { endpoint, region: key.region, credentials });
  const decrypted =
    outcome?.ok && outcome.response.Plaintext instanceof Uint8Array && outcome.operation === 'Decrypt';
  const needsBlob = operation === 'Decrypt' || operation === 'ReEncrypt';
  // ReEncrypt's destinations, named by alias; a saved destination that is gone falls back to this key.
  const state = session.kms.view();
  const destinations = Object.values(state.keys).filter((k) => k.keyUsage === 'ENCRYPT_DECRYPT');
  const destinationId = destinations.some((k) => k.keyId === destination) ? destination : key.keyId;
  const needsSignature = operation === 'Verify' || operation === 'VerifyMac';

  return (
    <section className="keys-section" aria-labelledby="try-title">
      <h3 id="try-title">Try it</h3>
      <div className="keys-form">
        <label>
          Operation
          <select value={operation} onChange={(e) => setOperation(e.target.value)}>
            {operations.map((op) => (
              <option key={op}>{op}</option>
            ))}
          </select>
        </label>
        {algorithmChoices.length > 0 && (
          <label>
            Algorithm
            <select value={algorithm || algorithmChoices[0]} onChange={(e) => setAlgorithm(e.target.value)}>
              {algorithmChoices.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </label>
        )}
        {!needsBlob && operation !== 'GenerateDataKey' && (
          <label>
            {operation === 'Encrypt' ? 'Plaintext (UTF-8)' : 'Message (UTF-8)'}
            <input value={message} onChange={(e) => setMessage(e.target.value)} />
          </label>
        )}
        {symmetric && (
          <label>
            Encryption context (JSON)
            <input value={contextText} onChange={(e) => setContextText(e.target.value)} />
          </label>
        )}
        {needsBlob && (
          <label>
            Ciphertext blob (base64)
            <textarea rows={3} value={blob} onChange={(e) => setBlob(e.target.value)} />
          </label>
        )}
        {operation === 'ReEncrypt' && (
          <label>
            Destination key
            <select value={destinationId} onChange={(e) => setDestination(e.target.value)}>
              {destinations.map((k) => (
                <option key={k.keyId} value={k.keyId}>
                  {[...aliasesOf(state, k.arn), k.keyId].join(' · ')}
                </option>
              ))}
            </select>
          </label>
        )}
        {needsSignature && (
          <label>
            {operation === 'Verify' ? 'Signature (base64)' : 'MAC (base64)'}
            <textarea rows={2} value={signature} onChange={(e) => setSignature(e.target.value)} />
          </label>
        )}
        <label>
          Grant token (optional)
          <input value={grantToken} onChange={(e) => setGrantToken(e.target.value)} spellCheck={false} />
        </label>
        <button type="button" className="keys-primary" disabled={busy} onClick={() => void call()}>
          Call {operation}
        </button>
      </div>
      {problem && <p role="alert">{problem}</p>}
      {outcome && !outcome.ok && <KmsErrorView failure={outcome} />}
      {decrypted && outcome.ok && (
        <p role="status" data-testid="decrypt-result">
          Decrypted “{new TextDecoder().decode(outcome.response.Plaintext as Uint8Array)}” with key material{' '}
          <code data-testid="decrypt-material">{String(outcome.response.KeyMaterialId ?? '—')}</code>
        </p>
      )}
      {outcome && (
        <div className="keys-io">
          <div>
            <h4>Request</h4>
            <pre data-testid="try-request">{displayJson(outcome.request)}</pre>
          </div>
          {outcome.ok && (
            <div>
              <h4>Response</h4>
              <pre data-testid="try-response">{displayJson(outcome.response)}</pre>
            </div>
          )}
        </div>
      )}
      {cli && (
        <div className="keys-cli">
          <h4>The same call with the AWS CLI v2</h4>
          <label>
            <code>lab kms serve</code> endpoint
            <input value={endpoint} onChange={(e) => setEndpoint(e.target.value)} />
          </label>
          <pre data-testid="cli-line">{cli.command}</pre>
          {cli.files.length > 0 && (
            <p>
              It reads{' '}
              {cli.files.map((f) => (
                <a
                  key={f.name}
                  download={f.name}
                  href={`data:application/octet-stream;base64,${toBase64(f.bytes)}`}
                  className="keys-file"
                >
                  {f.name}
                </a>
              ))}{' '}
              from the current folder (download {cli.files.length === 1 ? 'it' : 'them'} here).
            </p>
          )}
        </div>
      )}
    </section>
  );
}
