import { useRef, useState } from 'react';
import { kmsChanged } from '../../state/kms-acting';
import { resetBrowserKms } from '../../state/kms-store';

/** "Reset to scenario", after a confirmation dialog: keys, trail and clock start again from the scenario. */
export function ResetKms() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [done, setDone] = useState('');
  const reset = async () => {
    dialog.current?.close();
    await resetBrowserKms();
    kmsChanged();
    window.location.hash = '#/keys';
    setDone('The simulated KMS was reset to its scenario.');
  };
  return (
    <div className="keys-reset">
      <button type="button" onClick={() => dialog.current?.showModal()}>
        Reset to scenario…
      </button>
      <p role="status" className="keys-done">
        {done}
      </p>
      <dialog ref={dialog} aria-labelledby="reset-title" className="keys-dialog">
        <h2 id="reset-title">Reset the simulated KMS?</h2>
        <p>
          Every key, alias, grant and CloudTrail event made since it started is removed, and the lab clock
          goes back. The KMS starts again from its scenario. This cannot be undone.
        </p>
        <div className="keys-actions">
          <button type="button" className="keys-danger" onClick={() => void reset()}>
            Reset
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Keep my work
          </button>
        </div>
      </dialog>
    </div>
  );
}
