/**
 * The Audit area's state: which trail is shown (the lab's own or an imported file), the filter, the matching
 * records (indices from the worker), the selected event, the quick questions' answers and the last replay.
 * The records themselves stay where they are (the KMS's trail, the imported array); the worker holds a copy of
 * each, kept in step by appends, and does every filter, question and replay.
 *
 * `window.__audit` is the set-up hook for tests and the bench: importRecords(records, name) loads an imported
 * trail as if read from a file; getState() reads the state.
 */
import { createStore, useStore } from 'zustand';
import type { TrailRecord } from '../kms/trail';
import type { AuditFacets, KeyUser } from '../kms/trail-audit';
import type { ReplayCounts } from '../replay/index';
import {
  AuditCore,
  type AuditFilter,
  type AuditRequest,
  type AuditResponse,
  type ListedChange,
  type TrailSource,
} from './audit-core';
import { EMPTY_FILTER, filterOf, type AuditFilterForm } from './audit-filter';
import { replayScenario } from './audit-scenario';
import { browserKms } from './kms-store';
import { labStore } from './lab-store';

export interface ImportedTrail {
  name: string;
  records: TrailRecord[];
  problems: string[];
}

export interface AuditState {
  source: TrailSource;
  form: AuditFilterForm;
  /** The matching records' indices in the shown trail, or null before the first answer. */
  indices: Uint32Array | null;
  /** Records in the shown trail when it was filtered. */
  total: number;
  /** Whether a filter is being computed (the table keeps the last answer meanwhile). */
  filtering: boolean;
  /** Bumped with every answer (the bench and tests wait on it). */
  answers: number;
  facets: Record<TrailSource, AuditFacets | null>;
  /** The selected record's index in the shown trail. */
  selected: number | null;
  imported: ImportedTrail | null;
  importing: boolean;
  importError: string | null;
  labError: string | null;
  users: { key: string; from: string; to: string; rows: KeyUser[] } | null;
  denied: Uint32Array | null;
  replay: {
    source: TrailSource;
    running: boolean;
    counts?: ReplayCounts;
    changes: ListedChange[];
    error?: string;
  } | null;
}

export interface AuditTestHook {
  importRecords(records: TrailRecord[], name?: string): void;
  getState(): AuditState;
}

declare global {
  interface Window {
    __audit?: AuditTestHook;
  }
}

type Client = { post(request: AuditRequest, transfer?: Transferable[]): void };

const store = createStore<AuditState>(() => ({
  source: 'lab',
  form: EMPTY_FILTER,
  indices: null,
  total: 0,
  filtering: false,
  answers: 0,
  facets: { lab: null, imported: null },
  selected: null,
  imported: null,
  importing: false,
  importError: null,
  labError: null,
  users: null,
  denied: null,
  replay: null,
}));

let labRecords: TrailRecord[] = [];
let sentLab = 0;
let sentLabFirst: TrailRecord | undefined;
let seq = 0;
let querySeq = 0;
let usersSeq = 0;
let deniedSeq = 0;
let replaySeq = 0;
let client: Client | undefined;

/** The records of a trail, as the table reads them. */
export function auditRecords(source: TrailSource): readonly TrailRecord[] {
  return source === 'lab' ? labRecords : (store.getState().imported?.records ?? []);
}

function receive(message: AuditResponse): void {
  switch (message.kind) {
    case 'result':
      if (message.seq !== querySeq) {
        if (message.seq === deniedSeq) store.setState({ denied: message.indices });
        return;
      }
      store.setState((s) => ({
        indices: message.indices,
        total: message.total,
        filtering: false,
        answers: s.answers + 1,
        ...(message.facets ? { facets: { ...s.facets, [message.source]: message.facets } } : {}),
      }));
      return;
    case 'users':
      if (message.seq === usersSeq)
        store.setState((s) => (s.users ? { users: { ...s.users, rows: message.users } } : {}));
      return;
    case 'imported':
      store.setState({
        imported: { name: message.name, records: message.records, problems: message.problems },
        importing: false,
        importError: null,
        source: 'imported',
        indices: null,
        selected: null,
        replay: null,
        denied: null,
      });
      query();
      return;
    case 'import-failed':
      store.setState({ importing: false, importError: `${message.name}: ${message.message}` });
      return;
    case 'replayed':
      if (message.seq === replaySeq)
        store.setState({
          replay: {
            source: message.source,
            running: false,
            counts: message.counts,
            changes: message.changes,
          },
        });
      return;
    case 'failed':
      if (message.seq === replaySeq)
        store.setState((s) => ({
          replay: s.replay && { ...s.replay, running: false, error: message.message },
        }));
  }
}

/** The same core on this thread: where there is no Worker (unit tests) or it cannot start. */
function inThread(): Client {
  const core = new AuditCore();
  const run = async (request: AuditRequest): Promise<AuditResponse | undefined> => {
    switch (request.kind) {
      case 'sync':
        core.sync(request.source, request.records, request.reset);
        return undefined;
      case 'import':
        return core.importFile(request.name, request.file);
      case 'query':
        return core.query(request.seq, request.source, request.filter);
      case 'users':
        return core.users(request.seq, request.source, request.filter);
      case 'replay':
        return core.replay(request.seq, request.source, request.scenario);
    }
  };
  return { post: (request) => void run(request).then((m) => m && receive(m)) };
}

/** The Audit worker (module worker, as the Lab's evaluation worker is created). */
function connect(): Client {
  if (client) return client;
  try {
    if (typeof Worker === 'undefined') throw new Error('no Worker');
    const worker = new Worker(new URL('./audit.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<AuditResponse>) => receive(event.data);
    client = { post: (request, transfer = []) => worker.postMessage(request, transfer) };
  } catch {
    client = inThread();
  }
  return client;
}

/** Sends the lab trail's new records to the worker (all of them again when the trail was replaced). */
function syncLab(): boolean {
  const records = labRecords;
  const reset = records.length < sentLab || records[0] !== sentLabFirst;
  const from = reset ? 0 : sentLab;
  if (!reset && from === records.length) return false;
  connect().post({ kind: 'sync', source: 'lab', records: records.slice(from), reset });
  sentLab = records.length;
  sentLabFirst = records[0];
  return true;
}

function query(): void {
  const { source, form } = store.getState();
  querySeq = ++seq;
  store.setState({ filtering: true });
  connect().post({ kind: 'query', seq: querySeq, source, filter: filterOf(form), channel: 'table' });
}

/** Opens the tab's KMS and shows its trail; called when the area mounts and after every save of the KMS. */
export async function refreshLabTrail(): Promise<void> {
  try {
    const session = await browserKms();
    labRecords = session.kms.trail.records;
  } catch (error) {
    store.setState({ labError: String(error) });
    return;
  }
  installAuditHook();
  const changed = syncLab();
  const state = store.getState();
  if (changed || state.indices === null) {
    if (state.source === 'lab') query();
    if (state.denied && state.source === 'lab') askDenied();
  }
}

export function setFilter(change: Partial<AuditFilterForm>): void {
  store.setState((s) => ({ form: { ...s.form, ...change } }));
  query();
}

export function replaceFilter(form: AuditFilterForm): void {
  store.setState({ form });
  query();
}

export function setSource(source: TrailSource): void {
  if (store.getState().source === source) return;
  store.setState({ source, selected: null, indices: null, denied: null, users: null });
  query();
}

export function selectRecord(index: number | null): void {
  store.setState({ selected: index });
}

export function importTrailFile(file: File): void {
  store.setState({ importing: true, importError: null });
  connect().post({ kind: 'import', name: file.name, file });
}

export function askWhoUsed(key: string, from: string, to: string): void {
  usersSeq = ++seq;
  store.setState({ users: { key, from, to, rows: [] } });
  const filter: AuditFilter = filterOf({ ...EMPTY_FILTER, key, from, to });
  connect().post({ kind: 'users', seq: usersSeq, source: store.getState().source, filter });
}

export function askDenied(): void {
  deniedSeq = ++seq;
  connect().post({
    kind: 'query',
    seq: deniedSeq,
    source: store.getState().source,
    filter: { denied: true },
    channel: 'denied',
  });
}

/** Replays the shown trail against the Lab's current scenario (with the KMS's own keys and grants). */
export async function replayShownTrail(): Promise<void> {
  const source = store.getState().source;
  replaySeq = ++seq;
  const mine = replaySeq;
  store.setState({ replay: { source, running: true, changes: [] } });
  let state;
  try {
    state = (await browserKms()).kms.view();
  } catch {
    state = undefined; // no KMS: the Lab's scenario alone
  }
  if (mine !== replaySeq) return;
  const scenario = replayScenario(labStore().getState().scenario, state);
  connect().post({ kind: 'replay', seq: mine, source, scenario });
}

function installAuditHook(): void {
  window.__audit ??= {
    importRecords(records, name = 'generated.json') {
      store.setState({ importing: true });
      connect().post({ kind: 'sync', source: 'imported', records, reset: true });
      receive({ kind: 'imported', name, records, problems: [] });
    },
    getState: () => store.getState(),
  };
}

export function useAudit<T>(selector: (state: AuditState) => T): T {
  return useStore(store, selector);
}
