import { useEffect, useState } from 'react';
import { browserKms, useBrowserKms } from '../../state/kms-store';
import { useKmsActing } from '../../state/kms-acting';
import type { KmsSession } from '../../state/kms-session';

/**
 * The tab's KMS session once it is open (null before), re-rendering after every call and clock move (the acting
 * store's revision) and when "reset to scenario" opens another session.
 */
export function useKmsSession(): { session: KmsSession | null; revision: number } {
  const generation = useBrowserKms((s) => s.generation);
  const revision = useKmsActing((s) => s.revision);
  const [session, setSession] = useState<KmsSession | null>(null);
  useEffect(() => {
    let live = true;
    browserKms().then(
      (opened) => live && setSession(opened),
      () => undefined, // the KMS store shows the error
    );
    return () => {
      live = false;
    };
  }, [generation]);
  return { session, revision: revision + generation * 1_000_000 };
}
