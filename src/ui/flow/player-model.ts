/**
 * The decision-path animation player as a pure reducer: which step is revealed (the cursor), whether it is
 * playing, and at what speed. React state in Flowchart.tsx holds it; React Flow never does (lab-design §6).
 */

export const SPEEDS = [0.5, 1, 2] as const;
export type Speed = (typeof SPEEDS)[number];

/** Milliseconds between two steps at 1× speed. */
export const STEP_INTERVAL_MS = 800;

export interface PlayerState {
  /** Number of steps revealed, 0..total. */
  cursor: number;
  total: number;
  playing: boolean;
  speed: Speed;
}

export type PlayerAction =
  /** A new result arrived: start over, or show it all at once when the user prefers reduced motion. */
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
  playerReducer({ cursor: 0, total: 0, playing: false, speed: 1 }, { type: 'load', total, reducedMotion });

export function playerReducer(state: PlayerState, action: PlayerAction): PlayerState {
  switch (action.type) {
    case 'load':
      // The request node shows at once so the diagram never looks empty while a path exists.
      return action.reducedMotion || action.total <= 1
        ? { ...state, total: action.total, cursor: action.total, playing: false }
        : { ...state, total: action.total, cursor: 1, playing: true };
    case 'tick': {
      if (!state.playing) return state;
      const cursor = Math.min(state.cursor + 1, state.total);
      return { ...state, cursor, playing: cursor < state.total };
    }
    case 'play':
      if (state.total === 0) return state;
      // Play at the end replays from the start.
      return state.cursor >= state.total
        ? { ...state, cursor: 1, playing: state.total > 1 }
        : { ...state, playing: true };
    case 'pause':
      return { ...state, playing: false };
    case 'forward':
      return { ...state, playing: false, cursor: Math.min(state.cursor + 1, state.total) };
    case 'back':
      return { ...state, playing: false, cursor: Math.max(state.cursor - 1, 0) };
    case 'restart':
      return state.total === 0 ? state : { ...state, cursor: 1, playing: state.total > 1 };
    case 'end':
      return { ...state, playing: false, cursor: state.total };
    case 'speed':
      return { ...state, speed: action.speed };
  }
}

/** Delay before the next tick at the given speed. */
export const tickDelay = (speed: Speed): number => STEP_INTERVAL_MS / speed;
