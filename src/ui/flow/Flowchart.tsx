/**
 * The KMS authorization flowchart. Default export so the lab can `lazy(() => import(...))` it: React Flow
 * stays out of the initial bundle. In place it draws the decision path alone, at full size in its column (the
 * checks off the path left out, those that did not apply collapsed to one line); Enlarge shows the whole
 * diagram in React Flow. Both are derived from the result and the player's cursor on every render
 * (flow-model.ts); React Flow holds no lab state (lab-design §6).
 */
import {
  createContext,
  memo,
  useContext,
  useEffect,
  useId,
  useMemo,
  useReducer,
  useRef,
  useState,
  type CSSProperties,
  type ReactNode,
} from 'react';
import {
  BaseEdge,
  Controls,
  EdgeLabelRenderer,
  Handle,
  Position,
  ReactFlow,
  getSmoothStepPath,
  useReactFlow,
  type Edge,
  type EdgeProps,
  type EdgeTypes,
  type Node,
  type NodeProps,
  type NodeTypes,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './flow.css';
import type { EvaluationResult, StatementRef, Step, StepId } from '../../engine/types';
import {
  NODE_HEIGHT,
  NODE_SPECS,
  NODE_WIDTH,
  RESULT_SYMBOLS,
  RESULT_WORDS,
  saysNotEvaluated,
  skippedRunWords,
  buildFlow,
  compactPath,
  decisionPath,
  handleId,
  pathKey,
  type CompactRow,
  type FlowEdgeData,
  type FlowNodeData,
  type Side,
} from './flow-model';
import { SPEEDS, initialPlayer, playerReducer, scheduleTick, walkState } from './player-model';
import { useReducedMotion } from './use-reduced-motion';
import { withoutSourceTags } from '../source-pages';

export interface FlowchartProps {
  result: EvaluationResult | null;
  /** The result is the last good one while the input is broken: say so. */
  stale?: boolean;
  /** A node was chosen: the lab highlights these statements in the editors. */
  onSelectStep?(stepId: StepId, statements: StatementRef[]): void;
  /** Steps that the selected statement took part in. */
  highlightedSteps?: StepId[];
}

type StepNode = Node<FlowNodeData, 'step'>;
type StepEdge = Edge<FlowEdgeData, 'step'>;

/** What the node and edge components (defined outside Flowchart, as React Flow requires) need from it. */
interface FlowUi {
  selectStep(stepId: StepId, statements: StatementRef[]): void;
  markerId(kind: 'idle' | 'path'): string;
  /** The active edge (the one being travelled) marches: the player is playing and motion is allowed. */
  animate: boolean;
}

const FlowUiContext = createContext<FlowUi>({
  selectStep: () => {},
  markerId: (kind) => `flow-arrow-${kind}`,
  animate: false,
});

const SIDE_POSITIONS: Record<Side, Position> = {
  top: Position.Top,
  right: Position.Right,
  bottom: Position.Bottom,
  left: Position.Left,
};

const STATE_WORDS: Record<FlowNodeData['state'], string> = {
  pending: 'on the path, not reached yet',
  visited: 'visited',
  decisive: 'decisive',
  skipped: 'not on the path',
};

/** A step as a button (both views): choosing it highlights the statements it used in the editors. */
function NodeButton({ data, style }: { data: FlowNodeData; style?: CSSProperties }) {
  const ui = useContext(FlowUiContext);
  const terminal = data.kind === 'terminal';
  return (
    <button
      type="button"
      className="flow-node"
      data-testid={`flow-node-${data.stepId}`}
      data-state={data.state}
      data-result={data.result}
      data-kind={data.kind}
      data-tone={data.tone}
      data-current={data.current || undefined}
      data-highlighted={data.highlighted || undefined}
      // Only the steps on the path are Tab stops; the rest of the diagram is there to look at.
      tabIndex={data.state === 'skipped' ? -1 : undefined}
      style={style}
      title={data.summary ? `${data.description}\n${data.summary}` : data.description}
      onClick={() => ui.selectStep(data.stepId, data.statements)}
    >
      <span className="flow-node__head">
        {data.order !== undefined && !terminal && (
          <span className="flow-node__order" aria-hidden="true">
            {data.order}
          </span>
        )}
        <span className="flow-node__label">{data.label}</span>
        {/* The state in words for screen readers; sighted users see it in the border style. */}
        <span className="visually-hidden">, {STATE_WORDS[data.state]}</span>
        {data.state === 'decisive' && (
          <span className="flow-node__decisive" aria-hidden="true">
            ★ decisive
          </span>
        )}
      </span>
      {data.result && !terminal && (
        <span className="flow-node__result" data-result={data.result}>
          <span aria-hidden="true">{RESULT_SYMBOLS[data.result]}</span>{' '}
          {saysNotEvaluated(data.result, data.summary) ? (
            <span className="flow-node__summary">{data.summary}</span>
          ) : (
            <>
              {RESULT_WORDS[data.result]}
              {data.summary ? <span className="flow-node__summary">: {data.summary}</span> : null}
            </>
          )}
        </span>
      )}
      {data.summary && terminal && <span className="flow-node__terminal-summary">{data.summary}</span>}
      {data.highlighted && <span className="flow-node__linked">◆ uses selected statement</span>}
    </button>
  );
}

const NODE_BOX_STYLE = { width: NODE_WIDTH, minHeight: NODE_HEIGHT } as const;

const StepNodeView = memo(function StepNodeView({ data }: NodeProps<StepNode>) {
  return (
    <>
      {(Object.keys(SIDE_POSITIONS) as Side[]).map((side) => (
        <Handle
          key={`${side}-t`}
          id={handleId(side, 'target')}
          type="target"
          position={SIDE_POSITIONS[side]}
          isConnectable={false}
        />
      ))}
      {(Object.keys(SIDE_POSITIONS) as Side[]).map((side) => (
        <Handle
          key={`${side}-s`}
          id={handleId(side, 'source')}
          type="source"
          position={SIDE_POSITIONS[side]}
          isConnectable={false}
        />
      ))}
      <NodeButton data={data} style={NODE_BOX_STYLE} />
    </>
  );
});

const StepEdgeView = memo(function StepEdgeView(props: EdgeProps<StepEdge>) {
  const ui = useContext(FlowUiContext);
  const state = props.data?.state ?? 'idle';
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX: props.sourceX,
    sourceY: props.sourceY,
    sourcePosition: props.sourcePosition,
    targetX: props.targetX,
    targetY: props.targetY,
    targetPosition: props.targetPosition,
    borderRadius: 10,
    offset: 18,
  });
  const onPath = state === 'travelled' || state === 'active';
  const className = [
    'flow-edge',
    `flow-edge--${state}`,
    state === 'active' && ui.animate ? 'flow-edge--animated' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        className={className}
        markerEnd={`url(#${ui.markerId(onPath ? 'path' : 'idle')})`}
      />
      {props.data?.label && (
        <EdgeLabelRenderer>
          <div
            className={`flow-edge-label flow-edge-label--${state}`}
            style={{
              transform: `translate(-50%, -50%) translate(${labelX + (props.data.labelShift?.x ?? 0)}px, ${labelY + (props.data.labelShift?.y ?? 0)}px)`,
            }}
          >
            {props.data.label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

/**
 * React Flow turns pointer events off on nodes that are neither selectable nor draggable; ours hold a button,
 * so they must receive clicks (a node's own style wins over React Flow's).
 */
const CLICKABLE_NODE_STYLE = { pointerEvents: 'all' } as const;

// Defined once, outside any component, so React Flow does not remount every node on each render.
const NODE_TYPES: NodeTypes = { step: StepNodeView };
const EDGE_TYPES: EdgeTypes = { step: StepEdgeView };

export default function Flowchart({ result, stale = false, onSelectStep, highlightedSteps }: FlowchartProps) {
  const reducedMotion = useReducedMotion();
  const path = useMemo(() => decisionPath(result), [result]);
  const total = path.length;
  const [player, dispatch] = useReducer(playerReducer, undefined, () => initialPlayer(total, reducedMotion));
  const [walkedPath, setWalkedPath] = useState(() => pathKey(path));
  const [showText, setShowText] = useState(false);
  const [enlarged, setEnlarged] = useState(false);
  const enlargeButton = useRef<HTMLButtonElement>(null);
  const markerPrefix = useId().replace(/:/g, '');

  // A new path starts a new walk (derived state, reset during render rather than in an effect). A result
  // with the same path (same steps, same results) keeps the walk where it is.
  const currentPath = pathKey(path);
  if (walkedPath !== currentPath) {
    setWalkedPath(currentPath);
    dispatch({ type: 'load', total, reducedMotion });
  }

  useEffect(() => scheduleTick(player, dispatch), [player]);

  const highlightKey = (highlightedSteps ?? []).join(',');
  const highlighted = useMemo(
    () => (highlightKey ? (highlightKey.split(',') as StepId[]) : []),
    [highlightKey],
  );
  const flow = useMemo(() => {
    if (!enlarged) return { nodes: [], edges: [] };
    const { nodes, edges } = buildFlow(result, player.cursor, { highlightedSteps: highlighted });
    return { nodes: nodes.map((node): StepNode => ({ ...node, style: CLICKABLE_NODE_STYLE })), edges };
  }, [enlarged, result, player.cursor, highlighted]);
  const rows = useMemo(
    () => (enlarged ? [] : compactPath(result, player.cursor, { highlightedSteps: highlighted })),
    [enlarged, result, player.cursor, highlighted],
  );

  const ui = useMemo<FlowUi>(
    () => ({
      selectStep: (stepId, statements) => onSelectStep?.(stepId, statements),
      markerId: (kind) => `${markerPrefix}-arrow-${kind}`,
      // The edge being travelled marches only while the player plays: an endless animation on an idle page
      // costs CPU every frame. Never under reduced motion.
      animate: player.playing && !reducedMotion,
    }),
    [onSelectStep, markerPrefix, reducedMotion, player.playing],
  );

  // Escape leaves the enlarged view and hands focus back to the toggle, wherever focus was inside the chart.
  useEffect(() => {
    if (!enlarged) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      setEnlarged(false);
      enlargeButton.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enlarged]);

  const current = player.cursor > 0 ? path[player.cursor - 1] : undefined;
  const atStart = player.cursor <= 0;
  const atEnd = player.cursor >= total;
  const playLabel = player.playing ? 'Pause' : atEnd ? 'Replay' : 'Play';

  return (
    <FlowUiContext.Provider value={ui}>
      <section
        className={enlarged ? 'flowchart flowchart--enlarged' : 'flowchart'}
        data-stale={stale || undefined}
        data-walk={walkState(player)}
        data-testid="flowchart"
        aria-label="Authorization flowchart"
      >
        <div className="flowchart__toolbar" role="toolbar" aria-label="Decision path player">
          <button
            type="button"
            onClick={() => dispatch({ type: player.playing ? 'pause' : 'play' })}
            disabled={total === 0}
            aria-label={playLabel}
          >
            <span aria-hidden="true">{player.playing ? '❚❚' : '▶'}</span> {playLabel}
          </button>
          {/* Symbols only, to fit the column: the names are in aria-label and the tooltip. */}
          <button
            type="button"
            onClick={() => dispatch({ type: 'back' })}
            disabled={atStart}
            aria-label="Step back"
            title="Step back"
          >
            <span aria-hidden="true">◀</span>
          </button>
          <button
            type="button"
            onClick={() => dispatch({ type: 'forward' })}
            disabled={atEnd}
            aria-label="Step forward"
            title="Step forward"
          >
            <span aria-hidden="true">▶|</span>
          </button>
          <button
            type="button"
            onClick={() => dispatch({ type: 'restart' })}
            disabled={total === 0}
            aria-label="Restart"
            title="Restart"
          >
            <span aria-hidden="true">↺</span>
          </button>
          <button
            type="button"
            onClick={() => dispatch({ type: 'end' })}
            disabled={atEnd}
            aria-label="Skip to the end"
            title="Skip to the end"
          >
            <span aria-hidden="true">⇥</span>
          </button>
          <span className="flowchart__speed" role="group" aria-label="Replay speed">
            {SPEEDS.map((speed) => (
              <button
                key={speed}
                type="button"
                aria-pressed={player.speed === speed}
                aria-label={`Speed ${speed}×`}
                onClick={() => dispatch({ type: 'speed', speed })}
              >
                {speed}×
              </button>
            ))}
          </span>
        </div>
        <div className="flowchart__options">
          <p className="flowchart__status">
            {total === 0
              ? 'No evaluation yet'
              : `Step ${player.cursor} of ${total}${current ? `: ${NODE_SPECS[current.id].label}` : ''}`}
          </p>
          <button
            type="button"
            className="flowchart__text-toggle"
            aria-pressed={showText}
            onClick={() => setShowText((shown) => !shown)}
          >
            Path as text
          </button>
          <button
            ref={enlargeButton}
            type="button"
            className="flowchart__enlarge-toggle"
            aria-pressed={enlarged}
            aria-keyshortcuts={enlarged ? 'Escape' : undefined}
            title={enlarged ? 'Back to the panel (Escape)' : 'Show the whole diagram over most of the window'}
            onClick={() => setEnlarged((on) => !on)}
          >
            <span aria-hidden="true">{enlarged ? '⤡' : '⤢'}</span> Enlarge
          </button>
        </div>
        {stale && (
          <p className="flowchart__stale" role="status">
            <span aria-hidden="true">⚠</span> Stale: showing the last good evaluation
          </p>
        )}
        {enlarged ? (
          <div className="flowchart__canvas">
            <ArrowMarkers prefix={markerPrefix} />
            <ReactFlow<StepNode, StepEdge>
              nodes={flow.nodes}
              edges={flow.edges}
              nodeTypes={NODE_TYPES}
              edgeTypes={EDGE_TYPES}
              fitView
              fitViewOptions={{ padding: 0.06 }}
              minZoom={0.2}
              maxZoom={2}
              nodesDraggable={false}
              nodesConnectable={false}
              nodesFocusable={false}
              edgesFocusable={false}
              elementsSelectable={false}
              zoomOnDoubleClick={false}
              // React Flow listens on the whole window for these keys and cancels them: Space (pan) would be
              // swallowed in every Monaco editor, whose input area React Flow does not take for an input.
              // Nothing is selectable or deletable here, so none of them is needed.
              panActivationKeyCode={null}
              selectionKeyCode={null}
              multiSelectionKeyCode={null}
              deleteKeyCode={null}
              zoomActivationKeyCode={null}
              proOptions={{ hideAttribution: true }}
            >
              {/* Top left: the one corner of the layout that no node or edge line reaches. */}
              <Controls showInteractive={false} position="top-left" />
              <ViewFitter
                focusStep={
                  (atEnd ? (path.find((step) => step.decisive) ?? current) : (current ?? path[0]))?.id
                }
                reducedMotion={reducedMotion}
              />
            </ReactFlow>
          </div>
        ) : (
          <CompactPath rows={rows} />
        )}
        <PathText path={path} visible={showText} />
      </section>
    </FlowUiContext.Provider>
  );
}

/**
 * The decision path in place: one row per step that took part, joined by the label of the edge between them.
 * A run of checks that did not apply is one line in the join, so the path stays short enough to see whole.
 */
function CompactPath({ rows }: { rows: CompactRow[] }) {
  if (rows.length === 0) return <p className="flow-path__empty">No evaluation yet</p>;
  return (
    <div className="flow-path">
      <ol className="flow-path__list" aria-label="Decision path">
        {rows.map((row, index) =>
          row.kind === 'step' ? (
            <li key={row.node.stepId} className="flow-path__row" data-reached={row.reached || undefined}>
              {/* After a not-applicable line, that line already leads here. */}
              {index > 0 && rows[index - 1].kind === 'step' && <Join via={row.via} />}
              <NodeButton data={row.node} />
            </li>
          ) : (
            <li key={row.nodes[0].stepId} className="flow-path__row" data-reached={row.reached || undefined}>
              <Join via={row.via}>
                <span className="flow-path__not-applicable">
                  {row.nodes.map((node, position) => (
                    <span key={node.stepId}>
                      {position > 0 && ', '}
                      <span
                        className="flow-path__skipped-step"
                        data-testid={`flow-node-${node.stepId}`}
                        data-state={node.state}
                        title={node.summary}
                      >
                        {node.label}
                      </span>
                    </span>
                  ))}
                  : {skippedRunWords(row.nodes.map((node) => node.summary))}
                </span>
                {rows[index + 1]?.via && <span>↓ {rows[index + 1].via}</span>}
              </Join>
            </li>
          ),
        )}
      </ol>
      <p className="flow-path__note">
        Checks off this path are left out here: Enlarge shows the whole diagram.
      </p>
    </div>
  );
}

/** The arrow between two rows, with the edge label and whatever passes on the way. */
function Join({ via, children }: { via?: string; children?: ReactNode }) {
  return (
    <span className="flow-path__via">
      <span className="flow-path__arrow" aria-hidden="true">
        ↓
      </span>
      {via && <span>{via}</span>}
      {children}
    </span>
  );
}

/** Node text reads comfortably from this zoom up; below it the enlarged view follows the path instead. */
const READABLE_ZOOM = 1;

/**
 * Frames the enlarged diagram: the whole of it if it fits at a readable zoom, otherwise the current step at
 * that zoom, following the player (wheel and drag still pan, the Controls still zoom out).
 */
function ViewFitter({ focusStep, reducedMotion }: { focusStep: StepId | undefined; reducedMotion: boolean }) {
  const flow = useReactFlow<StepNode, StepEdge>();
  const duration = reducedMotion ? 0 : 250;
  useEffect(() => {
    // Wait a frame: the canvas takes its new size (panel ↔ overlay) after this render is painted.
    const frame = window.requestAnimationFrame(() => {
      void flow.fitView({ padding: 0.06, duration }).then(() => {
        if (flow.getZoom() >= READABLE_ZOOM) return;
        const node = focusStep ? flow.getNode(focusStep) : undefined;
        if (!node) return;
        void flow.setCenter(node.position.x + NODE_WIDTH / 2, node.position.y + NODE_HEIGHT / 2, {
          zoom: READABLE_ZOOM,
          duration,
        });
      });
    });
    return () => window.cancelAnimationFrame(frame);
  }, [flow, focusStep, duration]);
  return null;
}

/**
 * The whole decision path as an ordered list, always in the accessibility tree. Not a live region: the
 * decision panel announces the verdict once; reading each step out as the walk passes would drown it.
 */
function PathText({ path, visible }: { path: readonly Step[]; visible: boolean }) {
  return (
    <div className={visible ? 'flowchart__text' : 'flowchart__text visually-hidden'}>
      <h3 className="flowchart__text-title">Decision path</h3>
      <ol>
        {path.map((step, index) => (
          <li key={`${index}-${step.id}`} data-decisive={step.decisive || undefined}>
            <strong>{NODE_SPECS[step.id].label}</strong>:{' '}
            {saysNotEvaluated(step.result, step.summary) ? '' : `${RESULT_WORDS[step.result]}. `}
            {withoutSourceTags(step.summary)}
            {step.decisive ? ' (decisive step)' : ''}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Arrowheads coloured by CSS variables (React Flow's built-in markers take literal colours only). */
function ArrowMarkers({ prefix }: { prefix: string }) {
  return (
    <svg className="flow-markers" aria-hidden="true" width="0" height="0">
      <defs>
        {(['idle', 'path'] as const).map((kind) => (
          <marker
            key={kind}
            id={`${prefix}-arrow-${kind}`}
            className={`flow-marker flow-marker--${kind}`}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="12"
            markerHeight="12"
            markerUnits="userSpaceOnUse"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" />
          </marker>
        ))}
      </defs>
    </svg>
  );
}
