/**
 * Helpers shared by every e2e spec: go to an area, take a named screenshot, run an axe scan.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Scenario } from '../src/scenario/types';
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

/** Opens the Lab at `hash` and waits for its test hook (window.__lab). */
export async function openLab(page: Page, hash = '#/lab'): Promise<void> {
  await page.goto(`./${hash}`);
  await waitForArea(page, 'lab');
  await page.waitForFunction(() => window.__lab !== undefined);
}

/** Opens the Lab on `world` (set up through the test hook) and waits for Monaco and the first decision. */
export async function openLabOn(page: Page, world: Scenario): Promise<Locator> {
  await openLab(page);
  await page.evaluate((s) => window.__lab!.setScenario(s), world);
  await page.evaluate(() => window.__lab!.setView('evaluate'));
  const panel = page.getByTestId('policy-editor');
  const slow = { timeout: 20_000 };
  await expect(panel.locator('.monaco-editor .view-lines')).toBeVisible(slow);
  await expect(page.getByTestId('decision')).toHaveAttribute('data-decision', /./, slow);
  return panel;
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
