/**
 * Small form controls for the lab: a text field that keeps what is typed while the store holds a parsed form
 * of it (lists, ids that must be unique), and a key/value pairs editor.
 */
import { useEffect, useId, useState } from 'react';
import { pairsToRecord, recordToPairs, type Pair } from '../../state/lab-request';

/**
 * A text input whose text is local while focused: `onChange` receives every edit, and the input shows the
 * store's `value` again when focus leaves (so "a, " can be typed though the store keeps ["a"]).
 */
export function DraftInput(props: {
  id?: string;
  value: string;
  onChange(text: string): void;
  /** Commit only on blur or Enter (for values the store may refuse while half typed, such as ids). */
  commitOnBlur?: boolean;
  placeholder?: string;
  list?: string;
  className?: string;
  'aria-label'?: string;
  'aria-describedby'?: string;
}) {
  const { value, onChange, commitOnBlur, ...rest } = props;
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <input
      {...rest}
      value={draft ?? value}
      spellCheck={false}
      autoComplete="off"
      onFocus={() => setDraft(value)}
      onChange={(event) => {
        setDraft(event.target.value);
        if (!commitOnBlur) onChange(event.target.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && commitOnBlur && draft !== null) onChange(draft);
      }}
      onBlur={() => {
        if (commitOnBlur && draft !== null && draft !== value) onChange(draft);
        setDraft(null);
      }}
    />
  );
}

function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Rows of key = value; empty rows stay on screen while being typed, and are dropped from the data. */
export function PairsEditor(props: {
  legend: string;
  value: Record<string, string | string[]> | undefined;
  onChange(value: Record<string, string | string[]>): void;
  multiValued?: boolean;
  keyPlaceholder?: string;
  valuePlaceholder?: string;
  keyList?: string;
  hint?: string;
}) {
  const { value, onChange, multiValued = false } = props;
  const [rows, setRows] = useState<Pair[]>(() => recordToPairs(value));
  const id = useId();

  // Follow changes made elsewhere (another request selected, a what-if, a file loaded).
  useEffect(() => {
    setRows((current) =>
      sameRecord(pairsToRecord(current, true), value ?? {}) || sameRecord(pairsToRecord(current), value ?? {})
        ? current
        : recordToPairs(value),
    );
  }, [value]);

  const update = (next: Pair[]) => {
    setRows(next);
    onChange(multiValued ? pairsToRecord(next, true) : pairsToRecord(next));
  };

  return (
    <fieldset className="lab-pairs">
      <legend>{props.legend}</legend>
      {props.hint && (
        <p className="lab-hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {rows.map((row, index) => (
        <div className="lab-pair" key={index}>
          <input
            aria-label={`${props.legend}: key ${index + 1}`}
            value={row.key}
            placeholder={props.keyPlaceholder ?? 'key'}
            list={props.keyList}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) =>
              update(rows.map((r, i) => (i === index ? { ...r, key: event.target.value } : r)))
            }
          />
          <span aria-hidden="true">=</span>
          <input
            aria-label={`${props.legend}: value ${index + 1}`}
            value={row.value}
            placeholder={props.valuePlaceholder ?? 'value'}
            spellCheck={false}
            autoComplete="off"
            onChange={(event) =>
              update(rows.map((r, i) => (i === index ? { ...r, value: event.target.value } : r)))
            }
          />
          <button
            type="button"
            aria-label={`Remove ${props.legend} row ${index + 1}`}
            onClick={() => update(rows.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" className="lab-small" onClick={() => setRows([...rows, { key: '', value: '' }])}>
        Add a pair
      </button>
    </fieldset>
  );
}
