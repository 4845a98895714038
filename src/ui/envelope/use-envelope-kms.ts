/**
 * The tab's KMS as the Envelope area uses it: the session, the keys it can choose from (ListKeys and ListAliases
 * as each account's root, so the calls are in the trail like any other) and the principals the scenario knows.
 */
import { accountOfPrincipal } from '../../kms/identity';
import { useCallback, useEffect, useState } from 'react';
import type { KmsLike } from '../../state/envelope-walkthrough';
import { actingPrincipal, useKmsActing } from '../../state/kms-acting';
import type { KmsSession } from '../../state/kms-session';
import { useKmsSession } from '../kms-bar';

export interface KeyChoice {
  arn: string;
  /** The alias when it has one, else the key ID, with the account. */
  label: string;
}

export interface EnvelopeKms {
  session?: KmsSession;
  /** The session's calls with its trail, so the walkthrough keeps each call's CloudTrail record. */
  api?: KmsLike;
  /** Who the learner acts as: the Acting-as bar's choice (state/kms-acting.ts), by default the account's root. */
  actingAs?: string;
  keys: KeyChoice[];
  principals: string[];
  error?: string;
  /** Lists the keys again (after a what-if created one). */
  refresh(): void;
}

const rootsOf = (principals: string[]) => principals.filter((arn) => /^arn:aws:iam::\d{12}:root$/.test(arn));

async function listKeys(session: KmsSession, principals: string[]): Promise<KeyChoice[]> {
  const out: KeyChoice[] = [];
  for (const root of rootsOf(principals)) {
    const caller = { principalArn: root };
    const keys = ((await session.call('ListKeys', {}, caller)).Keys ?? []) as {
      KeyId: string;
      KeyArn: string;
    }[];
    const aliases = ((await session.call('ListAliases', {}, caller)).Aliases ?? []) as {
      AliasName: string;
      TargetKeyId?: string;
    }[];
    const account = accountOfPrincipal(root);
    for (const key of keys) {
      const alias = aliases.find((a) => a.TargetKeyId === key.KeyId)?.AliasName;
      out.push({ arn: key.KeyArn, label: `${alias ?? key.KeyId} (${account})` });
    }
  }
  return out;
}

/** The session (a new one after "reset to scenario"), its keys listed when it opens and on `refresh`. */
export function useEnvelopeKms(): EnvelopeKms {
  const { session } = useKmsSession();
  useKmsActing((s) => s.principalArn); // redraw on a new choice in the bar
  const [listed, setListed] = useState<Pick<EnvelopeKms, 'keys' | 'principals' | 'error'>>({
    keys: [],
    principals: [],
  });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!session) return;
    let live = true;
    const principals = session.kms.principals();
    listKeys(session, principals).then(
      (keys) => live && setListed({ keys, principals }),
      (error: unknown) =>
        live &&
        setListed({ keys: [], principals, error: `The KMS keys could not be listed: ${String(error)}` }),
    );
    return () => {
      live = false;
    };
  }, [session, round]);
  const refresh = useCallback(() => setRound((n) => n + 1), []);
  if (!session) return { ...listed, refresh };
  const api: KmsLike = {
    call: (operation, request, caller) => session.call(operation, request, caller),
    trail: session.kms.trail,
  };
  return { ...listed, session, api, actingAs: actingPrincipal(session), refresh };
}
