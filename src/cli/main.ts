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
  stdout: closableWriter(process.stdout),
  stderr: closableWriter(process.stderr),
  engine,
});

/**
 * Writes to a stream that the reader may close early (`lab eval … | head`): EPIPE then means "nobody reads any
 * more", not a failure. The rest of the output is dropped and the process exits with the results' code, quietly;
 * any other write error still surfaces.
 */
function closableWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}
