/**
 * Trail replay, the library API: decide every KMS call of a CloudTrail trail again under a scenario and report the
 * calls whose answer would change (`lab replay` is this plus file reading). Pure: inputs are named streams of bytes
 * (decompressed); the CLI opens files, folders and gzip.
 *
 *   const report = await replayTrail(scenario, [{ name: 'trail.json', chunks: [bytes] }], {
 *     onChange: (change) => console.log(change.caller, change.action, change.direction),
 *   });
 *   report.counts; // { read, kms, replayed, changed, skipped, malformed, … }
 */
import type { Scenario } from '../scenario/types';
import { TrailReplay, locate, type ReplayCounts, type ReplayGroup, type ReplayOptions } from './replay';
import { TrailReader } from './trail-reader';

export {
  TrailReplay,
  describeGroup,
  SKIP_REASONS,
  MAX_GROUPS,
  OTHER_CALLERS,
  type ChangeDirection,
  type RecordLocation,
  type ReplayChange,
  type ReplayCounts,
  type ReplayGroup,
  type ReplayOptions,
  type SkipReason,
} from './replay';
export {
  TrailReader,
  recordPath,
  MAX_RECORD_BYTES,
  type RecordPlace,
  type TrailReaderSink,
} from './trail-reader';

/** One input: a name for messages and its bytes, chunk by chunk (already decompressed). */
export interface TrailInput {
  name: string;
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** An input that could not be read to its end (not CloudTrail JSON, cut short, a read error). */
export interface UnreadableInput {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export interface ReplayReport {
  counts: ReplayCounts;
  groups: ReplayGroup[];
  unreadable: UnreadableInput[];
}

export interface TrailReplayOptions extends ReplayOptions {
  /** Called when an input cannot be read further; the other inputs are still replayed. */
  onUnreadable?(problem: UnreadableInput): void;
  /** Asked between chunks: true ends the replay early (the output's reader has gone). */
  stop?(): boolean;
}

/** Replays the inputs in order. Never throws: read errors of an input are reported and the next input is read. */
export async function replayTrail(
  scenario: Scenario,
  inputs: AsyncIterable<TrailInput> | Iterable<TrailInput>,
  options: TrailReplayOptions = {},
): Promise<ReplayReport> {
  const replay = new TrailReplay(scenario, options);
  const unreadable: UnreadableInput[] = [];
  const report = (problem: UnreadableInput) => {
    unreadable.push(problem);
    options.onUnreadable?.(problem);
  };
  const stop = options.stop ?? (() => false);
  for await (const input of inputs) {
    if (stop()) break;
    const reader = readerFor(replay, input.name, (line, column, message) =>
      report({ file: input.name, line, column, message }),
    );
    try {
      for await (const chunk of input.chunks) {
        reader.push(chunk);
        if (reader.stopped || stop()) break;
      }
    } catch (error) {
      report({ file: input.name, message: `cannot read: ${readError(error)}` });
      continue;
    }
    if (stop()) break;
    reader.end();
  }
  return { counts: replay.counts, groups: replay.groups(), unreadable };
}

/** A reader whose records go to the replay. */
export function readerFor(
  replay: TrailReplay,
  file: string,
  fatal: (line: number, column: number, message: string) => void,
): TrailReader {
  return new TrailReader({
    record: (record, place) => replay.record(record, file, place),
    malformed: (place, message) => replay.malformed(locate(file, place), message),
    fatal,
  });
}

function readError(error: unknown): string {
  if (error && typeof error === 'object') {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof message === 'string' && message !== '')
      return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
    if (typeof code === 'string') return code;
  }
  return String(error);
}
