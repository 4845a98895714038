/**
 * `lab kms serve` as a process (bin/lab.mjs, a free port on 127.0.0.1, stopped by its pid): the first stdout line,
 * the real AWS CLI (`aws --endpoint-url … kms …`; skipped with a notice when `aws` is not installed) as an allowed
 * and as a denied user and as a role session, `--state DIR` across a restart, `lab kms trail`, and the exit code 2
 * answers to bad arguments and files.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliEngine } from './commands';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ADMIN = 'arn:aws:iam::111122223333:user/lab-admin';
const BOB = 'arn:aws:iam::111122223333:user/bob';
const READER = 'arn:aws:sts::111122223333:assumed-role/Reader/lab';
const SCENARIO = {
  version: 2,
  title: 'Admin, Bob, and a role that may decrypt',
  principals: {
    [ADMIN]: {
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }],
    },
    [BOB]: { policies: [] },
    'arn:aws:iam::111122223333:role/Reader': {
      policies: [
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] },
      ],
    },
  },
};

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}
interface Endpoint {
  endpoint: string;
  region: string;
  principals: Record<string, Keys>;
}

interface Server {
  child: ChildProcess;
  first: Endpoint;
  firstLine: string;
  lines: string[];
  stop(): Promise<number | null>;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kms-serve-'));
  await writeFile(path.join(dir, 'scenario.json'), JSON.stringify(SCENARIO));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Starts `lab kms serve` and waits for its first line. */
function startServer(args: string[]): Promise<Server> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/lab.mjs'), 'kms', 'serve', '--port', '0', ...args],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      if (signal)
        console.log(`lab kms serve ended by ${signal}; stderr: ${stderr}; stdout: ${lines.join('|')}`);
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no first line after 60 s; stderr: ${stderr}`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (lines.length !== 1) return;
      clearTimeout(timer);
      resolve({
        child,
        firstLine: line,
        first: JSON.parse(line) as Endpoint,
        lines,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    exited.then((code) =>
      reject(new Error(`lab kms serve exited (${code}) before its first line: ${stderr}`)),
    );
  });
}

async function until(condition: () => boolean, timeoutMs = 5000) {
  for (const end = Date.now() + timeoutMs; !condition() && Date.now() < end;)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

async function lab(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    cwd: dir,
    root: ROOT,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    engine: {} as CliEngine,
  });
  return { code, stdout, stderr };
}

/** The AWS CLI v2 (Debian's awscli; a v1 from pip may come first on PATH). */
const awsCli = ['aws', '/usr/bin/aws'].find((command) =>
  /^aws-cli\/2\./.test(spawnSync(command, ['--version'], { encoding: 'utf8' }).stdout ?? ''),
);
const hasAwsCli = awsCli !== undefined;
if (!hasAwsCli) console.log('lab kms serve: the AWS CLI v2 is not installed; its test is skipped.');

describe('lab kms serve', () => {
  let server: Server;
  const stateDir = () => path.join(dir, 'state');
  beforeAll(async () => {
    server = await startServer(['--scenario', 'scenario.json', '--state', 'state']);
  }, 70_000);
  afterAll(async () => {
    if (server.child.exitCode === null) await server.stop();
  });

  it('prints the endpoint, region and every principal’s credentials as its first line', () => {
    const { first, firstLine } = server;
    expect(Object.keys(first)).toEqual(['endpoint', 'region', 'principals']);
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.region).toBe('us-east-1');
    expect(Object.keys(first.principals).sort()).toEqual(
      [ADMIN, BOB, READER, 'arn:aws:iam::111122223333:root'].sort(),
    );
    expect(first.principals[ADMIN]).toEqual({
      accessKeyId: expect.stringMatching(/^AKIA[A-Z2-7]{16}$/),
      secretAccessKey: expect.stringMatching(/^[A-Za-z0-9+/]{40}$/),
    });
    expect(first.principals[READER].accessKeyId).toMatch(/^ASIA/);
    expect(first.principals[READER].sessionToken).toEqual(expect.any(String));
    expect(firstLine).not.toContain('\n');
  });

  it.skipIf(!hasAwsCli)(
    'serves the real AWS CLI: create-key, encrypt, decrypt, create-grant, list-aliases; denies Bob',
    { timeout: 120_000 },
    async () => {
      const aws = (as: string, ...args: string[]) => {
        const keys = server.first.principals[as];
        const result = spawnSync(
          awsCli!,
          ['--endpoint-url', server.first.endpoint, '--output', 'json', 'kms', ...args],
          {
            cwd: dir,
            encoding: 'utf8',
            env: {
              PATH: process.env.PATH,
              HOME: dir,
              AWS_CONFIG_FILE: '/dev/null',
              AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
              AWS_ACCESS_KEY_ID: keys.accessKeyId,
              AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
              ...(keys.sessionToken ? { AWS_SESSION_TOKEN: keys.sessionToken } : {}),
              AWS_DEFAULT_REGION: 'us-east-1',
              AWS_EC2_METADATA_DISABLED: 'true',
              AWS_MAX_ATTEMPTS: '1',
              AWS_PAGER: '',
            },
          },
        );
        return {
          status: result.status,
          stderr: result.stderr,
          json: result.status === 0 && result.stdout.trim() ? JSON.parse(result.stdout) : undefined,
        };
      };
      const created = aws(ADMIN, 'create-key', '--description', 'from the AWS CLI');
      expect(created.stderr).toBe('');
      const keyId: string = created.json.KeyMetadata.KeyId;
      expect(created.json.KeyMetadata).toMatchObject({
        Description: 'from the AWS CLI',
        KeyState: 'Enabled',
      });
      expect(aws(ADMIN, 'create-alias', '--alias-name', 'alias/cli', '--target-key-id', keyId).status).toBe(
        0,
      );

      await writeFile(path.join(dir, 'plain.txt'), 'secret from the CLI');
      const encrypted = aws(ADMIN, 'encrypt', '--key-id', 'alias/cli', '--plaintext', 'fileb://plain.txt');
      expect(encrypted.json.KeyId).toBe(created.json.KeyMetadata.Arn);
      await writeFile(path.join(dir, 'cipher.bin'), Buffer.from(encrypted.json.CiphertextBlob, 'base64'));
      const decrypted = aws(ADMIN, 'decrypt', '--ciphertext-blob', 'fileb://cipher.bin');
      expect(Buffer.from(decrypted.json.Plaintext, 'base64').toString()).toBe('secret from the CLI');

      const aliases = aws(ADMIN, 'list-aliases');
      expect(aliases.json.Aliases).toEqual([
        expect.objectContaining({ AliasName: 'alias/cli', TargetKeyId: keyId }),
      ]);

      // Bob has no permission: the CLI reports AWS's AccessDeniedException and fails.
      const denied = aws(BOB, 'decrypt', '--ciphertext-blob', 'fileb://cipher.bin');
      expect(denied.status).not.toBe(0);
      expect(denied.stderr).toContain(
        'An error occurred (AccessDeniedException) when calling the Decrypt operation',
      );
      expect(denied.stderr).toContain(`User: ${BOB} is not authorized to perform: kms:Decrypt`);

      // A grant lets him decrypt at once with its grant token (the lab clock has not let it propagate yet).
      const grant = aws(
        ADMIN,
        'create-grant',
        '--key-id',
        keyId,
        '--grantee-principal',
        BOB,
        '--operations',
        'Decrypt',
      );
      expect(grant.json).toEqual({ GrantId: expect.any(String), GrantToken: expect.any(String) });
      const withToken = aws(
        BOB,
        'decrypt',
        '--ciphertext-blob',
        'fileb://cipher.bin',
        '--grant-tokens',
        grant.json.GrantToken,
      );
      expect(Buffer.from(withToken.json.Plaintext, 'base64').toString()).toBe('secret from the CLI');

      // The role session signs with its session token; its IAM policy allows Decrypt, not Encrypt.
      expect(aws(READER, 'decrypt', '--ciphertext-blob', 'fileb://cipher.bin').status).toBe(0);
      expect(aws(READER, 'encrypt', '--key-id', keyId, '--plaintext', 'fileb://plain.txt').stderr).toContain(
        'AccessDeniedException',
      );

      // The log lines are read while the test waits, not during the CLI's synchronous runs.
      await until(() => server.lines.length > 10);
      expect(
        server.lines.some((l) => /\s200\s+CreateKey\s+arn:aws:iam::111122223333:user\/lab-admin\s/.test(l)),
      ).toBe(true);
      expect(
        server.lines.some((l) =>
          /\s400\s+Decrypt\s+arn:aws:iam::111122223333:user\/bob\s.*AccessDeniedException/.test(l),
        ),
      ).toBe(true);
    },
  );

  it(
    'stops on SIGTERM, keeps its state, and serves it again after a restart',
    { timeout: 120_000 },
    async () => {
      const kms = new KMSClient({
        region: 'us-east-1',
        endpoint: server.first.endpoint,
        credentials: { ...server.first.principals[ADMIN] }, // the SDK marks the object it is given
        maxAttempts: 1,
      });
      const { CreateKeyCommand } = await import('@aws-sdk/client-kms');
      const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'kept' }));
      expect(await server.stop()).toBe(0);
      expect(server.lines.at(-1)).toBe('lab kms serve: stopped (SIGTERM)');
      expect(JSON.parse(await readFile(path.join(stateDir(), 'kms-state.json'), 'utf8')).format).toBe(
        'kms-policy-lab-state',
      );

      // No --scenario: the state remembers it (and so Bob and the role).
      const again = await startServer(['--state', 'state']);
      try {
        expect(again.first.principals[ADMIN]).toEqual(server.first.principals[ADMIN]);
        expect(Object.keys(again.first.principals)).toContain(BOB);
        const client = new KMSClient({
          region: 'us-east-1',
          endpoint: again.first.endpoint,
          credentials: { ...again.first.principals[ADMIN] },
          maxAttempts: 1,
        });
        const described = await client.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId }));
        expect(described.KeyMetadata?.Description).toBe('kept');
      } finally {
        expect(await again.stop()).toBe(0);
      }

      const trail = await lab(['kms', 'trail', '--state', 'state']);
      expect(trail.code).toBe(0);
      const records = JSON.parse(trail.stdout).Records as { eventName: string; errorCode?: string }[];
      expect(records.map((r) => r.eventName)).toContain('CreateKey');
      expect(records.at(-1)?.eventName).toBe('DescribeKey');
      const table = await lab([
        'kms',
        'trail',
        '--state',
        'state',
        '--format',
        'table',
        '--event',
        'CreateKey',
      ]);
      expect(table.stdout.split('\n')[0]).toMatch(/^eventTime +eventName +user/);
      expect(table.stdout).not.toContain('DescribeKey');
    },
  );
});

describe('lab kms: bad arguments and files exit 2 with a clear message', () => {
  it.each([
    [['kms', 'serve', '--port', 'abc'], '--port must be a port number from 0 to 65535, not "abc"'],
    [['kms', 'serve', '--port', '70000'], '--port must be a port number'],
    [['kms', 'serve', '--region', 'Mars'], '--region must be a region name such as us-east-1, not "Mars"'],
    [['kms', 'serve', '--colour', 'red'], 'unknown option --colour'],
    [['kms', 'serve', '--scenario'], '--scenario needs a value'],
    [['kms', 'serve', 'extra'], 'serve takes no argument "extra"'],
    [['kms', 'trail'], 'trail needs --state DIR'],
    [['kms'], 'kms needs serve, trail or run'],
  ])('%j', async (args, message) => {
    const { code, stderr } = await lab(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('names the file and place of a bad scenario or state', async () => {
    await writeFile(path.join(dir, 'broken.json'), '{"version": 2,\n  "principals": [}');
    const broken = await lab(['kms', 'serve', '--scenario', 'broken.json']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^broken\.json:2:\d+ /);

    await writeFile(path.join(dir, 'a-file'), 'not a folder');
    expect((await lab(['kms', 'serve', '--state', 'a-file'])).stderr).toBe('a-file: not a directory\n');

    await rm(path.join(dir, 'bad-state'), { recursive: true, force: true });
    await lab(['kms', 'run', '/dev/null', '--state', 'bad-state']); // creates the folder and a valid state
    await writeFile(path.join(dir, 'bad-state', 'kms-state.json'), '{"format": "something else"}');
    const bad = await lab(['kms', 'trail', '--state', 'bad-state']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad-state/kms-state.json:1:1  not a KMS state file');
    const none = await lab(['kms', 'trail', '--state', 'nowhere']);
    expect(none.stderr).toContain('nowhere: holds no kms-state.json');
  });
});
