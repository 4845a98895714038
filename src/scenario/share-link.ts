/**
 * Share links (lab-design §4): the URL hash `#scenario=<payload>`, where the payload is lz-string
 * `compressToEncodedURIComponent` of the scenario JSON, and `&request=<id>` selects that request (without it,
 * the first). Decoding returns a result and never throws: a broken
 * link must leave the learner's current work alone and say what is wrong.
 */
import LZString from 'lz-string';
import { formatLocatedError, loadScenario, type LocatedError } from './load';
import type { Scenario } from './types';

export const SHARE_LINK_PARAM = 'scenario';
export const REQUEST_PARAM = 'request';

export type DecodeShareLinkResult =
  | {
      ok: true;
      scenario: Scenario;
      /** The scenario JSON as it was shared. */
      text: string;
      /** The request to select: the link's, or the first when the link names none or one the scenario lacks. */
      selectedRequestId: string | null;
      notes: string[];
    }
  | {
      ok: false;
      reason: 'not-a-share-link' | 'corrupt' | 'not-json' | 'invalid-scenario';
      message: string;
      /** For an invalid scenario: where, in the shared JSON. */
      errors?: LocatedError[];
    };

/**
 * The hash for a scenario and, optionally, the request to select when it opens. Give the scenario's text to keep
 * the learner's formatting (and comments); give the object to share it compactly.
 */
export function encodeShareLink(scenario: Scenario | string, requestId?: string | null): string {
  const text = typeof scenario === 'string' ? scenario : JSON.stringify(scenario);
  const request = requestId ? `&${REQUEST_PARAM}=${encodeURIComponent(requestId)}` : '';
  return `#${SHARE_LINK_PARAM}=${LZString.compressToEncodedURIComponent(text)}${request}`;
}

/** Accepts `#scenario=…`, `scenario=…` or a whole URL whose hash carries it. */
export function decodeShareLink(hashOrUrl: string): DecodeShareLinkResult {
  const payload = paramOf(hashOrUrl, SHARE_LINK_PARAM);
  if (payload === undefined) {
    return {
      ok: false,
      reason: 'not-a-share-link',
      message: `This is not a share link: the address has no "#${SHARE_LINK_PARAM}=" part.`,
    };
  }
  if (payload === '') {
    return {
      ok: false,
      reason: 'corrupt',
      message: 'The share link is empty after "#scenario=": it was probably cut off.',
    };
  }
  let text: string | null;
  try {
    text = LZString.decompressFromEncodedURIComponent(payload);
  } catch {
    text = null;
  }
  if (!text) {
    return {
      ok: false,
      reason: 'corrupt',
      message: 'The share link is damaged: its data could not be decompressed (was it cut off or edited?).',
    };
  }
  try {
    JSON.parse(text);
  } catch {
    // Damaged data may still decompress, into text that is not JSON.
    return {
      ok: false,
      reason: 'not-json',
      message: 'The share link is damaged: its data is not JSON (was it cut off or edited?).',
    };
  }
  const loaded = loadScenario(text, 'share link');
  if (!loaded.ok) {
    const shown = loaded.errors.slice(0, 5).map(formatLocatedError);
    const more =
      loaded.errors.length > shown.length ? [`… and ${loaded.errors.length - shown.length} more`] : [];
    return {
      ok: false,
      reason: 'invalid-scenario',
      message: ['The share link holds a scenario this lab cannot open:', ...shown, ...more].join('\n'),
      errors: loaded.errors,
    };
  }
  const requests = loaded.scenario.requests ?? [];
  const asked = requestIdOf(hashOrUrl);
  const notes = [...loaded.notes];
  if (asked !== undefined && !requests.some((r) => r.id === asked)) {
    notes.push(
      `The link asks for the request “${asked}”, which this scenario does not have; the first request is selected.`,
    );
  }
  const selectedRequestId = requests.some((r) => r.id === asked) ? asked! : (requests[0]?.id ?? null);
  return { ok: true, scenario: loaded.scenario, text, selectedRequestId, notes };
}

function requestIdOf(hashOrUrl: string): string | undefined {
  const encoded = paramOf(hashOrUrl, REQUEST_PARAM);
  if (!encoded) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

function paramOf(hashOrUrl: string, name: string): string | undefined {
  const trimmed = hashOrUrl.trim();
  const hashIndex = trimmed.indexOf('#');
  const fragment = hashIndex >= 0 ? trimmed.slice(hashIndex + 1) : trimmed;
  // Not URLSearchParams: it would turn the "+" of the lz-string alphabet into a space.
  for (const part of fragment.split('&')) {
    if (part.startsWith(`${name}=`)) return part.slice(name.length + 1);
  }
  return undefined;
}
