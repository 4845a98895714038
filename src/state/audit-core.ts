/**
 * What the Audit area's Web Worker does, without the worker (unit-tested as is): it holds a copy of each trail (the
 * lab's own, kept in step by appends, and one imported file), filters with the trail's pure query, answers the
 * quick questions, reads imported files, and replays a trail against a scenario with the engine's trail replay.
 * Results name records by their index in the trail, so 100,000 matches cross to the page as one Uint32Array.
 */
import { isInTimeOrder, queryIndices, type TrailQuery, type TrailRecord } from '../kms/trail';
import { auditFacets, isDenied, usersOf, type AuditFacets, type KeyUser } from '../kms/trail-audit';
import { TrailReplay, type ReplayChange, type ReplayCounts } from '../replay/index';
import { isGzip, readTrailDocument } from '../replay/trail-document';
import type { Scenario } from '../scenario/types';

export type TrailSource = 'lab' | 'imported';

export interface AuditFilter extends TrailQuery {
  /** Denials only (AccessDenied or AccessDeniedException), for "which calls were denied". */
  denied?: boolean;
}

/** Changes kept to list (the counts cover all of them). */
export const MAX_LISTED_CHANGES = 2_000;

export type AuditRequest =
  | { kind: 'sync'; source: TrailSource; records: TrailRecord[]; reset: boolean }
  | { kind: 'import'; name: string; file: Blob }
  /** `channel`: the table's filter and the denied-calls question are "latest wins" each on their own. */
  | { kind: 'query'; seq: number; source: TrailSource; filter: AuditFilter; channel: 'table' | 'denied' }
  | { kind: 'users'; seq: number; source: TrailSource; filter: AuditFilter }
  | { kind: 'replay'; seq: number; source: TrailSource; scenario: Scenario };

export interface ListedChange {
  /** The record's index in its trail. */
  index: number;
  change: ReplayChange;
}

export type AuditResponse =
  | {
      kind: 'result';
      seq: number;
      source: TrailSource;
      indices: Uint32Array;
      /** How many records the trail held when filtered. */
      total: number;
      /** Sent when the trail changed since the last result of this source. */
      facets?: AuditFacets;
      elapsedMs: number;
    }
  | { kind: 'users'; seq: number; users: KeyUser[] }
  | { kind: 'imported'; name: string; records: TrailRecord[]; problems: string[] }
  | { kind: 'import-failed'; name: string; message: string }
  | { kind: 'replayed'; seq: number; source: TrailSource; counts: ReplayCounts; changes: ListedChange[] }
  | { kind: 'failed'; seq: number; message: string };

interface Held {
  records: TrailRecord[];
  ordered: boolean;
  /** Bumped on every change; facets are recomputed when it moved. */
  version: number;
  facetsVersion: number;
}

const now = () => (typeof performance === 'undefined' ? Date.now() : performance.now());

export class AuditCore {
  private readonly held: Record<TrailSource, Held> = {
    lab: { records: [], ordered: true, version: 0, facetsVersion: -1 },
    imported: { records: [], ordered: true, version: 0, facetsVersion: -1 },
  };

  records(source: TrailSource): readonly TrailRecord[] {
    return this.held[source].records;
  }

  sync(source: TrailSource, records: TrailRecord[], reset: boolean): void {
    const held = this.held[source];
    if (reset) held.records = [];
    const last = held.records[held.records.length - 1]?.eventTime;
    held.ordered = (reset || held.ordered) && (last === undefined || !(records[0]?.eventTime < last));
    for (const r of records) held.records.push(r);
    if (held.ordered) held.ordered = isInTimeOrder(records);
    held.version++;
  }

  private matching(source: TrailSource, filter: AuditFilter): number[] {
    const held = this.held[source];
    const indices = queryIndices(held.records, filter, held.ordered);
    return filter.denied ? indices.filter((i) => isDenied(held.records[i])) : indices;
  }

  query(seq: number, source: TrailSource, filter: AuditFilter): AuditResponse {
    const started = now();
    const held = this.held[source];
    const indices = Uint32Array.from(this.matching(source, filter));
    let facets: AuditFacets | undefined;
    if (held.facetsVersion !== held.version) {
      facets = auditFacets(held.records);
      held.facetsVersion = held.version;
    }
    return {
      kind: 'result',
      seq,
      source,
      indices,
      total: held.records.length,
      ...(facets ? { facets } : {}),
      elapsedMs: now() - started,
    };
  }

  users(seq: number, source: TrailSource, filter: AuditFilter): AuditResponse {
    const records = this.held[source].records;
    return { kind: 'users', seq, users: usersOf(this.matching(source, filter).map((i) => records[i])) };
  }

  /** Reads an imported file (gzip told by its first bytes); its records replace the imported trail. */
  async importFile(name: string, file: Blob): Promise<AuditResponse> {
    try {
      let bytes = new Uint8Array(await file.arrayBuffer());
      if (isGzip(bytes)) {
        const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
        bytes = new Uint8Array(await new Response(stream).arrayBuffer());
      }
      const { records, problems } = readTrailDocument(bytes);
      if (records.length === 0)
        return {
          kind: 'import-failed',
          name,
          message: problems[0] ?? 'the file holds no CloudTrail records',
        };
      const trail = records as unknown as TrailRecord[];
      this.sync('imported', trail, true);
      return { kind: 'imported', name, records: trail, problems };
    } catch (error) {
      return { kind: 'import-failed', name, message: `cannot read it: ${(error as Error).message}` };
    }
  }

  /** Decides every call of the trail again under `scenario` (src/replay) and lists those that would change. */
  replay(seq: number, source: TrailSource, scenario: Scenario): AuditResponse {
    const changes: ListedChange[] = [];
    let index = 0;
    try {
      const replay = new TrailReplay(scenario, {
        onChange: (change) => {
          if (changes.length < MAX_LISTED_CHANGES) changes.push({ index, change });
        },
      });
      const records = this.held[source].records;
      const file = source === 'lab' ? 'the lab’s trail' : 'the imported trail';
      for (; index < records.length; index++)
        replay.record(records[index], file, { container: 'Records', index, line: 0, column: 0 });
      return { kind: 'replayed', seq, source, counts: replay.counts, changes };
    } catch (error) {
      return { kind: 'failed', seq, message: `The replay stopped: ${(error as Error).message}` };
    }
  }
}
