import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateScenario } from '../engine/index';
import { formatLocatedError, loadScenario } from './load';

/** The scenario files in scenarios/ (the CLI examples and the lab templates) are content: test them like code. */
const SCENARIOS = path.resolve(__dirname, '../../scenarios');
const TEMPLATES = path.join(SCENARIOS, 'templates');

function scenarioFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return scenarioFiles(full);
    return entry.name.endsWith('.json') && entry.name !== 'index.json' ? [full] : [];
  });
}

const files = scenarioFiles(SCENARIOS);
const relative = (file: string) => path.relative(SCENARIOS, file);

describe('scenario files', () => {
  it('exist: the eight templates, the two classic examples among them', () => {
    expect(files.map(relative).sort()).toEqual(
      [
        'templates/api-default-key-policy.json',
        'templates/aws-managed-key.json',
        'templates/console-default-key-policy.json',
        'templates/cross-account.json',
        'templates/grants-encryption-context.json',
        'templates/scp-guardrail.json',
        'templates/separation-of-duties.json',
        'templates/vpc-endpoint-only.json',
      ].sort(),
    );
  });

  it.each(files.map(relative))('%s loads, and every request has a description and an expect', (name) => {
    const loaded = loadScenario(readFileSync(path.join(SCENARIOS, name), 'utf8'), name);
    if (!loaded.ok) throw new Error(loaded.errors.map(formatLocatedError).join('\n'));
    const { scenario } = loaded;
    expect(scenario.title).toBeTruthy();
    expect(scenario.description?.length).toBeGreaterThan(200);
    const requests = scenario.requests ?? [];
    expect(requests.length).toBeGreaterThanOrEqual(4);
    for (const request of requests) {
      expect(request.description, request.id).toBeTruthy();
      expect(request.expect, request.id).toBeTruthy();
    }
    // Each lesson shows both sides: something allowed and something refused.
    expect(requests.some((r) => r.expect === 'Allow')).toBe(true);
    expect(requests.some((r) => r.expect !== 'Allow')).toBe(true);
  });

  it.each(files.map(relative))('%s: the engine gives every request its expected result', (name) => {
    const loaded = loadScenario(readFileSync(path.join(SCENARIOS, name), 'utf8'), name);
    if (!loaded.ok) throw new Error(loaded.errors.map(formatLocatedError).join('\n'));
    const results = evaluateScenario(loaded.scenario, { sources: loaded.sources });
    const misses = results
      .filter((r) => !r.pass)
      .map((r) => `${r.id}: expected ${r.expect}, got ${r.decision}/${r.outcome}: ${r.explanation}`);
    expect(misses).toEqual([]);
    expect(results.map((r) => r.id)).toEqual((loaded.scenario.requests ?? []).map((r) => r.id));
  });

  it('templates/index.json lists every template once, with its title and a one-line summary', () => {
    const index = JSON.parse(readFileSync(path.join(TEMPLATES, 'index.json'), 'utf8')) as {
      version: number;
      templates: { id: string; file: string; title: string; summary: string }[];
    };
    expect(index.version).toBe(1);
    const templateFiles = files.filter((f) => path.dirname(f) === TEMPLATES).map((f) => path.basename(f));
    expect(index.templates.map((t) => t.file).sort()).toEqual(templateFiles.sort());
    for (const entry of index.templates) {
      expect(entry.id).toBe(entry.file.replace(/\.json$/, ''));
      const scenario = JSON.parse(readFileSync(path.join(TEMPLATES, entry.file), 'utf8'));
      expect(entry.title).toBe(scenario.title);
      expect(entry.summary.length).toBeGreaterThan(20);
      expect(entry.summary).not.toMatch(/\n/);
    }
  });
});
