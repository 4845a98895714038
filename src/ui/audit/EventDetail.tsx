/** The selected event's whole CloudTrail JSON, as CloudTrail's console shows it under "Event record". */
import type { TrailRecord } from '../../kms/trail';
import { ExplainButton } from './ExplainButton';

export function EventDetail({ record, imported }: { record: TrailRecord | undefined; imported: boolean }) {
  if (!record)
    return (
      <section className="audit-detail" aria-label="Event record">
        <p className="audit-muted">Select an event to see its record.</p>
      </section>
    );
  return (
    <section className="audit-detail" aria-labelledby="audit-detail-title" data-testid="audit-detail">
      <div className="audit-detail__head">
        <h3 id="audit-detail-title">
          {record.eventName} at {record.eventTime}
        </h3>
        {record.eventType !== 'AwsServiceEvent' && <ExplainButton record={record} asReplayed={imported} />}
      </div>
      <pre tabIndex={0} aria-label="Event record JSON" className="audit-json">
        {JSON.stringify(record, null, 2)}
      </pre>
    </section>
  );
}
