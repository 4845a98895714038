import { describe, expect, it } from 'vitest';
import { bundleReport, formatReport, initialJsFiles, type Manifest } from './check-bundle-size.mjs';

// Shaped like Vite's dist/.vite/manifest.json: the entry imports a shared vendor chunk statically and the
// areas dynamically; one area shares a chunk with the entry and has its own static import.
const manifest: Manifest = {
  'index.html': {
    file: 'assets/index-a1.js',
    isEntry: true,
    imports: ['_vendor-b2.js'],
    dynamicImports: ['src/ui/lab/LabArea.tsx', 'src/ui/keys/KeysArea.tsx'],
    css: ['assets/index-c3.css'],
  },
  '_vendor-b2.js': { file: 'assets/vendor-b2.js', imports: ['_tiny-d4.js'] },
  '_tiny-d4.js': { file: 'assets/tiny-d4.js' },
  'src/ui/lab/LabArea.tsx': {
    file: 'assets/LabArea-e5.js',
    isDynamicEntry: true,
    imports: ['_vendor-b2.js', '_monaco-f6.js'],
  },
  '_monaco-f6.js': { file: 'assets/monaco-f6.js' },
  'src/ui/keys/KeysArea.tsx': { file: 'assets/KeysArea-g7.js', isDynamicEntry: true },
};

const sizes = {
  'assets/index-a1.js': { raw: 30_000, gzip: 10_000 },
  'assets/vendor-b2.js': { raw: 180_000, gzip: 60_000 },
  'assets/tiny-d4.js': { raw: 1_000, gzip: 500 },
  'assets/LabArea-e5.js': { raw: 50_000, gzip: 15_000 },
  'assets/monaco-f6.js': { raw: 3_000_000, gzip: 900_000 },
  'assets/KeysArea-g7.js': { raw: 2_000, gzip: 800 },
  'assets/editor.worker-h8.js': { raw: 400_000, gzip: 120_000 },
};

describe('initialJsFiles', () => {
  it('follows static imports transitively and never dynamic ones', () => {
    expect(initialJsFiles(manifest)).toEqual([
      'assets/tiny-d4.js',
      'assets/vendor-b2.js',
      'assets/index-a1.js',
    ]);
  });

  it('rejects a manifest without an entry', () => {
    expect(() => initialJsFiles({ a: { file: 'a.js' } })).toThrow(/no entry/);
  });

  it('rejects a dangling import', () => {
    expect(() => initialJsFiles({ e: { file: 'e.js', isEntry: true, imports: ['_gone.js'] } })).toThrow(
      /_gone/,
    );
  });
});

describe('bundleReport', () => {
  it('sums only the initial chunks and passes within the budget', () => {
    const report = bundleReport(manifest, sizes, 200_000);
    expect(report.initialGzip).toBe(70_500);
    expect(report.initialRaw).toBe(211_000);
    expect(report.withinBudget).toBe(true);
    expect(report.chunks.filter((c) => c.initial).map((c) => c.file)).toEqual([
      'assets/vendor-b2.js',
      'assets/index-a1.js',
      'assets/tiny-d4.js',
    ]);
    expect(report.chunks).toHaveLength(7);
  });

  it('fails when the initial JS is over the budget', () => {
    const report = bundleReport(manifest, sizes, 70_000);
    expect(report.withinBudget).toBe(false);
  });

  it('fails when a heavy chunk becomes a static import of the entry', () => {
    const eager: Manifest = {
      ...manifest,
      'index.html': { ...manifest['index.html'], imports: ['_vendor-b2.js', '_monaco-f6.js'] },
    };
    const report = bundleReport(eager, sizes);
    expect(report.initialGzip).toBe(970_500);
    expect(report.withinBudget).toBe(false);
  });

  it('prints every chunk and the ratio to the budget', () => {
    const text = formatReport(bundleReport(manifest, sizes, 200_000));
    expect(text).toContain('assets/monaco-f6.js');
    expect(text).toMatch(
      /initial JS: 70\.5 kB gzip \(211\.0 kB raw\); budget 200\.0 kB gzip; 35\.3% of budget/,
    );
  });
});
