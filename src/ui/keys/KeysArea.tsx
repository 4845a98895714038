import { useEffect } from 'react';
import { browserKms, useBrowserKms } from '../../state/kms-store';
import { AreaPlaceholder } from '../shell/AreaPlaceholder';
import './keys.css';

const when = (iso: string) => new Date(iso).toLocaleString();

/** What the tab's simulated KMS holds and where it came from; the key pages come with the Keys issue. */
function KmsStatus() {
  const status = useBrowserKms((s) => s.status);
  const origin = useBrowserKms((s) => s.origin);
  const saved = useBrowserKms((s) => s.saved);
  const saveError = useBrowserKms((s) => s.saveError);
  const error = useBrowserKms((s) => s.error);
  useEffect(() => {
    browserKms().catch(() => undefined); // the store shows the error
  }, []);

  if (status === 'opening')
    return (
      <p className="kms-status" role="status">
        Opening the simulated KMS…
      </p>
    );
  if (status === 'failed')
    return (
      <p role="alert" className="kms-notice">
        The simulated KMS could not start: {error}
      </p>
    );
  return (
    <div className="kms-status" data-testid="kms-status" data-origin={origin?.kind}>
      {origin?.kind === 'set-aside' && (
        <p role="alert" className="kms-notice">
          {origin.reason} It is kept in this browser as “{origin.keptAs}”; the KMS started again from the
          Lab’s scenario.
        </p>
      )}
      {origin?.kind === 'unreadable' && (
        <p role="alert" className="kms-notice">
          {origin.reason} The KMS started again from the Lab’s scenario.
        </p>
      )}
      {saveError && (
        <p role="alert" className="kms-notice">
          This browser refused to save the KMS ({saveError}); changes are kept until you close the tab.
        </p>
      )}
      <p role="status">
        {origin?.kind === 'restored' ? 'Restored from this browser. ' : 'Started from the Lab’s scenario. '}
        {saved &&
          `Saved in this browser at ${when(saved.at)}: ${saved.keys} ${saved.keys === 1 ? 'key' : 'keys'}, ${saved.trailEvents} CloudTrail ${saved.trailEvents === 1 ? 'event' : 'events'}.`}
      </p>
    </div>
  );
}

export default function KeysArea() {
  return (
    <>
      <KmsStatus />
      <AreaPlaceholder>
        Keys will show the simulated KMS: create keys, aliases and grants, rotate and schedule deletion, and
        call KMS operations as any principal of the scenario.
      </AreaPlaceholder>
    </>
  );
}
