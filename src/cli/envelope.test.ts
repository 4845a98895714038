import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encrypt, type Keyring } from '../envelope/index';
import { createRawAesKeyring } from '../envelope/raw-aes-keyring';
import { createKms } from '../kms/kms';
import type { Scenario } from '../scenario/types';
import { runCli, type CliEngine } from './commands';

const engine = {} as CliEngine; // the envelope commands do not evaluate policies

let dir: string;
const WRAPPING_KEY = Buffer.alloc(32, 7).toString('base64');
const RAW = ['--raw-aes-key', WRAPPING_KEY, '--key-namespace', 'ns', '--key-name', 'k'];
const plaintext = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 31) % 256));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  bytes: Buffer;
}

async function lab(argv: string[], stdin?: Uint8Array): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const written: Buffer[] = [];
  const code = await runCli(['envelope', ...argv], {
    cwd: dir,
    root: dir,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    engine,
    stdin: stdin
      ? (async function* () {
          yield stdin.subarray(0, 100);
          yield stdin.subarray(100);
        })()
      : undefined,
    writeStdout: async (bytes) => void written.push(Buffer.from(bytes)),
  });
  return { code, stdout, stderr, bytes: Buffer.concat(written) };
}

const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-envelope-'));
  await writeFile(file('plain.bin'), plaintext);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('lab envelope encrypt | inspect | decrypt', () => {
  it('round-trips a file with a raw AES key and a context, and inspects it', async () => {
    const context = '{"purpose":"cli","ключ":"значение"}';
    const encrypted = await lab([
      'encrypt',
      'plain.bin',
      ...RAW,
      '--encryption-context',
      context,
      '--frame-length',
      '1000',
      '--out',
      'msg.bin',
    ]);
    expect(encrypted).toMatchObject({ code: 0, stderr: '' });
    const inspected = await lab(['inspect', 'msg.bin']);
    expect(inspected.code).toBe(0);
    expect(JSON.parse(inspected.stdout)).toMatchObject({
      version: 2,
      suite: { id: '0x0578' },
      messageId: expect.stringMatching(/^[0-9a-f]{64}$/),
      encryptionContext: { purpose: 'cli', ключ: 'значение' },
      encryptedDataKeys: [{ providerId: 'ns', rawAes: { keyName: 'k' } }],
      contentType: 'framed',
      frameLength: 1000,
      frameCount: 10,
      signaturePresent: true,
    });
    expect(JSON.parse(inspected.stdout).parts).toBeUndefined();
    expect(JSON.parse((await lab(['inspect', 'msg.bin', '--layout'])).stdout).parts).toHaveLength(10);
    const decrypted = await lab([
      'decrypt',
      'msg.bin',
      ...RAW,
      '--encryption-context',
      '{"purpose":"cli"}',
      '--out',
      'back.bin',
    ]);
    expect(decrypted).toMatchObject({ code: 0, stderr: '' });
    expect(await readFile(file('back.bin'))).toEqual(plaintext);
  });

  it('reads base64 and hex messages and stdin, writes stdout, encodes on request', async () => {
    const base64 = await lab(['encrypt', 'plain.bin', ...RAW, '--suite', '0x0478', '--encode', 'base64']);
    expect(base64.bytes.toString()).toMatch(/^AgR4[A-Za-z0-9+/]+={0,2}\n$/);
    await writeFile(file('msg.b64'), base64.bytes);
    expect((await lab(['decrypt', 'msg.b64', ...RAW])).bytes).toEqual(plaintext);
    const hex = Buffer.from(Buffer.from(base64.bytes.toString(), 'base64').toString('hex'));
    expect((await lab(['decrypt', '-', ...RAW], hex)).bytes).toEqual(plaintext);
    const fromStdin = await lab(['encrypt', '-', ...RAW, '--encode', 'hex'], plaintext);
    expect((await lab(['decrypt', '-', ...RAW], fromStdin.bytes)).bytes).toEqual(plaintext);
  });

  it('decrypts with a known data key (--data-key)', async () => {
    let dataKey: Uint8Array | undefined;
    const raw = createRawAesKeyring({ keyNamespace: 'ns', keyName: 'k', wrappingKey: new Uint8Array(32) });
    const remembering: Keyring = {
      onEncrypt: async (request) => {
        const materials = await raw.onEncrypt(request);
        dataKey = materials.dataKey;
        return materials;
      },
      onDecrypt: raw.onDecrypt,
    };
    const { message } = await encrypt(plaintext, { keyring: remembering });
    await writeFile(file('known.bin'), message);
    const run = await lab(['decrypt', 'known.bin', '--data-key', Buffer.from(dataKey!).toString('base64')]);
    expect(run.code).toBe(0);
    expect(run.bytes).toEqual(plaintext);
  });

  it('format 1 messages need --commitment-policy allow', async () => {
    await lab([
      'encrypt',
      'plain.bin',
      ...RAW,
      '--suite',
      '0x0178',
      '--commitment-policy',
      'forbid',
      '--out',
      'v1.bin',
    ]);
    const refused = await lab(['decrypt', 'v1.bin', ...RAW]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^lab envelope decrypt: at byte 2: the message uses 0x0178 .* REQUIRE_ENCRYPT_REQUIRE_DECRYPT decrypts only committing suites/,
    );
    expect((await lab(['decrypt', 'v1.bin', ...RAW, '--commitment-policy', 'allow'])).bytes).toEqual(
      plaintext,
    );
  });
});

describe('lab envelope decrypt writes no plaintext on any failure', () => {
  const leftovers = async () => (await readdir(dir)).filter((name) => name.endsWith('.partial'));

  it.each([
    [
      'a changed byte in the last frame',
      (m: Buffer) => {
        m[m.length - 150] ^= 1;
        return m;
      },
      /at byte \d+: frame 10 \(final\) fails its authentication tag/,
    ],
    [
      'a changed signature',
      (m: Buffer) => {
        m[m.length - 1] ^= 1;
        return m;
      },
      /the signature does not verify/,
    ],
    [
      'a truncated message',
      (m: Buffer) => m.subarray(0, m.length - 200),
      /the message ends inside frame \d+/,
    ],
    [
      'trailing bytes',
      (m: Buffer) => Buffer.concat([m, Buffer.from([0])]),
      /1 byte follows the end of the message/,
    ],
  ])('%s: exit 1, a message, no output file, nothing on stdout', async (_what, change, message) => {
    await lab(['encrypt', 'plain.bin', ...RAW, '--frame-length', '1000', '--out', 'good.bin']);
    await writeFile(file('bad.bin'), change(await readFile(file('good.bin'))));
    const toFile = await lab(['decrypt', 'bad.bin', ...RAW, '--out', 'never.bin']);
    expect(toFile.code).toBe(1);
    expect(toFile.stderr).toMatch(message);
    await expect(readFile(file('never.bin'))).rejects.toThrow(/ENOENT/);
    const toStdout = await lab(['decrypt', 'bad.bin', ...RAW]);
    expect([toStdout.code, toStdout.bytes.length]).toEqual([1, 0]);
    expect(await leftovers()).toEqual([]);
  });

  it('a wrong key, a missing required pair, an unreadable file, not a message: exit 1', async () => {
    await lab(['encrypt', 'plain.bin', ...RAW, '--out', 'good.bin']);
    const otherKey = [
      '--raw-aes-key',
      Buffer.alloc(32, 8).toString('base64'),
      '--key-namespace',
      'ns',
      '--key-name',
      'k',
    ];
    expect((await lab(['decrypt', 'good.bin', ...otherKey])).stderr).toMatch(
      /could not decrypt the data key/,
    );
    expect((await lab(['decrypt', 'good.bin', ...RAW, '--encryption-context', '{"a":"b"}'])).stderr).toMatch(
      /has no "a"/,
    );
    expect(await lab(['decrypt', 'missing.bin', ...RAW])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/no such file: .*missing\.bin/),
    });
    expect(await lab(['decrypt', 'plain.bin', ...RAW])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/not an Encryption SDK message/),
    });
    expect(await leftovers()).toEqual([]);
  });
});

describe('lab envelope usage', () => {
  it.each([
    [['encrypt', 'plain.bin'], /encrypt needs one key/],
    [['decrypt', 'x', '--data-key', 'AA==', ...RAW], /decrypt needs one key/],
    [['encrypt', 'plain.bin', '--data-key', 'AAAA'], /--data-key only decrypts/],
    [
      ['encrypt', 'plain.bin', ...RAW, '--suite', '0x9999'],
      /--suite must be one of 0x0014, .*0x0578, not "0x9999"/,
    ],
    [['encrypt', 'plain.bin', ...RAW, '--frame-length', '0'], /--frame-length must be a positive integer/],
    [['encrypt', 'plain.bin', ...RAW, '--encryption-context', '[1]'], /JSON object of strings/],
    [['decrypt', 'x', ...RAW, '--suite', '0x0578'], /encrypt options/],
    [['decrypt', ...RAW], /needs a FILE/],
    [['shred', 'x'], /encrypt, decrypt and inspect/],
    [['inspect', 'x', '--bogus'], /unknown option --bogus/],
  ])('%j → exit 2', async (argv, message) => {
    const run = await lab(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});

// A minimal KMS endpoint (JSON 1.1 over HTTP) in front of createKms, enough for the SDK client the CLI uses; the
// caller is the principal whose access key signed the request.
describe('lab envelope with --kms-endpoint', () => {
  const KEY = 'arn:aws:kms:us-east-1:111122223333:key/33333333-3333-3333-3333-333333333333';
  const USER = 'arn:aws:iam::111122223333:user/cli';
  const scenario: Scenario = {
    version: 2,
    principals: {
      [USER]: {
        policies: [
          { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
        ],
      },
    },
    keys: { [KEY]: {} },
  };
  const kms = createKms({ scenario });
  const BLOBS = new Set(['Plaintext', 'CiphertextBlob']);
  let server: Server;
  let endpoint: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      for (const name of BLOBS)
        if (typeof body[name] === 'string') body[name] = new Uint8Array(Buffer.from(body[name], 'base64'));
      const operation = String(request.headers['x-amz-target']).replace('TrentService.', '');
      const accessKey = /Credential=([^/]+)\//.exec(String(request.headers.authorization))?.[1];
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      try {
        if (accessKey !== 'AKIDCLI')
          throw Object.assign(new Error('bad key'), { type: 'UnrecognizedClientException' });
        const answer = await kms.call(operation, body, { principalArn: USER, accessKeyId: accessKey });
        const out: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(answer))
          out[name] = value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
        response.end(JSON.stringify(out));
      } catch (error) {
        response.statusCode = 400;
        response.end(
          JSON.stringify({
            __type: (error as { type?: string }).type ?? 'InternalFailure',
            message: (error as Error).message,
          }),
        );
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIDCLI',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'us-east-1',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });

  it("encrypts with GenerateDataKey and decrypts with Decrypt, as the credentials' principal", async () => {
    const kmsFlags = ['--kms-endpoint', endpoint, '--kms-key-id', KEY];
    expect(
      await lab([
        'encrypt',
        'plain.bin',
        ...kmsFlags,
        '--encryption-context',
        '{"app":"cli"}',
        '--out',
        'kms.bin',
      ]),
    ).toMatchObject({ code: 0 });
    const inspected = JSON.parse((await lab(['inspect', 'kms.bin'])).stdout);
    expect(inspected.encryptedDataKeys).toEqual([
      {
        providerId: 'aws-kms',
        providerInfo: KEY,
        providerInfoEncoding: 'utf8',
        ciphertextLength: expect.any(Number),
      },
    ]);
    expect((await lab(['decrypt', 'kms.bin', ...kmsFlags])).bytes).toEqual(plaintext);
    expect((await lab(['decrypt', 'kms.bin', '--kms-endpoint', endpoint])).bytes).toEqual(plaintext); // discovery
    expect(kms.trail.query({ user: USER }).map((event) => event.eventName)).toEqual([
      'GenerateDataKey',
      'Decrypt',
      'Decrypt',
    ]);
    process.env.AWS_ACCESS_KEY_ID = 'AKIDOTHER';
    const refused = await lab(['decrypt', 'kms.bin', ...kmsFlags]);
    process.env.AWS_ACCESS_KEY_ID = 'AKIDCLI';
    expect(refused).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /KMS decrypted none of the data keys: EDK 1 .*UnrecognizedClientException/,
      ),
    });
  }, 30_000);
});
