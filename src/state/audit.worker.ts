/**
 * The Audit area's Web Worker (house pattern: lab-eval.worker.ts): filtering 100,000 events, the quick questions,
 * imports and replays run here, off the main thread. Queries are "latest wins": a burst of filter changes collapses
 * into the newest one.
 */
import { AuditCore, type AuditRequest, type AuditResponse } from './audit-core';

const core = new AuditCore();
/** The newest query of each channel not yet answered. */
const latestQueries = new Map<string, Extract<AuditRequest, { kind: 'query' }>>();
let scheduled = false;

const post = (message: AuditResponse) => {
  const target = self as unknown as { postMessage(message: AuditResponse, transfer?: Transferable[]): void };
  target.postMessage(message, message.kind === 'result' ? [message.indices.buffer] : []);
};

self.onmessage = (event: MessageEvent<AuditRequest>) => {
  const request = event.data;
  switch (request.kind) {
    case 'sync':
      core.sync(request.source, request.records, request.reset);
      return;
    case 'import':
      void core.importFile(request.name, request.file).then(post);
      return;
    case 'users':
      post(core.users(request.seq, request.source, request.filter));
      return;
    case 'replay':
      post(core.replay(request.seq, request.source, request.scenario));
      return;
    case 'query':
      latestQueries.set(request.channel, request);
      if (scheduled) return;
      scheduled = true;
      // A zero timeout lets the messages already queued arrive first (syncs included).
      setTimeout(() => {
        scheduled = false;
        const queries = [...latestQueries.values()];
        latestQueries.clear();
        for (const query of queries) post(core.query(query.seq, query.source, query.filter));
      }, 0);
  }
};
