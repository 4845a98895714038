import { describe, expect, it } from 'vitest';
import { initialPlayer, playerReducer, tickDelay, type PlayerAction, type PlayerState } from './player-model';

const run = (state: PlayerState, ...actions: PlayerAction[]) => actions.reduce(playerReducer, state);

describe('playerReducer', () => {
  it('starts a new path at the first step and plays it', () => {
    expect(initialPlayer(5, false)).toMatchObject({ cursor: 1, total: 5, playing: true });
  });

  it('jumps to the end, paused, when the user prefers reduced motion', () => {
    expect(initialPlayer(5, true)).toMatchObject({ cursor: 5, playing: false });
  });

  it('ticks to the end and stops there', () => {
    const state = run(initialPlayer(3), { type: 'tick' }, { type: 'tick' });
    expect(state).toMatchObject({ cursor: 3, playing: false });
    expect(run(state, { type: 'tick' }).cursor).toBe(3);
  });

  it('ignores ticks while paused', () => {
    expect(run(initialPlayer(4), { type: 'pause' }, { type: 'tick' }).cursor).toBe(1);
  });

  it('steps forward and back, pausing, within bounds', () => {
    const stepped = run(initialPlayer(3), { type: 'forward' });
    expect(stepped).toMatchObject({ cursor: 2, playing: false });
    expect(run(stepped, { type: 'forward' }, { type: 'forward' }).cursor).toBe(3);
    expect(run(stepped, { type: 'back' }, { type: 'back' }, { type: 'back' }).cursor).toBe(0);
  });

  it('replays from the start when play is pressed at the end', () => {
    const atEnd = initialPlayer(4, true);
    expect(run(atEnd, { type: 'play' })).toMatchObject({ cursor: 1, playing: true });
    expect(run(atEnd, { type: 'restart' })).toMatchObject({ cursor: 1, playing: true });
  });

  it('keeps the speed across a new result and slows ticks at 0.5×', () => {
    const fast = run(
      initialPlayer(3),
      { type: 'speed', speed: 2 },
      { type: 'load', total: 6, reducedMotion: false },
    );
    expect(fast).toMatchObject({ speed: 2, cursor: 1, total: 6 });
    expect(tickDelay(0.5)).toBe(2 * tickDelay(1));
    expect(tickDelay(2)).toBe(tickDelay(1) / 2);
  });

  it('does nothing to play with no path', () => {
    expect(run(initialPlayer(0), { type: 'play' })).toMatchObject({ cursor: 0, playing: false });
  });

  it('jumps to the end on demand', () => {
    expect(run(initialPlayer(7), { type: 'end' })).toMatchObject({ cursor: 7, playing: false });
  });
});
