/**
 * Who the learner acts as, and the lab clock, for every area that calls the tab's KMS (Keys, Audit, Envelope):
 * the chosen principal (kept across reloads in localStorage), a revision that moves after every call and every
 * move of the clock (views that read the KMS's state redraw on it), and the last announcement of the clock.
 * Calls go through `actAs`, which calls the KMS API as the chosen principal and hands back AWS's answer or
 * AWS's error with its CloudTrail record; nothing here decides anything.
 */
import { createStore, useStore } from 'zustand';
import type { KmsCaller, KmsRequest, KmsResponse } from '../kms/api';
import { clockReport } from '../kms/clock-report';
import { isKmsError } from '../kms/errors';
import type { AdvanceBy } from '../kms/kms';
import type { TrailRecord } from '../kms/trail';
import { browserKms } from './kms-store';
import type { KmsSession } from './kms-session';

const ACTING_KEY = 'kms-policy-lab.acting-as';

export interface KmsActingState {
  /** The principal ARN calls are made as; null until the KMS has opened and one was picked. */
  principalArn: string | null;
  /** Moves after every call and clock move. */
  revision: number;
  /** What the last move of the clock brought (the aria-live region reads it). */
  announcement: string;
  /** A move of the clock is running. */
  advancing: boolean;
}

function readSaved(): string | null {
  try {
    return globalThis.localStorage?.getItem(ACTING_KEY) ?? null;
  } catch {
    return null; // storage disabled: the choice lasts until the tab closes
  }
}

const store = createStore<KmsActingState>(() => ({
  principalArn: readSaved(),
  revision: 0,
  announcement: '',
  advancing: false,
}));

export const actingStore = () => store;

export function useKmsActing<T>(selector: (state: KmsActingState) => T): T {
  return useStore(store, selector);
}

export function setActingAs(principalArn: string): void {
  store.setState({ principalArn });
  try {
    globalThis.localStorage?.setItem(ACTING_KEY, principalArn);
  } catch {
    // kept in memory only
  }
}

/** The principal to act as in `session`: the saved choice when the KMS knows it, else the account's root. */
export function actingPrincipal(session: KmsSession): string {
  const principals = session.kms.principals();
  const chosen = store.getState().principalArn;
  if (chosen && principals.includes(chosen)) return chosen;
  const root = `arn:aws:iam::${session.accountId}:root`;
  return principals.includes(root) ? root : (principals[0] ?? root);
}

/** Views that read the KMS's state directly call this after changing it some other way (a service call). */
export function kmsChanged(): void {
  store.setState((s) => ({ revision: s.revision + 1 }));
}

export interface KmsFailure {
  /** AWS's exception name, e.g. AccessDeniedException. */
  name: string;
  message: string;
  operation: string;
  request: KmsRequest;
  caller: KmsCaller;
  /** The CloudTrail record the KMS wrote for the failed call (the trail records failures). */
  record?: TrailRecord;
}

export type KmsOutcome =
  | { ok: true; operation: string; request: KmsRequest; response: KmsResponse; caller: KmsCaller }
  | ({ ok: false } & KmsFailure);

/** The record the KMS just wrote for a failed call of `operation` by `principalArn` (the newest such). */
function failureRecord(session: KmsSession, operation: string, principalArn: string, from: number) {
  const records = session.kms.trail.records;
  for (let i = records.length - 1; i >= from; i--) {
    const r = records[i];
    if (r.eventName === operation && r.errorCode && r.userIdentity.arn === principalArn) return r;
  }
  return undefined;
}

/** Calls `operation` as the acting principal (with `extra` caller facts, e.g. a VPC endpoint). Never throws. */
export async function actAs(
  operation: string,
  request: KmsRequest,
  extra: Partial<KmsCaller> = {},
): Promise<KmsOutcome> {
  const session = await browserKms();
  const caller: KmsCaller = { principalArn: actingPrincipal(session), ...extra };
  const before = session.kms.trail.records.length;
  try {
    const response = await session.call(operation, request, caller);
    return { ok: true, operation, request, response, caller };
  } catch (error) {
    const name = isKmsError(error) ? error.type : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    const record = failureRecord(session, operation, caller.principalArn, before);
    return { ok: false, name, message, operation, request, caller, record };
  } finally {
    kmsChanged();
  }
}

export type ClockMove = AdvanceBy | { to: Date };

/** Moves the lab clock and announces what happened on the way (from the trail's service events and the grants). */
export async function advanceClock(move: ClockMove): Promise<string> {
  const session = await browserKms();
  const from = session.kms.clock.now().getTime();
  const trailFrom = session.kms.trail.records.length;
  store.setState({ advancing: true });
  let announcement: string;
  try {
    if ('to' in move) await session.advanceTo(move.to);
    else await session.advance(move);
    const to = session.kms.clock.now().getTime();
    announcement = clockReport({
      from,
      to,
      events: session.kms.trail.records.slice(trailFrom),
      state: session.kms.view(),
    });
  } catch (error) {
    announcement = `The clock did not move: ${error instanceof Error ? error.message : String(error)}`;
  }
  store.setState((s) => ({ announcement, advancing: false, revision: s.revision + 1 }));
  return announcement;
}
