/**
 * Envelope speed and memory (issue 10 "Performance"), in Node:
 * - peak memory of `lab envelope encrypt` and `decrypt` streaming a 64 MB and a 256 MB file to a file, each in its
 *   own child process, beside the same commands on a 1 KB file (the baseline): the input is never held whole;
 * - encrypt and decrypt throughput of one 64 MB input held in memory, frame length 4096, for the default suite
 *   0x0578 (signed) and for 0x0478: the lab with the node:crypto backend (what the CLI runs), with the portable
 *   one as a stream runs it (WebCrypto AES-GCM, @noble/hashes for the signature: what a Worker streams with) and as
 *   the whole-buffer calls run it (the signature hashed by one WebCrypto digest), against the real @aws-crypto/client-node
 *   on the same input and wrapping key, as a ratio (target: at least as fast, ≥ 1); and bare WebCrypto AES-256-GCM
 *   over the same 4 KB frames, 64 in flight, the ceiling of the portable backend.
 * Best of two runs; figures are printed, nothing is asserted. The browser figures belong to the UI's benchmark.
 * Run: node --import tsx scripts/bench/70-envelope.ts [megabytes]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';
import { nodeBackend } from '../../src/cli/node-backend';
import {
  decrypt,
  encrypt,
  webCryptoBackend,
  type CryptoBackend,
  type SuiteId,
} from '../../src/envelope/index';
import { createRawAesKeyring } from '../../src/envelope/raw-aes-keyring';

const WRAPPING_KEY = new Uint8Array(32).fill(7);
const RAW_FLAGS = [
  '--raw-aes-key',
  Buffer.from(WRAPPING_KEY).toString('base64'),
  '--key-namespace',
  'bench',
  '--key-name',
  'k',
];
const FRAME = 4096;
const MB = 2 ** 20;

/** Peak resident memory of this process. Linux's VmHWM starts afresh at exec; maxRSS would include the parent's. */
function peakMemoryMb(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

// ---- streaming memory, one child process per command ----

interface ChildFigures {
  code: number;
  stderr: string;
  peakMb: number;
  wallMs: number;
}

async function child(args: string[]): Promise<void> {
  const { runCli } = await import('../../src/cli/commands');
  let stderr = '';
  const started = performance.now();
  const code = await runCli(['envelope', ...args], {
    cwd: process.cwd(),
    root: process.cwd(),
    stdout: () => undefined,
    stderr: (text) => (stderr += text),
    engine: {} as never,
    writeStdout: async () => undefined,
  });
  const figures: ChildFigures = { code, stderr, peakMb: peakMemoryMb(), wallMs: performance.now() - started };
  process.stderr.write(JSON.stringify(figures) + '\n');
}

function runChild(args: string[]): ChildFigures {
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', ...args], {
    encoding: 'utf8',
  });
  const figures = JSON.parse(run.stderr.trim().split('\n').pop()!) as ChildFigures;
  if (figures.code !== 0) throw new Error(`lab envelope ${args[0]} failed: ${figures.stderr}`);
  return figures;
}

function streamingMemory(size: number): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-envelope-bench-'));
  try {
    const block = new Uint8Array(MB);
    for (let i = 0; i < MB; i += 65536) crypto.getRandomValues(block.subarray(i, i + 65536));
    const small = path.join(dir, 'small.bin');
    writeFileSync(small, block.subarray(0, 1024));
    const sizes = [size, 4 * size];
    const files = sizes.map((bytes) => {
      const file = path.join(dir, `${bytes / MB}mb.bin`);
      writeFileSync(file, Buffer.concat(Array.from({ length: bytes / MB }, () => block)));
      return file;
    });
    console.log(
      'Peak memory of `lab envelope` streaming file to file (0x0578, frame length 4096, node:crypto backend)',
    );
    const measure = (input: string, label: string) => {
      const encrypted = runChild(['encrypt', input, ...RAW_FLAGS, '--out', `${input}.msg`]);
      const decrypted = runChild(['decrypt', `${input}.msg`, ...RAW_FLAGS, '--out', `${input}.back`]);
      rmSync(`${input}.msg`, { force: true });
      rmSync(`${input}.back`, { force: true });
      const seconds = (figures: ChildFigures) => `${(figures.wallMs / 1000).toFixed(1)} s`.padStart(6);
      console.log(
        `  ${label.padEnd(22)} encrypt ${encrypted.peakMb.toFixed(0).padStart(4)} MB (${seconds(encrypted)})` +
          `   decrypt ${decrypted.peakMb.toFixed(0).padStart(4)} MB (${seconds(decrypted)})`,
      );
      return Math.max(encrypted.peakMb, decrypted.peakMb);
    };
    const baseline = measure(small, '1 KB file (baseline)');
    const peaks = files.map((file, i) => measure(file, `${sizes[i] / MB} MB file`));
    console.log(
      `  peak above the baseline: ${peaks.map((peak, i) => `${(peak - baseline).toFixed(0)} MB for ${sizes[i] / MB} MB`).join(', ')}` +
        ' (it does not grow with the file: the input is never held whole)',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- throughput in memory ----

async function bestSeconds(run: () => Promise<unknown>, times = 2): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run();
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  return best;
}

async function throughput(size: number): Promise<void> {
  const plaintext = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(plaintext.subarray(i, i + 65536));
  const labKeyring = createRawAesKeyring({ keyNamespace: 'bench', keyName: 'k', wrappingKey: WRAPPING_KEY });
  const sdkKeyring = new RawAesKeyringNode({
    keyNamespace: 'bench',
    keyName: 'k',
    unencryptedMasterKey: WRAPPING_KEY,
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    utf8Sorting: true,
  });
  const sdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  const encryptionContext = { purpose: 'bench' };
  const rate = (seconds: number) => size / 1e6 / seconds;
  const cell = (value: number) => value.toFixed(0).padStart(8);
  const ratio = (value: number) => value.toFixed(2).padStart(8);

  console.log(`\nThroughput, ${size / MB} MB in memory, frame length ${FRAME} (MB/s, best of 2)`);
  console.log(`  ${''.padEnd(46)} encrypt  decrypt`);
  for (const suiteId of [0x0578, 0x0478] as SuiteId[]) {
    const hex = `0x${suiteId.toString(16).padStart(4, '0')}`;
    let sdkMessage: Uint8Array = new Uint8Array(0);
    const sdkEnc = rate(
      await bestSeconds(async () => {
        sdkMessage = (
          await sdk.encrypt(sdkKeyring, plaintext, { suiteId, frameLength: FRAME, encryptionContext })
        ).result;
      }),
    );
    const sdkDec = rate(await bestSeconds(() => sdk.decrypt(sdkKeyring, sdkMessage)));
    console.log(`  ${`@aws-crypto/client-node ${hex}`.padEnd(46)} ${cell(sdkEnc)} ${cell(sdkDec)}`);
    // The two portable runs differ only in the signature's hash, so 0x0478 (unsigned) needs one.
    const backends: [string, CryptoBackend | undefined][] = [
      ['node:crypto', nodeBackend],
      ...(suiteId === 0x0578
        ? [['portable, as streamed (noble SHA)', webCryptoBackend] as [string, CryptoBackend]]
        : []),
      ['portable, whole buffer (default)', undefined],
    ];
    for (const [name, backend] of backends) {
      let message: Uint8Array = new Uint8Array(0);
      const enc = rate(
        await bestSeconds(async () => {
          message = (
            await encrypt(plaintext, {
              keyring: labKeyring,
              suiteId,
              frameLength: FRAME,
              encryptionContext,
              backend,
            })
          ).message;
        }),
      );
      const dec = rate(await bestSeconds(() => decrypt(message, { keyring: labKeyring, backend })));
      console.log(`  ${`lab ${hex}, ${name}`.padEnd(46)} ${cell(enc)} ${cell(dec)}`);
      console.log(
        `  ${'  ratio to the SDK (target ≥ 1)'.padEnd(46)} ${ratio(enc / sdkEnc)} ${ratio(dec / sdkDec)}`,
      );
    }
  }

  const key = await crypto.subtle.importKey('raw', new Uint8Array(32), 'AES-GCM', false, ['encrypt']);
  const bare = await bestSeconds(async () => {
    const inFlight: Promise<ArrayBuffer>[] = [];
    for (let at = 0; at < size; at += FRAME) {
      inFlight.push(
        crypto.subtle.encrypt(
          { name: 'AES-GCM', iv: new Uint8Array(12) },
          key,
          plaintext.subarray(at, at + FRAME),
        ),
      );
      if (inFlight.length >= 64) await inFlight.shift();
    }
    await Promise.all(inFlight);
  });
  console.log(`  ${'bare WebCrypto AES-256-GCM, 4 KB, 64 at once'.padEnd(46)} ${cell(rate(bare))}`);
}

if (process.argv[2] === '--child') {
  await child(process.argv.slice(3));
} else {
  const size = Number(process.argv[2] ?? 64) * MB;
  streamingMemory(size);
  await throughput(size);
}
