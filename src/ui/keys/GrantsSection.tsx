import { useState } from 'react';
import type { KeyRecord, KmsState } from '../../kms/kms-state';
import { GRANT_OPERATIONS } from '../../kms/model';
import { parseContext } from '../../kms/encryption-context-text';
import { day } from './key-view';
import { useKmsAction } from './use-action';

/** CreateGrant (operations, constraints, retiring principal), the key's grants, RetireGrant and RevokeGrant. */
export function GrantsSection({
  keyRecord: key,
  state,
  principals,
}: {
  keyRecord: KeyRecord;
  state: Readonly<KmsState>;
  principals: string[];
}) {
  const { run, result, busy } = useKmsAction();
  const [grantee, setGrantee] = useState(principals[0] ?? '');
  const [retiring, setRetiring] = useState('');
  const [operations, setOperations] = useState<string[]>(['Decrypt']);
  const [constraintKind, setConstraintKind] = useState<
    'none' | 'EncryptionContextSubset' | 'EncryptionContextEquals'
  >('none');
  const [constraintText, setConstraintText] = useState('{}');
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState('');
  const KeyId = key.keyId;
  const grants = state.grants.filter((g) => g.keyArn === key.arn);
  const toggle = (op: string) =>
    setOperations((ops) => (ops.includes(op) ? ops.filter((o) => o !== op) : [...ops, op]));

  const create = async () => {
    const request: Record<string, unknown> = { KeyId, GranteePrincipal: grantee, Operations: operations };
    if (retiring) request.RetiringPrincipal = retiring;
    setProblem('');
    if (constraintKind !== 'none') {
      const parsed = parseContext(constraintText);
      if (!parsed.ok) return setProblem(`Constraint context: ${parsed.message}`);
      request.Constraints = { [constraintKind]: parsed.context };
    }
    const response = await run('CreateGrant', request, (r) => `Created grant ${String(r.GrantId)}.`);
    setToken(response ? String(response.GrantToken) : '');
  };

  return (
    <section className="keys-section" aria-labelledby="grants-title">
      <h3 id="grants-title">Grants</h3>
      {grants.length === 0 ? (
        <p>No grants on this key.</p>
      ) : (
        <div className="keys-table-wrap" role="region" aria-labelledby="grants-title" tabIndex={0}>
          <table className="keys-table" data-testid="grant-list">
            <thead>
              <tr>
                <th scope="col">Grant id</th>
                <th scope="col">Grantee</th>
                <th scope="col">Operations</th>
                <th scope="col">Constraints</th>
                <th scope="col">Retiring principal</th>
                <th scope="col">Works without token from</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {grants.map((g) => (
                <tr key={g.grantId}>
                  <td>
                    <code>{g.grantId.slice(0, 12)}…</code>
                  </td>
                  <td>
                    <code>{g.granteePrincipal}</code>
                  </td>
                  <td>{g.operations.join(', ')}</td>
                  <td>{g.constraints ? <code>{JSON.stringify(g.constraints)}</code> : '—'}</td>
                  <td>{g.retiringPrincipal ? <code>{g.retiringPrincipal}</code> : '—'}</td>
                  <td>{day(g.propagatesAt)}</td>
                  <td>
                    <button
                      type="button"
                      onClick={() => void run('RetireGrant', { KeyId: key.arn, GrantId: g.grantId })}
                    >
                      Retire
                    </button>{' '}
                    <button
                      type="button"
                      onClick={() => void run('RevokeGrant', { KeyId, GrantId: g.grantId })}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <fieldset className="keys-fieldset">
        <legend>Create a grant</legend>
        <div className="keys-actions">
          <label>
            Grantee principal
            <input
              list="grant-principals"
              value={grantee}
              onChange={(e) => setGrantee(e.target.value)}
              size={50}
            />
          </label>
          <label>
            Retiring principal (optional)
            <input
              list="grant-principals"
              value={retiring}
              onChange={(e) => setRetiring(e.target.value)}
              size={50}
            />
          </label>
          <datalist id="grant-principals">
            {principals.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        </div>
        <fieldset className="keys-fieldset keys-ops">
          <legend>Operations</legend>
          {GRANT_OPERATIONS.map((op) => (
            <label key={op} className="keys-check">
              <input type="checkbox" checked={operations.includes(op)} onChange={() => toggle(op)} /> {op}
            </label>
          ))}
        </fieldset>
        <div className="keys-actions">
          <label>
            Constraint
            <select
              value={constraintKind}
              onChange={(e) => setConstraintKind(e.target.value as typeof constraintKind)}
            >
              <option value="none">none</option>
              <option value="EncryptionContextSubset">EncryptionContextSubset</option>
              <option value="EncryptionContextEquals">EncryptionContextEquals</option>
            </select>
          </label>
          {constraintKind !== 'none' && (
            <label>
              Constraint context (JSON)
              <input value={constraintText} onChange={(e) => setConstraintText(e.target.value)} size={40} />
            </label>
          )}
          <button type="button" disabled={busy} onClick={() => void create()}>
            Create grant
          </button>
        </div>
      </fieldset>
      {problem && <p role="alert">{problem}</p>}
      {result}
      {token && (
        <div className="keys-token">
          <p>Grant token (until the grant works without it, pass it in Try it’s “Grant token” field):</p>
          <code data-testid="grant-token">{token}</code>
        </div>
      )}
    </section>
  );
}
