/**
 * Props and handle of the policy editor, in a module without Monaco so that the lab can import the types (and
 * LazyPolicyEditor) without pulling Monaco into the initial bundle.
 */
import type { Ref } from 'react';
import type { Finding, PolicyType, SourceRange } from '../../engine/types';

/** What an editor holds: one policy of a given type, or a whole scenario file. */
export type EditorKind = PolicyType | 'scenario';

export interface PolicyEditorHandle {
  /** Formats the whole document (the same as Shift+Alt+F). */
  format(): Promise<void>;
  focus(): void;
}

export interface PolicyEditorProps {
  /** A unique model URI per document, e.g. `inmemory://policy/key/<keyArn>`. Two editors with one URI share a model. */
  uri: string;
  kind: EditorKind;
  value: string;
  onChange(text: string): void;
  /** The linter's findings for this document, shown as markers (owner `kms-lab`). */
  findings?: Finding[];
  /** Ranges to highlight (statements a flowchart step used); the first one is scrolled into view. */
  highlights?: SourceRange[];
  /** Called with the index of the statement around the cursor, or null outside every statement. */
  onCursorStatement?(index: number | null): void;
  ariaLabel: string;
  /** Height of the editing surface (CSS length or pixels); default 320px. */
  height?: number | string;
  readOnly?: boolean;
  ref?: Ref<PolicyEditorHandle>;
}
