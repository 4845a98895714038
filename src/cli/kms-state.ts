/**
 * The lab KMS of the `lab kms` commands: built from a scenario file (or the default account) and a region, and,
 * with `--state DIR`, brought back from `DIR/kms-state.json` and saved there again, so keys, aliases, grants, the
 * lab clock and the trail survive restarts. The state file keeps the scenario it was made with, so later commands
 * on the same DIR need no `--scenario`.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { credentialsFor } from '../kms/credentials';
import { createHsm } from '../kms/crypto/hsm';
import { createKms, type Kms, type KmsSnapshot } from '../kms/kms';
import { formatLocatedError, formatLocatedWarning, loadScenario } from '../scenario/load';
import type { Scenario } from '../scenario/types';
import { readTextFile } from './files';

export const STATE_FILE = 'kms-state.json';
/** The HSM's domain key of a state directory: the saved key material is sealed under it (docs/kms.md, Snapshot). */
export const DOMAIN_KEY_FILE = 'domain-key';
const STATE_FORMAT = 'kms-policy-lab-state';

interface StateFile {
  format: typeof STATE_FORMAT;
  version: 1;
  /** The scenario the KMS was built from (absent: the default account). */
  scenario?: Scenario;
  kms: KmsSnapshot;
}

export type Opened<T> = { ok: true; value: T; warnings: string[] } | { ok: false; errors: string[] };

/** Reads and validates a scenario file; errors come back as `file:line:column  $.path: message` lines. */
export async function readScenarioFile(file: string, cwd: string): Promise<Opened<Scenario>> {
  const read = await readTextFile(file, cwd);
  if (!read.ok)
    return { ok: false, errors: [`${file}:${read.line ?? 1}:${read.column ?? 1}  ${read.message}`] };
  const loaded = loadScenario(read.text, file);
  if (!loaded.ok) return { ok: false, errors: loaded.errors.map(formatLocatedError) };
  return { ok: true, value: loaded.scenario, warnings: loaded.warnings.map(formatLocatedWarning) };
}

async function readStateFile(file: string): Promise<Opened<StateFile | undefined>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { ok: true, value: undefined, warnings: [] };
    return { ok: false, errors: [`${file}: cannot be read (${(error as Error).message})`] };
  }
  let parsed: StateFile;
  try {
    parsed = JSON.parse(text) as StateFile;
  } catch (error) {
    return { ok: false, errors: [`${file}:1:1  not a KMS state file: ${(error as Error).message}`] };
  }
  if (parsed?.format !== STATE_FORMAT || parsed.version !== 1 || typeof parsed.kms !== 'object')
    return {
      ok: false,
      errors: [`${file}:1:1  not a KMS state file (it has no "format": "${STATE_FORMAT}", "version": 1)`],
    };
  return { ok: true, value: parsed, warnings: [] };
}

export interface LabKmsSetup {
  scenarioFile?: string;
  region?: string;
  stateDir?: string;
  cwd: string;
}

export interface LabKms {
  kms: Kms;
  /** Where the state is kept, when `--state` was given. */
  stateFile?: string;
  /** Writes the state file (a no-op without `--state`). */
  save(): Promise<void>;
}

/** The one place the lab KMS of the CLI is made (its HSM, credentials and state). */
function makeKms(scenario: Scenario | undefined, region: string | undefined, domainKey?: Uint8Array): Kms {
  return createKms({ scenario, region, credentialsFor, hsm: createHsm({ domainKey }) });
}

/** The domain key kept in `dir`, made (32 random bytes, readable by the owner only) the first time. */
async function stateDomainKey(dir: string): Promise<Opened<Uint8Array>> {
  const file = path.join(dir, DOMAIN_KEY_FILE);
  try {
    const key = new Uint8Array(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64'));
    if (key.length !== 32) return { ok: false, errors: [`${file}:1:1  not a domain key (32 bytes, base64)`] };
    return { ok: true, value: key, warnings: [] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      return { ok: false, errors: [`${file}: cannot be read (${(error as Error).message})`] };
  }
  const key = globalThis.crypto.getRandomValues(new Uint8Array(32));
  await mkdir(dir, { recursive: true });
  await writeFile(file, `${Buffer.from(key).toString('base64')}\n`, { mode: 0o600 });
  return { ok: true, value: key, warnings: [] };
}

export async function openLabKms(setup: LabKmsSetup): Promise<Opened<LabKms>> {
  const warnings: string[] = [];
  let scenario: Scenario | undefined;
  if (setup.scenarioFile !== undefined) {
    const read = await readScenarioFile(setup.scenarioFile, setup.cwd);
    if (!read.ok) return read;
    scenario = read.value;
    warnings.push(...read.warnings);
  }
  let stateFile: string | undefined;
  let saved: StateFile | undefined;
  let domainKey: Uint8Array | undefined;
  if (setup.stateDir !== undefined) {
    const dir = path.resolve(setup.cwd, setup.stateDir);
    const info = await stat(dir).catch(() => undefined);
    if (info && !info.isDirectory()) return { ok: false, errors: [`${setup.stateDir}: not a directory`] };
    stateFile = path.join(dir, STATE_FILE);
    const read = await readStateFile(stateFile);
    if (!read.ok) return read;
    saved = read.value;
    const key = await stateDomainKey(dir);
    if (!key.ok) return key;
    domainKey = key.value;
  }
  scenario ??= saved?.scenario;
  const kms = makeKms(scenario, setup.region ?? saved?.kms.region, domainKey);
  await kms.ready;
  if (saved) {
    try {
      await kms.restore(saved.kms);
    } catch (error) {
      return {
        ok: false,
        errors: [`${stateFile}:1:1  the saved KMS state does not open: ${(error as Error).message}`],
      };
    }
  }
  const save = async () => {
    if (!stateFile) return;
    const state: StateFile = {
      format: STATE_FORMAT,
      version: 1,
      ...(scenario ? { scenario } : {}),
      kms: await kms.snapshot(),
    };
    await mkdir(path.dirname(stateFile), { recursive: true });
    // Written beside it, then renamed: a crash mid-write never leaves half a state.
    const partial = `${stateFile}.${process.pid}.partial`;
    await writeFile(partial, JSON.stringify(state));
    await rename(partial, stateFile);
  };
  return { ok: true, value: { kms, stateFile, save }, warnings };
}

/** The trail kept in a state directory, without building a KMS. */
export async function readSavedTrail(stateDir: string, cwd: string): Promise<Opened<KmsSnapshot['trail']>> {
  const file = path.join(path.resolve(cwd, stateDir), STATE_FILE);
  const read = await readStateFile(file);
  if (!read.ok) return read;
  if (!read.value)
    return {
      ok: false,
      errors: [`${stateDir}: holds no ${STATE_FILE} (start "lab kms serve --state ${stateDir}" first)`],
    };
  return { ok: true, value: read.value.kms.trail ?? [], warnings: [] };
}
