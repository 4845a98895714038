/**
 * The one module that loads Monaco (lab-design §1, §6). It imports the bare editor API, the editor contributions
 * and the JSON language only: the package root would pull in every language and the TypeScript worker.
 * Reach it through a dynamic import (PolicyEditor is React.lazy) so Monaco never lands in the initial bundle.
 *
 * Everything comes from node_modules: the workers are Vite `?worker` chunks and `@monaco-editor/react`'s loader
 * is pointed at this instance, so nothing is fetched from a CDN and the lab works offline.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import { loader } from '@monaco-editor/react';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';

// Monaco's JSON language loads its worker manager lazily, and that module imports every editor contribution
// (internal/common/workers.js). Loaded after the first editor exists, those contributions ask for services
// (ICodeLensCache, treeViewsDndService) that the already-initialized service collection does not know, and
// every later editor throws `[createInstance] … depends on UNKNOWN service`. Loading the same module up front
// registers them all before the first editor is made; a hand-picked feature subset cannot avoid it.
import 'monaco-editor/internal/common/workers';

export { monaco, jsonDefaults };
export type Monaco = typeof monaco;

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    const worker = label === 'json' ? new JsonWorker() : new EditorWorker();
    // A worker that fails (a blocked blob: URL, a broken script) is Monaco's to replace: it carries on in the page.
    // Handled here, so Chromium does not also report it on the page as an uncaught error.
    worker.addEventListener('error', (event) => event.preventDefault());
    return worker;
  },
};

loader.config({ monaco });

// When a worker fails, Monaco hands the worker's error event to its unexpected-error handler, which throws it again
// from a timer. The editor carries on without the worker, so say so once instead of an uncaught error per failure.
let reportedWorkerFailure = false;
window.addEventListener('error', (event) => {
  if (!(event.error instanceof ErrorEvent)) return;
  event.preventDefault();
  if (!reportedWorkerFailure) console.warn('A Monaco worker failed; the editor carries on in the page.');
  reportedWorkerFailure = true;
});

/** Names of the editor themes; the lab follows `data-theme` on <html> (src/ui/styles/theme.css). */
export const LIGHT_THEME = 'kms-lab-light';
export const DARK_THEME = 'kms-lab-dark';

/** Fallbacks equal to theme.css, used when a variable cannot be read (tests, a missing stylesheet). */
const FALLBACK = {
  light: {
    bg: '#ffffff',
    fg: '#1a1d23',
    muted: '#4d5562',
    border: '#7b8392',
    accent: '#1d5bb8',
    focus: '#0b57d0',
    deny: '#b0261c',
    warn: '#845000',
    sunken: '#eaedf1',
  },
  dark: {
    bg: '#1e2229',
    fg: '#e6e8ec',
    muted: '#a8b0bc',
    border: '#6d7684',
    accent: '#8cb8ff',
    focus: '#9cc2ff',
    deny: '#ff938a',
    warn: '#ffcb66',
    sunken: '#0e1014',
  },
};

/** Reads a CSS colour variable as `#rrggbb` (Monaco themes accept hex only), whatever syntax the CSS used. */
function cssVariableAsHex(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  if (/^#[0-9a-f]{6}$/i.test(value)) return value;
  if (/^#[0-9a-f]{3}$/i.test(value)) return '#' + [...value.slice(1)].map((c) => c + c).join('');
  if (!value) return fallback;
  // Any other syntax (rgb(), hsl(), oklch()): let the browser paint one pixel and read it back.
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return fallback;
  context.fillStyle = fallback;
  context.fillStyle = value;
  context.fillRect(0, 0, 1, 1);
  const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
  return '#' + [r, g, b].map((n) => n.toString(16).padStart(2, '0')).join('');
}

/** `#rrggbb` plus a two-digit alpha, for Monaco colour keys that want a translucent tint. */
function withAlpha(hex: string, alpha: number): string {
  return (
    hex +
    Math.round(alpha * 255)
      .toString(16)
      .padStart(2, '0')
  );
}

function isDark(): boolean {
  return document.documentElement.dataset.theme === 'dark';
}

/**
 * (Re)defines the lab's editor theme for the current app theme from the CSS variables, so the editor's
 * surface, text, selection and squiggles match the panel around it, and applies it. Monaco themes are global.
 */
export function applyEditorTheme(): void {
  const dark = isDark();
  const style = getComputedStyle(document.documentElement);
  const fallback = dark ? FALLBACK.dark : FALLBACK.light;
  const color = (name: string, fb: string) => cssVariableAsHex(style, name, fb);
  const bg = color('--bg-elevated', fallback.bg);
  const fg = color('--fg', fallback.fg);
  const muted = color('--fg-muted', fallback.muted);
  const border = color('--border', fallback.border);
  const accent = color('--accent', fallback.accent);
  const focus = color('--focus', fallback.focus);
  const deny = color('--deny', fallback.deny);
  const warn = color('--warn', fallback.warn);
  const sunken = color('--bg-sunken', fallback.sunken);
  const name = dark ? DARK_THEME : LIGHT_THEME;
  monaco.editor.defineTheme(name, {
    base: dark ? 'vs-dark' : 'vs',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': bg,
      'editor.foreground': fg,
      'editorLineNumber.foreground': muted,
      'editorLineNumber.activeForeground': fg,
      'editorCursor.foreground': accent,
      'editor.lineHighlightBackground': withAlpha(sunken, 0.6),
      'editor.selectionBackground': withAlpha(accent, dark ? 0.35 : 0.25),
      'editorGutter.background': bg,
      'editorWidget.background': bg,
      'editorWidget.border': border,
      'editorHoverWidget.background': bg,
      'editorHoverWidget.border': border,
      'editorSuggestWidget.background': bg,
      'editorSuggestWidget.border': border,
      'editorSuggestWidget.selectedBackground': withAlpha(accent, dark ? 0.3 : 0.18),
      // The base light theme writes the focused row white, unreadable on the light tint above.
      'editorSuggestWidget.selectedForeground': fg,
      'editorSuggestWidget.selectedIconForeground': fg,
      'editorSuggestWidget.highlightForeground': accent,
      'editorSuggestWidget.focusHighlightForeground': accent,
      focusBorder: focus,
      'editorError.foreground': deny,
      'editorWarning.foreground': warn,
      'editorOverviewRuler.errorForeground': deny,
      'editorOverviewRuler.warningForeground': warn,
    },
  });
  monaco.editor.setTheme(name);
}

let themeWatchers = 0;
let themeObserver: MutationObserver | null = null;

/**
 * Keeps the editor theme in step with `data-theme` on <html> while at least one editor is mounted.
 * Returns the function that stops watching (ref-counted, so StrictMode's double mount is harmless).
 */
export function watchAppTheme(): () => void {
  themeWatchers += 1;
  if (themeWatchers === 1) {
    applyEditorTheme();
    themeObserver = new MutationObserver(() => applyEditorTheme());
    themeObserver.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    });
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    themeWatchers -= 1;
    if (themeWatchers === 0) {
      themeObserver?.disconnect();
      themeObserver = null;
    }
  };
}

/** The current theme name, for `monaco.editor.create`. */
export function currentThemeName(): string {
  return isDark() ? DARK_THEME : LIGHT_THEME;
}
