/**
 * Banners above the lab: the latest notice (share link opened or broken, file imported, state set aside…),
 * and while any editor holds text that is not a valid policy, a banner saying the result on screen is stale.
 */
import { useLabStore, SCENARIO_EDITOR } from '../../state/lab-store';
import { listPolicySlots } from '../../state/lab-policies';
import { useScenarioStructure } from './scenario-structure';

export function LabNotices() {
  const notice = useLabStore((s) => s.notice);
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
                  : {scenarioTextError}
                </li>
              )}
            </ul>
          </div>
        </div>
      )}
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
