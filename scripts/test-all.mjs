// `npm test`: every check, in order, stopping at the first failure with its exit code:
// type check, lint, format check, unit tests (Vitest), production build, single-file build (dist-single/, for file shares),
// bundle budget, e2e (Playwright, real Chromium, against `vite preview` of the build and the single file
// opened from file://). Chromium is looked for first, so a missing browser fails in seconds.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { findChromium, INSTALL_HELP } from './find-chromium.mjs';

import { readFileSync } from 'node:fs';

const DEFAULT_PREVIEW_PORT = 4173;
// Machine-readable reports of the two test runners, read back for the closing count line.
const UNIT_REPORT = 'test-results/unit-report.json';
const E2E_REPORT = 'test-results/e2e-report.json';

const STAGES = [
  { name: 'Type check', command: ['tsc', '--noEmit', '-p', '.'] },
  { name: 'Lint', command: ['eslint', '.'] },
  { name: 'Format', command: ['prettier', '--check', '.'] },
  // The lessons test themselves: every exercise proven on the engine (lab lessons check).
  { name: 'Lessons', command: ['tsx', 'src/cli/main.ts', 'lessons', 'check'] },
  {
    name: 'Unit tests',
    command: ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${UNIT_REPORT}`],
  },
  { name: 'Build', command: ['vite', 'build'] },
  { name: 'Single-file build', command: ['vite', 'build', '--mode', 'single'] },
  { name: 'Bundle budget', command: ['node', 'scripts/check-bundle-size.mjs'] },
  { name: 'End-to-end tests (Chromium)', command: ['playwright', 'test'] },
];

function header(text) {
  console.log(`\n\x1b[1m== ${text} ==\x1b[0m`);
}

function run([command, ...args], env) {
  // npm puts node_modules/.bin on the PATH for scripts; `node` is found the same way.
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
    child.on('error', (error) => {
      console.error(`could not start ${command}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => server.close(() => resolve(true)))
      .listen(port, '127.0.0.1');
  });
}

function anyFreePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
  });
}

const started = performance.now();

header('Chromium');
let chromium;
try {
  chromium = findChromium();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
if (!chromium) {
  console.error(INSTALL_HELP);
  process.exit(1);
}
console.log(chromium);

const env = { ...process.env };
if (!env.E2E_PORT && !(await portIsFree(DEFAULT_PREVIEW_PORT))) {
  env.E2E_PORT = String(await anyFreePort());
  console.log(`port ${DEFAULT_PREVIEW_PORT} is busy; the e2e preview server will use ${env.E2E_PORT}`);
}

const durations = [];
for (const stage of STAGES) {
  header(stage.name);
  const stageStart = performance.now();
  const code = await run(stage.command, env);
  const seconds = (performance.now() - stageStart) / 1000;
  durations.push(`${stage.name}: ${seconds.toFixed(1)} s`);
  console.log(
    `-- ${stage.name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds.toFixed(1)} s`,
  );
  if (code !== 0) process.exit(code);
}

header(`All checks passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(durations.join('\n'));
const unit = readJson(UNIT_REPORT);
const e2e = readJson(E2E_REPORT)?.stats;
const passed = (unit?.numPassedTests ?? 0) + (e2e?.expected ?? 0);
const failed = (unit?.numFailedTests ?? 0) + (e2e?.unexpected ?? 0) + (e2e?.flaky ?? 0);
console.log(`unit: ${unit?.numPassedTests ?? '?'} passed; e2e: ${e2e?.expected ?? '?'} passed`);
console.log(`tests: ${passed} passed, ${failed} failed`);

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
