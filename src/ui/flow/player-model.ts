/**
 * The decision-path walk as a pure reducer: which step the walk has reached (the cursor), whether it is
 * playing, and at what speed; plus the timer that drives it. React state in Flowchart.tsx holds it; React Flow
 * never does (lab-design §6).
 *
 * The answer comes first: the decisive node is marked as soon as a result arrives (flow-model.ts), and the walk
 * that follows only draws the path towards it, in at most WALK_TOTAL_MS. Play replays it step by step at the
 * chosen speed.
 */

export const SPEEDS = [0.5, 1, 2] as const;
export type Speed = (typeof SPEEDS)[number];

/** The whole automatic walk after a new result, whatever the path length: short, so the answer never waits. */
export const WALK_TOTAL_MS = 900;

/** Milliseconds between two steps of a replay at 1× speed: slow enough to follow each step. */
export const REPLAY_STEP_MS = 600;

export interface PlayerState {
  /** Number of steps reached, 0..total. */
  cursor: number;
  total: number;
  playing: boolean;
  /** The automatic walk after a new result (fixed total time) rather than a replay (per-step time). */
  walk: boolean;
  speed: Speed;
}

export type PlayerAction =
  /** A new path arrived: walk it, or show it all at once when the user prefers reduced motion. */
  | { type: 'load'; total: number; reducedMotion: boolean }
  | { type: 'tick' }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'forward' }
  | { type: 'back' }
  | { type: 'restart' }
  | { type: 'end' }
  | { type: 'speed'; speed: Speed };

export const initialPlayer = (total = 0, reducedMotion = false): PlayerState =>
  playerReducer(
    { cursor: 0, total: 0, playing: false, walk: false, speed: 1 },
    { type: 'load', total, reducedMotion },
  );

/** From the first step (the request shows at once, so the path never looks empty), playing unless it is one step. */
const replayed = (state: PlayerState): PlayerState =>
  state.total === 0 ? state : { ...state, cursor: 1, playing: state.total > 1, walk: false };

export function playerReducer(state: PlayerState, action: PlayerAction): PlayerState {
  switch (action.type) {
    case 'load':
      return action.reducedMotion || action.total <= 1
        ? { ...state, total: action.total, cursor: action.total, playing: false, walk: false }
        : { ...state, total: action.total, cursor: 1, playing: true, walk: true };
    case 'tick': {
      if (!state.playing) return state;
      const cursor = Math.min(state.cursor + 1, state.total);
      return { ...state, cursor, playing: cursor < state.total };
    }
    case 'play':
      // Play at the end replays from the start.
      if (state.total === 0) return state;
      return state.cursor >= state.total ? replayed(state) : { ...state, playing: true, walk: false };
    case 'pause':
      return { ...state, playing: false };
    case 'forward':
      return { ...state, playing: false, cursor: Math.min(state.cursor + 1, state.total) };
    case 'back':
      return { ...state, playing: false, cursor: Math.max(state.cursor - 1, 0) };
    case 'restart':
      return replayed(state);
    case 'end':
      return { ...state, playing: false, cursor: state.total };
    case 'speed':
      return { ...state, speed: action.speed };
  }
}

/** Delay before the next step: the automatic walk shares WALK_TOTAL_MS among its steps; a replay follows the speed. */
export function tickDelay(state: PlayerState): number {
  if (state.walk) return Math.floor(WALK_TOTAL_MS / Math.max(1, state.total - 1));
  return REPLAY_STEP_MS / state.speed;
}

/** Where the walk is, for people and tests (`data-walk` on the chart). */
export type WalkState = 'playing' | 'paused' | 'done';
export const walkState = (state: PlayerState): WalkState =>
  state.playing ? 'playing' : state.cursor >= state.total ? 'done' : 'paused';

/** Schedules the next step of a playing walk; returns the function that cancels it. */
export function scheduleTick(state: PlayerState, dispatch: (action: PlayerAction) => void): () => void {
  if (!state.playing) return () => {};
  const timer = setTimeout(() => dispatch({ type: 'tick' }), tickDelay(state));
  return () => clearTimeout(timer);
}
