import { describe, expect, it } from 'vitest';
import { AREAS, DEFAULT_AREA, areaHref, parseHash } from './routes';

describe('parseHash', () => {
  it.each(AREAS.map((area) => area.id))('routes #/%s to its area', (area) => {
    expect(parseHash(areaHref(area))).toEqual({ area, subPath: '', isShareLink: false });
  });

  it('keeps the sub-path for the area to use', () => {
    expect(parseHash('#/learn/key-policies/intro')).toEqual({
      area: 'learn',
      subPath: 'key-policies/intro',
      isShareLink: false,
    });
  });

  it('opens the lab for a share link, whatever the payload', () => {
    expect(parseHash('#scenario=N4IgzgpgTgLg')).toEqual({ area: 'lab', subPath: '', isShareLink: true });
  });

  it.each(['', '#', '#/', '#/nowhere', '#learn', '#main-content'])('sends %j to the default area', (hash) => {
    expect(parseHash(hash)).toEqual({ area: DEFAULT_AREA, subPath: '', isShareLink: false });
  });
});
