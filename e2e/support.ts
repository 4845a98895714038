/**
 * Helpers shared by every e2e spec: go to an area, take a named screenshot, run an axe scan.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { AREAS, areaLabel, type AreaId } from '../src/ui/shell/routes';

export { AREAS, type AreaId };

export const SCREENSHOT_DIR = join('test-results', 'screenshots');

/** Opens an area by URL and waits until its lazy chunk has rendered (the loading message is gone). */
export async function gotoArea(page: Page, area: AreaId): Promise<void> {
  await page.goto(`./#/${area}`);
  await waitForArea(page, area);
}

/** Waits until the shell shows `area` and its content has finished loading. */
export async function waitForArea(page: Page, area: AreaId): Promise<void> {
  await expect(page.locator('#area-title')).toHaveText(areaLabel(area));
  await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
}

/** Writes `test-results/screenshots/<name>.png` (full page) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

/**
 * Runs axe (WCAG 2.x A and AA rules plus best practices) on the page and fails on any serious or critical
 * violation, listing each with the offending selectors. Pass `exclude` selectors for third-party widgets
 * you cannot fix (say why in the test).
 */
export async function expectNoSeriousA11yViolations(page: Page, exclude: string[] = []): Promise<void> {
  let builder = new AxeBuilder({ page }).withTags([
    'wcag2a',
    'wcag2aa',
    'wcag21a',
    'wcag21aa',
    'best-practice',
  ]);
  for (const selector of exclude) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) => `${v.impact}: ${v.id} (${v.help})\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(report, `axe found serious or critical violations:\n${report.join('\n')}`).toEqual([]);
}
