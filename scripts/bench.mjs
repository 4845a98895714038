// `npm run bench`: runs every file in scripts/bench/ in name order; each prints its own figures.
// `.ts` files run through tsx (`node --import tsx`), `.mjs`/`.js` with plain node. Stops at the first failure.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const BENCH_DIR = join('scripts', 'bench');

const benches = readdirSync(BENCH_DIR)
  .filter((name) => /\.(ts|mjs|js)$/.test(name) && !name.endsWith('.d.ts') && !name.includes('.test.'))
  .sort();

for (const name of benches) {
  const path = join(BENCH_DIR, name);
  console.log(`\n\x1b[1m== ${name} ==\x1b[0m`);
  const args = name.endsWith('.ts') ? ['--import', 'tsx', path] : [path];
  const started = performance.now();
  const { status, signal } = spawnSync(process.execPath, args, { stdio: 'inherit' });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (status !== 0) {
    console.error(`${name} failed (${signal ?? `exit ${status}`}) after ${seconds} s`);
    process.exit(status ?? 1);
  }
  console.log(`-- ${name}: ${seconds} s`);
}
