/**
 * `lab envelope encrypt|decrypt|inspect FILE` (issue 10; docs/envelope.md, "CLI"): AWS Encryption SDK messages from
 * the command line, streamed from the file (or stdin) with bounded memory.
 * - encrypt: FILE is the plaintext; the message goes to --out or stdout (binary, or --encode base64|hex).
 * - decrypt: FILE is a message, binary, base64 or hex (detected); the plaintext goes to --out or stdout, and only
 *   once every check passed: it is staged in a private temporary file (beside --out, or in the system's temporary
 *   folder for stdout), renamed or copied on success and removed on any failure, so a failure writes no plaintext.
 * - inspect: prints the message's header and structure as JSON, with no key.
 * Exit codes: 0 done; 1 the operation failed (a bad or tampered message, a refused key, an unreadable file);
 * 2 bad usage (unknown option, missing key flags), as for the other lab commands.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createDataKeyKeyring,
  createDecryptor,
  createEncryptor,
  createKmsKeyring,
  createRawAesKeyring,
  isEnvelopeError,
  SUITES,
  type CommitmentPolicy,
  type EncryptionContext,
  type Keyring,
  type SuiteId,
} from '../envelope/index';
import { createInspector } from '../envelope/inspect';
import { createTextDecoder, detectEncoding } from '../envelope/message-text';
import type { CliContext } from './commands';
import { httpKms } from './kms-client';
import { nodeBackend } from './node-backend';

export const ENVELOPE_USAGE = `  lab envelope encrypt <FILE | -> <keys> [--encryption-context JSON] [--suite 0x0578] [--frame-length 4096]
                       [--commitment-policy require|allow|forbid] [--encode base64|hex] [--out FILE]
  lab envelope decrypt <FILE | -> <keys> [--encryption-context JSON] [--commitment-policy require|allow]
                       [--max-encrypted-data-keys N] [--out FILE]
  lab envelope inspect <FILE | -> [--layout]
      AWS Encryption SDK messages (format 1 and 2, every algorithm suite). A message FILE may be binary, base64
      or hex (detected); - reads stdin. Keys: --raw-aes-key BASE64 --key-namespace NS --key-name NAME (raw
      AES keyring), --data-key BASE64 (decrypt with a known data key), or --kms-endpoint URL --kms-key-id ID
      (repeatable: the first makes the data key; on decrypt, the keys to try) with credentials from
      AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (and --region or AWS_REGION).
      On decrypt --encryption-context lists pairs the message must carry. Decrypt writes the plaintext only
      when every check passed: on any failure it writes none, says why on stderr and exits 1. Inspect prints
      JSON (version, suite, message id, encryption context, encrypted data keys, content type, frame length,
      frame count, signature); --layout adds the header fields and body parts with their byte offsets.
      Exit 0 done, 1 failed, 2 bad usage.
`;

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const CHUNK = 1 << 20;

const VALUE_OPTIONS = [
  'raw-aes-key',
  'key-namespace',
  'key-name',
  'data-key',
  'kms-endpoint',
  'kms-key-id',
  'region',
  'encryption-context',
  'suite',
  'frame-length',
  'commitment-policy',
  'max-encrypted-data-keys',
  'encode',
  'out',
] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];

interface Args {
  action: string;
  file?: string;
  values: Partial<Record<ValueOption, string[]>>;
  layout: boolean;
}

class UsageError extends Error {}

function parseArgs(args: string[]): Args {
  const [action, ...rest] = args;
  const parsed: Args = { action, values: {}, layout: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--layout') {
      parsed.layout = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '-') {
      if (parsed.file !== undefined)
        throw new UsageError(`one FILE only (got "${parsed.file}" and "${arg}")`);
      parsed.file = arg;
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (!(VALUE_OPTIONS as readonly string[]).includes(name))
      throw new UsageError(`unknown option --${name}`);
    const value = inline ?? rest[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    (parsed.values[name as ValueOption] ??= []).push(value);
  }
  return parsed;
}

const one = (args: Args, name: ValueOption): string | undefined => {
  const values = args.values[name];
  if (values && values.length > 1 && name !== 'kms-key-id') throw new UsageError(`--${name} is given twice`);
  return values?.[0];
};

function base64Key(text: string, flag: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0)
    throw new UsageError(`--${flag} must be base64`);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function parseContext(text: string | undefined): EncryptionContext | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('--encryption-context must be a JSON object, e.g. \'{"purpose":"test"}\'');
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    Object.values(value).some((v) => typeof v !== 'string')
  )
    throw new UsageError('--encryption-context must be a JSON object of strings');
  return value as EncryptionContext;
}

const POLICIES: Record<string, CommitmentPolicy> = {
  require: 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT',
  allow: 'REQUIRE_ENCRYPT_ALLOW_DECRYPT',
  forbid: 'FORBID_ENCRYPT_ALLOW_DECRYPT',
  REQUIRE_ENCRYPT_REQUIRE_DECRYPT: 'REQUIRE_ENCRYPT_REQUIRE_DECRYPT',
  REQUIRE_ENCRYPT_ALLOW_DECRYPT: 'REQUIRE_ENCRYPT_ALLOW_DECRYPT',
  FORBID_ENCRYPT_ALLOW_DECRYPT: 'FORBID_ENCRYPT_ALLOW_DECRYPT',
};

function parsePolicy(text: string | undefined): CommitmentPolicy | undefined {
  if (text === undefined) return undefined;
  const policy = POLICIES[text];
  if (!policy) throw new UsageError(`--commitment-policy must be require, allow or forbid, not "${text}"`);
  return policy;
}

function parseSuite(text: string | undefined): SuiteId | undefined {
  if (text === undefined) return undefined;
  const byName = Object.values(SUITES).find((suite) => suite.name === text);
  const id = byName?.id ?? (/^(0x[0-9a-f]{1,4}|\d+)$/i.test(text) ? Number(text) : NaN);
  if (!SUITES[id as SuiteId])
    throw new UsageError(
      `--suite must be one of ${Object.keys(SUITES)
        .map((key) => `0x${Number(key).toString(16).padStart(4, '0')}`)
        .join(', ')}, not "${text}"`,
    );
  return id as SuiteId;
}

function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--${flag} must be a positive integer`);
  return Number(text);
}

function keyringFor(args: Args, action: 'encrypt' | 'decrypt'): Keyring {
  const raw = one(args, 'raw-aes-key');
  const dataKey = one(args, 'data-key');
  const endpoint = one(args, 'kms-endpoint');
  const chosen = [raw, dataKey, endpoint].filter((value) => value !== undefined).length;
  if (chosen !== 1)
    throw new UsageError(
      `${action} needs one key: --raw-aes-key with --key-namespace and --key-name, ` +
        `${action === 'decrypt' ? '--data-key, ' : ''}or --kms-endpoint with --kms-key-id`,
    );
  if (raw !== undefined) {
    const keyNamespace = one(args, 'key-namespace');
    const keyName = one(args, 'key-name');
    if (!keyNamespace || !keyName) throw new UsageError('--raw-aes-key needs --key-namespace and --key-name');
    return createRawAesKeyring({ keyNamespace, keyName, wrappingKey: base64Key(raw, 'raw-aes-key') });
  }
  if (dataKey !== undefined) {
    if (action === 'encrypt')
      throw new UsageError('--data-key only decrypts; encrypt with --raw-aes-key or --kms-endpoint');
    return createDataKeyKeyring(base64Key(dataKey, 'data-key'));
  }
  const keyIds = args.values['kms-key-id'] ?? [];
  if (action === 'encrypt' && keyIds.length === 0) throw new UsageError('--kms-endpoint needs --kms-key-id');
  const region = one(args, 'region') ?? process.env.AWS_REGION ?? keyIds[0]?.split(':')[3] ?? 'us-east-1';
  const kms = httpKms(endpoint!, region);
  const caller = { principalArn: 'the credentials in the environment' };
  return action === 'encrypt'
    ? createKmsKeyring({ kms, caller, generatorKeyId: keyIds[0], keyIds: keyIds.slice(1) })
    : createKmsKeyring({ kms, caller, ...(keyIds.length ? { keyIds } : { discovery: true }) });
}

/** The input, in chunks: a file, or stdin for "-". */
async function* inputChunks(file: string, context: CliContext): AsyncGenerator<Uint8Array> {
  const source =
    file === '-'
      ? (context.stdin ?? process.stdin)
      : createReadStream(path.resolve(context.cwd, file), { highWaterMark: CHUNK });
  for await (const chunk of source as AsyncIterable<Uint8Array | string>)
    yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

/** The message bytes of a binary, base64 or hex input, detected from its first bytes. */
async function* messageChunks(file: string, context: CliContext): AsyncGenerator<Uint8Array> {
  let start = new Uint8Array(0);
  let decoder: ReturnType<typeof createTextDecoder> | undefined;
  for await (const chunk of inputChunks(file, context)) {
    if (!decoder) {
      start = Buffer.concat([start, chunk]);
      // Wait for a few bytes that are not whitespace before deciding.
      if (start.filter((byte) => byte > 0x20).length < 4 && start.length < 64) continue;
      decoder = createTextDecoder(detectEncoding(start));
      yield decoder.push(start);
      continue;
    }
    yield decoder.push(chunk);
  }
  if (!decoder) {
    decoder = createTextDecoder(detectEncoding(start));
    yield decoder.push(start);
  }
  yield decoder.finish();
}

interface Sink {
  write(bytes: Uint8Array): Promise<void>;
  /** Makes the output visible (renames the staged file, or copies it to stdout). */
  commit(): Promise<void>;
  /** Removes what was staged. */
  discard(): Promise<void>;
}

const writeStdout = (context: CliContext, bytes: Uint8Array): Promise<void> =>
  context.writeStdout
    ? context.writeStdout(bytes)
    : new Promise((resolve, reject) =>
        process.stdout.write(bytes, (error) => (error ? reject(error) : resolve())),
      );

function directSink(context: CliContext): Sink {
  return {
    write: (bytes) => writeStdout(context, bytes),
    commit: async () => undefined,
    discard: async () => undefined,
  };
}

/** A private file (0600) beside the target, or in the temporary folder for stdout. */
async function stagedSink(out: string | undefined, context: CliContext): Promise<Sink> {
  const target = out === undefined ? undefined : path.resolve(context.cwd, out);
  const staged = target
    ? path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.partial`)
    : path.join(tmpdir(), `lab-envelope-${randomUUID()}.partial`);
  const handle = await open(staged, 'wx', 0o600);
  let closed = false;
  const close = async () => {
    if (!closed) await handle.close();
    closed = true;
  };
  return {
    async write(bytes) {
      if (bytes.length) await handle.write(bytes);
    },
    async commit() {
      await close();
      if (target) return rename(staged, target);
      try {
        for await (const chunk of createReadStream(staged, { highWaterMark: CHUNK }))
          await writeStdout(context, chunk as Buffer);
      } finally {
        await rm(staged, { force: true });
      }
    },
    async discard() {
      await close();
      await rm(staged, { force: true });
    },
  };
}

function encodedSink(sink: Sink, encoding: string | undefined): Sink {
  if (encoding === undefined) return sink;
  if (encoding === 'hex')
    return { ...sink, write: (bytes) => sink.write(Buffer.from(Buffer.from(bytes).toString('hex'))) };
  if (encoding !== 'base64') throw new UsageError(`--encode must be base64 or hex, not "${encoding}"`);
  // Base64 in groups of 3 bytes, so chunks join into one valid text.
  let carry = new Uint8Array(0);
  return {
    ...sink,
    async write(bytes) {
      const all = Buffer.concat([carry, bytes]);
      const usable = all.length - (all.length % 3);
      carry = all.subarray(usable);
      await sink.write(Buffer.from(all.subarray(0, usable).toString('base64')));
    },
    async commit() {
      await sink.write(Buffer.from(Buffer.from(carry).toString('base64') + '\n'));
      await sink.commit();
    },
  };
}

async function encryptCommand(args: Args, context: CliContext): Promise<void> {
  const keyring = keyringFor(args, 'encrypt');
  const options = {
    keyring,
    encryptionContext: parseContext(one(args, 'encryption-context')),
    suiteId: parseSuite(one(args, 'suite')),
    frameLength: positiveInteger(one(args, 'frame-length'), 'frame-length'),
    commitmentPolicy: parsePolicy(one(args, 'commitment-policy')),
    backend: nodeBackend,
  };
  const out = one(args, 'out');
  const encoding = one(args, 'encode');
  const sink = encodedSink(
    out === undefined ? directSink(context) : await stagedSink(out, context),
    encoding,
  );
  try {
    const encryptor = await createEncryptor(options);
    for await (const chunk of inputChunks(args.file!, context)) await sink.write(await encryptor.push(chunk));
    await sink.write(await encryptor.finish());
    await sink.commit();
  } catch (error) {
    await sink.discard();
    throw error;
  }
}

async function decryptCommand(args: Args, context: CliContext): Promise<void> {
  const decryptor = createDecryptor({
    keyring: keyringFor(args, 'decrypt'),
    encryptionContext: parseContext(one(args, 'encryption-context')),
    commitmentPolicy: parsePolicy(one(args, 'commitment-policy')),
    maxEncryptedDataKeys: positiveInteger(one(args, 'max-encrypted-data-keys'), 'max-encrypted-data-keys'),
    backend: nodeBackend,
  });
  const sink = await stagedSink(one(args, 'out'), context);
  try {
    for await (const chunk of messageChunks(args.file!, context))
      await sink.write(await decryptor.push(chunk));
    await sink.write(await decryptor.finish());
    await sink.commit();
  } catch (error) {
    await sink.discard();
    throw error;
  }
}

async function inspectCommand(args: Args, context: CliContext): Promise<void> {
  const inspector = createInspector();
  for await (const chunk of messageChunks(args.file!, context)) inspector.push(chunk);
  const { headerFields, parts, partsTruncated, ...summary } = inspector.finish();
  const layout = args.layout ? { headerFields, parts, partsTruncated } : {};
  context.stdout(JSON.stringify({ ...summary, ...layout }, null, 2) + '\n');
}

const ACTIONS: Record<string, (args: Args, context: CliContext) => Promise<void>> = {
  encrypt: encryptCommand,
  decrypt: decryptCommand,
  inspect: inspectCommand,
};

/** Why an operation failed, in one line: the envelope's own message, or the file system's. */
function failureText(error: unknown): string {
  if (isEnvelopeError(error)) return error.message;
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return `no such file: ${(error as NodeJS.ErrnoException).path}`;
  if (code === 'EACCES') return `permission denied: ${(error as NodeJS.ErrnoException).path}`;
  if (code === 'EISDIR') return 'the input is a folder, not a file';
  return error instanceof Error ? error.message : String(error);
}

export async function envelopeCommand(argv: string[], context: CliContext): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
    if (!ACTIONS[args.action ?? ''])
      throw new UsageError('the envelope commands are encrypt, decrypt and inspect');
    if (args.file === undefined)
      throw new UsageError(`envelope ${args.action} needs a FILE (or - for stdin)`);
    if (
      args.action !== 'encrypt' &&
      (one(args, 'suite') ?? one(args, 'frame-length') ?? one(args, 'encode')) !== undefined
    )
      throw new UsageError('--suite, --frame-length and --encode are encrypt options');
  } catch (error) {
    context.stderr(`lab envelope: ${(error as Error).message}\nRun "lab --help" for usage.\n`);
    return EXIT_USAGE;
  }
  try {
    await ACTIONS[args.action](args, context);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      context.stderr(`lab envelope: ${error.message}\nRun "lab --help" for usage.\n`);
      return EXIT_USAGE;
    }
    context.stderr(`lab envelope ${args.action}: ${failureText(error)}\n`);
    return EXIT_FAILED;
  }
}
