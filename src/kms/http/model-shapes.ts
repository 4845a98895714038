/**
 * Where blobs and timestamps sit in each operation's request and response, worked out from the AWS API model
 * (the botocore excerpt that `../shared/conformance/kms-api/check.mjs` embeds: shapes as `{"s": members}`,
 * `{"l": member}`, `{"m": value}` or a leaf type name). `scripts/gen-kms-shapes.ts` writes the result into
 * `shapes.ts`; `shapes.test.ts` checks that the committed table still matches the model.
 */

/** A blob (base64 in JSON), a timestamp (epoch seconds), a structure's members, or a list's element. */
export type WireShape = 'blob' | 'timestamp' | WireStructure | WireList;
export interface WireStructure {
  readonly [member: string]: WireShape;
}
export type WireList = readonly [WireShape];

export interface OperationWireShapes {
  input?: WireStructure;
  output?: WireStructure;
}

/** The excerpt's form (check.mjs `MODEL`). */
export interface ModelExcerpt {
  ops: Record<string, { in: string | null; out: string | null }>;
  shapes: Record<string, { s?: Record<string, string>; l?: string; m?: string }>;
}

/** Keeps only the branches that lead to a blob or a timestamp; undefined when there is none. */
function wireShapeOf(model: ModelExcerpt, name: string, seen: readonly string[]): WireShape | undefined {
  if (name === 'blob' || name === 'timestamp') return name;
  const shape = model.shapes[name];
  if (!shape || seen.includes(name)) return undefined; // a leaf (string, integer, boolean) or a cycle
  const inside = [...seen, name];
  if (shape.l !== undefined) {
    const element = wireShapeOf(model, shape.l, inside);
    return element && [element];
  }
  if (shape.s !== undefined) {
    const members: Record<string, WireShape> = {};
    for (const [member, target] of Object.entries(shape.s)) {
      const converted = wireShapeOf(model, target, inside);
      if (converted) members[member] = converted;
    }
    return Object.keys(members).length > 0 ? members : undefined;
  }
  return undefined; // maps: KMS's (encryption contexts) hold strings only
}

export function wireShapesFromModel(model: ModelExcerpt): Record<string, OperationWireShapes> {
  const table: Record<string, OperationWireShapes> = {};
  for (const operation of Object.keys(model.ops).sort()) {
    const { in: input, out: output } = model.ops[operation];
    const entry: OperationWireShapes = {};
    const inputShape = input ? wireShapeOf(model, input, []) : undefined;
    const outputShape = output ? wireShapeOf(model, output, []) : undefined;
    if (inputShape) entry.input = inputShape as WireStructure;
    if (outputShape) entry.output = outputShape as WireStructure;
    table[operation] = entry;
  }
  return table;
}

/** The `MODEL` object embedded in check.mjs (its one `const MODEL = {...};` line). */
export function modelFromCheckScript(source: string): ModelExcerpt {
  const line = source.split('\n').find((l) => l.startsWith('const MODEL = '));
  if (!line) throw new Error('check.mjs has no "const MODEL = " line');
  return JSON.parse(line.slice('const MODEL = '.length).replace(/;\s*$/, '')) as ModelExcerpt;
}
