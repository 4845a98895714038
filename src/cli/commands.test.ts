import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationResult, Finding } from '../engine/types';
import { runCli, type CliEngine } from './commands';

/**
 * The CLI's own logic, with a stand-in engine so that exit codes, file handling and output formats are tested
 * independently of the evaluator (cli-engine.test.ts runs the real engine on the scenario files).
 * The stand-in allows a request whose id starts with "allow" and implicitly denies the others.
 */
const standInEngine: CliEngine = {
  evaluateScenario: (scenario) =>
    (scenario.requests ?? []).map((request): EvaluationResult => {
      const decision = request.id.startsWith('allow') ? 'Allow' : 'ImplicitDeny';
      return {
        id: request.id,
        decision,
        outcome: decision === 'Allow' ? 'Success' : 'AccessDeniedException',
        allowedBy: decision === 'Allow' ? 'key-policy' : null,
        deniedBy: null,
        steps: [],
        statements: [],
        deciding: [],
        context: {},
        explanation: `stand-in says ${decision}`,
        notes: [],
        ...(request.expect !== undefined
          ? { expect: request.expect, pass: request.expect === decision }
          : {}),
      };
    }),
  lintPolicy: (text): Finding[] =>
    ['ERROR', 'WARNING']
      .filter((type) => text.includes(type))
      .map((type) => ({
        type: type as Finding['type'],
        code: `STAND_IN_${type}`,
        message: `the text mentions ${type}`,
        learnMoreLink: '',
        path: [],
        range: { start: { line: 2, column: 3, offset: 4 }, end: { line: 2, column: 9, offset: 10 } },
      })),
};

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const USER = 'arn:aws:iam::111122223333:user/alice';
const scenario = (requests: { id: string; expect?: string }[], title = 'Test') =>
  JSON.stringify(
    {
      version: 2,
      title,
      keys: { [KEY]: {} },
      requests: requests.map((r) => ({ principal: USER, action: 'kms:Decrypt', keyId: KEY, ...r })),
    },
    null,
    2,
  );

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-cli-'));
  await mkdir(path.join(dir, 'suite/nested'), { recursive: true });
  await mkdir(path.join(dir, 'empty'));
  await mkdir(path.join(dir, 'root/lessons'), { recursive: true });
  await mkdir(path.join(dir, 'root-with-lesson/lessons'), { recursive: true });
  await writeFile(path.join(dir, 'root-with-lesson/lessons/01-intro.md'), '# Intro\n');
  const files: Record<string, string> = {
    'passing.json': scenario([
      { id: 'allow-1', expect: 'Allow' },
      { id: 'deny-1', expect: 'ImplicitDeny' },
      { id: 'allow-no-expect' },
    ]),
    'failing.json': scenario([{ id: 'deny-2', expect: 'Allow' }], 'Wrong expectation'),
    'invalid.json': '{\n  "version": 1,\n  "keys": { "' + KEY + '": { "state": "Paused" } }\n}\n',
    'syntax.json': '{ "version": 1, ',
    'suite/a.json': scenario([{ id: 'allow-a', expect: 'Allow' }]),
    'suite/nested/b.json': scenario([{ id: 'deny-b', expect: 'ImplicitDeny' }]),
    'suite/index.json': '[{"id": "not a scenario"}]',
    'policy-ok.json': '{"Statement": []}',
    'policy-warning.json': '{"Statement": [], "Sid": "WARNING"}',
    'policy-error.json': '{"Statement": [], "Sid": "ERROR"}',
  };
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd: dir,
    root: path.join(dir, 'root'),
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    engine: standInEngine,
  });
  return { code, stdout, stderr };
}

describe('lab --help and usage errors', () => {
  it('prints the usage with exit 0 for --help, and exit 2 without a command', async () => {
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/lab eval <scenario\.json \| folder>\.\.\./);
    expect(help.stdout).toMatch(
      /lab lint <policy\.json>\.\.\. --type key\|identity\|boundary\|session\|scp\|rcp\|endpoint/,
    );
    expect((await run('eval', '--help')).code).toBe(0);
    expect((await run()).code).toBe(2);
  });

  it('exits 2 on an unknown command or option', async () => {
    expect(await run('evaluate', 'x.json')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown command "evaluate"/),
    });
    expect(await run('eval', 'passing.json', '--colour')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown option --colour/),
    });
    expect(await run('eval', 'passing.json', '--format', 'xml')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/json or table/),
    });
    expect((await run('eval')).code).toBe(2);
  });
});

describe('lab eval', () => {
  it('exits 0 and prints one JSON result set when every expect passes', async () => {
    const { code, stdout, stderr } = await run('eval', 'passing.json');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const sets = JSON.parse(stdout);
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({
      file: 'passing.json',
      title: 'Test',
      summary: { requests: 3, withExpect: 2, passed: 2, failed: 0 },
    });
    expect(sets[0].results.map((r: EvaluationResult) => r.id)).toEqual([
      'allow-1',
      'deny-1',
      'allow-no-expect',
    ]);
  });

  it('exits 1 when a request misses its expect, and the table says which and why', async () => {
    const { code, stdout } = await run('eval', 'failing.json', '--format', 'table');
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^failing\.json {2}\(Wrong expectation\)\nrequest +principal +action +decision +outcome +expect +pass\n/,
    );
    expect(stdout).toMatch(
      /deny-2 +arn:aws:iam::111122223333:user\/alice +kms:Decrypt +ImplicitDeny +AccessDeniedException +Allow +FAIL/,
    );
    expect(stdout).toMatch(
      /FAIL deny-2: expected Allow, but the request answered ImplicitDeny \(AccessDeniedException\)\. stand-in says ImplicitDeny/,
    );
    expect(stdout).toMatch(/1 request, 1 with expect: 0 passed, 1 failed/);
  });

  it('exits 2 for an invalid scenario, with file:line:column and the JSON path on stderr', async () => {
    const { code, stderr } = await run('eval', 'invalid.json');
    expect(code).toBe(2);
    expect(stderr).toBe(
      `invalid.json:3:${14 + KEY.length + 14}  $.keys["${KEY}"].state: must be one of Enabled, Disabled, PendingDeletion, PendingImport\n`,
    );
    expect((await run('eval', 'syntax.json')).stderr).toMatch(
      /^syntax\.json:1:\d+ {2}\$: JSON syntax error: /,
    );
  });

  it('exits 2 for a missing file or an empty folder, and still reports the files it could evaluate', async () => {
    const { code, stdout, stderr } = await run(
      'eval',
      'passing.json',
      'missing.json',
      'empty',
      '--format=json',
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^missing\.json: no such file or folder\nempty: the folder holds no \.json files\n$/,
    );
    expect(JSON.parse(stdout).map((s: { file: string }) => s.file)).toEqual(['passing.json']);
  });

  it('takes several files and folders; a folder means its *.json files, recursively, without index.json', async () => {
    const { code, stdout } = await run('eval', 'suite', 'passing.json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).map((s: { file: string }) => s.file)).toEqual([
      path.join('suite', 'a.json'),
      path.join('suite', 'nested', 'b.json'),
      'passing.json',
    ]);
    expect((await run('eval', 'suite', 'failing.json')).code).toBe(1);
    // Invalid input wins over a failed expectation.
    expect((await run('eval', 'failing.json', 'invalid.json')).code).toBe(2);
  });
});

describe('lab lint', () => {
  it('exits 0 without ERROR findings (warnings are fine) and 1 with one', async () => {
    const clean = await run('lint', 'policy-ok.json', '--type', 'identity');
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual([{ file: 'policy-ok.json', type: 'identity', findings: [] }]);
    expect((await run('lint', 'policy-warning.json', '--type', 'key')).code).toBe(0);
    const failing = await run('lint', 'policy-error.json', '--type=key', '--format', 'table');
    expect(failing.code).toBe(1);
    expect(failing.stdout).toBe(
      'where                  type   code            message\n' +
        '---------------------  -----  --------------  -----------------------\n' +
        'policy-error.json:2:3  ERROR  STAND_IN_ERROR  the text mentions ERROR\n' +
        '1 finding\n',
    );
  });

  it('exits 2 for unreadable input and for a missing or unknown --type', async () => {
    expect(await run('lint', 'nope.json', '--type', 'key')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^nope\.json: cannot read the file: ENOENT/),
    });
    expect(await run('lint', 'policy-ok.json')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/lint needs --type/),
    });
    expect(await run('lint', 'policy-ok.json', '--type', 'bucket')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--type must be one of key, identity/),
    });
  });
});

describe('lab lessons check', () => {
  it('says "no lessons yet" and exits 0 when lessons/ holds none; reports file:line:column and exits 1 on problems', async () => {
    expect(await run('lessons', 'check')).toMatchObject({ code: 0, stdout: 'no lessons yet\n' });
    let stdout = '';
    let stderr = '';
    const code = await runCli(['lessons', 'check'], {
      cwd: dir,
      root: path.join(dir, 'root-with-lesson'),
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      engine: standInEngine,
    });
    expect(code).toBe(1);
    expect(stdout).toBe(
      'root-with-lesson/lessons/01-intro.md:1:1: a lesson starts with YAML front matter between --- lines\n',
    );
    expect(stderr).toMatch(/^lab lessons check: 1 problem in 0 lessons/);
    expect((await run('lessons')).code).toBe(2);
  });

  it("passes on the project's own lessons", async () => {
    let stdout = '';
    const code = await runCli(['lessons', 'check'], {
      cwd: process.cwd(),
      root: process.cwd(),
      stdout: (t) => (stdout += t),
      stderr: (t) => (stdout += t),
      engine: standInEngine,
    });
    expect(stdout).toMatch(/lab lessons check: ok: \d+ lessons/);
    expect(code).toBe(0);
  });
});
