/** "Explain in Lab": opens the call in the Lab with its flowchart (state/audit-explain.ts); a refusal is shown. */
import { useState } from 'react';
import type { TrailRecord } from '../../kms/trail';
import { explainInLab } from '../../state/audit-explain';

export function ExplainButton({ record, asReplayed }: { record: TrailRecord; asReplayed: boolean }) {
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <span className="audit-explain">
      <button
        type="button"
        aria-label={`Explain in Lab: ${record.eventName} at ${record.eventTime}`}
        onClick={() => {
          explainInLab(record, asReplayed).then(
            (why) => setProblem(why ?? null),
            (error: unknown) => setProblem(String(error)),
          );
        }}
      >
        Explain in Lab
      </button>
      {problem && (
        <span role="alert" className="audit-problem">
          {problem}
        </span>
      )}
    </span>
  );
}
