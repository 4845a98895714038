/**
 * Trail replay speed (issue 8 "Measure"): `lab replay` over a generated trail of 1,000,000 KMS events from 2,000 role
 * sessions (plus 50,000 events of other services), in gzipped CloudTrail files of 5,000 records (~7 MB of JSON,
 * ~0.3 MB gzipped, as CloudTrail delivers every few minutes for a busy account). The replay runs in a child process
 * so its peak memory (maxRSS) is its own. Figures: events per second of the child's CPU time, parsing and gunzip
 * included (target ≥ 200,000/s), wall clock beside it, and peak memory (target ≤ 200 MB).
 * Run: node --import tsx scripts/bench/30-replay.ts [events]   (KEEP=<folder> generates the trail there and keeps it,
 * to profile the replay on it: node --cpu-prof --import tsx scripts/bench/30-replay.ts --child <scenario> <trail>)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cloudTrailEvent } from '../../src/replay/fixtures';
import type { Scenario } from '../../src/scenario/types';

const A = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLES = Array.from({ length: 20 }, (_, i) => `Team-${i}`);
const SESSIONS = 2_000;
const RECORDS_PER_FILE = 5_000;

const role = (name: string) => `arn:aws:iam::${A}:role/${name}`;

/** The change being tested: Team-7 may no longer decrypt outside department "sales"; everything else as before. */
const scenario: Scenario = {
  version: 2,
  principals: Object.fromEntries(
    ROLES.map((name) => [
      role(name),
      {
        policies: [
          {
            name: 'KmsUse',
            document: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*'],
                  Resource: `arn:aws:kms:*:${A}:key/*`,
                },
              ],
            },
          },
        ],
        tags: { team: name },
      },
    ]),
  ),
  keys: {
    [KEY]: {
      aliases: ['alias/app'],
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'Enable IAM policies',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${A}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'Team-7 only for sales',
            Effect: 'Deny',
            Principal: { AWS: role('Team-7') },
            Action: 'kms:Decrypt',
            Resource: '*',
            Condition: { StringNotEquals: { 'kms:EncryptionContext:dept': 'sales' } },
          },
          {
            Sid: 'Only from the VPC or through S3',
            Effect: 'Deny',
            Principal: '*',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: {
              NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8'] },
              Null: { 'aws:SourceVpce': 'true' },
              Bool: { 'aws:ViaAWSService': 'false' },
            },
          },
        ],
      },
    },
  },
};

const DEPARTMENTS = ['sales', 'payroll', 'ops', 'research', 'legal'];
const OPERATIONS = ['Decrypt', 'Decrypt', 'Decrypt', 'GenerateDataKey', 'Encrypt'];

function* records(kmsEvents: number): Generator<string> {
  const otherEvery = 20; // one event of another service per 20 KMS events
  let seconds = Date.UTC(2026, 10, 1) / 1000;
  for (let i = 0; i < kmsEvents; i++) {
    const session = i % SESSIONS;
    const roleName = ROLES[session % ROLES.length];
    const caller = `arn:aws:sts::${A}:assumed-role/${roleName}/session-${session}`;
    const kind = i % 10;
    seconds += i % 3 === 0 ? 1 : 0;
    const eventTime = new Date(seconds * 1000).toISOString().replace('.000', '');
    const eventId = `0b9e7d44-1a2f-4c8e-8f3a-${i.toString(16).padStart(12, '0')}`;
    yield JSON.stringify(
      cloudTrailEvent({
        caller,
        eventName: OPERATIONS[i % OPERATIONS.length],
        keyArn: KEY,
        keyId: kind === 9 ? 'alias/app' : undefined,
        encryptionContext: { dept: DEPARTMENTS[(i >> 3) % DEPARTMENTS.length], tenant: `t-${(i >> 5) % 97}` },
        sourceIp: `10.${(session >> 8) & 255}.${session & 255}.${(i >> 11) & 255}`,
        vpcEndpointId: kind === 7 ? 'vpce-0a1b2c3d4e5f60718' : undefined,
        invokedBy: kind === 8 ? 's3.amazonaws.com' : undefined,
        errorCode: i % 97 === 0 ? 'AccessDenied' : undefined,
        eventTime,
        eventId,
      }),
    );
    if (i % otherEvery === 0)
      yield JSON.stringify(
        cloudTrailEvent({
          caller,
          eventName: 'GetObject',
          eventSource: 's3.amazonaws.com',
          eventTime,
          eventId: `1c9e7d44-1a2f-4c8e-8f3a-${i.toString(16).padStart(12, '0')}`,
        }),
      );
  }
}

function generate(dir: string, kmsEvents: number): { files: number; bytes: number; gzipped: number } {
  let batch: string[] = [];
  let files = 0;
  let bytes = 0;
  let gzipped = 0;
  const flush = () => {
    const text = `{"Records":[${batch.join(',')}]}`;
    const day = path.join(
      dir,
      'AWSLogs',
      A,
      'CloudTrail',
      'us-east-1',
      '2026',
      '11',
      String(1 + (files % 28)).padStart(2, '0'),
    );
    const file = path.join(
      day,
      `${A}_CloudTrail_us-east-1_20261101T${String(files).padStart(6, '0')}Z_bench.json.gz`,
    );
    const gz = gzipSync(text);
    writeFileSync(file, gz, { flag: 'w' });
    bytes += text.length;
    gzipped += gz.length;
    files++;
    batch = [];
  };
  for (let d = 1; d <= 28; d++)
    spawnSync('mkdir', [
      '-p',
      path.join(dir, 'AWSLogs', A, 'CloudTrail', 'us-east-1', '2026', '11', String(d).padStart(2, '0')),
    ]);
  for (const record of records(kmsEvents)) {
    batch.push(record);
    if (batch.length === RECORDS_PER_FILE) flush();
  }
  if (batch.length > 0) flush();
  return { files, bytes, gzipped };
}

/** In the child: run `lab replay` in-process, output to nowhere, then report CPU time and peak memory on stderr. */
async function child(scenarioFile: string, trail: string): Promise<void> {
  const { runCli } = await import('../../src/cli/commands');
  const engine = await import('../../src/engine/index');
  const wallStart = performance.now();
  let summary = '';
  const code = await runCli(['replay', '--scenario', scenarioFile, trail, '--format', 'json'], {
    cwd: process.cwd(),
    root: process.cwd(),
    stdout: () => {},
    stderr: (text) => (summary += text),
    engine: {
      evaluateScenario: (s, sources) => engine.evaluateScenario(s, { sources }),
      lintPolicy: engine.lintPolicy,
    },
  });
  const usage = process.resourceUsage();
  process.stderr.write(
    JSON.stringify({
      code,
      summary: summary.trim().split('\n').pop(),
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      wallMs: performance.now() - wallStart,
      maxRssMb: usage.maxRSS / 1024,
    }) + '\n',
  );
}

async function main(): Promise<void> {
  const kmsEvents = Number(process.argv[2] ?? 1_000_000);
  const dir = process.env.KEEP ?? mkdtempSync(path.join(tmpdir(), 'lab-replay-bench-'));
  try {
    const started = performance.now();
    const { files, bytes, gzipped } = generate(dir, kmsEvents);
    const scenarioFile = path.join(dir, 'scenario.json');
    writeFileSync(scenarioFile, JSON.stringify(scenario, null, 2));
    console.log(
      `  trail: ${kmsEvents.toLocaleString('en-US')} KMS events from ${SESSIONS.toLocaleString('en-US')} sessions, ` +
        `${(kmsEvents / 20).toLocaleString('en-US')} others, in ${files} gzipped files ` +
        `(${(bytes / 1024 / 1024).toFixed(0)} MB of JSON, ${(gzipped / 1024 / 1024).toFixed(1)} MB gzipped; generated in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    const self = fileURLToPath(import.meta.url);
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', self, '--child', scenarioFile, path.join(dir, 'AWSLogs')],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const lines = run.stderr.trim().split('\n');
    const figures = JSON.parse(lines[lines.length - 1]) as {
      code: number;
      summary: string;
      cpuMs: number;
      wallMs: number;
      maxRssMb: number;
    };
    console.log(`  ${figures.summary} (exit ${figures.code})`);
    const events = kmsEvents * 1.05;
    const perCpuSecond = (events * 1000) / figures.cpuMs;
    const perWallSecond = (events * 1000) / figures.wallMs;
    console.log(
      `lab replay: ${Math.round(perCpuSecond).toLocaleString('en-US')} events/s of CPU time, gunzip and parsing included (target ≥ 200,000/s, ratio ${(perCpuSecond / 200_000).toFixed(2)}); wall clock ${Math.round(perWallSecond).toLocaleString('en-US')}/s`,
    );
    console.log(
      `lab replay peak memory: ${figures.maxRssMb.toFixed(0)} MB maxRSS (target ≤ 200 MB, ratio ${(figures.maxRssMb / 200).toFixed(2)})`,
    );
  } finally {
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await main();
