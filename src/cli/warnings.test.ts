/**
 * `lab eval` says what it reads past (issue 8): warnings on stderr, located as
 * `file:line:column  $.path: warning: …`, that leave the exit code alone; and a request that meets a policy
 * AWS would refuse fails (MalformedPolicyDocumentException, IAM grammar / PutKeyPolicy API), with the policy's
 * problem printed as a located error.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateScenario, lintPolicy } from '../engine/index';
import { runCli, type CliEngine } from './commands';

const ROOT = path.resolve(__dirname, '../..');
const engine: CliEngine = {
  evaluateScenario: (scenario, sources) => evaluateScenario(scenario, { sources }),
  lintPolicy,
};
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::111122223333:role/App';

const statement = (extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: { AWS: ROLE },
  Action: 'kms:*',
  Resource: '*',
  ...extra,
});
const file = (policyStatements: unknown[], top: Record<string, unknown> = {}, requestExtra = {}) =>
  JSON.stringify(
    {
      version: 1,
      ...top,
      keys: { [KEY]: { policy: { Version: '2012-10-17', Statement: policyStatements } } },
      requests: [
        {
          id: 'decrypt',
          principal: ROLE,
          action: 'kms:Decrypt',
          keyId: KEY,
          expect: 'Allow',
          ...requestExtra,
        },
      ],
    },
    null,
    2,
  );

/** The 1-based `line:column` of the first `needle` in `text`. */
function at(text: string, needle: string): string {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

let dir: string;
const texts: Record<string, string> = {
  'typo.json': file([statement()], { titel: 'Payroll' }),
  'unread.json': file([statement()], {}, { parameters: { grant: { granteePrincipal: ROLE } } }),
  'key-typo.json': file(
    [statement({ Condition: { StringEquals: { 'aws:PrincipleArn': ROLE } } })],
    {},
    { expect: 'ImplicitDeny' },
  ),
  'malformed.json': file([statement({ Condition: 'StringEquals' })]),
  'malformed-expected.json': file(
    [statement({ Condition: null })],
    {},
    { expect: 'MalformedPolicyDocumentException' },
  ),
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-warnings-'));
  for (const [name, text] of Object.entries(texts)) await writeFile(path.join(dir, name), text);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(name: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['eval', name], {
    cwd: dir,
    root: ROOT,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    engine,
  });
  return { code, stdout, stderr };
}

describe('lab eval warnings', () => {
  it('warns of an unknown field with "did you mean", and still evaluates and exits 0', async () => {
    const { code, stdout, stderr } = await run('typo.json');
    expect(stderr).toBe(
      `typo.json:${at(texts['typo.json'], '"titel"')}  $.titel: warning: unknown field "titel" is ignored. Did you mean "title"?\n`,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)[0].summary).toMatchObject({ passed: 1, failed: 0 });
  });

  it('warns of a parameter the operation does not read, at its name', async () => {
    const { code, stderr } = await run('unread.json');
    expect(stderr).toMatch(
      new RegExp(
        `^unread\\.json:${at(texts['unread.json'], '"grant"')}  \\$\\.requests\\[0\\]\\.parameters\\.grant: warning: parameters\\.grant is ignored`,
      ),
    );
    expect(code).toBe(0);
  });

  it('warns of a misspelt condition key inside a policy, located in the file, with the nearest key', async () => {
    const { code, stderr } = await run('key-typo.json');
    const where = at(texts['key-typo.json'], '"aws:PrincipleArn"');
    expect(stderr).toContain(
      `key-typo.json:${where}  $.keys["${KEY}"].policy.Statement[0].Condition.StringEquals["aws:PrincipleArn"]: warning: aws:PrincipleArn is not an AWS global condition key. Did you mean aws:PrincipalArn?`,
    );
    // The misspelt key never matches, so the Allow does not apply: the expectation of ImplicitDeny holds.
    expect(code).toBe(0);
  });

  it('fails the expectation of a request that meets a malformed Condition, and prints where', async () => {
    const { code, stdout, stderr } = await run('malformed.json');
    expect(code).toBe(1);
    const [set] = JSON.parse(stdout) as { results: { outcome: string; pass: boolean }[] }[];
    expect(set.results[0]).toMatchObject({ outcome: 'MalformedPolicyDocumentException', pass: false });
    expect(stderr).toContain(
      `malformed.json:${at(texts['malformed.json'], '"StringEquals"')}  $.keys["${KEY}"].policy.Statement[0].Condition: error: AWS would refuse the key policy of ${KEY}`,
    );
  });

  it('passes an expectation that names MalformedPolicyDocumentException', async () => {
    const { code } = await run('malformed-expected.json');
    expect(code).toBe(0);
  });
});

describe('bin/lab.mjs', () => {
  const exec = promisify(execFile);
  it('prints the warnings on stderr and the results on stdout, exit code unchanged', async () => {
    const { stdout, stderr } = await exec(
      process.execPath,
      [path.join(ROOT, 'bin/lab.mjs'), 'eval', 'typo.json'],
      {
        cwd: dir,
      },
    );
    expect(stderr).toMatch(/^typo\.json:\d+:\d+ {2}\$\.titel: warning: unknown field "titel" is ignored/);
    expect(JSON.parse(stdout)[0].summary.failed).toBe(0);
  }, 30_000);
});
