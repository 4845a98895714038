/**
 * App-wide preferences (today: the colour theme), saved in localStorage under a versioned envelope
 * `{ "state": { "theme": … }, "version": 1 }`. Reading never throws: missing, corrupt or unknown data falls
 * back to the defaults, and older versions pass through `migrateAppPreferences`.
 */
import { createStore, useStore } from 'zustand';
import { persist, type PersistStorage, type StorageValue } from 'zustand/middleware';

export type ThemePreference = 'system' | 'light' | 'dark';

export const THEME_PREFERENCES: readonly ThemePreference[] = ['system', 'light', 'dark'];

/** The localStorage key. index.html reads the same key before first paint to avoid a flash of the wrong theme. */
export const APP_STORAGE_KEY = 'kms-policy-lab.app';

/** Bump when the persisted shape changes, and teach `migrateAppPreferences` the old shape. */
export const APP_STORAGE_VERSION = 1;

/** What is written to storage. */
export interface AppPreferences {
  theme: ThemePreference;
}

export interface AppState extends AppPreferences {
  setTheme: (theme: ThemePreference) => void;
}

export const DEFAULT_APP_PREFERENCES: AppPreferences = { theme: 'system' };

export function isThemePreference(value: unknown): value is ThemePreference {
  return typeof value === 'string' && (THEME_PREFERENCES as readonly string[]).includes(value);
}

/**
 * Turns whatever was stored (any version, possibly hand-edited or damaged) into valid preferences.
 * Version 0 is what zustand records for state saved without a version; its shape may have been a bare
 * theme string, so that is accepted too.
 */
export function migrateAppPreferences(persisted: unknown, fromVersion: number): AppPreferences {
  if (fromVersion === 0 && isThemePreference(persisted)) return { theme: persisted };
  if (typeof persisted === 'object' && persisted !== null && 'theme' in persisted) {
    const theme = (persisted as { theme: unknown }).theme;
    if (isThemePreference(theme)) return { theme };
  }
  return { ...DEFAULT_APP_PREFERENCES };
}

/** The subset of the Web Storage API the store needs; injectable so tests can use an in-memory fake. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * A JSON storage adapter that swallows every storage failure: unreadable JSON reads as "nothing saved",
 * and a full or forbidden storage (private mode, file:// in some browsers) just does not save.
 */
export function createSafeJsonStorage(
  getStorage: () => KeyValueStorage | undefined,
): PersistStorage<AppPreferences> {
  const storage = (): KeyValueStorage | undefined => {
    try {
      return getStorage();
    } catch {
      return undefined;
    }
  };
  return {
    getItem(name) {
      try {
        const raw = storage()?.getItem(name);
        if (raw == null) return null;
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== 'object' || parsed === null || !('state' in parsed)) return null;
        const { state, version } = parsed as { state: unknown; version?: unknown };
        return {
          state: state as AppPreferences,
          version: typeof version === 'number' ? version : 0,
        } satisfies StorageValue<AppPreferences>;
      } catch {
        return null;
      }
    },
    setItem(name, value) {
      try {
        storage()?.setItem(name, JSON.stringify(value));
      } catch {
        // Not saving a preference is better than breaking the page.
      }
    },
    removeItem(name) {
      try {
        storage()?.removeItem(name);
      } catch {
        // Same as above.
      }
    },
  };
}

function browserStorage(): KeyValueStorage | undefined {
  return typeof localStorage === 'undefined' ? undefined : localStorage;
}

export function createAppStore(getStorage: () => KeyValueStorage | undefined = browserStorage) {
  return createStore<AppState>()(
    persist(
      (set) => ({
        ...DEFAULT_APP_PREFERENCES,
        setTheme: (theme) => set({ theme: isThemePreference(theme) ? theme : DEFAULT_APP_PREFERENCES.theme }),
      }),
      {
        name: APP_STORAGE_KEY,
        version: APP_STORAGE_VERSION,
        storage: createSafeJsonStorage(getStorage),
        partialize: (state): AppPreferences => ({ theme: state.theme }),
        migrate: (persisted, version) => migrateAppPreferences(persisted, version),
        // Same-version data is validated too: a hand-edited value must not reach the UI.
        merge: (persisted, current) => ({
          ...current,
          ...migrateAppPreferences(persisted, APP_STORAGE_VERSION),
        }),
      },
    ),
  );
}

export const appStore = createAppStore();

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
