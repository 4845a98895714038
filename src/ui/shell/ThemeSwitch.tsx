import { THEME_PREFERENCES, useAppStore, type ThemePreference } from '../../state/app-store';

const LABELS: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** A three-way radio group (arrow keys move between options, as for any radio group). */
export function ThemeSwitch() {
  const theme = useAppStore((state) => state.theme);
  const setTheme = useAppStore((state) => state.setTheme);
  return (
    <fieldset className="theme-switch">
      <legend>Theme</legend>
      {THEME_PREFERENCES.map((option) => (
        <label key={option}>
          <input
            type="radio"
            name="theme"
            value={option}
            checked={theme === option}
            onChange={() => setTheme(option)}
          />
          <span>{LABELS[option]}</span>
        </label>
      ))}
    </fieldset>
  );
}
