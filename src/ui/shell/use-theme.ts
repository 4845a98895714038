import { useEffect, useSyncExternalStore } from 'react';
import { useAppStore, type ThemePreference } from '../../state/app-store';

export type EffectiveTheme = 'light' | 'dark';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribeToSystemTheme(onChange: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

const systemPrefersDark = (): boolean => window.matchMedia(DARK_QUERY).matches;

export function resolveTheme(preference: ThemePreference, systemDark: boolean): EffectiveTheme {
  if (preference === 'system') return systemDark ? 'dark' : 'light';
  return preference;
}

/**
 * Keeps `<html data-theme>` in step with the user's choice and, for "system", with the OS setting as it
 * changes. theme.css keys every colour off that attribute.
 */
export function useAppliedTheme(): EffectiveTheme {
  const preference = useAppStore((state) => state.theme);
  const systemDark = useSyncExternalStore(subscribeToSystemTheme, systemPrefersDark);
  const theme = resolveTheme(preference, systemDark);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return theme;
}
