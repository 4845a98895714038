// ESLint flat config. Besides the usual correctness rules it enforces the import boundaries of
// lab-design §1: the pure folders stay free of React, zustand, Monaco, React Flow, the DOM and UI code;
// only src/state imports zustand; only src/ui/editor touches Monaco.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const PURE_FOLDERS = ['engine', 'kms', 'envelope', 'lessons', 'scenario', 'replay'].map(
  (folder) => `src/${folder}/**`,
);

const ZUSTAND = { regex: '^zustand(/|$)', message: 'Only src/state/ imports zustand (lab-design §1).' };
const MONACO = {
  regex: '^(monaco-editor|@monaco-editor/react)(/|$)',
  message: 'Monaco is wrapped by src/ui/editor/ only (lab-design §1).',
};
const PURE_ONLY = [
  {
    regex: '^(react|react-dom|@xyflow/[^/]+)(/|$)',
    message: 'Pure folders run in Node and Web Workers: no React or UI libraries (lab-design §1).',
  },
  {
    regex: '^(\\.\\./)+(ui|state)(/|$)|(^|/)src/(ui|state)(/|$)',
    message: 'Pure folders may not import UI or state code; pass plain data instead (lab-design §1).',
  },
];

const restrictImports = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

// The Node globals our scripts use (.mjs files are not type-checked, so no-undef stays on for them).
const NODE_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'URL',
    'Buffer',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'performance',
    'fetch',
    'TextEncoder',
    'TextDecoder',
    'structuredClone',
    'AbortController',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'bench-results/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: NODE_GLOBALS },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests poke at loosely typed data (JSON schemas, parsed output); `any` is fine there.
    files: ['**/*.test.{ts,tsx}', 'e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  // Import boundaries. For a file matched by several blocks the last one wins, so each block lists all the
  // patterns that apply to its folders.
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['src/state/**', 'src/ui/editor/**'],
    rules: restrictImports(ZUSTAND, MONACO),
  },
  { files: ['src/ui/editor/**'], rules: restrictImports(ZUSTAND) },
  { files: ['src/state/**'], rules: restrictImports(MONACO) },
  {
    files: PURE_FOLDERS,
    rules: {
      ...restrictImports(ZUSTAND, MONACO, ...PURE_ONLY),
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'localStorage', 'sessionStorage'].map((name) => ({
          name,
          message: 'Pure folders run in Node and Web Workers: no DOM beyond WebCrypto and TextEncoder.',
        })),
      ],
    },
  },
);
