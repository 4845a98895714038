import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateScenario } from '../../engine';
import { loadScenario } from '../../scenario/load';
import { STEP_IDS, type EvaluationResult, type StepId } from '../../engine/types';
import {
  BASE_EDGES,
  NODE_HEIGHT,
  NODE_POSITIONS,
  NODE_SPECS,
  NODE_WIDTH,
  buildFlow,
  compactPath,
  decisionPath,
  edgeId,
  pathKey,
  type FlowNode,
} from './flow-model';
import { FIXTURES, allowedViaKeyPolicyAndIam, disabledKey, explicitDenyByScp, keyNotFound } from './fixtures';

const byId = (nodes: FlowNode[]) => new Map(nodes.map((n) => [n.id, n]));
const stateOf = (result: EvaluationResult | null, cursor: number, id: StepId) =>
  byId(buildFlow(result, cursor).nodes).get(id)?.data.state;

describe('layout', () => {
  it('has a node, a label and a position for every STEP_ID', () => {
    for (const id of STEP_IDS) {
      expect(NODE_POSITIONS[id], id).toBeDefined();
      expect(NODE_SPECS[id].label.length, id).toBeGreaterThan(0);
    }
    const { nodes } = buildFlow(null, 0);
    expect(nodes.map((n) => n.id)).toEqual([...STEP_IDS]);
  });

  it('places no two node boxes on top of each other', () => {
    const ids = [...STEP_IDS];
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const a = NODE_POSITIONS[ids[i]];
        const b = NODE_POSITIONS[ids[j]];
        const apart = Math.abs(a.x - b.x) >= NODE_WIDTH + 20 || Math.abs(a.y - b.y) >= NODE_HEIGHT + 20;
        expect(apart, `${ids[i]} and ${ids[j]} overlap`).toBe(true);
      }
    }
  });

  it('draws base edges only between known nodes, once each', () => {
    const ids = BASE_EDGES.map((e) => edgeId(e.source, e.target));
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of BASE_EDGES) {
      expect(STEP_IDS).toContain(e.source);
      expect(STEP_IDS).toContain(e.target);
    }
  });

  it('reaches every node from the request through the base edges', () => {
    const reached = new Set<StepId>(['request']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const e of BASE_EDGES) {
        if (reached.has(e.source) && !reached.has(e.target)) {
          reached.add(e.target);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...STEP_IDS].sort());
  });
});

describe('buildFlow', () => {
  it('marks everything skipped and idle without a result', () => {
    const { nodes, edges } = buildFlow(null, 5);
    expect(new Set(nodes.map((n) => n.data.state))).toEqual(new Set(['skipped']));
    expect(new Set(edges.map((e) => e.data.state))).toEqual(new Set(['idle']));
  });

  it('shows the whole path when the cursor is at the end', () => {
    const result = allowedViaKeyPolicyAndIam;
    const { nodes, edges } = buildFlow(result, result.steps.length);
    const nodeMap = byId(nodes);
    const onPath = new Set(result.steps.map((s) => s.id));
    for (const node of nodes) {
      if (!onPath.has(node.id)) expect(node.data.state, node.id).toBe('skipped');
    }
    expect(nodeMap.get('identity-policy')?.data.state).toBe('decisive');
    expect(nodeMap.get('key-policy')?.data.state).toBe('visited');
    expect(nodeMap.get('grant')?.data.state).toBe('skipped');
    expect(nodeMap.get('allow')?.data.current).toBe(true);
    expect(nodeMap.get('key-policy')?.data.summary).toBe('Delegates to account 111122223333');
    expect(nodeMap.get('key-policy')?.data.statements).toHaveLength(1);

    const pathEdges = edges.filter((e) => e.data.state !== 'idle').map((e) => e.id);
    expect(pathEdges).toHaveLength(result.steps.length - 1);
    expect(pathEdges).toContain(edgeId('key-policy', 'identity-policy'));
    expect(pathEdges).toContain(edgeId('session-policy', 'key-state'));
    expect(edges.find((e) => e.id === edgeId('key-state', 'allow'))?.data.state).toBe('active');
    expect(edges.find((e) => e.id === edgeId('key-policy', 'key-state'))?.data.state).toBe('idle');
  });

  it('reveals the path step by step as the cursor moves', () => {
    const result = allowedViaKeyPolicyAndIam;
    expect(stateOf(result, 0, 'request')).toBe('pending');
    expect(stateOf(result, 1, 'request')).toBe('visited');
    expect(stateOf(result, 1, 'resolve-key')).toBe('pending');
    expect(stateOf(result, 9, 'key-policy')).toBe('visited');
    expect(stateOf(result, 9, 'identity-policy')).toBe('decisive');
    expect(stateOf(result, 10, 'identity-policy')).toBe('decisive');
    expect(stateOf(result, 10, 'grant')).toBe('skipped');

    const { nodes, edges } = buildFlow(result, 3);
    const nodeMap = byId(nodes);
    expect(nodeMap.get('cross-account')?.data.current).toBe(true);
    expect(nodeMap.get('resolve-key')?.data.current).toBe(false);
    expect(nodeMap.get('iam-only')?.data.reached).toBe(false);
    expect(nodeMap.get('iam-only')?.data.order).toBe(4);
    const edgeState = new Map(edges.map((e) => [e.id, e.data.state]));
    expect(edgeState.get(edgeId('request', 'resolve-key'))).toBe('travelled');
    expect(edgeState.get(edgeId('resolve-key', 'cross-account'))).toBe('active');
    expect(edgeState.get(edgeId('cross-account', 'iam-only'))).toBe('pending');
  });

  it('clamps the cursor', () => {
    expect(stateOf(explicitDenyByScp, -3, 'request')).toBe('pending');
    expect(stateOf(explicitDenyByScp, 99, 'explicit-deny')).toBe('decisive');
  });

  it('routes an explicit deny to its terminal and leaves the rest off the path', () => {
    const { nodes, edges } = buildFlow(explicitDenyByScp, explicitDenyByScp.steps.length);
    const nodeMap = byId(nodes);
    expect(nodeMap.get('explicit-deny-result')?.data.state).toBe('visited');
    expect(nodeMap.get('key-policy')?.data.state).toBe('skipped');
    expect(edges.find((e) => e.id === edgeId('explicit-deny', 'explicit-deny-result'))?.data.state).toBe(
      'active',
    );
  });

  it('routes key-state and not-found errors to the error terminal', () => {
    const disabled = buildFlow(disabledKey, 99);
    expect(byId(disabled.nodes).get('key-state')?.data.result).toBe('error');
    expect(disabled.edges.find((e) => e.id === edgeId('key-state', 'error'))?.data.state).toBe('active');
    const notFound = buildFlow(keyNotFound, 99);
    expect(notFound.edges.find((e) => e.id === edgeId('resolve-key', 'error'))?.data.state).toBe('active');
    expect(byId(notFound.nodes).get('cross-account')?.data.state).toBe('skipped');
  });

  it('draws an extra edge for a transition the base diagram lacks', () => {
    const result: EvaluationResult = {
      ...explicitDenyByScp,
      steps: [
        { id: 'request', result: 'pass', summary: 'r', statements: [] },
        { id: 'scp', result: 'deny', summary: 'No SCP allows', statements: [], decisive: true },
        { id: 'implicit-deny', result: 'deny', summary: 'denied', statements: [] },
      ],
    };
    const { edges } = buildFlow(result, 3);
    const extras = edges.filter((e) => e.data.extra);
    expect(extras.map((e) => e.id)).toEqual([edgeId('request', 'scp'), edgeId('scp', 'implicit-deny')]);
    expect(extras[0].sourceHandle).toBe('bottom-source');
    expect(extras[1].data.state).toBe('active');
    expect(edges.length).toBe(BASE_EDGES.length + 2);
  });

  it('keeps every fixture path on drawn edges', () => {
    for (const [name, result] of Object.entries(FIXTURES)) {
      const { edges } = buildFlow(result, result.steps.length);
      expect(
        edges.filter((e) => e.data.extra).map((e) => e.id),
        name,
      ).toEqual([]);
    }
  });

  it('marks the highlighted steps', () => {
    const { nodes } = buildFlow(allowedViaKeyPolicyAndIam, 99, { highlightedSteps: ['key-policy', 'allow'] });
    expect(nodes.filter((n) => n.data.highlighted).map((n) => n.id)).toEqual(['key-policy', 'allow']);
  });
});

describe('decisionPath on real engine results', () => {
  // The engine reports every check; the drawing must walk only the branch the request took.
  const templates = path.resolve(__dirname, '../../../scenarios/templates');
  const resultsOf = (file: string) => {
    const loaded = loadScenario(readFileSync(path.join(templates, file), 'utf8'));
    if (!loaded.ok) throw new Error(`${file} does not load`);
    return new Map(evaluateScenario(loaded.scenario).map((r) => [r.id, r]));
  };
  const ids = (result: EvaluationResult | undefined) => decisionPath(result ?? null).map((s) => s.id);

  it('a key-policy Allow goes from the key policy straight to the key state', () => {
    const result = resultsOf('separation-of-duties.json').get('admin-describe-key');
    expect(result?.allowedBy).toBe('key-policy');
    const walked = ids(result);
    expect(walked).toEqual(expect.arrayContaining(['explicit-deny', 'key-policy', 'key-state', 'allow']));
    for (const offPath of ['identity-policy', 'grant', 'retire-grant'] as StepId[])
      expect(walked).not.toContain(offPath);
    const { nodes, edges } = buildFlow(result!, 99);
    expect(byId(nodes).get('grant')?.data.state).toBe('skipped');
    expect(edges.filter((e) => e.data.extra)).toEqual([]);
  });

  it('a grant Allow walks through the grant node, and every walked edge is a drawn one', () => {
    const result = resultsOf('grants-encryption-context.json').get('finance-decrypt');
    expect(result?.allowedBy).toBe('grant');
    const walked = ids(result);
    expect(walked).toContain('grant');
    expect(walked).not.toContain('retire-grant');
    expect(buildFlow(result!, 99).edges.filter((e) => e.data.extra)).toEqual([]);
  });

  it('a cross-account Allow walks the key policy and then the identity policy', () => {
    const result = resultsOf('cross-account.json').get('both-decrypt');
    const walked = ids(result);
    expect(walked.indexOf('key-policy')).toBeLessThan(walked.indexOf('identity-policy'));
    expect(walked).not.toContain('grant');
  });
});

describe('compactPath', () => {
  const result = allowedViaKeyPolicyAndIam;
  const path = decisionPath(result);

  it('lists every path step once, in order, and no step off the path', () => {
    const rows = compactPath(result, path.length);
    const listed = rows.flatMap((row) => (row.kind === 'step' ? [row.node] : row.nodes)).map((n) => n.stepId);
    expect(listed).toEqual(path.map((step) => step.id));
  });

  it('collapses consecutive checks that did not apply into one row', () => {
    const rows = compactPath(result, path.length);
    for (const row of rows.filter((r) => r.kind === 'not-applicable'))
      for (const node of row.nodes) expect(node.result).toBe('skip');
    for (const [index, row] of rows.entries())
      if (row.kind === 'not-applicable') expect(rows[index + 1]?.kind).not.toBe('not-applicable');
    expect(rows.filter((r) => r.kind === 'step').every((r) => r.node.result !== 'skip')).toBe(true);
  });

  it('marks the decisive step before the walk reaches it, with its summary', () => {
    const decisive = compactPath(result, 1).find((r) => r.kind === 'step' && r.node.state === 'decisive');
    expect(decisive).toMatchObject({ reached: false, node: { stepId: 'identity-policy' } });
    expect(decisive?.kind === 'step' && decisive.node.summary).toBeTruthy();
  });

  it('labels a row with the drawn edge that leads into it', () => {
    const rows = compactPath(result, path.length);
    const identity = rows.find((r) => r.kind === 'step' && r.node.stepId === 'identity-policy');
    expect(identity?.via).toBe('names account');
    expect(rows[0].via).toBeUndefined();
  });
});

describe('pathKey', () => {
  it('is the same for an equal path and differs when a step result changes', () => {
    const path = decisionPath(allowedViaKeyPolicyAndIam);
    const renamed = path.map((step) => ({ ...step, summary: `${step.summary} (renamed)` }));
    expect(pathKey(renamed)).toBe(pathKey(path));
    const changed = path.map((step, i) => (i === 1 ? { ...step, result: 'fail' as const } : step));
    expect(pathKey(changed)).not.toBe(pathKey(path));
    expect(pathKey(decisionPath(explicitDenyByScp))).not.toBe(pathKey(path));
  });
});
