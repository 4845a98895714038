/** A labelled UTC date-and-time input with its problem, if any, described beside it. */
import { useId } from 'react';

export function TimeField(props: {
  label: string;
  value: string;
  problem?: string;
  onChange(value: string): void;
}) {
  const id = useId();
  const { label, value, problem, onChange } = props;
  return (
    <div className="audit-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="datetime-local"
        step={1}
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem && (
        <span id={`${id}-problem`} className="audit-problem">
          {problem}
        </span>
      )}
    </div>
  );
}
