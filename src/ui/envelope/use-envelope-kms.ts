/**
 * The tab's KMS as the Envelope area uses it: the session, the keys it can choose from (ListKeys and ListAliases
 * as each account's root, so the calls are in the trail like any other) and the principals the scenario knows.
 */
import { useCallback, useEffect, useState } from 'react';
import type { KmsLike } from '../../state/envelope-walkthrough';
import { actingPrincipal } from '../../state/kms-acting';
import type { KmsSession } from '../../state/kms-session';
import { browserKms } from '../../state/kms-store';

export interface KeyChoice {
  arn: string;
  /** The alias when it has one, else the key ID, with the account. */
  label: string;
}

export interface EnvelopeKms {
  session?: KmsSession;
  /** The session's calls with its trail, so the walkthrough keeps each call's CloudTrail record. */
  api?: KmsLike;
  /** Who to act as first: the shared acting-as choice (state/kms-acting.ts), else the account's root. */
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
    const account = root.split(':')[4];
    for (const key of keys) {
      const alias = aliases.find((a) => a.TargetKeyId === key.KeyId)?.AliasName;
      out.push({ arn: key.KeyArn, label: `${alias ?? key.KeyId} (${account})` });
    }
  }
  return out;
}

export function useEnvelopeKms(): EnvelopeKms {
  const [state, setState] = useState<Omit<EnvelopeKms, 'refresh'>>({ keys: [], principals: [] });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    browserKms()
      .then(async (session) => {
        const principals = session.kms.principals();
        const keys = await listKeys(session, principals);
        const api: KmsLike = {
          call: (operation, request, caller) => session.call(operation, request, caller),
          trail: session.kms.trail,
        };
        if (live) setState({ session, api, keys, principals, actingAs: actingPrincipal(session) });
      })
      .catch((error: unknown) => {
        if (live)
          setState({ keys: [], principals: [], error: `The tab's KMS did not open: ${String(error)}` });
      });
    return () => {
      live = false;
    };
  }, [round]);
  const refresh = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, refresh };
}
