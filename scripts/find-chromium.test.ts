import { writeFileSync, mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium, INSTALL_HELP } from './find-chromium.mjs';

describe('findChromium', () => {
  it('prefers CHROMIUM_PATH when it points at an executable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'find-chromium-'));
    const fake = join(dir, 'my-chromium');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(findChromium({ CHROMIUM_PATH: fake })).toBe(fake);
  });

  it('refuses a CHROMIUM_PATH that is not executable, and says what to install', () => {
    expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(/not an executable/);
    expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(
      'apt-get update && apt-get install -y chromium',
    );
  });

  it('names the Debian package and the environment variable in its help', () => {
    expect(INSTALL_HELP).toContain('apt-get install -y chromium');
    expect(INSTALL_HELP).toContain('CHROMIUM_PATH');
  });
});
