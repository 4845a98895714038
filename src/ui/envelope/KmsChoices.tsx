/**
 * The key and encryption context a walkthrough or a streamed file uses; the principal is the Acting-as bar's
 * (src/ui/kms-bar), shared with the Keys and Audit areas.
 */
import { useId, type ReactNode } from 'react';
import type { EnvelopeKms, KeyChoice } from './use-envelope-kms';

export interface Choices {
  keyArn: string;
  contextText: string;
}

export function KmsChoices({
  kms: { keys },
  value,
  onChange,
  contextError,
  children,
}: {
  kms: Pick<EnvelopeKms, 'keys'>;
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

/** The first choices: the first key the KMS listed. */
export function initialChoices(keys: KeyChoice[], contextText = ''): Choices {
  return { keyArn: keys[0]?.arn ?? '', contextText };
}

export const contextErrorOf = (parsed: { error: string } | object) =>
  'error' in parsed ? parsed.error : undefined;
