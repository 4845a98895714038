// Build sizes: every JS chunk (raw and gzip) and the initial JS against its 200 kB gzip budget.
// Builds first when dist/ has no manifest.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { formatReport, measureDist } from '../check-bundle-size.mjs';

if (!existsSync('dist/.vite/manifest.json')) {
  console.log('dist/ not built yet: running vite build');
  const { status } = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}

const report = measureDist('dist');
console.log(formatReport(report));
const lazyGzip = report.chunks.filter((c) => !c.initial).reduce((sum, c) => sum + c.gzip, 0);
console.log(
  `lazy JS: ${(lazyGzip / 1000).toFixed(1)} kB gzip in ${report.chunks.filter((c) => !c.initial).length} chunks`,
);
console.log(`ratio initial / budget: ${(report.initialGzip / report.budgetBytes).toFixed(3)}`);
