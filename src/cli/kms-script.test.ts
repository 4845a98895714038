import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliEngine } from './commands';
import { buildRequest, parseScript, principalArn, type ScriptStep } from './kms-script';

const SCENARIO = {
  version: 2,
  title: 'Admin, Bob and a reader role',
  principals: {
    'arn:aws:iam::111122223333:user/lab-admin': {
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }],
    },
    'arn:aws:iam::111122223333:user/bob': { policies: [] },
    'arn:aws:iam::111122223333:role/Reader': {
      policies: [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] },
      ],
    },
  },
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kms-script-'));
  await writeFile(path.join(dir, 'scenario.json'), JSON.stringify(SCENARIO));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function lab(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd: dir,
    root: dir,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    engine: {} as CliEngine, // lab kms does not use the policy engine's CLI entry points
  });
  return { code, stdout, stderr };
}

const call = (text: string) => {
  const { steps, problems } = parseScript(text);
  expect(problems).toEqual([]);
  return steps.at(-1) as Extract<ScriptStep, { kind: 'call' }>;
};

describe('parseScript', () => {
  it('reads names, operations, member paths, quotes, references and expectations', () => {
    const { steps, problems } = parseScript(
      [
        '# a comment',
        '',
        'as user/bob',
        'region eu-west-1',
        'advance 30 days',
        'key = CreateKey Description="two words, \\"quoted\\"" Tags.1.TagKey=team  # trailing comment',
        'Encrypt KeyId=$key.KeyMetadata.KeyId Plaintext=hi => AccessDeniedException',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(steps).toEqual([
      { kind: 'as', line: 3, principal: 'user/bob' },
      { kind: 'region', line: 4, region: 'eu-west-1' },
      { kind: 'advance', line: 5, seconds: 30 * 86_400, text: '30 days' },
      {
        kind: 'call',
        line: 6,
        name: 'key',
        operation: 'CreateKey',
        args: [
          { path: ['Description'], value: { kind: 'literal', text: 'two words, "quoted"', column: 29 } },
          { path: ['Tags', '1', 'TagKey'], value: { kind: 'literal', text: 'team', column: 67 } },
        ],
        expect: undefined,
      },
      {
        kind: 'call',
        line: 7,
        name: undefined,
        operation: 'Encrypt',
        args: [
          {
            path: ['KeyId'],
            value: { kind: 'reference', name: 'key', path: ['KeyMetadata', 'KeyId'], column: 15 },
          },
          { path: ['Plaintext'], value: { kind: 'literal', text: 'hi', column: 48 } },
        ],
        expect: 'AccessDeniedException',
      },
    ]);
  });

  it('locates every problem by line and column', () => {
    const { problems } = parseScript(
      [
        'Frobnicate KeyId=x',
        'Encrypt KeyID=x',
        'Encrypt KeyId=$nobody.KeyId',
        'CreateGrant Operations.first=Decrypt',
        'Encrypt Description="never closed',
        'advance soon',
        'region mars',
        'Encrypt KeyId=x => maybe',
        'Encrypt loose',
      ].join('\n'),
    );
    expect(problems).toEqual([
      { line: 1, column: 1, message: '"Frobnicate" is not a KMS operation the lab serves' },
      {
        line: 2,
        column: 9,
        message: expect.stringMatching(/^Encrypt has no member "KeyID" \(members: KeyId, Plaintext, /),
      },
      { line: 3, column: 15, message: '$nobody is not the name of an earlier call' },
      {
        line: 4,
        column: 13,
        message: 'Operations is a list: name its elements Operations.1, Operations.2, …',
      },
      { line: 5, column: 21, message: 'this quote is never closed' },
      { line: 6, column: 9, message: 'write "advance N days" (or hours, minutes, seconds)' },
      { line: 7, column: 8, message: '"mars" is not a region name such as us-east-1' },
      { line: 8, column: 20, message: '"maybe" is neither "ok" nor an exception name' },
      { line: 9, column: 9, message: '"loose" is not Member=value' },
    ]);
  });
});

describe('buildRequest', () => {
  it('converts by the model: integers, booleans, blobs (text or base64), maps, lists of strings and structures', async () => {
    const step = call(
      'GenerateDataKey KeyId=k NumberOfBytes=32 EncryptionContext.aws:s3:arn=arn:aws:s3:::b/o.txt GrantTokens=t1,t2',
    );
    expect(await buildRequest(step, new Map(), dir)).toEqual({
      KeyId: 'k',
      NumberOfBytes: 32,
      EncryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/o.txt' },
      GrantTokens: ['t1', 't2'],
    });
    expect(
      await buildRequest(call('Encrypt KeyId=k Plaintext=base64:AAEC DryRun=true'), new Map(), dir),
    ).toEqual({ KeyId: 'k', Plaintext: new Uint8Array([0, 1, 2]), DryRun: true });
    expect(
      await buildRequest(
        call('CreateKey Tags.1.TagKey=a Tags.1.TagValue=1 Tags.2.TagKey=b Tags.2.TagValue=2'),
        new Map(),
        dir,
      ),
    ).toEqual({
      Tags: [
        { TagKey: 'a', TagValue: '1' },
        { TagKey: 'b', TagValue: '2' },
      ],
    });
  });

  it('takes $references from earlier responses (bytes stay bytes) and @files', async () => {
    await writeFile(path.join(dir, 'policy.json'), '{"Version":"2012-10-17"}');
    const responses = new Map<string, unknown>([
      ['ct', { CiphertextBlob: new Uint8Array([9, 9]), Grants: [{ GrantId: 'g1' }] }],
    ]);
    const { steps } = parseScript(
      'ct = ListKeys\nDecrypt CiphertextBlob=$ct.CiphertextBlob KeyId=$ct.Grants.1.GrantId\nPutKeyPolicy KeyId=k Policy=@policy.json',
    );
    expect(await buildRequest(steps[1] as never, responses, dir)).toEqual({
      CiphertextBlob: new Uint8Array([9, 9]),
      KeyId: 'g1',
    });
    expect(await buildRequest(steps[2] as never, responses, dir)).toEqual({
      KeyId: 'k',
      Policy: '{"Version":"2012-10-17"}',
    });
    await expect(
      buildRequest(call('Encrypt NumberOfBytes=x'.replace('Encrypt', 'GenerateRandom')), responses, dir),
    ).rejects.toThrow('"x" is not a whole number');
  });

  it('names principals in the account', () => {
    expect(principalArn('user/bob', '111122223333')).toBe('arn:aws:iam::111122223333:user/bob');
    expect(principalArn('role/Reader', '111122223333')).toBe(
      'arn:aws:sts::111122223333:assumed-role/Reader/lab',
    );
    expect(principalArn('root', '444455556666')).toBe('arn:aws:iam::444455556666:root');
    expect(principalArn('bob', '111122223333')).toBeUndefined();
  });
});

describe('lab kms run', () => {
  const SCRIPT = [
    '# encrypt as the admin, then try as Bob and as the reader role',
    'key = CreateKey Description="run test"',
    'CreateAlias AliasName=alias/run-test TargetKeyId=$key.KeyMetadata.KeyId',
    'ct = Encrypt KeyId=alias/run-test Plaintext="hello" EncryptionContext.purpose=demo => ok',
    'as user/bob',
    'Decrypt CiphertextBlob=$ct.CiphertextBlob EncryptionContext.purpose=demo => AccessDeniedException',
    'as role/Reader',
    'Decrypt CiphertextBlob=$ct.CiphertextBlob EncryptionContext.purpose=demo => ok',
    'Decrypt CiphertextBlob=$ct.CiphertextBlob => InvalidCiphertextException',
    'as user/lab-admin',
    'ScheduleKeyDeletion KeyId=$key.KeyMetadata.KeyId PendingWindowInDays=7',
    'advance 8 days',
    'DescribeKey KeyId=$key.KeyMetadata.KeyId => NotFoundException',
  ].join('\n');

  it('runs a script, prints each response and the trail of the run, exit 0 when every expectation holds', async () => {
    await writeFile(path.join(dir, 'demo.kms'), SCRIPT);
    const { code, stdout, stderr } = await lab(['kms', 'run', 'demo.kms', '--scenario', 'scenario.json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/line 2 {2}user\/lab-admin {2}us-east-1 {2}CreateKey → ok\n\{\n {2}"KeyMetadata"/);
    expect(stdout).toMatch(
      /line 6 {2}user\/bob {2}us-east-1 {2}Decrypt → AccessDeniedException: User: arn:aws:iam::111122223333:user\/bob is not authorized to perform: kms:Decrypt .* \(as expected\)/,
    );
    expect(stdout).toContain('line 8  assumed-role/Reader/lab  us-east-1  Decrypt → ok  (as expected)');
    expect(stdout).toContain('"Plaintext": "aGVsbG8="');
    expect(stdout).toMatch(/Trail of this run \(\d+ records\):\neventTime +eventName/);
    expect(stdout).toMatch(/DeleteKey +/); // the clock deleted the key during "advance 8 days"
  });

  it('exits 1 when an expectation does not hold, and can print JSON', async () => {
    await writeFile(path.join(dir, 'wrong.kms'), 'as user/bob\nCreateKey => ok\n');
    const { code, stdout } = await lab([
      'kms',
      'run',
      'wrong.kms',
      '--scenario',
      'scenario.json',
      '--format',
      'json',
    ]);
    expect(code).toBe(1);
    const output = JSON.parse(stdout);
    expect(output.calls).toEqual([
      expect.objectContaining({
        line: 2,
        operation: 'CreateKey',
        principal: 'arn:aws:iam::111122223333:user/bob',
        error: expect.objectContaining({ type: 'AccessDeniedException' }),
        expect: 'ok',
        passed: false,
      }),
    ]);
    expect(output.trail.Records).toHaveLength(1);
    expect(output.trail.Records[0]).toMatchObject({ eventName: 'CreateKey', errorCode: 'AccessDenied' });
  });

  it('exits 2 with located problems for a bad script, a missing file or bad options', async () => {
    await writeFile(path.join(dir, 'bad.kms'), 'CreateKey\nEncrypt Plaintxt=x\n');
    const bad = await lab(['kms', 'run', 'bad.kms']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^bad\.kms:2:9 {2}Encrypt has no member "Plaintxt"/);
    expect(bad.stdout).toBe('');

    const missing = await lab(['kms', 'run', 'none.kms']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^none\.kms:1:1 {2}/);

    await writeFile(path.join(dir, 'stops.kms'), 'x = CreateKey\nas nobody\n');
    const stops = await lab(['kms', 'run', 'stops.kms']);
    expect(stops.code).toBe(2);
    expect(stops.stderr).toBe('stops.kms:2:4  "nobody" is not user/NAME, role/NAME, root or an ARN\n');
    expect(stops.stdout).toContain('CreateKey → ok'); // what ran before is still shown

    expect((await lab(['kms', 'run'])).stderr).toContain('run needs one script file');
    expect((await lab(['kms', 'run', 'demo.kms', '--region', 'moon'])).code).toBe(2);
    expect((await lab(['kms', 'run', 'demo.kms', '--scenario', 'none.json'])).stderr).toMatch(
      /^none\.json:1:1 /,
    );
    expect((await lab(['kms', 'frob'])).stderr).toContain('unknown kms command "frob"');
  });
});
