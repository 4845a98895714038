/**
 * The Monaco editor for one policy (or a whole scenario file). Load it lazily: use `LazyPolicyEditor`, or
 * `React.lazy(() => import('./PolicyEditor'))`; importing this module statically pulls Monaco into the bundle.
 */
import { useEffect, useId, useImperativeHandle, useRef } from 'react';
import { monaco, currentThemeName, watchAppTheme } from './monaco';
import { attachLanguageServices } from './language-services';
import { markerRange, severityOf, findingTypeLabel } from './findings';
import { minimalReplacement } from './text-edit';
import { statementIndexAt } from './policy-context';
import type { PolicyEditorProps } from './types';
import type { FindingSeverity } from './findings';
import { cssLength } from './css-length';
import './editor.css';

/** The marker owner of the linter's findings, apart from the JSON language's own (`json`). */
export const MARKER_OWNER = 'kms-lab';

const MARKER_SEVERITY: Record<FindingSeverity, monaco.MarkerSeverity> = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
};

/** How many of its own recent texts an editor recognises when they come back as `value`. */
const ECHO_MEMORY = 20;

/** Models are shared by URI between editors and ref-counted, so a remount (StrictMode) keeps nothing alive. */
const sharedModels = new Map<string, { model: monaco.editor.ITextModel; refs: number }>();

function acquireModel(uri: string, value: string): { model: monaco.editor.ITextModel; release: () => void } {
  const key = monaco.Uri.parse(uri).toString();
  let entry = sharedModels.get(key);
  if (!entry) {
    const model =
      monaco.editor.getModel(monaco.Uri.parse(uri)) ??
      monaco.editor.createModel(value, 'json', monaco.Uri.parse(uri));
    entry = { model, refs: 0 };
    sharedModels.set(key, entry);
  }
  entry.refs += 1;
  const held = entry;
  let released = false;
  return {
    model: held.model,
    release() {
      if (released) return;
      released = true;
      held.refs -= 1;
      if (held.refs === 0) {
        sharedModels.delete(key);
        held.model.dispose();
      }
    },
  };
}

function prefersReducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

/** True when the whole element is inside the window. */
function isFullyInViewport(element: Element): boolean {
  const { top, bottom } = element.getBoundingClientRect();
  return top >= 0 && bottom <= window.innerHeight;
}

// Escape hands Tab back to the page only when no editor widget is using Escape for itself.
const ESCAPE_RELEASES_TAB =
  'editorTextFocus && !suggestWidgetVisible && !findWidgetVisible && !parameterHintsVisible && !renameInputVisible' +
  ' && !editorHoverVisible && !inSnippetMode && !editorHasMultipleSelections && !markersNavigationVisible';

export default function PolicyEditor(props: PolicyEditorProps) {
  const { uri, kind, value, findings, highlights, ariaLabel, height, readOnly = false, ref } = props;
  const hostRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const modelRef = useRef<monaco.editor.ITextModel | null>(null);
  const highlightsRef = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  // Latest callbacks, so the listeners registered at mount never call stale props.
  const onChangeRef = useRef(props.onChange);
  const onCursorStatementRef = useRef(props.onCursorStatement);
  onChangeRef.current = props.onChange;
  onCursorStatementRef.current = props.onCursorStatement;
  const valueRef = useRef(value);
  valueRef.current = value;
  const applyingExternalValue = useRef(false);
  // Texts this editor reported through onChange and may still receive back as `value` after the learner typed on.
  const recentlyEmitted = useRef<string[]>([]);
  const hintId = useId();

  // Create the editor and its model; everything registered here is disposed on unmount.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const { model, release } = acquireModel(uri, valueRef.current);
    if (model.getValue() !== valueRef.current) model.setValue(valueRef.current);
    const releaseLanguage = attachLanguageServices(model, kind);
    const stopTheme = watchAppTheme();
    const fontFamily =
      getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || 'monospace';
    const editor = monaco.editor.create(host, {
      model,
      theme: currentThemeName(),
      ariaLabel,
      readOnly,
      automaticLayout: true,
      fixedOverflowWidgets: true, // hover and suggest may overflow the panel
      minimap: { enabled: false },
      glyphMargin: true,
      lineNumbersMinChars: 3,
      folding: true,
      fontFamily,
      fontSize: 13,
      tabSize: 2,
      scrollBeyondLastLine: false,
      wordBasedSuggestions: 'off',
      quickSuggestions: { strings: 'on', other: 'on', comments: 'off' },
      // As VS Code's 'smart': Enter accepts a list that opened by itself only when that changes the text, so
      // after a complete `"kms:Decrypt"` it is a newline. A list opened with Ctrl+Space still takes Enter.
      acceptSuggestionOnEnter: 'smart',
      // `kms:Decrypt`, ARNs and `kms:Generate*` select as one word.
      wordSeparators: '`~!@#$%^&()=+[{]}\\|;\'",.<>?',
      renderValidationDecorations: 'on',
    });
    editorRef.current = editor;
    modelRef.current = model;
    highlightsRef.current = editor.createDecorationsCollection();
    // Screen readers announce the Tab hint with the editing surface (a textarea, or an EditContext div).
    host.querySelector('textarea, .native-edit-context')?.setAttribute('aria-describedby', hintId);

    const disposables: monaco.IDisposable[] = [];
    disposables.push(
      model.onDidChangeContent(() => {
        if (applyingExternalValue.current) return;
        const text = model.getValue();
        recentlyEmitted.current = [...recentlyEmitted.current.slice(-(ECHO_MEMORY - 1)), text];
        onChangeRef.current(text);
      }),
    );
    let lastStatement: number | null | undefined;
    disposables.push(
      editor.onDidChangeCursorPosition((event) => {
        const report = onCursorStatementRef.current;
        if (!report) return;
        const index = statementIndexAt(model.getValue(), model.getOffsetAt(event.position));
        if (index !== lastStatement) {
          lastStatement = index;
          report(index);
        }
      }),
    );
    // Escape, then Tab: leave the editor (Monaco keeps Tab for indentation). Ctrl+M toggles the same for good.
    let tabReleased = false;
    const restoreTab = () => {
      if (!tabReleased) return;
      tabReleased = false;
      editor.updateOptions({ tabFocusMode: false });
    };
    // An action, not addCommand: addCommand keybindings are global, so the last editor created would get them all.
    disposables.push(
      editor.addAction({
        id: 'kms-lab.releaseTab',
        label: 'Let Tab move focus out of the editor once',
        keybindings: [monaco.KeyCode.Escape],
        precondition: ESCAPE_RELEASES_TAB,
        run() {
          tabReleased = true;
          editor.updateOptions({ tabFocusMode: true });
        },
      }),
      editor.onKeyDown((event) => {
        if (
          event.keyCode !== monaco.KeyCode.Tab &&
          event.keyCode !== monaco.KeyCode.Shift &&
          event.keyCode !== monaco.KeyCode.Escape
        ) {
          restoreTab();
        }
      }),
      editor.onDidBlurEditorText(restoreTab),
    );
    // Overflow widgets are position: fixed (fixedOverflowWidgets), so they would stay where they were drawn,
    // over the flowchart and the decision panel, while the page or a panel around the editor scrolls.
    const hideOverflowWidgets = (event: Event) => {
      const scrolled = event.target;
      if (scrolled !== document && !(scrolled instanceof Node && scrolled.contains(host))) return;
      editor.trigger('scroll', 'hideSuggestWidget', null);
      editor.trigger('scroll', 'closeParameterHints', null);
      editor.trigger('scroll', 'editor.action.hideHover', null);
    };
    document.addEventListener('scroll', hideOverflowWidgets, { capture: true, passive: true });
    disposables.push({
      dispose: () => document.removeEventListener('scroll', hideOverflowWidgets, { capture: true }),
    });

    return () => {
      for (const disposable of disposables) disposable.dispose();
      monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
      editor.dispose();
      editorRef.current = null;
      modelRef.current = null;
      highlightsRef.current = null;
      releaseLanguage();
      stopTheme();
      release();
    };
    // The editor is rebuilt only for a new document; the other props are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [uri, kind]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly, ariaLabel });
  }, [readOnly, ariaLabel]);

  // An external value (the store, a test hook, an import): apply only the difference, so the cursor stays.
  useEffect(() => {
    const model = modelRef.current;
    if (!model) return;
    const echoIndex = recentlyEmitted.current.lastIndexOf(value);
    if (echoIndex >= 0) {
      // Our own earlier text coming back: the model is already at or past it, so never roll the learner back.
      recentlyEmitted.current = recentlyEmitted.current.slice(echoIndex + 1);
      return;
    }
    recentlyEmitted.current = [];
    const edit = minimalReplacement(model.getValue(), value);
    if (!edit) return;
    const start = model.getPositionAt(edit.offset);
    const end = model.getPositionAt(edit.offset + edit.length);
    applyingExternalValue.current = true;
    try {
      model.pushEditOperations(
        [],
        [
          {
            range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column),
            text: edit.text,
          },
        ],
        () => null,
      );
    } finally {
      applyingExternalValue.current = false;
    }
  }, [value]);

  // The linter's findings, as markers under the lab's own owner.
  useEffect(() => {
    const model = modelRef.current;
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      (findings ?? []).map((finding) => ({
        ...markerRange(finding.range),
        severity: MARKER_SEVERITY[severityOf(finding.type)],
        message: `${findingTypeLabel(finding.type)}: ${finding.message}`,
        source: 'KMS Policy Lab',
        code: finding.learnMoreLink
          ? { value: finding.code, target: monaco.Uri.parse(finding.learnMoreLink) }
          : finding.code,
      })),
    );
  }, [findings, uri, kind]);

  // Highlighted statements: a tinted background, a bar and a glyph in the margin, and the first one in view.
  useEffect(() => {
    const editor = editorRef.current;
    const collection = highlightsRef.current;
    if (!editor || !collection) return;
    const ranges = (highlights ?? []).map(
      (r) => new monaco.Range(r.start.line, r.start.column, r.end.line, r.end.column),
    );
    collection.set(
      ranges.map((range) => ({
        range,
        options: {
          className: 'kms-lab-highlight',
          linesDecorationsClassName: 'kms-lab-highlight-bar',
          glyphMarginClassName: 'kms-lab-highlight-glyph',
          glyphMarginHoverMessage: { value: 'Used by the selected flowchart step' },
          overviewRuler: { color: { id: 'focusBorder' }, position: monaco.editor.OverviewRulerLane.Full },
          stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges,
        },
      })),
    );
    if (ranges[0]) {
      const smooth = !prefersReducedMotion();
      editor.revealRangeInCenterIfOutsideViewport(
        ranges[0],
        smooth ? monaco.editor.ScrollType.Smooth : monaco.editor.ScrollType.Immediate,
      );
      // "Show" in the decision panel is often clicked with the editor scrolled off the page.
      const host = hostRef.current;
      if (host && !isFullyInViewport(host)) {
        host.scrollIntoView({ block: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
      }
    }
  }, [highlights, uri, kind]);

  useImperativeHandle(
    ref,
    () => ({
      async format() {
        await editorRef.current?.getAction('editor.action.formatDocument')?.run();
      },
      focus() {
        editorRef.current?.focus();
      },
    }),
    [],
  );

  const format = () => {
    void editorRef.current?.getAction('editor.action.formatDocument')?.run();
  };

  return (
    <div className="policy-editor" data-kind={kind}>
      <div className="policy-editor__bar">
        <p className="policy-editor__hint" id={hintId}>
          Tab indents. <kbd>Esc</kbd> then <kbd>Tab</kbd> leaves the editor; <kbd>Ctrl</kbd>+<kbd>M</kbd>{' '}
          makes Tab move focus.
        </p>
        {!readOnly && (
          <button
            type="button"
            className="policy-editor__format"
            onClick={format}
            title="Format document (Shift+Alt+F)"
          >
            Format
          </button>
        )}
      </div>
      <div
        ref={hostRef}
        className="policy-editor__surface"
        style={{ height: cssLength(height) }}
        role="group"
        aria-label={ariaLabel}
        aria-describedby={hintId}
      />
    </div>
  );
}
