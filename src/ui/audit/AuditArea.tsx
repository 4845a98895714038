/**
 * The Audit area: the CloudTrail event history of the simulated KMS (or of an imported CloudTrail file), with the
 * console's filters, each event's JSON, export, quick questions and replay against the current scenario. Every
 * filter, question and replay runs in the Audit worker on the trail's pure functions (state/audit-core.ts).
 * `#/audit?key=<keyId>` opens it filtered to one key (the Keys page links here).
 */
import { useEffect, useState, type DragEvent } from 'react';
import { useBrowserKms } from '../../state/kms-store';
import { filterFromLink } from '../../state/audit-filter';
import {
  auditRecords,
  importTrailFile,
  refreshLabTrail,
  replaceFilter,
  selectRecord,
  setSource,
  useAudit,
} from '../../state/audit-store';
import { KmsBar } from '../kms-bar';
import { useHashRoute } from '../shell/use-hash-route';
import { DeniedCalls } from './DeniedCalls';
import { EventDetail } from './EventDetail';
import { EventFilters } from './EventFilters';
import { EventTable } from './EventTable';
import { ReplayPanel } from './ReplayPanel';
import { TrailBar } from './TrailBar';
import { WhoUsedKey } from './WhoUsedKey';
import './audit.css';

type Tab = 'history' | 'who' | 'denied' | 'replay';
const TABS: { id: Tab; label: string }[] = [
  { id: 'history', label: 'Event history' },
  { id: 'who', label: 'Who used a key' },
  { id: 'denied', label: 'Denied calls' },
  { id: 'replay', label: 'Replay' },
];

export default function AuditArea() {
  const route = useHashRoute();
  const saved = useBrowserKms((s) => s.saved);
  const generation = useBrowserKms((s) => s.generation);
  const kmsError = useBrowserKms((s) => (s.status === 'failed' ? (s.error ?? 'unknown error') : null));
  const labError = useAudit((s) => s.labError);
  const source = useAudit((s) => s.source);
  const form = useAudit((s) => s.form);
  const indices = useAudit((s) => s.indices);
  const total = useAudit((s) => s.total);
  const filtering = useAudit((s) => s.filtering);
  const facets = useAudit((s) => s.facets[s.source]);
  const selected = useAudit((s) => s.selected);
  const imported = useAudit((s) => s.imported);
  const [tab, setTab] = useState<Tab>('history');
  const [dropping, setDropping] = useState(false);

  // The lab's trail grows with every call (each call is saved; the save is the signal) and is new after a reset.
  useEffect(() => {
    void refreshLabTrail();
  }, [saved, generation]);

  useEffect(() => {
    const linked = filterFromLink(route.subPath);
    if (!linked) return;
    setSource('lab');
    replaceFilter(linked);
    setTab('history');
  }, [route.subPath]);

  const records = auditRecords(source);
  const count = indices?.length ?? 0;

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDropping(false);
    const file = event.dataTransfer.files[0];
    if (file) importTrailFile(file);
  };

  return (
    <div
      className={`audit${dropping ? ' audit--dropping' : ''}`}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDropping(false);
      }}
      onDrop={onDrop}
      data-testid="audit-area"
    >
      {kmsError || labError ? (
        <p role="alert" className="audit-problem">
          The simulated KMS could not start, so this lab has no trail: {labError ?? kmsError}. You can still
          import a CloudTrail file.
        </p>
      ) : null}
      <KmsBar />
      <TrailBar labCount={auditRecords('lab').length} />
      <div role="tablist" aria-label="Audit views" className="audit-tabs">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`audit-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`audit-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => {
              const at = TABS.findIndex((x) => x.id === tab);
              const next = e.key === 'ArrowRight' ? at + 1 : e.key === 'ArrowLeft' ? at - 1 : null;
              if (next === null) return;
              const id = TABS[(next + TABS.length) % TABS.length].id;
              setTab(id);
              document.getElementById(`audit-tab-${id}`)?.focus();
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`audit-panel-${tab}`}
        aria-labelledby={`audit-tab-${tab}`}
        className="audit-panel"
      >
        {tab === 'history' && (
          <>
            <EventFilters form={form} facets={facets} />
            <p role="status" aria-live="polite" className="audit-count" data-testid="audit-count">
              {indices === null
                ? 'Loading the trail…'
                : `${count.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events${filtering ? ' (filtering…)' : ''}`}
            </p>
            <div className="audit-history">
              <EventTable
                label={
                  source === 'lab'
                    ? 'Events of this lab’s trail'
                    : `Events of ${imported?.name ?? 'the import'}`
                }
                count={count}
                recordAt={(row) => records[indices![row]]}
                indexAt={(row) => indices![row]}
                selected={selected}
                onSelect={selectRecord}
              />
              {indices !== null && count === 0 && <p className="audit-empty">No events match the filter.</p>}
              <EventDetail
                record={selected === null ? undefined : records[selected]}
                imported={source === 'imported'}
              />
            </div>
          </>
        )}
        {tab === 'who' && <WhoUsedKey facets={facets} onShowEvents={() => setTab('history')} />}
        {tab === 'denied' && <DeniedCalls source={source} />}
        {tab === 'replay' && <ReplayPanel source={source} />}
      </div>
    </div>
  );
}
