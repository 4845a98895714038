import type { KmsState } from '../../kms/kms-state';
import { aliasesOf, keyHref } from './key-view';

/** Every key of the simulated KMS, as the console lists them. */
export function KeyList({ state }: { state: Readonly<KmsState> }) {
  const keys = Object.values(state.keys).sort((a, b) => a.creationDate - b.creationDate);
  return (
    <section className="keys-section" aria-labelledby="key-list-title">
      <h2 id="key-list-title">Keys</h2>
      <div className="keys-table-wrap" role="region" aria-labelledby="key-list-title" tabIndex={0}>
        <table className="keys-table" data-testid="key-list">
          <thead>
            <tr>
              <th scope="col">Alias</th>
              <th scope="col">Key ID</th>
              <th scope="col">Manager</th>
              <th scope="col">State</th>
              <th scope="col">Key spec</th>
              <th scope="col">Origin</th>
              <th scope="col">Rotation</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key.arn} data-key-id={key.keyId}>
                <td>{aliasesOf(state, key.arn).join(', ') || '—'}</td>
                <td>
                  <a href={keyHref(key.keyId)}>
                    <code className="keys-id">{key.keyId}</code>
                  </a>
                </td>
                <td>{key.manager === 'AWS' ? 'AWS' : 'Customer'}</td>
                <td>{key.state}</td>
                <td>{key.keySpec}</td>
                <td>{key.origin}</td>
                <td>{key.rotation.enabled ? `every ${key.rotation.periodInDays} days` : 'off'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {keys.length === 0 && <p>No keys yet: create one below.</p>}
    </section>
  );
}
