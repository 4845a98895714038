/**
 * The KMS authorization flowchart as plain data (no React, no React Flow): a fixed, hand-made layout of one
 * node per STEP_ID and the edges between them, and `buildFlow`, which marks the decision path of an
 * EvaluationResult up to the animation cursor. Flowchart.tsx turns this into React Flow nodes and edges.
 *
 * The drawing follows the decision procedure of kms-authorization.md §1.2: pre-checks (step 0), the explicit
 * deny (step 2), the guardrails (step 3), the sources of permission (step 4: key policy, IAM, grants,
 * RetireGrant) and the key-state gate (step 5), ending in one of four terminals.
 */
import {
  STEP_IDS,
  type EvaluationResult,
  type StatementRef,
  type Step,
  type StepId,
  type StepResult,
} from '../../engine/types';
import { withoutSourceTags } from '../source-pages';

/** Where a node is drawn, in flow coordinates (top-left corner). */
export interface Point {
  x: number;
  y: number;
}

/** Node box size used by the layout and by the node component; the layout leaves gaps between boxes. */
export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 66;
const COLUMN_PITCH = 290;
const ROW_PITCH = 108;

const at = (column: number, row: number): Point => ({ x: column * COLUMN_PITCH, y: row * ROW_PITCH });

/**
 * The fixed layout, by column and row. The spine runs down column 1; the IAM branch (identity policy,
 * boundary, session policy) hangs on the left, the grant branch on the right. A key that cannot be found
 * reaches the `error` terminal by a rail that runs down the outside right, so that long edge crosses nothing.
 *
 *          col 0                  col 1            col 2            col 3
 *   row 0                         request
 *   row 1                         resolve-key ──────────────────────────────────┐
 *   row 2                         cross-account →  iam-only                      │
 *   row 3  explicit-deny-result ← explicit-deny                                  │
 *   row 4  scp                 →  rcp          →   vpc-endpoint                  │
 *   row 5                         key-policy                                     │
 *   row 6  identity-policy                         grant        →  retire-grant  │
 *   row 7  boundary                                                implicit-deny │
 *   row 8  session-policy      →  key-state   ──────────────────→  error  ←──────┘
 *   row 9                         allow
 */
export const NODE_POSITIONS: Record<StepId, Point> = {
  request: at(1, 0),
  'resolve-key': at(1, 1),
  'cross-account': at(1, 2),
  'iam-only': at(2, 2),
  'explicit-deny': at(1, 3),
  'explicit-deny-result': at(0, 3),
  scp: at(0, 4),
  rcp: at(1, 4),
  'vpc-endpoint': at(2, 4),
  'key-policy': at(1, 5),
  'identity-policy': at(0, 6),
  boundary: at(0, 7),
  'session-policy': at(0, 8),
  grant: at(2, 6),
  'retire-grant': at(3, 6),
  'implicit-deny': at(3, 7),
  'key-state': at(1, 8),
  error: at(3, 8),
  allow: at(1, 9),
};

export type NodeKind = 'start' | 'check' | 'terminal';
/** The tone of a terminal, so it reads as its outcome (also spelled out in its label). */
export type TerminalTone = 'allow' | 'deny' | 'implicit' | 'error';

interface NodeSpec {
  label: string;
  /** What the node checks, for people (a tooltip and the text list). */
  description: string;
  kind: NodeKind;
  tone?: TerminalTone;
}

/** Labels and one-line descriptions for people, one per STEP_ID (the meanings documented in types.ts). */
export const NODE_SPECS: Record<StepId, NodeSpec> = {
  request: {
    label: 'Request',
    description: 'The request context: principal, action, key, context keys',
    kind: 'start',
  },
  'resolve-key': {
    label: 'Resolve key',
    description: 'Key id, key ARN or alias resolved to one key',
    kind: 'check',
  },
  'cross-account': {
    label: 'Cross-account use',
    description: 'Only some operations may be used on a key in another account',
    kind: 'check',
  },
  'iam-only': {
    label: 'IAM-only action?',
    description: 'Actions such as ListKeys or CreateKey ignore key policies',
    kind: 'check',
  },
  'explicit-deny': {
    label: 'Explicit Deny',
    description: 'A matching Deny in any policy decides at once',
    kind: 'check',
  },
  scp: {
    label: 'SCPs',
    description: "Every level from the root to the caller's account needs an SCP that allows",
    kind: 'check',
  },
  rcp: {
    label: 'RCPs',
    description:
      "Every level of the key's account path has RCPFullAWSAccess, so only an RCP Deny can stop the request",
    kind: 'check',
  },
  'vpc-endpoint': {
    label: 'VPC endpoint policy',
    description: 'The endpoint policy must allow calls made through an endpoint',
    kind: 'check',
  },
  'key-policy': {
    label: 'Key policy',
    description: "An Allow naming the caller, or the caller's account (delegation to IAM)",
    kind: 'check',
  },
  'identity-policy': {
    label: 'Identity policies',
    description: "The caller's IAM policies must allow the action on the key",
    kind: 'check',
  },
  boundary: { label: 'Permissions boundary', description: 'The boundary must allow too', kind: 'check' },
  'session-policy': {
    label: 'Session policy',
    description: 'The session policy must allow too',
    kind: 'check',
  },
  grant: {
    label: 'Grants',
    description: 'A grant for the caller covers the operation and its constraints',
    kind: 'check',
  },
  'retire-grant': {
    label: 'RetireGrant rules',
    description: 'Who may retire a grant without a policy',
    kind: 'check',
  },
  'key-state': {
    label: 'Key state',
    description: 'The key state must allow the operation',
    kind: 'check',
  },
  allow: { label: 'Allow', description: 'Authorized: the call succeeds', kind: 'terminal', tone: 'allow' },
  'implicit-deny': {
    label: 'ImplicitDeny',
    description: 'Nothing allowed it: AccessDeniedException',
    kind: 'terminal',
    tone: 'implicit',
  },
  'explicit-deny-result': {
    label: 'ExplicitDeny',
    description: 'A Deny statement matched: AccessDeniedException',
    kind: 'terminal',
    tone: 'deny',
  },
  error: {
    label: 'Error',
    description: 'Another exception: NotFound, Disabled, KMSInvalidState, Unsupported…',
    kind: 'terminal',
    tone: 'error',
  },
};

/** Handle sides of a node; every node has a source and a target handle on each side. */
export type Side = 'top' | 'right' | 'bottom' | 'left';

interface EdgeSpec {
  source: StepId;
  target: StepId;
  label?: string;
  sourceSide: Side;
  targetSide: Side;
  /** Moves the label off the middle of the edge, where another line crosses it. */
  labelShift?: Point;
}

const edge = (
  source: StepId,
  target: StepId,
  sourceSide: Side,
  targetSide: Side,
  label?: string,
  labelShift?: Point,
): EdgeSpec => ({ source, target, sourceSide, targetSide, label, labelShift });

/** The transitions drawn on every diagram, with hand-picked sides so that the lines do not tangle. */
export const BASE_EDGES: readonly EdgeSpec[] = [
  edge('request', 'resolve-key', 'bottom', 'top'),
  edge('resolve-key', 'cross-account', 'bottom', 'top', 'key found'),
  edge('resolve-key', 'error', 'right', 'right', 'not found'),
  edge('cross-account', 'iam-only', 'right', 'left', 'may be used'),
  edge('iam-only', 'explicit-deny', 'bottom', 'top'),
  edge('explicit-deny', 'explicit-deny-result', 'left', 'right', 'Deny matches'),
  edge('explicit-deny', 'scp', 'bottom', 'top', 'no Deny'),
  edge('scp', 'rcp', 'right', 'left', 'allows'),
  edge('rcp', 'vpc-endpoint', 'right', 'left', 'allows'),
  edge('vpc-endpoint', 'key-policy', 'bottom', 'top', 'allows'),
  edge('key-policy', 'key-state', 'bottom', 'top', 'names caller'),
  edge('key-policy', 'identity-policy', 'left', 'top', 'names account'),
  edge('key-policy', 'grant', 'right', 'top', 'no Allow'),
  edge('identity-policy', 'boundary', 'bottom', 'top', 'allows'),
  edge('boundary', 'session-policy', 'bottom', 'top', 'allows'),
  edge('session-policy', 'key-state', 'right', 'left', 'allows'),
  // Its middle is where the key-policy → key-state line crosses: move the label towards the grant.
  edge('identity-policy', 'grant', 'right', 'left', 'no Allow', { x: 80, y: 0 }),
  edge('grant', 'retire-grant', 'right', 'left', 'no grant'),
  edge('grant', 'key-state', 'bottom', 'top', 'grant allows'),
  edge('retire-grant', 'implicit-deny', 'bottom', 'top', 'no Allow'),
  edge('key-state', 'allow', 'bottom', 'top', 'state allows'),
  edge('key-state', 'error', 'right', 'left', 'state forbids'),
];

export const edgeId = (source: StepId, target: StepId): string => `${source}->${target}`;

/**
 * Sides for a transition that has no drawn edge (a path the engine took that the base diagram does not show,
 * e.g. a guardrail with no Allow going straight to a terminal). Chosen from the relative position of the
 * two nodes: downwards leaves from the bottom, sideways from the facing side, upwards around the outside.
 */
export function fallbackSides(source: StepId, target: StepId): { sourceSide: Side; targetSide: Side } {
  const from = NODE_POSITIONS[source];
  const to = NODE_POSITIONS[target];
  if (to.y > from.y) return { sourceSide: 'bottom', targetSide: 'top' };
  if (to.y === from.y)
    return to.x > from.x
      ? { sourceSide: 'right', targetSide: 'left' }
      : { sourceSide: 'left', targetSide: 'right' };
  return to.x >= from.x
    ? { sourceSide: 'right', targetSide: 'right' }
    : { sourceSide: 'left', targetSide: 'left' };
}

/**
 * - `pending`: on the decision path, not reached yet by the animation;
 * - `visited`: on the path and reached;
 * - `decisive`: the step that decided, from the moment the result is shown (the answer comes first; the walk
 *   then travels towards it);
 * - `skipped`: not on the path of this request (or no result at all).
 */
export type NodeState = 'pending' | 'visited' | 'decisive' | 'skipped';

/** `active` is the edge travelled into the step at the cursor; `travelled` the ones before it. */
export type EdgeState = 'idle' | 'pending' | 'travelled' | 'active';

/** A type alias (not an interface) so it satisfies React Flow's `Record<string, unknown>` node data. */
export type FlowNodeData = {
  stepId: StepId;
  label: string;
  description: string;
  kind: NodeKind;
  tone?: TerminalTone;
  state: NodeState;
  /** The walk has reached the step (the decisive node is marked before it is reached). */
  reached: boolean;
  /** The step's result and summary, for every step on the path (shown at once, so nothing moves in the walk). */
  result?: StepResult;
  summary?: string;
  /** 1-based position on the decision path (also for pending steps). */
  order?: number;
  /** The node at the cursor: the one the animation has just reached. */
  current: boolean;
  /** The step took part with the statement the learner selected. */
  highlighted: boolean;
  statements: StatementRef[];
};

export type FlowEdgeData = {
  label?: string;
  labelShift?: Point;
  state: EdgeState;
  /** Drawn only because this request travelled it; not part of the base diagram. */
  extra: boolean;
};

export interface FlowNode {
  id: StepId;
  type: 'step';
  position: Point;
  data: FlowNodeData;
}

export interface FlowEdge {
  id: string;
  source: StepId;
  target: StepId;
  sourceHandle: string;
  targetHandle: string;
  type: 'step';
  data: FlowEdgeData;
}

/** Handle ids on the node component: `<side>-source` / `<side>-target`. */
export const handleId = (side: Side, kind: 'source' | 'target'): string => `${side}-${kind}`;

export interface BuildFlowOptions {
  /** Steps that used the statement the learner selected. */
  highlightedSteps?: readonly StepId[];
}

/** Clamps an animation cursor to 0..path length (the number of path steps revealed so far). */
export function clampCursor(path: readonly Step[], cursor: number): number {
  const total = path.length;
  if (!Number.isFinite(cursor)) return total;
  return Math.min(Math.max(Math.trunc(cursor), 0), total);
}

/** Edges taken when a check finds nothing that allows, or refuses; every other edge is taken on a pass. */
const FAILURE_LABELS = new Set(['not found', 'Deny matches', 'no Allow', 'no grant', 'state forbids']);

/** Drawn successors of each node, split by the result that takes them. */
const NEXT_ON_PASS = new Map<StepId, StepId[]>();
const NEXT_ON_FAIL = new Map<StepId, StepId[]>();
for (const spec of BASE_EDGES) {
  const table = FAILURE_LABELS.has(spec.label ?? '') ? NEXT_ON_FAIL : NEXT_ON_PASS;
  table.set(spec.source, [...(table.get(spec.source) ?? []), spec.target]);
}

/**
 * The steps the flowchart walks for a result. The engine reports every check, also those that did not apply
 * (`skip`). The drawing walks the checks that took part, joined by the shortest drawn route whose inner nodes
 * are checks that did not apply (such as the guardrails on the spine when none is configured). So the
 * animation never travels a branch the request did not take: an Allow from the key policy alone goes straight
 * to the key-state check, not through the IAM and grant branches.
 */
export function decisionPath(result: EvaluationResult | null): Step[] {
  const steps = result?.steps ?? [];
  const notApplicable = new Map(steps.filter((s) => s.result === 'skip').map((s) => [s.id, s]));
  const taken = steps.filter((s) => s.result !== 'skip');
  const path: Step[] = [];
  taken.forEach((step, index) => {
    if (index > 0)
      for (const id of routeBetween(taken[index - 1], step.id, notApplicable))
        path.push(notApplicable.get(id)!);
    path.push(step);
  });
  return path;
}

/**
 * Inner nodes of the shortest drawn route from step `from` to `to` through not-applicable checks ([] if none).
 * The first edge is one that `from`'s result takes; a check that did not apply hands the request on by any
 * of its edges (the one on the shortest route).
 */
function routeBetween(from: Step, to: StepId, notApplicable: ReadonlyMap<StepId, Step>): StepId[] {
  const passed = from.result === 'pass' || from.result === 'skip';
  const cameFrom = new Map<StepId, StepId>([[from.id, from.id]]);
  const queue: StepId[] = [from.id];
  while (queue.length > 0) {
    const node = queue.shift()!;
    const successors =
      node !== from.id
        ? [...(NEXT_ON_PASS.get(node) ?? []), ...(NEXT_ON_FAIL.get(node) ?? [])]
        : ((passed ? NEXT_ON_PASS : NEXT_ON_FAIL).get(node) ?? []);
    for (const next of successors) {
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, node);
      if (next === to) {
        const inner: StepId[] = [];
        for (let at = node; at !== from.id; at = cameFrom.get(at)!) inner.unshift(at);
        return inner;
      }
      if (notApplicable.has(next)) queue.push(next);
    }
  }
  return [];
}

/**
 * Nodes and edges for one result, with the first `cursor` steps of its `decisionPath` revealed (cursor 0: nothing yet;
 * cursor = steps.length: the whole path). With no result every node is `skipped` and every edge idle.
 */
export function buildFlow(
  result: EvaluationResult | null,
  cursor: number,
  options: BuildFlowOptions = {},
): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const steps = decisionPath(result);
  const revealed = clampCursor(steps, cursor);
  const highlighted = new Set(options.highlightedSteps ?? []);

  // A step id appears once on a path; should one repeat, its last visit is the one drawn.
  const pathIndex = new Map<StepId, number>();
  steps.forEach((step, index) => pathIndex.set(step.id, index));

  const nodes: FlowNode[] = STEP_IDS.map((stepId) => {
    const spec = NODE_SPECS[stepId];
    const index = pathIndex.get(stepId);
    const step = index === undefined ? undefined : steps[index];
    const reached = index !== undefined && index < revealed;
    const state: NodeState =
      index === undefined ? 'skipped' : step?.decisive ? 'decisive' : reached ? 'visited' : 'pending';
    return {
      id: stepId,
      type: 'step',
      position: NODE_POSITIONS[stepId],
      data: {
        stepId,
        label: spec.label,
        description: spec.description,
        kind: spec.kind,
        tone: spec.tone,
        state,
        reached,
        result: step?.result,
        summary: step?.summary && withoutSourceTags(step.summary),
        order: index === undefined ? undefined : index + 1,
        current: reached && index === revealed - 1,
        highlighted: highlighted.has(stepId),
        statements: step?.statements ?? [],
      },
    };
  });

  // Transition i goes from steps[i] to steps[i + 1]; it is travelled once steps[i + 1] is revealed.
  const transitionState = new Map<string, EdgeState>();
  for (let i = 0; i + 1 < steps.length; i++) {
    const id = edgeId(steps[i].id, steps[i + 1].id);
    const state: EdgeState = i + 1 === revealed - 1 ? 'active' : i + 1 < revealed ? 'travelled' : 'pending';
    transitionState.set(id, strongerEdgeState(transitionState.get(id), state));
  }

  const toEdge = (spec: EdgeSpec, extra: boolean): FlowEdge => {
    const id = edgeId(spec.source, spec.target);
    return {
      id,
      source: spec.source,
      target: spec.target,
      sourceHandle: handleId(spec.sourceSide, 'source'),
      targetHandle: handleId(spec.targetSide, 'target'),
      type: 'step',
      data: {
        label: spec.label,
        labelShift: spec.labelShift,
        state: transitionState.get(id) ?? 'idle',
        extra,
      },
    };
  };

  const edges = BASE_EDGES.map((spec) => toEdge(spec, false));
  const drawn = new Set(edges.map((e) => e.id));
  for (let i = 0; i + 1 < steps.length; i++) {
    const source = steps[i].id;
    const target = steps[i + 1].id;
    const id = edgeId(source, target);
    if (drawn.has(id) || source === target) continue;
    drawn.add(id);
    edges.push(toEdge({ source, target, ...fallbackSides(source, target) }, true));
  }
  return { nodes, edges };
}

const EDGE_STATE_RANK: Record<EdgeState, number> = { idle: 0, pending: 1, travelled: 2, active: 3 };
const strongerEdgeState = (a: EdgeState | undefined, b: EdgeState): EdgeState =>
  a !== undefined && EDGE_STATE_RANK[a] > EDGE_STATE_RANK[b] ? a : b;

/** Short words for a step result, so the result never rests on colour alone. */
export const RESULT_WORDS: Record<StepResult, string> = {
  pass: 'pass',
  fail: 'no Allow',
  deny: 'deny',
  skip: 'not applicable',
  error: 'error',
};

/** A skipped node whose summary says it was never evaluated (after an early decision, or a refused policy). */
const NOT_EVALUATED = /^Not (reached|evaluated)\b/;

/**
 * The words of a step's result: `not reached` or `not evaluated` for a node the engine says it never got to,
 * not "not applicable", which would claim that the check does not concern the request.
 */
export function resultWords(result: StepResult, summary: string | undefined): string {
  const never = result === 'skip' && summary ? NOT_EVALUATED.exec(summary) : null;
  return never ? `not ${never[1]}` : RESULT_WORDS[result];
}

/** Whether the summary already says the node was never evaluated (so the result word would repeat it). */
export function saysNotEvaluated(result: StepResult, summary: string | undefined): boolean {
  return result === 'skip' && !!summary && NOT_EVALUATED.test(summary);
}

/** The words of a run of skipped nodes shown as one line: `not applicable`, `not reached`, or both. */
export function skippedRunWords(summaries: readonly (string | undefined)[]): string {
  return [...new Set(summaries.map((summary) => resultWords('skip', summary)))].join(' or ');
}

/** A text symbol per result, shown next to the word. */
export const RESULT_SYMBOLS: Record<StepResult, string> = {
  pass: '✓',
  fail: '○',
  deny: '✕',
  skip: '–',
  error: '!',
};

/**
 * What decides whether a new result restarts the walk: the steps on its path and their results. An edit that
 * leaves both as they were (a renamed Sid, white space) keeps the walk where it is.
 */
export const pathKey = (path: readonly Step[]): string =>
  path.map((step) => `${step.id}:${step.result}${step.decisive ? '!' : ''}`).join(' ');

/**
 * One row of the compact path drawn in place: a step that took part, or a run of consecutive checks that did
 * not apply (collapsed into one line, since they decided nothing). `via` is the label of the drawn edge that
 * leads into the row, `reached` whether the walk has got there.
 */
export type CompactRow =
  | { kind: 'step'; node: FlowNodeData; via?: string; reached: boolean }
  | { kind: 'not-applicable'; nodes: FlowNodeData[]; via?: string; reached: boolean };

const EDGE_LABELS = new Map(BASE_EDGES.map((spec) => [edgeId(spec.source, spec.target), spec.label]));

/**
 * The decision path as a vertical list of rows, for the chart in place: only the nodes on the path (the full
 * diagram is behind Enlarge), so the chart fits its column at full size and no summary needs cutting.
 */
export function compactPath(
  result: EvaluationResult | null,
  cursor: number,
  options: BuildFlowOptions = {},
): CompactRow[] {
  const path = decisionPath(result);
  const data = new Map(buildFlow(result, cursor, options).nodes.map((node) => [node.id, node.data]));
  const rows: CompactRow[] = [];
  path.forEach((step, index) => {
    const node = data.get(step.id)!;
    const via = index > 0 ? EDGE_LABELS.get(edgeId(path[index - 1].id, step.id)) : undefined;
    const last = rows[rows.length - 1];
    if (step.result !== 'skip') rows.push({ kind: 'step', node, via, reached: node.reached });
    else if (last?.kind === 'not-applicable') last.nodes.push(node);
    else rows.push({ kind: 'not-applicable', nodes: [node], via, reached: node.reached });
  });
  return rows;
}
