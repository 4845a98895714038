/**
 * The Lab area: a scenario (accounts, principals, keys, grants, guardrails, endpoints), its policies in
 * editors, a request builder, the animated decision flowchart and the decision panel, plus the access matrix
 * with what-if and a compare view. All state lives in the lab store (src/state/lab-store.ts); evaluation runs
 * in a Web Worker. Opened at `#/lab` and by `#scenario=<payload>` share links (lab-design §4).
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { decodeShareLink } from '../../scenario/share-link';
import { labStore, useLabStore, type LabView } from '../../state/lab-store';
import { CompareView } from './CompareView';
import { EvaluateView } from './EvaluateView';
import { installLabHook } from './lab-hook';
import { LabToolbar } from './LabToolbar';
import { MatrixView } from './MatrixView';
import { LabNotices } from './LabNotices';
import { importScenarioFile, openScenario } from './scenario-files';
import './lab.css';

const VIEWS: { id: LabView; label: string }[] = [
  { id: 'evaluate', label: 'Evaluate' },
  { id: 'matrix', label: 'Access matrix' },
  { id: 'compare', label: 'Compare' },
];

/**
 * Opens a `#scenario=` link: loads it (keeping the current work among the saved scenarios) or says what is
 * wrong and leaves the work alone. The address keeps the link; the lab remembers which link it opened, so
 * reloading that address shows the work done since instead of the original again.
 */
let handledThisPage: string | null = null;

function openShareLinkFromHash(force = false): void {
  const hash = window.location.hash;
  if (!hash.startsWith('#scenario=')) return;
  // React's development double mount (StrictMode) must not read the same link twice.
  if (!force && hash === handledThisPage) return;
  handledThisPage = hash;
  const state = labStore().getState();
  if (!force && state.openedShareLink === hash) {
    state.setNotice({
      tone: 'info',
      message: 'You opened this share link before; the lab shows your work since then.',
      action: { label: 'Open the link again', run: () => openShareLinkFromHash(true) },
    });
    return;
  }
  const decoded = decodeShareLink(hash);
  if (!decoded.ok) {
    state.setNotice({ tone: 'error', message: `${decoded.message}\nYour current work was left as it was.` });
    return;
  }
  const title = decoded.scenario.title ? `“${decoded.scenario.title}”` : 'the shared scenario';
  openScenario(decoded.scenario, [`Opened ${title} from a share link.`, ...decoded.notes].join(' '));
  labStore().getState().selectRequest(decoded.selectedRequestId);
  labStore().getState().setOpenedShareLink(hash);
}

export default function LabArea() {
  const view = useLabStore((s) => s.view);
  const setView = useLabStore((s) => s.setView);
  const [dragging, setDragging] = useState(false);
  const tabRefs = useRef<Record<LabView, HTMLButtonElement | null>>({
    evaluate: null,
    matrix: null,
    compare: null,
  });

  useEffect(() => {
    const store = labStore();
    installLabHook(store);
    openShareLinkFromHash();
    store.evaluateNow();
    const onHashChange = () => openShareLinkFromHash();
    const onHide = () => store.flushSave();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') store.flushSave();
    };
    window.addEventListener('hashchange', onHashChange);
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      store.flushSave();
      window.removeEventListener('hashchange', onHashChange);
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, []);

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) await importScenarioFile(file);
  };

  const onTabKey = (event: React.KeyboardEvent, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const next = VIEWS[(index + delta + VIEWS.length) % VIEWS.length].id;
    setView(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <div
      className={`lab${dragging ? ' lab-dragging' : ''}`}
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes('Files')) {
          event.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(event) => {
        if (event.currentTarget === event.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <LabToolbar />
      <div className="lab-views" role="tablist" aria-label="Lab views">
        {VIEWS.map((v, index) => (
          <button
            key={v.id}
            ref={(el) => {
              tabRefs.current[v.id] = el;
            }}
            type="button"
            role="tab"
            id={`lab-tab-${v.id}`}
            aria-selected={view === v.id}
            aria-controls={`lab-panel-${v.id}`}
            tabIndex={view === v.id ? 0 : -1}
            className="lab-view-tab"
            onClick={() => setView(v.id)}
            onKeyDown={(event) => onTabKey(event, index)}
          >
            {v.label}
          </button>
        ))}
      </div>
      <LabNotices />
      <div role="tabpanel" id={`lab-panel-${view}`} aria-labelledby={`lab-tab-${view}`} className="lab-panel">
        {view === 'evaluate' && <EvaluateView />}
        {view === 'matrix' && <MatrixView />}
        {view === 'compare' && <CompareView />}
      </div>
      {dragging && (
        <div className="lab-drop-hint" aria-hidden="true">
          Drop a scenario file (.json) to open it
        </div>
      )}
    </div>
  );
}
