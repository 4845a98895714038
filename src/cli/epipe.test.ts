/**
 * `lab eval … | head`: the reader closes the pipe after a few bytes. The CLI must stop writing and exit with
 * the results' code, without an "Unhandled 'error' event … EPIPE" stack trace. Runs the real CLI (bin/lab.mjs)
 * in a shell pipeline into the real `head`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const LAB = path.resolve('bin/lab.mjs');
const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

let dir: string;

/** Runs `lab <args> | head -c 64` in sh; returns lab's own exit code and stderr (head's output is dropped). */
async function labIntoHead(args: string[]): Promise<{ code: number; stderr: string }> {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const codeFile = path.join(dir, `code-${Math.random().toString(36).slice(2)}`);
  const errFile = `${codeFile}.err`;
  await run('sh', [
    '-c',
    `{ '${process.execPath}' '${LAB}' ${quoted} 2>'${errFile}'; echo $? >'${codeFile}'; } | head -c 64 >/dev/null`,
  ]);
  return {
    code: Number((await readFile(codeFile, 'utf8')).trim()),
    stderr: await readFile(errFile, 'utf8'),
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lab-epipe-'));
  // Enough requests that the JSON output (several MB) cannot fit in the pipe's buffer before head exits.
  const requests = Array.from({ length: 3000 }, (_, i) => ({
    id: `r${i}`,
    principal: 'arn:aws:iam::111122223333:root',
    action: 'kms:DescribeKey',
    keyId: KEY,
    expect: i === 2999 ? 'Allow' : 'ImplicitDeny',
  }));
  await writeFile(path.join(dir, 'many.json'), JSON.stringify({ version: 1, keys: { [KEY]: {} }, requests }));
}, 30_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('lab eval … | head', () => {
  it("exits quietly with the results' code when head closes the pipe", { timeout: 120_000 }, async () => {
    const templates = await labIntoHead(['eval', path.resolve('scenarios/templates')]);
    expect(templates.stderr).toBe('');
    expect(templates.code).toBe(0);
    // The last request's expectation fails (the key has no policy), so the code stays 1 even unread.
    const failing = await labIntoHead(['eval', path.join(dir, 'many.json')]);
    expect(failing.stderr).toBe('');
    expect(failing.code).toBe(1);
  });
});
