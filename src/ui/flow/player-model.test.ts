import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  REPLAY_STEP_MS,
  WALK_TOTAL_MS,
  initialPlayer,
  playerReducer,
  scheduleTick,
  tickDelay,
  walkState,
  type PlayerAction,
  type PlayerState,
} from './player-model';

const run = (state: PlayerState, ...actions: PlayerAction[]) => actions.reduce(playerReducer, state);

/** Drives a player with real scheduleTick calls, as Flowchart.tsx does, under fake timers. */
function drive(start: PlayerState) {
  let state = start;
  let cancel = () => {};
  const dispatch = (action: PlayerAction) => {
    cancel();
    state = playerReducer(state, action);
    cancel = scheduleTick(state, dispatch);
  };
  cancel = scheduleTick(state, dispatch);
  return {
    dispatch,
    get state() {
      return state;
    },
  };
}

describe('playerReducer', () => {
  it('starts a new path at the first step and walks it', () => {
    expect(initialPlayer(5, false)).toMatchObject({ cursor: 1, total: 5, playing: true, walk: true });
  });

  it('jumps to the end, paused, when the user prefers reduced motion', () => {
    expect(initialPlayer(5, true)).toMatchObject({ cursor: 5, playing: false });
    expect(walkState(initialPlayer(5, true))).toBe('done');
  });

  it('ticks to the end and stops there', () => {
    const state = run(initialPlayer(3), { type: 'tick' }, { type: 'tick' });
    expect(state).toMatchObject({ cursor: 3, playing: false });
    expect(run(state, { type: 'tick' }).cursor).toBe(3);
  });

  it('ignores ticks while paused', () => {
    const paused = run(initialPlayer(4), { type: 'pause' }, { type: 'tick' });
    expect(paused.cursor).toBe(1);
    expect(walkState(paused)).toBe('paused');
  });

  it('steps forward and back, pausing, within bounds', () => {
    const stepped = run(initialPlayer(3), { type: 'forward' });
    expect(stepped).toMatchObject({ cursor: 2, playing: false });
    expect(run(stepped, { type: 'forward' }, { type: 'forward' }).cursor).toBe(3);
    expect(run(stepped, { type: 'back' }, { type: 'back' }, { type: 'back' }).cursor).toBe(0);
  });

  it('replays from the start when play is pressed at the end', () => {
    const atEnd = initialPlayer(4, true);
    expect(run(atEnd, { type: 'play' })).toMatchObject({ cursor: 1, playing: true, walk: false });
    expect(run(atEnd, { type: 'restart' })).toMatchObject({ cursor: 1, playing: true, walk: false });
  });

  it('keeps the speed across a new result', () => {
    const fast = run(
      initialPlayer(3),
      { type: 'speed', speed: 2 },
      { type: 'load', total: 6, reducedMotion: false },
    );
    expect(fast).toMatchObject({ speed: 2, cursor: 1, total: 6 });
  });

  it('does nothing to play with no path', () => {
    expect(run(initialPlayer(0), { type: 'play' })).toMatchObject({ cursor: 0, playing: false });
  });

  it('jumps to the end on demand', () => {
    expect(run(initialPlayer(7), { type: 'end' })).toMatchObject({ cursor: 7, playing: false });
  });
});

describe('timing', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each([2, 5, 12, 19])('walks a new path of %i steps to its end within the walk time', (total) => {
    const player = drive(initialPlayer(total));
    vi.advanceTimersByTime(WALK_TOTAL_MS / 2);
    expect(player.state.cursor).toBeLessThan(total);
    vi.advanceTimersByTime(WALK_TOTAL_MS / 2);
    expect(player.state).toMatchObject({ cursor: total, playing: false });
    expect(WALK_TOTAL_MS).toBeLessThanOrEqual(1000);
  });

  it('replays step by step at the chosen speed', () => {
    const player = drive(initialPlayer(4, true));
    player.dispatch({ type: 'speed', speed: 0.5 });
    player.dispatch({ type: 'play' });
    expect(player.state.cursor).toBe(1);
    vi.advanceTimersByTime(2 * REPLAY_STEP_MS - 1);
    expect(player.state.cursor).toBe(1);
    vi.advanceTimersByTime(1);
    expect(player.state.cursor).toBe(2);
    player.dispatch({ type: 'speed', speed: 2 });
    vi.advanceTimersByTime(REPLAY_STEP_MS);
    expect(player.state).toMatchObject({ cursor: 4, playing: false });
  });

  it('stops ticking when paused', () => {
    const player = drive(initialPlayer(6));
    player.dispatch({ type: 'pause' });
    vi.advanceTimersByTime(10 * WALK_TOTAL_MS);
    expect(player.state.cursor).toBe(1);
  });

  it('gives a replay more time per step than the automatic walk', () => {
    const walking = initialPlayer(10);
    expect(tickDelay(walking) * (walking.total - 1)).toBeLessThanOrEqual(WALK_TOTAL_MS);
    expect(tickDelay(run(walking, { type: 'restart' }))).toBe(REPLAY_STEP_MS);
  });
});
