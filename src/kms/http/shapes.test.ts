/**
 * The wire table (shapes.ts) is the AWS model's: regenerated from the model excerpt in the conformance corpus's
 * check.mjs, it must equal the committed one (skipped with a notice when the corpus is absent).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelFromCheckScript, wireShapesFromModel, type ModelExcerpt } from './model-shapes';
import { WIRE_SHAPES } from './shapes';

const corpusDir =
  process.env.KMS_CONFORMANCE_DIR ?? path.resolve(process.cwd(), '../shared/conformance/kms-api');
const checkScript = path.join(corpusDir, 'check.mjs');

describe('wireShapesFromModel', () => {
  it('keeps the branches that reach blobs and timestamps, through lists and nested structures', () => {
    const model: ModelExcerpt = {
      ops: { Op: { in: 'OpRequest', out: 'OpResponse' }, Plain: { in: 'PlainRequest', out: null } },
      shapes: {
        OpRequest: { s: { Data: 'blob', Name: 'string', Context: 'Ctx' } },
        Ctx: { m: 'string' },
        OpResponse: { s: { Items: 'ItemList', Count: 'integer' } },
        ItemList: { l: 'Item' },
        Item: { s: { When: 'timestamp', Id: 'string', Nested: 'Nested' } },
        Nested: { s: { Raw: 'blob' } },
        PlainRequest: { s: { Name: 'string' } },
      },
    };
    expect(wireShapesFromModel(model)).toEqual({
      Op: {
        input: { Data: 'blob' },
        output: { Items: [{ When: 'timestamp', Nested: { Raw: 'blob' } }] },
      },
      Plain: {},
    });
  });
});

if (!existsSync(checkScript)) {
  console.log(`KMS wire shapes: ${corpusDir} is absent; the model check is skipped.`);
} else {
  describe('shapes.ts', () => {
    it('matches the AWS model excerpt of the conformance corpus (scripts/gen-kms-shapes.ts)', () => {
      const model = modelFromCheckScript(readFileSync(checkScript, 'utf8'));
      expect(WIRE_SHAPES).toEqual(wireShapesFromModel(model));
      expect(Object.keys(WIRE_SHAPES)).toContain('Encrypt');
    });
  });
}
