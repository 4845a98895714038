/**
 * Pieces the scenario panel's sections share: a collapsible section with a count, a small add form, and the
 * button that opens a policy in the editors.
 */
import type { FormEvent, ReactNode } from 'react';
import { useLabStore } from '../../state/lab-store';

export function Section(props: { title: string; count: number; children: ReactNode; open?: boolean }) {
  return (
    <details className="lab-section" open={props.open}>
      <summary>
        {props.title} <span className="lab-count">{props.count}</span>
      </summary>
      {props.children}
    </details>
  );
}

export function AddForm(props: {
  label: string;
  onSubmit(): void;
  children: ReactNode;
  submitLabel?: string;
}) {
  return (
    <form
      className="lab-add"
      aria-label={props.label}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
      <button type="submit">{props.submitLabel ?? 'Add'}</button>
    </form>
  );
}

/** Opens the editor of policy `id`; pressed while that editor is the one shown. */
export function OpenPolicyButton({
  id,
  label,
  ariaLabel,
}: {
  id: string;
  label: string;
  ariaLabel?: string;
}) {
  const setActiveEditor = useLabStore((s) => s.setActiveEditor);
  const active = useLabStore((s) => s.activeEditor === id);
  return (
    <button
      type="button"
      className="lab-small lab-link"
      aria-pressed={active}
      aria-label={ariaLabel}
      onClick={() => setActiveEditor(id)}
    >
      {label}
    </button>
  );
}
