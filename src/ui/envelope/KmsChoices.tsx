/**
 * The key, principal and encryption context a walkthrough or a streamed file uses. The principal select shares
 * its choice with the other areas (state/kms-acting.ts).
 * INTEGRATION(i-keys): when the Keys area's acting-as picker (src/ui/kms-bar/) is merged, the principal comes
 * from it and this local select goes.
 */
import { useId, type ReactNode } from 'react';
import { setActingAs } from '../../state/kms-acting';
import type { EnvelopeKms, KeyChoice } from './use-envelope-kms';

export interface Choices {
  keyArn: string;
  principal: string;
  contextText: string;
}

export function KmsChoices({
  kms: { keys, principals },
  value,
  onChange,
  contextError,
  children,
}: {
  kms: Pick<EnvelopeKms, 'keys' | 'principals'>;
  value: Choices;
  onChange(next: Choices): void;
  contextError?: string;
  /** More labelled fields in the same grid. */
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="envelope-choices">
      <label htmlFor={`${id}-key`}>KMS key</label>
      <select
        id={`${id}-key`}
        value={value.keyArn}
        onChange={(e) => onChange({ ...value, keyArn: e.target.value })}
      >
        {keys.map((key) => (
          <option key={key.arn} value={key.arn}>
            {key.label}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-principal`}>Acting as</label>
      <select
        id={`${id}-principal`}
        value={value.principal}
        onChange={(e) => {
          setActingAs(e.target.value);
          onChange({ ...value, principal: e.target.value });
        }}
      >
        {principals.map((arn) => (
          <option key={arn} value={arn}>
            {arn}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-context`}>Encryption context (key=value per line)</label>
      <textarea
        id={`${id}-context`}
        rows={2}
        value={value.contextText}
        aria-invalid={contextError ? true : undefined}
        aria-describedby={contextError ? `${id}-context-error` : undefined}
        onChange={(e) => onChange({ ...value, contextText: e.target.value })}
      />
      {contextError && (
        <p id={`${id}-context-error`} className="envelope-error" role="alert">
          {contextError}
        </p>
      )}
      {children}
    </div>
  );
}

/** The first choices: the first key, and the principal the tab acts as (by default the account's root). */
export function initialChoices(keys: KeyChoice[], actingAs: string | undefined, contextText = ''): Choices {
  return { keyArn: keys[0]?.arn ?? '', principal: actingAs ?? '', contextText };
}

export const contextErrorOf = (parsed: { error: string } | object) =>
  'error' in parsed ? parsed.error : undefined;
