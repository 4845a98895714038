/**
 * Banners above the lab: the latest notice (share link opened or broken, file imported, state set aside…);
 * while any editor holds text that is not a valid policy, a banner saying the result on screen is stale;
 * while an evaluation runs long, a busy indicator with Cancel; and after one was cancelled or stopped, why.
 */
import { EVALUATION_BUDGET_MS } from '../../state/lab-evaluator';
import { labStore, useLabStore, SCENARIO_EDITOR } from '../../state/lab-store';
import { listPolicySlots } from '../../state/lab-policies';
import { downloadText } from './scenario-files';
import { useScenarioStructure } from './scenario-structure';

function EvaluationStatus() {
  const busy = useLabStore((s) => s.busy);
  const stopped = useLabStore((s) => s.evaluationStopped);
  const cancelEvaluation = useLabStore((s) => s.cancelEvaluation);
  if (busy) {
    return (
      <div className="lab-banner lab-banner-info" role="status" data-testid="evaluation-busy">
        <p>
          <span className="lab-spinner" aria-hidden="true" />
          <strong>Evaluating…</strong> The decision and flowchart below are from before this change (stale).
        </p>
        <button type="button" onClick={cancelEvaluation}>
          Cancel
        </button>
      </div>
    );
  }
  if (!stopped) return null;
  return (
    <div className="lab-banner lab-banner-warn" role="alert" data-testid="evaluation-stopped">
      <p>
        {stopped === 'cancelled' ? (
          <>
            <strong>Evaluation cancelled.</strong> The decision below is from before your last change (stale).
          </>
        ) : (
          <>
            <strong>Evaluation stopped:</strong> it took longer than {EVALUATION_BUDGET_MS / 1000} s, so the
            evaluator was restarted. The decision below is from before your last change (stale). Simplify the
            scenario, or try again.
          </>
        )}
      </p>
      <button type="button" onClick={() => labStore().evaluateNow()}>
        Evaluate again
      </button>
    </div>
  );
}

export function LabNotices() {
  const notice = useLabStore((s) => s.notice);
  const download = notice?.download;
  const setNotice = useLabStore((s) => s.setNotice);
  const invalid = useLabStore((s) => s.invalid);
  const scenarioTextError = useLabStore((s) => s.scenarioTextError);
  const evalError = useLabStore((s) => s.evalError);
  const scenario = useScenarioStructure();
  const setActiveEditor = useLabStore((s) => s.setActiveEditor);
  const setView = useLabStore((s) => s.setView);

  const invalidIds = Object.keys(invalid);
  const labels = new Map(listPolicySlots(scenario).map((slot) => [slot.id, slot.label]));
  const openEditor = (id: string) => {
    setView('evaluate');
    setActiveEditor(id);
  };

  return (
    <div className="lab-notices">
      {notice && (
        <div
          className={`lab-banner lab-banner-${notice.tone}`}
          role={notice.tone === 'error' ? 'alert' : 'status'}
          data-testid="lab-notice"
        >
          <p>{notice.message}</p>
          <div className="lab-row-actions">
            {download && (
              <button type="button" onClick={() => downloadText(download.fileName, download.text())}>
                {download.label}
              </button>
            )}
            {notice.action && (
              <button type="button" onClick={notice.action.run}>
                {notice.action.label}
              </button>
            )}
            <button type="button" onClick={() => setNotice(null)} aria-label="Dismiss this message">
              Dismiss
            </button>
          </div>
        </div>
      )}
      {(invalidIds.length > 0 || scenarioTextError) && (
        <div className="lab-banner lab-banner-warn" role="alert" data-testid="stale-banner">
          <div>
            <p>
              <strong>Not evaluated:</strong> the text below is not valid, so the result on screen is the last
              good one (stale). Your text is kept as typed.
            </p>
            <ul>
              {invalidIds.map((id) => (
                <li key={id}>
                  <button type="button" className="lab-link" onClick={() => openEditor(id)}>
                    {labels.get(id) ?? id}
                  </button>
                  : {invalid[id]}
                </li>
              ))}
              {scenarioTextError && (
                <li>
                  <button type="button" className="lab-link" onClick={() => openEditor(SCENARIO_EDITOR)}>
                    Scenario JSON
                  </button>
                  : {scenarioTextError.message}
                </li>
              )}
            </ul>
          </div>
        </div>
      )}
      <EvaluationStatus />
      {evalError && (
        <div className="lab-banner lab-banner-error" role="alert">
          <p>
            <strong>The engine could not evaluate this scenario:</strong> {evalError}. The result on screen is
            the last good one (stale).
          </p>
        </div>
      )}
    </div>
  );
}
