// Bundle budget (issue 2): the JavaScript a browser loads before any lazy chunk (the entry and everything it
// imports statically) must stay at or under 200 kB gzip. Reads dist/.vite/manifest.json (build.manifest in
// vite.config.ts), prints every JS chunk with raw and gzip sizes, and exits 1 when the budget is exceeded.
// Sizes are in kB of 1000 bytes, as Vite prints them.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const INITIAL_JS_BUDGET_BYTES = 200_000;

/**
 * The JS files loaded before any lazy chunk: each entry's own file and, transitively, the files of the
 * manifest entries it imports statically (`imports`). Dynamic imports (`dynamicImports`) are not followed.
 * Returns files in load order without duplicates.
 */
export function initialJsFiles(manifest) {
  const files = [];
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`manifest refers to a missing entry: ${key}`);
    for (const imported of chunk.imports ?? []) visit(imported);
    if (chunk.file.endsWith('.js') && !files.includes(chunk.file)) files.push(chunk.file);
  };
  const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
  if (entries.length === 0) throw new Error('manifest has no entry chunk');
  entries.forEach(visit);
  return files;
}

/**
 * Builds the report: every JS file with its sizes and whether it is initial, the initial totals, and the
 * verdict against the budget. `sizes` maps each JS file (dist-relative) to { raw, gzip } in bytes.
 */
export function bundleReport(manifest, sizes, budgetBytes = INITIAL_JS_BUDGET_BYTES) {
  const initial = new Set(initialJsFiles(manifest));
  for (const file of initial) {
    if (!sizes[file]) throw new Error(`no size for initial chunk ${file}`);
  }
  const chunks = Object.entries(sizes)
    .map(([file, size]) => ({ file, raw: size.raw, gzip: size.gzip, initial: initial.has(file) }))
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzip - a.gzip || a.file.localeCompare(b.file));
  const initialChunks = chunks.filter((chunk) => chunk.initial);
  const initialRaw = initialChunks.reduce((sum, chunk) => sum + chunk.raw, 0);
  const initialGzip = initialChunks.reduce((sum, chunk) => sum + chunk.gzip, 0);
  return { chunks, initialRaw, initialGzip, budgetBytes, withinBudget: initialGzip <= budgetBytes };
}

export const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

export function formatReport(report) {
  const width = Math.max(5, ...report.chunks.map((chunk) => chunk.file.length));
  const line = (file, raw, gzip, note) =>
    `${file.padEnd(width)}  ${raw.padStart(10)}  ${gzip.padStart(10)}  ${note}`;
  const rows = [
    line('chunk', 'raw', 'gzip', ''),
    ...report.chunks.map((c) => line(c.file, kB(c.raw), kB(c.gzip), c.initial ? 'initial' : 'lazy')),
    '',
    `initial JS: ${kB(report.initialGzip)} gzip (${kB(report.initialRaw)} raw); budget ${kB(report.budgetBytes)} ` +
      `gzip; ${((report.initialGzip / report.budgetBytes) * 100).toFixed(1)}% of budget`,
  ];
  return rows.join('\n');
}

function listJsFiles(dir, root = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '.vite' ? [] : listJsFiles(path, root);
    return entry.name.endsWith('.js') ? [relative(root, path).split('\\').join('/')] : [];
  });
}

/** Reads dist/ and returns the report (used by this script and by scripts/bench/10-build-size.mjs). */
export function measureDist(distDir = 'dist', budgetBytes = INITIAL_JS_BUDGET_BYTES) {
  const manifestPath = join(distDir, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} not found: run \`npm run build\` first.`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const sizes = {};
  for (const file of listJsFiles(distDir)) {
    const bytes = readFileSync(join(distDir, file));
    sizes[file] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }
  return bundleReport(manifest, sizes, budgetBytes);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const report = measureDist(process.argv[2] ?? 'dist');
    console.log(formatReport(report));
    if (!report.withinBudget) {
      console.error(
        `\nOver budget by ${kB(report.initialGzip - report.budgetBytes)}: make the new heavy import lazy ` +
          '(React.lazy or import()) or lighter.',
      );
      process.exit(1);
    }
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
