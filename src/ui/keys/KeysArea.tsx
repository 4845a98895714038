import { useEffect } from 'react';
import { browserKms, useBrowserKms } from '../../state/kms-store';
import { KmsBar, useKmsSession } from '../kms-bar';
import { useHashRoute } from '../shell/use-hash-route';
import { CreateKeyForm } from './CreateKeyForm';
import { KeyList } from './KeyList';
import { KeyPage } from './KeyPage';
import { ResetKms } from './ResetKms';
import { ServicesPanel } from './ServicesPanel';
import './keys.css';

const when = (iso: string) => new Date(iso).toLocaleString();

/** What the tab's simulated KMS holds and where it came from. */
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

/**
 * The Keys area (issue 11): the key list with "create a key" and the service integrations at `#/keys`, a page per
 * key at `#/keys/<keyId>`. Every button calls the simulated KMS as the principal picked in the bar above.
 */
export default function KeysArea() {
  const route = useHashRoute();
  const { session } = useKmsSession();
  const keyId = decodeURIComponent(route.subPath);
  return (
    <div className="keys-area">
      <KmsStatus />
      <KmsBar />
      {session && (
        <div className="keys-body">
          {keyId ? (
            <KeyPage key={keyId} session={session} keyId={keyId} />
          ) : (
            <>
              <KeyList state={session.kms.view()} />
              <CreateKeyForm />
              <ServicesPanel state={session.kms.view()} />
              <ResetKms />
            </>
          )}
        </div>
      )}
    </div>
  );
}
