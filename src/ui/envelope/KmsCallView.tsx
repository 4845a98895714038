/** One KMS call of the walkthrough: who asked, the request, and KMS's answer or refusal. */
import type { KmsExchange } from '../../state/envelope-walkthrough';
import { hexPreview } from './format';

function shown(value: unknown): unknown {
  if (value instanceof Uint8Array) return `<${hexPreview(value, 16)}>`;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shown(v)]));
  return value;
}

export function KmsCallView({ call, hide = [] }: { call: KmsExchange; hide?: string[] }) {
  const response =
    call.response && Object.fromEntries(Object.entries(call.response).filter(([k]) => !hide.includes(k)));
  return (
    <div className="kms-call">
      <p>
        <strong>{call.operation}</strong> as <code className="envelope-wrap">{call.caller}</code>
      </p>
      <pre className="envelope-json">{JSON.stringify(shown(call.request), null, 2)}</pre>
      {call.error ? (
        <p className="envelope-refused" data-testid="kms-refused">
          KMS refused: {call.error.name}
          {call.error.message ? `: ${call.error.message}` : ''}
        </p>
      ) : (
        <>
          <p className="envelope-allowed">KMS allowed the call and answered:</p>
          <pre className="envelope-json">{JSON.stringify(shown(response), null, 2)}</pre>
        </>
      )}
    </div>
  );
}
