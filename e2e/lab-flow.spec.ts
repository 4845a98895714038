/**
 * The flowchart in place (issue 7): readable at 1280×720 without Enlarge and in the first screen with the
 * verdict, the answer before the walk, Play at a chosen speed, reduced motion, and Tab stops on the path only.
 * `window.__lab` only sets up scenarios and reads state; what a test is about is done by clicks and keys.
 */
import { type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../src/scenario/load';
import type { Scenario } from '../src/scenario/types';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations, screenshot, waitForArea } from './support';

const TEMPLATE_DIR = fileURLToPath(new URL('../scenarios/templates/', import.meta.url));

function readTemplate(file: string): Scenario {
  const loaded = loadScenario(readFileSync(`${TEMPLATE_DIR}${file}`, 'utf8'), file);
  if (!loaded.ok) throw new Error(`${file}: ${loaded.errors.map((e) => e.message).join('; ')}`);
  return loaded.scenario;
}

/** The smallest on-screen text size we accept in the chart, in CSS pixels (font size × drawing scale). */
const MIN_TEXT_PX = 12;
/** Work that can take long on a busy 2-core machine (an evaluation, a lazy chunk, a whole walk). */
const SLOW = { timeout: 20_000 };

const chart = (page: Page) => page.getByTestId('flowchart');
const node = (page: Page, id: string) => page.getByTestId(`flow-node-${id}`);

/** Opens the Lab on a template with one of its requests selected (setup through the hook), walk finished. */
async function openOn(page: Page, file: string, requestId?: string): Promise<void> {
  await page.goto('./#/lab');
  await waitForArea(page, 'lab');
  await page.waitForFunction(() => window.__lab !== undefined);
  await page.evaluate((s) => window.__lab!.setScenario(s), readTemplate(file));
  if (requestId) await page.evaluate((id) => window.__lab!.selectRequest(id), requestId);
  await page.evaluate(() => window.__lab!.whenEvaluated());
  await expect(chart(page)).toHaveAttribute('data-walk', 'done', SLOW);
}

const state = (page: Page) => page.evaluate(() => window.__lab!.getState());

async function decisiveStep(page: Page): Promise<string> {
  const id = (await state(page)).result?.steps.find((step) => step.decisive)?.id;
  if (!id) throw new Error('the result has no decisive step');
  return id;
}

interface WalkEntry {
  walk: string | null;
  decisive: string | null;
  /** Steps the walk has reached ("Step <cursor> of <total>"). */
  cursor: number;
  /** The decisive node's place on the path (its number). */
  decisiveOrder: number;
}

/**
 * Records, on every change to the chart, the walk's state, how far it is and which node is marked decisive,
 * into window.__walkLog (cleared on each call), so a test can tell what was on screen while the walk ran.
 */
async function recordWalk(page: Page): Promise<void> {
  await page.evaluate(() => {
    const log: WalkEntry[] = [];
    (window as unknown as { __walkLog: typeof log }).__walkLog = log;
    const observer = new MutationObserver(() => {
      const flowchart = document.querySelector('[data-testid="flowchart"]');
      const decisive = flowchart?.querySelector('[data-state="decisive"]');
      const status = flowchart?.querySelector('.flowchart__status')?.textContent ?? '';
      log.push({
        walk: flowchart?.getAttribute('data-walk') ?? null,
        decisive: decisive?.getAttribute('data-testid')?.replace('flow-node-', '') ?? null,
        cursor: Number(/Step (\d+)/.exec(status)?.[1] ?? NaN),
        decisiveOrder: Number(decisive?.querySelector('.flow-node__order')?.textContent ?? NaN),
      });
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

const walkLog = (page: Page) =>
  page.evaluate(() => (window as unknown as { __walkLog: WalkEntry[] }).__walkLog);

/** Text in the chart drawn smaller than MIN_TEXT_PX on screen (font size × the scale it is drawn at). */
function smallText(flowchart: HTMLElement, minimum: number): string[] {
  const small: string[] = [];
  for (const element of flowchart.querySelectorAll<HTMLElement>('.flow-path, .flow-path *')) {
    if (element.closest('.visually-hidden')) continue;
    const text = [...element.childNodes]
      .filter((child) => child.nodeType === Node.TEXT_NODE)
      .map((child) => child.textContent ?? '')
      .join('')
      .trim();
    if (!text) continue;
    const box = element.closest<HTMLElement>('.flow-node, .flow-path')!;
    const scale = box.getBoundingClientRect().width / box.offsetWidth;
    const size = parseFloat(getComputedStyle(element).fontSize) * scale;
    if (size < minimum) small.push(`${size.toFixed(1)} px: ${text}`);
  }
  return small;
}

/** Parts of a node drawn outside its box. */
function spills(flowchart: HTMLElement): string[] {
  const out: string[] = [];
  for (const box of flowchart.querySelectorAll<HTMLElement>('.flow-node')) {
    const outer = box.getBoundingClientRect();
    for (const part of box.querySelectorAll<HTMLElement>('*')) {
      if (part.closest('.visually-hidden')) continue;
      const inner = part.getBoundingClientRect();
      if (inner.width === 0) continue;
      const inside =
        inner.left >= outer.left - 0.5 &&
        inner.right <= outer.right + 0.5 &&
        inner.top >= outer.top - 0.5 &&
        inner.bottom <= outer.bottom + 0.5;
      if (!inside) out.push(`${box.dataset.testid}: ${part.className} "${part.textContent}"`);
    }
  }
  return out;
}

/** Paths with the decisive step early, in the middle and late (the longest of the templates). */
const CASES = [
  ['separation-of-duties.json', 'admin-describe-key'],
  ['grants-encryption-context.json', 'finance-decrypt'],
  ['cross-account.json', 'both-decrypt'],
] as const;

test.describe('flowchart in place', () => {
  for (const [file, requestId] of CASES) {
    test(`at 1280×720 every node's text is at least 12 px, whole and inside its node: ${requestId}`, async ({
      page,
    }) => {
      await openOn(page, file, requestId);
      const flowchart = chart(page);
      expect(await flowchart.evaluate(smallText, MIN_TEXT_PX)).toEqual([]);
      expect(await flowchart.evaluate(spills)).toEqual([]);
      // Every summary of a step that took part is there in full (no "…"), in its node.
      for (const step of (await state(page)).result!.steps) {
        if (step.result === 'skip' || !(await node(page, step.id).count())) continue;
        await expect(node(page, step.id)).toContainText(step.summary);
      }
      await expect(flowchart).not.toContainText('…');
    });

    test(`at 1280×720 the chart, the verdict and the decisive node are in the first screen: ${requestId}`, async ({
      page,
    }) => {
      await openOn(page, file, requestId);
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      const decisive = node(page, await decisiveStep(page));
      await expect(decisive).toHaveAttribute('data-state', 'decisive');
      await expect(decisive).toBeInViewport({ ratio: 1 });
      await expect(page.locator('.decision__verdict')).toBeInViewport({ ratio: 1 });
      await expect(chart(page).getByRole('button', { name: /^(Play|Replay|Pause)$/ })).toBeInViewport();
    });
  }

  test('a new result marks its decisive node at once, before the walk ends', async ({ page }) => {
    await openOn(page, 'separation-of-duties.json', 'admin-describe-key');
    await recordWalk(page);
    await page.locator('[data-request-id="admin-decrypt"]').click();
    await expect.poll(async () => (await state(page)).result?.id, SLOW).toBe('admin-decrypt');
    const decisive = await decisiveStep(page);
    await expect(node(page, decisive)).toHaveAttribute('data-state', 'decisive', SLOW);
    await expect(chart(page)).toHaveAttribute('data-walk', 'done', SLOW);
    // The first picture with the new decisive node was drawn while the walk was playing, before it got there.
    const log = await walkLog(page);
    const first = log.find((entry) => entry.decisive === decisive);
    expect(first?.walk).toBe('playing');
    expect(first!.cursor).toBeLessThan(first!.decisiveOrder);
    await expect(page.getByTestId('decision')).toHaveAttribute('data-decision', 'ImplicitDeny');
  });

  test('Play replays the walk at the chosen speed, and the decisive node stays marked', async ({ page }) => {
    await openOn(page, 'separation-of-duties.json', 'admin-describe-key');
    const decisive = node(page, await decisiveStep(page));
    const status = chart(page).locator('.flowchart__status');
    const total = Number(/of (\d+)/.exec((await status.textContent()) ?? '')?.[1]);
    await page.getByRole('button', { name: 'Speed 0.5×' }).click();
    await expect(page.getByRole('button', { name: 'Speed 0.5×' })).toHaveAttribute('aria-pressed', 'true');
    await page.getByRole('button', { name: 'Replay' }).click();
    await expect(chart(page)).toHaveAttribute('data-walk', 'playing');
    // At 0.5× a replay takes seconds: the terminal is still ahead while the decisive node is marked.
    await expect(node(page, 'allow')).toHaveAttribute('data-state', 'pending');
    await expect(decisive).toHaveAttribute('data-state', 'decisive');
    await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
    await expect(chart(page)).toHaveAttribute('data-walk', 'done', SLOW);
    await expect(status).toHaveText(new RegExp(`^Step ${total} of ${total}`));
    await expect(node(page, 'allow')).toHaveAttribute('data-state', 'visited');
  });

  test('an edit that keeps the path does not restart the walk', async ({ page }) => {
    await openOn(page, 'separation-of-duties.json', 'admin-describe-key');
    const decisive = node(page, await decisiveStep(page));
    await expect(page.locator('.monaco-editor')).toBeVisible(SLOW);
    await recordWalk(page);
    // Rename the deciding statement, by keyboard: line 15 is its Sid; type before the closing quote.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    for (let line = 1; line < 15; line++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type(' now');
    await page.keyboard.press('Escape');
    // The chart shows the new result (the renamed statement), with the path as it was.
    await expect(decisive).toContainText('Administrators now', SLOW);
    await expect(decisive).toHaveAttribute('data-state', 'decisive');
    await expect(node(page, 'allow')).toHaveAttribute('data-state', 'visited');
    expect((await walkLog(page)).filter((entry) => entry.walk !== 'done')).toEqual([]);
  });

  test('with reduced motion the whole path shows at once, with no walk', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await openOn(page, 'separation-of-duties.json', 'admin-describe-key');
    await recordWalk(page);
    await page.locator('[data-request-id="admin-decrypt"]').click();
    await expect.poll(async () => (await state(page)).result?.id, SLOW).toBe('admin-decrypt');
    await expect(node(page, await decisiveStep(page))).toHaveAttribute('data-state', 'decisive', SLOW);
    await expect(node(page, 'implicit-deny')).toHaveAttribute('data-state', 'visited');
    expect((await walkLog(page)).filter((entry) => entry.walk !== 'done')).toEqual([]);
    await expect(chart(page).locator('[data-state="pending"]')).toHaveCount(0);
  });

  test('only the nodes on the decision path are Tab stops, in place and enlarged', async ({ page }) => {
    await openOn(page, 'separation-of-duties.json', 'admin-describe-key');
    const steps = (await state(page)).result!.steps;
    const onPath = await chart(page).locator('[data-state]').count();
    const tookPart = steps.filter((step) => step.result !== 'skip').length;

    /** Tabs from `start` until focus leaves the chart; returns the state of every node focused on the way. */
    const tabThroughChart = async (start: string): Promise<string[]> => {
      await chart(page).getByRole('button', { name: start }).focus();
      const focused: string[] = [];
      for (let press = 0; press < 60; press++) {
        await page.keyboard.press('Tab');
        const where = await page.evaluate(() => {
          const active = document.activeElement;
          if (!active?.closest('[data-testid="flowchart"]')) return 'outside';
          return active.classList.contains('flow-node')
            ? (active.getAttribute('data-state') ?? '')
            : 'control';
        });
        if (where === 'outside') return focused;
        if (where !== 'control') focused.push(where);
      }
      throw new Error('Tab never left the flowchart');
    };

    const inPlace = await tabThroughChart('Enlarge');
    expect(inPlace).toHaveLength(tookPart);
    expect(inPlace).not.toContain('skipped');

    await page.getByRole('button', { name: 'Enlarge' }).click();
    await expect(node(page, 'grant')).toHaveAttribute('data-state', 'skipped', SLOW);
    const enlarged = await tabThroughChart('Enlarge');
    expect(enlarged.length).toBeGreaterThan(0);
    expect(enlarged.length).toBeLessThanOrEqual(onPath);
    expect(enlarged).not.toContain('skipped');
    await page.keyboard.press('Escape');
  });
});

test.describe('flowchart screenshots', () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`the Evaluate view at 1280×720 in the ${theme} theme passes axe`, async ({ page }) => {
      await openOn(page, 'cross-account.json', 'both-decrypt');
      await page.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
      await expect(page.locator('.monaco-editor')).toBeVisible(SLOW);
      await expectNoSeriousA11yViolations(page);
      await page.screenshot({ path: `test-results/screenshots/flow-first-screen-${theme}.png` });
      await screenshot(page, `flow-evaluate-${theme}`);
      await page.getByRole('button', { name: 'Enlarge' }).click();
      await expect(node(page, 'grant')).toBeVisible(SLOW);
      await expectNoSeriousA11yViolations(page);
      await page.screenshot({ path: `test-results/screenshots/flow-enlarged-${theme}.png` });
    });
  }

  test('at 768 px the text is as large, nothing overlaps, and the zoom controls sit on no edge line', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await openOn(page, 'cross-account.json', 'both-decrypt');
    expect(await chart(page).evaluate(smallText, MIN_TEXT_PX)).toEqual([]);
    expect(await chart(page).evaluate(spills)).toEqual([]);
    const cards = await page.locator('.lab-evaluate > *').evaluateAll((elements) =>
      elements.map((element) => {
        const box = element.getBoundingClientRect();
        return {
          name: element.className,
          top: box.top,
          bottom: box.bottom,
          left: box.left,
          right: box.right,
        };
      }),
    );
    for (const [index, a] of cards.entries())
      for (const b of cards.slice(index + 1)) {
        const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        expect(overlap, `${a.name} overlaps ${b.name}`).toBe(false);
      }
    expect(await chart(page).evaluate(spills)).toEqual([]);
    await screenshot(page, 'flow-evaluate-768');
    await chart(page).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screenshots/flow-in-place-768.png' });

    await page.getByRole('button', { name: 'Enlarge' }).click();
    const controls = page.locator('.react-flow__controls');
    await expect(controls).toBeVisible(SLOW);
    // Let the view settle where it frames the path, then compare the controls with every edge line.
    await page.waitForTimeout(600);
    const crossings = await controls.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const hits: string[] = [];
      for (const path of document.querySelectorAll<SVGPathElement>('.react-flow__edge path.flow-edge')) {
        const length = path.getTotalLength();
        const matrix = path.getScreenCTM()!;
        for (let at = 0; at <= length; at += 4) {
          const point = path.getPointAtLength(at).matrixTransform(matrix);
          if (point.x >= box.left && point.x <= box.right && point.y >= box.top && point.y <= box.bottom) {
            hits.push(path.closest('.react-flow__edge')?.getAttribute('data-id') ?? '?');
            break;
          }
        }
      }
      return hits;
    });
    expect(crossings).toEqual([]);
    await page.screenshot({ path: 'test-results/screenshots/flow-enlarged-768.png' });
  });
});
