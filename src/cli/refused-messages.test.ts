/**
 * What `lab eval` says of a request that meets a policy AWS would refuse (issue 8, wording; PutKeyPolicy API:
 * MalformedPolicyDocumentException; IAM grammar reference_policies_grammar.html): the mismatch names what the
 * request answered and that `expect` must name the exception (lab-design §2), and every position is in the
 * scenario file, for a policy written as an object and for a new key policy written as a JSON string.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateScenario, lintPolicy } from '../engine/index';
import { runCli, type CliEngine } from './commands';
import { stringValueOffset } from './positions';

const ROOT = path.resolve(__dirname, '../..');
const engine: CliEngine = {
  evaluateScenario: (scenario, sources) => evaluateScenario(scenario, { sources }),
  lintPolicy,
};
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ROLE = 'arn:aws:iam::111122223333:role/App';
const USE = { Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:*', Resource: '*' };

const scenarioText = (keyPolicy: unknown, request: Record<string, unknown>) =>
  JSON.stringify(
    {
      version: 2,
      principals: { [ROLE]: { policies: [] } },
      keys: { [KEY]: { policy: keyPolicy } },
      requests: [{ id: 'r', principal: ROLE, keyId: KEY, ...request }],
    },
    null,
    2,
  );

/** The 1-based `line:column` of the first `needle` in `text`. */
function at(text: string, needle: string): string {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

const NEW_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ ...USE, Sid: 'Caf\u00e9\n', Condtion: {} }],
});
const texts: Record<string, string> = {
  'refused.json': scenarioText(
    { Version: '2012-10-17', Statement: [{ ...USE, Condtion: {} }] },
    { action: 'kms:Decrypt', expect: 'ImplicitDeny' },
  ),
  // The new key policy as AWS takes it, a JSON string (its escapes: \" \n and a non-ASCII letter).
  'put-string.json': scenarioText(
    { Version: '2012-10-17', Statement: [USE] },
    { action: 'kms:PutKeyPolicy', parameters: { policy: NEW_POLICY }, expect: 'Allow' },
  ).replace('Café', 'Caf\\u00e9'),
};

texts['deny.json'] = scenarioText(
  {
    Version: '2012-10-17',
    Statement: [
      USE,
      { Sid: 'NoDecrypt', Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt', Resource: '*' },
    ],
  },
  { action: 'kms:Decrypt', expect: 'ExplicitDeny' },
);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-refused-'));
  for (const [name, text] of Object.entries(texts)) await writeFile(path.join(dir, name), text);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['eval', ...args], {
    cwd: dir,
    root: ROOT,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    engine,
  });
  return { code, stdout, stderr };
}

describe('lab eval and a refused policy', () => {
  it('says the request answered MalformedPolicyDocumentException and that expect must name it', async () => {
    const { code, stdout } = await run('refused.json', '--format', 'table');
    expect(code).toBe(1);
    expect(stdout).toContain(
      `FAIL r: expected ImplicitDeny, but the request answered MalformedPolicyDocumentException: AWS would refuse the key policy of ${KEY}, so the request is not evaluated; to expect this, "expect" must name the exception ("expect": "MalformedPolicyDocumentException").`,
    );
    expect(stdout).not.toContain('got ImplicitDeny');
  });

  it('places the problem in the file, and in the policy text the result ranges use', async () => {
    const { stdout } = await run('refused.json');
    const [result] = JSON.parse(stdout)[0].results;
    const inFile = at(texts['refused.json'], '"Condtion"');
    const problem = result.rejectedPolicies[0].problems[0];
    expect(result.explanation).toContain(
      `At refused.json:${inFile} (line ${problem.range.start.line}, column ${problem.range.start.column} of the policy): "Condtion" is not a statement element`,
    );
  });

  it('places a problem of a new key policy written as a JSON string through its escapes', async () => {
    const { stdout, stderr } = await run('put-string.json');
    const [result] = JSON.parse(stdout)[0].results;
    expect(result.outcome).toBe('MalformedPolicyDocumentException');
    const inFile = at(texts['put-string.json'], '\\"Condtion\\"');
    expect(result.explanation).toContain(`In parameters.policy: At put-string.json:${inFile}: "Condtion"`);
    expect(stderr).toContain(
      `put-string.json:${inFile}  $.requests[0].parameters.policy.Statement[0].Condtion`,
    );
  });
});

describe('stringValueOffset', () => {
  it('maps a position in a string value to the file through every kind of escape', () => {
    const value = 'a"b\\c\nd\u00e9f';
    const text = `{"p": ${JSON.stringify(value).replace('é', '\\u00e9')}}`;
    const quote = text.indexOf('"', 5);
    for (let i = 0; i < value.length; i++) {
      const raw = stringValueOffset(text, quote, i);
      expect([
        i,
        JSON.parse(`"${text.slice(raw, raw + (text[raw] === '\\' ? (text[raw + 1] === 'u' ? 6 : 2) : 1))}"`),
      ]).toEqual([i, value[i]]);
    }
  });
});

describe('lab eval statement ranges', () => {
  it('keeps range in the policy text and adds fileRange in the scenario file, numbering statements from 1', async () => {
    const { code, stdout } = await run('deny.json');
    expect(code).toBe(0);
    const [result] = JSON.parse(stdout)[0].results;
    const statement = result.deniedBy.statement;
    expect(statement.label).toBe('key policy #2 "NoDecrypt"');
    expect(statement.index).toBe(1);
    const text = texts['deny.json'];
    const open = text.lastIndexOf('{', text.indexOf('"Sid": "NoDecrypt"'));
    expect(statement.fileRange.start.offset).toBe(open);
    expect(`${statement.fileRange.start.line}:${statement.fileRange.start.column}`).toBe(
      at(text, text.slice(open, text.indexOf('"Sid": "NoDecrypt"') + 5)),
    );
    expect(text.slice(statement.fileRange.start.offset, statement.fileRange.end.offset)).toMatch(
      /^\{[\s\S]*"NoDecrypt"[\s\S]*\}$/,
    );
    // The range proper stays in the policy's own text, where the editor highlights it.
    expect(statement.range.start.offset).toBeLessThan(statement.fileRange.start.offset);
    expect(result.deciding[0].fileRange).toEqual(statement.fileRange);
  });
});
