/**
 * How deep JSON may nest before the lab stops reading it. The JSON parser (jsonc-parser) and every walk over a
 * parsed value recurse once per level, so 10,000 nested brackets overflowed the stack ("RangeError: Maximum
 * call stack size exceeded"). The loader and the policy parser check the depth first, without recursion, and
 * report where the limit was passed.
 *
 * 64 levels is far above anything AWS accepts: a policy nests 6 levels deep at most
 * (`{"Statement":[{"Condition":{"Op":{"Key":[…]}}}]}`), and a scenario adds 3 above its policies.
 */
import type { JsonPath } from './parse';

export const MAX_JSON_DEPTH = 64;

/**
 * The offset of the first `{` or `[` that opens level `maxDepth + 1`, or undefined when the text nests no
 * deeper. One pass, no recursion; skips strings and comments (JSONC), tolerates broken text.
 */
export function findTooDeepNesting(text: string, maxDepth = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */) i++;
        else if (c === 34 || c === 10 /* a newline ends a broken string, as the parser does */) break;
      }
    } else if (code === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (code === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (code === 123 /* { */ || code === 91 /* [ */) {
      if (++depth > maxDepth) return i;
    } else if (code === 125 /* } */ || code === 93 /* ] */) {
      if (depth > 0) depth--;
    }
  }
  return undefined;
}

/**
 * The path of the first object or array of `value` at level `maxDepth + 1`, or undefined. Iterative, so it is
 * safe on any value (a cyclic one is simply too deep).
 */
export function findTooDeepValue(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonPath | undefined {
  const stack: { value: unknown; path: JsonPath }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (path.length >= maxDepth) return path;
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: [...path, i] });
    } else {
      const keys = Object.keys(current);
      for (let i = keys.length - 1; i >= 0; i--)
        stack.push({ value: (current as Record<string, unknown>)[keys[i]], path: [...path, keys[i]] });
    }
  }
  return undefined;
}

export function tooDeepMessage(maxDepth = MAX_JSON_DEPTH): string {
  return `nested deeper than ${maxDepth} levels; the lab stops reading here (a policy nests 6 levels at most)`;
}
