import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateScenario, lintPolicy } from '../engine/index';
import { cloudTrailEvent, cloudTrailFile, lookupEventsOutput } from '../replay/fixtures';
import { KEY, replayEvents, replayScenario, session } from '../replay/test-scenario';
import { runCli } from './commands';

/** `lab replay` end to end: files, folders, gzip, formats and exit codes, in-process and through bin/lab.mjs. */
const ROOT = path.resolve(__dirname, '../..');
let dir: string;

async function lab(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd: dir,
    root: ROOT,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    engine: { evaluateScenario: (s, sources) => evaluateScenario(s, { sources }), lintPolicy },
  });
  return { code, stdout, stderr };
}

const S3_FOLDER = path.join('AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2026', '11');

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-replay-'));
  const events = replayEvents();
  const unchanged = [events[0], events[3], events[5]]; // answered alike before and after
  await mkdir(path.join(dir, S3_FOLDER, '27'), { recursive: true });
  await mkdir(path.join(dir, S3_FOLDER, '28'), { recursive: true });
  await mkdir(path.join(dir, 'AWSLogs', '111122223333', 'CloudTrail-Digest'), { recursive: true });
  const files: Record<string, string | Buffer> = {
    'scenario.json': JSON.stringify(replayScenario, null, 2),
    'invalid-scenario.json': '{"version": 1, "keys": {"nope": {}}}',
    // AWS refuses a policy whose Condition is not an object (issue 8: it can never be in force).
    'refused-scenario.json': JSON.stringify(
      {
        ...replayScenario,
        titel: 'a misspelt field',
        keys: {
          [KEY]: {
            policy: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: 'arn:aws:iam::111122223333:root' },
                  Action: 'kms:*',
                  Resource: '*',
                  Condition: 'StringEquals',
                },
              ],
            },
          },
        },
      },
      null,
      2,
    ),
    'trail.json': cloudTrailFile(events),
    'clean.json': cloudTrailFile(unchanged),
    'lookup.json': lookupEventsOutput(unchanged),
    [path.join(S3_FOLDER, '27', 'a.json.gz')]: gzipSync(cloudTrailFile(events.slice(0, 6))),
    [path.join(S3_FOLDER, '28', 'b.json.gz')]: gzipSync(cloudTrailFile(events.slice(6, 12))),
    [path.join(S3_FOLDER, '28', 'notes.txt')]: 'not a trail',
    [path.join('AWSLogs', '111122223333', 'CloudTrail-Digest', 'digest.json.gz')]:
      gzipSync('{"digest": true}'),
    'damaged.json.gz': gzipSync(cloudTrailFile(events)).subarray(0, 200),
    'no-kms.json': JSON.stringify({
      Records: [
        { eventVersion: '1.08', eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventID: 's3-1' },
      ],
    }),
  };
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  await mkdir(path.join(dir, 'empty'));
  // A link to the logs, and a link loop inside them: read once, never forever.
  await symlink(path.join(dir, 'AWSLogs'), path.join(dir, 'linked'));
  await symlink(path.join(dir, 'AWSLogs'), path.join(dir, S3_FOLDER, 'loop'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('lab replay', () => {
  it('prints one JSON row per changed call, then the groups and the summary, and exits 1', async () => {
    const { code, stdout, stderr } = await lab('replay', '--scenario', 'scenario.json', 'AWSLogs');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.changed.map((row: { eventId: string }) => row.eventId)).toEqual([
      'e2',
      'e3',
      'e5',
      'e7',
      'e11',
    ]);
    expect(report.changed[0]).toEqual({
      eventTime: '2026-11-22T09:02:00Z',
      eventId: 'e2',
      caller: session('Payroll', 's2'),
      role: 'arn:aws:iam::111122223333:role/Payroll',
      action: 'kms:Decrypt',
      key: KEY,
      aws: 'Allow',
      awsError: '',
      decision: 'ImplicitDeny',
      outcome: 'AccessDeniedException',
      change: 'would deny',
      decidedBy: [],
      explanation: expect.stringMatching(/kms:EncryptionContext:dept was "sales"/),
      file: path.join(S3_FOLDER, '27', 'a.json.gz'),
      path: '$.Records[1]',
      line: 1,
      column: expect.any(Number),
    });
    expect(report.groups[0]).toMatchObject({ caller: 'arn:aws:iam::111122223333:role/Payroll', replayed: 3 });
    expect(report.summary).toMatchObject({ read: 12, kms: 11, replayed: 11, changed: 5, malformed: 0 });
    // The digest folder and other files are not read; the summary line is on stderr.
    expect(stderr).toBe(
      '12 events read from 2 files, 11 KMS events, 11 replayed, 5 changed (4 would be denied, 1 would be allowed), ' +
        "1 skipped (1 not KMS), 0 malformed. Note: 1 calls name only the caller's account (decided as that account's root user).\n",
    );
  });

  it('follows links to folders, reading each folder once', async () => {
    const { code, stderr } = await lab('replay', '--scenario', 'scenario.json', 'linked');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^12 events read from 2 files, /);
  });

  it('writes CSV, one row per changed call', async () => {
    const { code, stdout } = await lab(
      'replay',
      '--scenario',
      'scenario.json',
      'trail.json',
      '--format',
      'csv',
    );
    expect(code).toBe(1); // changes found: 1, though trail.json also holds a malformed record
    const lines = stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'eventTime,eventId,caller,role,action,key,aws,awsError,decision,outcome,change,decidedBy,explanation,file,path,line,column',
    );
    expect(lines).toHaveLength(6);
    expect(lines[2]).toMatch(
      /^2026-11-23T09:03:00Z,e3,arn:aws:sts::111122223333:assumed-role\/Payroll\/s3,.*,Deny,AccessDenied,Allow,Success,would allow,"key policy #2 ""PayrollDecrypt""","Payroll \(session s3\) is allowed: /,
    );
  });

  it('prints a table for people: changes by caller and action, then the changed calls and the summary', async () => {
    const { code, stdout, stderr } = await lab(
      'replay',
      '--scenario',
      'scenario.json',
      'trail.json',
      '--format=table',
      '--limit',
      '2',
    );
    expect(code).toBe(1); // the malformed record is reported; the changes decide the exit code
    expect(stderr).toMatch(
      /^trail\.json:1:\d+ {2}\$\.Records\[14\]\.requestParameters\.encryptionContext: encryptionContext is not an object of string values\.\n$/,
    );
    expect(stdout).toMatch(
      /^Changes by caller and action:\ncaller +action +would deny +would allow +would fail +replayed/,
    );
    expect(stdout).toMatch(
      /arn:aws:iam::111122223333:role\/Payroll +kms:Decrypt +1 +1 +0 +3 +would deny 1 call AWS allowed, would allow 1 call AWS denied \(of 3\)/,
    );
    expect(stdout).toMatch(/Changed calls \(the first 2 of 5; --format json or csv lists them all\):/);
    expect(stdout).toMatch(
      /\n16 events read from 1 file, 15 KMS events, 11 replayed, 5 changed .* 1 malformed\.? /,
    );
  });

  it('exits 0 when no decision changes, for files and lookup-events output alike', async () => {
    const { code, stdout } = await lab(
      'replay',
      '--scenario',
      'scenario.json',
      'clean.json',
      'lookup.json',
      '--format',
      'table',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^No decision changes: the scenario answers every replayed call as AWS did\./);
    // lookup.json holds the same three events as clean.json: replayed once, the copies counted as duplicates.
    expect(stdout).toMatch(
      /6 events read from 2 files, 6 KMS events, 3 replayed, 0 changed, 3 skipped \(3 duplicate event IDs\)/,
    );
  });

  it('says what lab eval says of the scenario, and refuses to test a policy AWS would refuse (exit 2)', async () => {
    const { code, stdout, stderr } = await lab('replay', '--scenario', 'refused-scenario.json', 'clean.json');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^refused-scenario\.json:\d+:\d+ {2}\$\.titel: warning: .*title/m);
    expect(stderr).toMatch(
      /^refused-scenario\.json:\d+:\d+ {2}\$\.keys\["arn:aws:kms:[^"]+"\]\.policy\.Statement\[0\]\.Condition: error: AWS would refuse the key policy/m,
    );
    expect(JSON.parse(stdout).summary).toMatchObject({ replayed: 0, skippedBy: { 'rejected-policy': 3 } });
  });

  it('exits 2 for unreadable input, naming the file, and still replays the rest', async () => {
    const damaged = await lab('replay', '--scenario', 'scenario.json', 'damaged.json.gz', 'clean.json');
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toMatch(
      /^damaged\.json\.gz: cannot read: the gzip data is damaged \(unexpected end of file\)/,
    );
    expect(JSON.parse(damaged.stdout).summary).toMatchObject({ replayed: 3 });

    const missing = await lab('replay', '--scenario', 'scenario.json', 'nowhere.json', 'empty');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nowhere\.json: no such file or folder\n/);
    expect(missing.stderr).toMatch(/empty: the folder holds no \.json, \.json\.gz or \.jsonl files\n/);

    const scenario = await lab('replay', '--scenario', 'invalid-scenario.json', 'clean.json');
    expect(scenario.code).toBe(2);
    expect(scenario.stderr).toMatch(/^invalid-scenario\.json:1:\d+ {2}\$\.keys\.nope: /);
    expect(scenario.stdout).toBe('');

    expect(await lab('replay', 'clean.json')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/needs --scenario/),
    });
    expect(await lab('replay', '--scenario', 'scenario.json')).toMatchObject({ code: 2 });
    expect(await lab('replay', '--scenario', 'scenario.json', 'x', '--format', 'xml')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--format must be table, json or csv/),
    });
  });
});

describe('lab replay through bin/lab.mjs', () => {
  const exec = promisify(execFile);

  it('runs as a command, and a closed pipe (| head) ends it quietly', async () => {
    // Enough changed calls that the CSV outgrows the pipe's buffer before head closes it.
    const many = Array.from({ length: 4000 }, (_, i) =>
      cloudTrailEvent({
        caller: session('Payroll', `s${i}`),
        eventName: 'Decrypt',
        keyArn: KEY,
        encryptionContext: { dept: 'sales' },
        eventId: `m${i}`,
      }),
    );
    await writeFile(path.join(dir, 'many.json'), cloudTrailFile(many));
    const lab = path.join(ROOT, 'bin/lab.mjs');
    const run = await exec(
      '/bin/sh',
      [
        '-c',
        `"${process.execPath}" "${lab}" replay --scenario scenario.json many.json --format csv | head -3`,
      ],
      { cwd: dir },
    );
    expect(run.stdout.split('\n').slice(0, 2)[1]).toMatch(/^2026-11-28T09:14:03Z,m0,/);
    expect(run.stderr).not.toMatch(/EPIPE|Error/);
    const full = await exec(process.execPath, [lab, 'replay', '--scenario', 'scenario.json', 'clean.json'], {
      cwd: dir,
    });
    expect(JSON.parse(full.stdout).summary.replayed).toBe(3);
  }, 60_000);

  it('says "Nothing replayed" (not "No decision changes") and exits 2 when no KMS call was replayed', async () => {
    const { code, stdout } = await lab(
      'replay',
      '--scenario',
      'scenario.json',
      'no-kms.json',
      '--format',
      'table',
    );
    expect(code).toBe(2);
    expect(stdout).toMatch(/^Nothing replayed: 0 KMS events among 1 records read/);
    expect(stdout).not.toMatch(/No decision changes/);
  });

  it('names the files of a folder given by its absolute path absolutely, and heads every table column', async () => {
    const { code, stdout } = await lab(
      'replay',
      '--scenario',
      'scenario.json',
      path.join(dir, S3_FOLDER),
      '--format',
      'table',
    );
    expect(code).toBe(1);
    expect(stdout).toContain(`${path.join(dir, S3_FOLDER, '27', 'a.json.gz')}:`);
    expect(stdout).not.toMatch(/\.\.\//);
    const header = stdout.split('\n').find((line) => line.startsWith('caller'))!;
    expect(header.trimEnd()).toMatch(/replayed +why$/);
  });

  it('replays an event delivered twice once, and counts the duplicate', async () => {
    const once = await lab('replay', '--scenario', 'scenario.json', 'clean.json');
    const twice = await lab(
      'replay',
      '--scenario',
      'scenario.json',
      'clean.json',
      'clean.json',
      'lookup.json',
    );
    const onceSummary = JSON.parse(once.stdout).summary;
    const twiceSummary = JSON.parse(twice.stdout).summary;
    expect(twiceSummary.replayed).toBe(onceSummary.replayed);
    expect(twiceSummary.skippedBy.duplicate).toBe(2 * onceSummary.replayed);
    expect(twice.stderr).toMatch(/duplicate event IDs/);
  });
});
