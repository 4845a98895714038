/** Resource / NotResource values: well-formed ARNs, and "*" in key policies (KPO). */
import type { ParsedStatement } from '../parse';
import { checkResourceArn } from './arn';
import type { LintContext } from './context';

export function checkResources(ctx: LintContext, statement: ParsedStatement): void {
  const list = statement.resource;
  if (!list) return;
  if (ctx.type === 'key') {
    // KPO: in a key policy Resource is "*", meaning "this key"; any other value or NotResource is a mistake.
    const thisKey = ctx.options.keyArn;
    if (list.element === 'NotResource') {
      ctx.add(
        'KEY_POLICY_RESOURCE_NOT_STAR',
        'Use "Resource": "*" in a key policy: it means this key. NotResource has no useful meaning here.',
        list.path,
        list.keyRange,
      );
    } else {
      for (const value of list.values) {
        if (value.value === '*') continue;
        const note =
          thisKey && value.value === thisKey
            ? 'It names this key, which works, but "*" is the documented form.'
            : 'A key policy only ever applies to its own key, so a statement naming another resource never matches.';
        ctx.add(
          'KEY_POLICY_RESOURCE_NOT_STAR',
          `In a key policy, write "Resource": "*" (this key). ${note}`,
          value.path,
          value.range,
        );
      }
    }
  }
  for (const value of list.values) {
    const problem = checkResourceArn(value.value);
    if (!problem) continue;
    // BP: an IAM Resource must be a key ARN; a key ID, an alias name or an alias ARN does not stand for the key.
    const hint = /^(alias\/|[0-9a-f]{8}-|mrk-)/.test(value.value)
      ? ' Key IDs and alias names are not resources: use the key ARN.'
      : '';
    ctx.add(problem.code, problem.message + hint, value.path, value.range);
  }
}
