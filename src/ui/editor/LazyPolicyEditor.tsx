/**
 * The policy editor, loaded on demand: Monaco arrives in its own chunk the first time an editor is shown.
 * Until then the text is shown read-only; if Monaco cannot load, the learner edits in a plain textarea.
 */
import { Component, Suspense, lazy } from 'react';
import type { ReactNode } from 'react';
import type { PolicyEditorProps } from './types';
import { cssLength } from './css-length';
import './editor.css';

const PolicyEditor = lazy(() => import('./PolicyEditor'));

function LoadingEditor({ value, ariaLabel, height }: PolicyEditorProps) {
  return (
    <div className="policy-editor" aria-busy="true">
      <p className="policy-editor__status" role="status">
        Loading the editor…
      </p>
      <pre
        className="policy-editor__fallback"
        style={{ height: cssLength(height) }}
        aria-label={ariaLabel}
        tabIndex={0}
      >
        {value}
      </pre>
    </div>
  );
}

function PlainTextEditor({ value, onChange, ariaLabel, height, readOnly }: PolicyEditorProps) {
  return (
    <div className="policy-editor">
      <p className="policy-editor__status" role="status">
        The code editor could not load; this plain text box still works.
      </p>
      <textarea
        className="policy-editor__fallback"
        style={{ height: cssLength(height) }}
        aria-label={ariaLabel}
        value={value}
        readOnly={readOnly}
        spellCheck={false}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

class EditorLoadBoundary extends Component<
  { fallback: ReactNode; children: ReactNode },
  { failed: boolean }
> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

export function LazyPolicyEditor(props: PolicyEditorProps) {
  return (
    <EditorLoadBoundary fallback={<PlainTextEditor {...props} />}>
      <Suspense fallback={<LoadingEditor {...props} />}>
        <PolicyEditor {...props} />
      </Suspense>
    </EditorLoadBoundary>
  );
}

/** Starts loading Monaco ahead of time (e.g. when the lab opens), so the first editor appears sooner. */
export function preloadPolicyEditor(): void {
  void import('./PolicyEditor');
}
