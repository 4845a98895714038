import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateScenario, lintPolicy } from '../engine/index';
import { runCli, type CliEngine } from './commands';

/** The CLI with the real engine: in-process on the scenario files, and through bin/lab.mjs for the wiring. */
const ROOT = path.resolve(__dirname, '../..');
const engine: CliEngine = {
  evaluateScenario: (scenario, sources) => evaluateScenario(scenario, { sources }),
  lintPolicy,
};

async function runInProcess(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd: ROOT,
    root: ROOT,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    engine,
  });
  return { code, stdout, stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-bin-'));
  const wrong = JSON.parse(
    await import('node:fs/promises').then((fs) =>
      fs.readFile(path.join(ROOT, 'scenarios/templates/cross-account.json'), 'utf8'),
    ),
  );
  wrong.requests[0].expect = 'ImplicitDeny';
  await writeFile(path.join(dir, 'wrong-expect.json'), JSON.stringify(wrong, null, 2));
  await writeFile(path.join(dir, 'invalid.json'), '{"version": 1, "requests": [{"id": "x"}]}');
  await writeFile(
    path.join(dir, 'key-policy.json'),
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }],
    }),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('lab eval with the real engine', () => {
  it('passes every scenario in scenarios/ (the classic examples and the templates)', async () => {
    const { code, stdout, stderr } = await runInProcess('eval', 'scenarios');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const sets = JSON.parse(stdout) as { file: string; summary: { failed: number; withExpect: number } }[];
    expect(sets.map((s) => s.file)).toContain(
      path.join('scenarios', 'templates', 'separation-of-duties.json'),
    );
    expect(sets.map((s) => s.file)).toContain(path.join('scenarios', 'templates', 'cross-account.json'));
    expect(sets.every((s) => s.summary.failed === 0 && s.summary.withExpect > 0)).toBe(true);
  });

  it('lints a key policy without a Principal as an ERROR', async () => {
    const { code, stdout } = await runInProcess('lint', path.join(dir, 'key-policy.json'), '--type', 'key');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)[0].findings.some((f: { type: string }) => f.type === 'ERROR')).toBe(true);
  });
});

describe('bin/lab.mjs', () => {
  const exec = promisify(execFile);
  const lab = (...args: string[]) =>
    exec(process.execPath, [path.join(ROOT, 'bin/lab.mjs'), ...args], { cwd: dir }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );

  it('exits 0, 1 and 2 as documented, from any working directory', async () => {
    const [passing, failing, invalid] = await Promise.all([
      lab('eval', path.join(ROOT, 'scenarios/templates/separation-of-duties.json'), '--format', 'table'),
      lab('eval', 'wrong-expect.json'),
      lab('eval', 'invalid.json'),
    ]);
    expect(passing.code).toBe(0);
    expect(passing.stdout).toMatch(/14 requests, 14 with expect: 14 passed, 0 failed/);
    expect(failing.code).toBe(1);
    expect(invalid).toMatchObject({
      code: 2,
      stderr:
        'invalid.json:1:29  $.requests[0]: is missing the required property "principal"\ninvalid.json:1:29  $.requests[0]: is missing the required property "action"\n',
    });
  }, 30_000);
});
