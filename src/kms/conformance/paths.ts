/**
 * Paths of the conformance corpus (README "Paths"): dot-separated member names, each optionally followed by `[n]`
 * (a list index) or `[Field=value]` (the first element whose Field equals the literal value, up to the next `]`).
 */

type Selector = { index: number } | { field: string; value: string };
interface Segment {
  name: string;
  selectors: Selector[];
}

export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  while (i < path.length) {
    const name = /^[A-Za-z0-9_$]+/.exec(path.slice(i));
    if (!name) throw new Error(`Bad path "${path}" at ${i}`);
    const segment: Segment = { name: name[0], selectors: [] };
    i += name[0].length;
    while (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) throw new Error(`Bad path "${path}": unclosed [`);
      const inner = path.slice(i + 1, close);
      const eq = inner.indexOf('=');
      segment.selectors.push(
        eq < 0 ? { index: Number(inner) } : { field: inner.slice(0, eq), value: inner.slice(eq + 1) },
      );
      i = close + 1;
    }
    segments.push(segment);
    if (path[i] === '.') i++;
    else if (i < path.length) throw new Error(`Bad path "${path}" at ${i}`);
  }
  return segments;
}

/** The value at `path` inside `root`, or undefined when any part is missing. */
export function valueAt(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const segment of parsePath(path)) {
    value = (value as Record<string, unknown> | undefined)?.[segment.name];
    for (const selector of segment.selectors) {
      if (!Array.isArray(value)) return undefined;
      value =
        'index' in selector
          ? value[selector.index]
          : value.find(
              (element) => String((element as Record<string, unknown>)?.[selector.field]) === selector.value,
            );
    }
    if (value === undefined || value === null) return value ?? undefined;
  }
  return value;
}

/** `N.path` → the step index and the path inside its response. */
export function splitReference(reference: string): { step: number; path: string } {
  const match = /^(\d+)\.(.+)$/.exec(reference);
  if (!match) throw new Error(`Bad reference "${reference}"`);
  return { step: Number(match[1]), path: match[2] };
}
