/**
 * Hash routing: `#/learn`, `#/lab`, `#/keys`, `#/envelope`, `#/audit`, optionally followed by `/<rest>` that
 * the area may use for its own sub-pages (e.g. `#/learn/<lesson-id>`). A hash starting `#scenario=` is a
 * share link (lab-design §4): it opens the Lab, which reads the payload from `location.hash` itself.
 * Hash routing needs no server rewrites, so the build works from any static host and from a file share.
 */

export type AreaId = 'learn' | 'lab' | 'keys' | 'envelope' | 'audit';

export interface AreaInfo {
  id: AreaId;
  /** Navigation label and page heading. */
  label: string;
}

/** Navigation order. */
export const AREAS: readonly AreaInfo[] = [
  { id: 'learn', label: 'Learn' },
  { id: 'lab', label: 'Lab' },
  { id: 'keys', label: 'Keys' },
  { id: 'envelope', label: 'Envelope' },
  { id: 'audit', label: 'Audit' },
];

/** Where an empty or unknown hash lands: the lab, the part of the app people come for first. */
export const DEFAULT_AREA: AreaId = 'lab';

export const SHARE_LINK_PREFIX = '#scenario=';

export interface Route {
  area: AreaId;
  /** The part after `#/<area>/`, without a leading slash; empty when there is none. */
  subPath: string;
  /** True when the hash is a `#scenario=` share link. */
  isShareLink: boolean;
}

export function isAreaId(value: string): value is AreaId {
  return AREAS.some((area) => area.id === value);
}

export function parseHash(hash: string): Route {
  if (hash.startsWith(SHARE_LINK_PREFIX)) return { area: 'lab', subPath: '', isShareLink: true };
  const match = /^#\/([^/?]*)\/?(.*)$/.exec(hash);
  const candidate = match?.[1] ?? '';
  if (match && isAreaId(candidate)) return { area: candidate, subPath: match[2] ?? '', isShareLink: false };
  return { area: DEFAULT_AREA, subPath: '', isShareLink: false };
}

export function areaHref(area: AreaId): string {
  return `#/${area}`;
}

export function areaLabel(area: AreaId): string {
  return AREAS.find((info) => info.id === area)?.label ?? area;
}
