/**
 * Which trail Audit shows (the lab's own, or an imported CloudTrail file), importing one (file input or drop on
 * the area), and exporting the filtered events as CloudTrail JSON or CSV.
 */
import { useId, useRef } from 'react';
import { toCloudTrailJson, toCsv } from '../../kms/trail-export';
import type { TrailSource } from '../../state/audit-core';
import { auditRecords, importTrailFile, setSource, useAudit } from '../../state/audit-store';
import { downloadText } from '../lab/scenario-files';

function filtered(source: TrailSource, indices: Uint32Array | null) {
  const records = auditRecords(source);
  return indices ? Array.from(indices, (i) => records[i]) : [];
}

export function TrailBar({ labCount }: { labCount: number }) {
  const id = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const source = useAudit((s) => s.source);
  const imported = useAudit((s) => s.imported);
  const importing = useAudit((s) => s.importing);
  const importError = useAudit((s) => s.importError);
  const indices = useAudit((s) => s.indices);
  const stem =
    source === 'lab' ? 'lab-trail' : (imported?.name.replace(/\.(json|jsonl)(\.gz)?$/, '') ?? 'trail');
  const count = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'event' : 'events'}`;
  return (
    <div className="audit-bar">
      <fieldset className="audit-sources">
        <legend className="visually-hidden">Trail shown</legend>
        <label>
          <input
            type="radio"
            name={`${id}-source`}
            checked={source === 'lab'}
            onChange={() => setSource('lab')}
          />
          This lab’s trail ({count(labCount)})
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-source`}
            checked={source === 'imported'}
            disabled={!imported}
            onChange={() => setSource('imported')}
          />
          {imported
            ? `Imported: ${imported.name} (${count(imported.records.length)})`
            : 'Imported trail (none yet)'}
        </label>
      </fieldset>
      <div className="audit-actions">
        <input
          ref={fileInput}
          id={`${id}-file`}
          type="file"
          accept=".json,.gz,.jsonl,application/json,application/gzip"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="audit-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) importTrailFile(file);
            e.target.value = '';
          }}
        />
        <button type="button" onClick={() => fileInput.current?.click()} disabled={importing}>
          {importing ? 'Importing…' : 'Import CloudTrail file…'}
        </button>
        <button
          type="button"
          disabled={!indices?.length}
          onClick={() =>
            downloadText(
              `${stem}-filtered.json`,
              toCloudTrailJson(filtered(source, indices)),
              'application/json',
            )
          }
        >
          Export JSON
        </button>
        <button
          type="button"
          disabled={!indices?.length}
          onClick={() => downloadText(`${stem}-filtered.csv`, toCsv(filtered(source, indices)), 'text/csv')}
        >
          Export CSV
        </button>
      </div>
      {importError && (
        <p role="alert" className="audit-problem audit-bar__wide">
          The file was not imported: {importError}
        </p>
      )}
      {imported && imported.problems.length > 0 && source === 'imported' && (
        <p role="status" className="audit-warn audit-bar__wide">
          Imported with {imported.problems.length} {imported.problems.length === 1 ? 'problem' : 'problems'}:{' '}
          {imported.problems.slice(0, 3).join('; ')}
        </p>
      )}
    </div>
  );
}
