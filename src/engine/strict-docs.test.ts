/** docs/engine.md ("Strict input") lists the same read parameters and rejected findings as the code. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REJECTED_BY_AWS } from './lint/rejected';
import { REQUEST_PARAMETERS } from './request-parameters';

const docs = readFileSync(path.resolve(__dirname, '../../docs/engine.md'), 'utf8');
const section = docs.slice(
  docs.indexOf('## Strict input'),
  docs.indexOf('\n## ', docs.indexOf('## Strict input') + 3),
);
const rows = section.split('\n').filter((line) => line.startsWith('| '));

describe('docs/engine.md, Strict input', () => {
  it('lists exactly the parameters each operation reads', () => {
    for (const [operation, params] of Object.entries(REQUEST_PARAMETERS)) {
      const row = rows.find((r) => r.startsWith(`| ${operation} `));
      expect(row, operation).toBeDefined();
      const listed = [...row!.split('|')[2].matchAll(/`(\w+)`/g)].map((m) => m[1]);
      expect(listed).toEqual(params.flatMap((p) => [p.name, ...(p.fields ?? [])]));
    }
  });

  it('lists exactly the findings of the "AWS rejects this" kind', () => {
    const listed = rows.map((r) => /^\| `([A-Z_]+)`\s*\|/.exec(r)?.[1]).filter(Boolean);
    expect(listed).toEqual(Object.keys(REJECTED_BY_AWS));
  });
});
