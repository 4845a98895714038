/**
 * The tab's simulated KMS as the UI sees it: opened once (from IndexedDB, or from the Lab's scenario), with what
 * the Keys and Audit areas show about it. The KMS itself lives in `kms-session.ts`; this holds its status.
 *
 * `window.__kms` is its test hook (set-up and read only, as `window.__lab` is): call(operation, request,
 * principalArn), advance(by), whenSaved(), getState(), and http / credentials() for an SDK in the page.
 */
import { createStore, useStore } from 'zustand';
import type { KmsCredentials, KmsRequest, KmsResponse } from '../kms/api';
import { createKmsHttpHandler, type KmsHttpHandler } from '../kms/http/handler';
import type { AdvanceBy } from '../kms/kms';
import { indexedDbKmsStore } from './kms-idb';
import { openKmsSession, type KmsSession, type SavedKms, type SessionOrigin } from './kms-session';
import { labStore } from './lab-store';

export interface BrowserKmsState {
  status: 'opening' | 'ready' | 'failed';
  origin: SessionOrigin | null;
  /** When the state now in IndexedDB was saved, and what it holds. */
  saved: { at: string; keys: number; trailEvents: number } | null;
  /** Why the last save was refused, until one succeeds. */
  saveError: string | null;
  /** Why the KMS could not be opened at all. */
  error: string | null;
  /** Counts the sessions opened in this tab ("reset to scenario" opens another): views keyed on it start over. */
  generation: number;
}

export interface KmsTestHook {
  call(operation: string, request: KmsRequest, principalArn: string): Promise<KmsResponse>;
  advance(by: AdvanceBy): Promise<void>;
  whenSaved(): Promise<void>;
  getState(): BrowserKmsState;
  /** The KMS JSON 1.1 endpoint of the tab's KMS (SigV4-checked), for an SDK's requestHandler. */
  http: KmsHttpHandler;
  credentials(): KmsCredentials[];
}

declare global {
  interface Window {
    __kms?: KmsTestHook;
  }
}

const store = createStore<BrowserKmsState>(() => ({
  status: 'opening',
  origin: null,
  saved: null,
  saveError: null,
  error: null,
  generation: 0,
}));

let opening: Promise<KmsSession> | undefined;

function summary(saved: SavedKms): BrowserKmsState['saved'] {
  return {
    at: saved.savedAt,
    keys: Object.keys(saved.snapshot.state.keys).length,
    trailEvents: saved.snapshot.trail.length,
  };
}

const callbacks = {
  onStored: (saved: SavedKms) => store.setState({ saved: summary(saved), saveError: null }),
  onSaveError: (error: unknown) => store.setState({ saveError: String(error) }),
};

function opened(session: Promise<KmsSession>): Promise<KmsSession> {
  return session.then(
    (session) => {
      store.setState((s) => ({
        status: 'ready',
        origin: session.origin,
        error: null,
        generation: s.generation + 1,
      }));
      installKmsHook(session);
      return session;
    },
    (error: unknown) => {
      store.setState({ status: 'failed', error: String(error) });
      throw error;
    },
  );
}

/** The tab's KMS, opened on first use. */
export function browserKms(): Promise<KmsSession> {
  opening ??= opened(openKmsSession(indexedDbKmsStore(), labStore().getState().scenario, callbacks));
  return opening;
}

/**
 * "Reset to scenario" (issue 11): a new KMS from the scenario the current one was built from, replacing what this
 * browser saved (keys, trail, clock). A saved state that was set aside stays set aside.
 */
export async function resetBrowserKms(): Promise<KmsSession> {
  const current = await browserKms();
  await current.whenSaved().catch(() => undefined); // the last save must not land after the reset's
  store.setState({ status: 'opening' });
  opening = opened(openKmsSession(indexedDbKmsStore(), current.scenario, { ...callbacks, fresh: true }));
  return opening;
}

function installKmsHook(session: KmsSession): void {
  window.__kms = {
    call: (operation, request, principalArn) => session.call(operation, request, { principalArn }),
    advance: (by) => session.advance(by),
    whenSaved: () => session.whenSaved(),
    getState: () => store.getState(),
    http: createKmsHttpHandler(session),
    credentials: () => session.credentials(),
  };
}

export function useBrowserKms<T>(selector: (state: BrowserKmsState) => T): T {
  return useStore(store, selector);
}
