/**
 * The `lab` command (lab-design §4): wires argv, stdout/stderr and the exit code to `runCli`, with the real engine.
 * Run through `npm run -s lab -- …` or `bin/lab.mjs`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateScenario, lintPolicy } from '../engine/index';
import { runCli, type CliEngine } from './commands';

const engine: CliEngine = {
  evaluateScenario: (scenario, sources) => evaluateScenario(scenario, { sources }),
  lintPolicy,
};

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  root: projectRoot,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  engine,
});
