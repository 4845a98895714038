import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { AREAS, expectNoSeriousA11yViolations, gotoArea, screenshot, waitForArea } from './support';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Areas' });
const html = (page: Page) => page.locator('html');

test.describe('app shell', () => {
  test('loads with the product name, the navigation and an area', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('./');
    await expect(page.getByText('KMS Policy Lab', { exact: true })).toBeVisible();
    await expect(nav(page).getByRole('link')).toHaveText(AREAS.map((area) => area.label));
    await waitForArea(page, 'lab');
    await expect(page).toHaveTitle('Lab · KMS Policy Lab');
    expect(errors).toEqual([]);
  });

  test('every area is reachable from the navigation', async ({ page }) => {
    await gotoArea(page, 'lab');
    for (const area of [...AREAS].reverse()) {
      await nav(page).getByRole('link', { name: area.label, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`#/${area.id}$`));
      await waitForArea(page, area.id);
      await expect(nav(page).getByRole('link', { name: area.label, exact: true })).toHaveAttribute(
        'aria-current',
        'page',
      );
      await expect(nav(page).locator('[aria-current="page"]')).toHaveCount(1);
      await expect(page.getByRole('main')).not.toBeEmpty();
    }
  });

  for (const area of AREAS) {
    test(`#/${area.id} opens ${area.label} directly, and back/forward work`, async ({ page }) => {
      await gotoArea(page, area.id);
      await expect(page).toHaveTitle(`${area.label} · KMS Policy Lab`);
      const other = area.id === 'audit' ? 'learn' : 'audit';
      await nav(page)
        .getByRole('link', { name: other === 'audit' ? 'Audit' : 'Learn', exact: true })
        .click();
      await waitForArea(page, other);
      await page.goBack();
      await waitForArea(page, area.id);
    });
  }

  test('a share link opens the lab and keeps the payload in the URL for it', async ({ page }) => {
    await page.goto('./#scenario=N4IgzgpgTgLg');
    await waitForArea(page, 'lab');
    expect(new URL(page.url()).hash).toBe('#scenario=N4IgzgpgTgLg');
  });

  test('an unknown route falls back to the lab', async ({ page }) => {
    await page.goto('./#/no-such-area');
    await waitForArea(page, 'lab');
  });

  test('the skip link is the first Tab stop and moves focus to the content without changing the route', async ({
    page,
  }) => {
    await gotoArea(page, 'keys');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('main')).toBeFocused();
    await expect(page).toHaveURL(/#\/keys$/);
    await waitForArea(page, 'keys');
  });

  test('the keyboard reaches the navigation, shows focus, and follows a link', async ({ page }) => {
    await gotoArea(page, 'lab');
    const learn = nav(page).getByRole('link', { name: 'Learn', exact: true });
    for (
      let presses = 0;
      presses < 5 && !(await learn.evaluate((el) => el === document.activeElement));
      presses++
    ) {
      await page.keyboard.press('Tab');
    }
    await expect(learn).toBeFocused();
    const outline = await learn.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await screenshot(page, 'shell-focus-nav-light-1280');
    await page.keyboard.press('Enter');
    await waitForArea(page, 'learn');
    await expect(page.getByRole('main')).toBeFocused();
  });

  test('the theme follows the system until the user picks one, and the choice survives a reload', async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await gotoArea(page, 'learn');
    await expect(page.getByRole('radio', { name: 'System' })).toBeChecked();
    await expect(html(page)).toHaveAttribute('data-theme', 'dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(html(page)).toHaveAttribute('data-theme', 'light');

    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();
    await expect(html(page)).toHaveAttribute('data-theme', 'dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(21, 24, 29)');

    await page.reload();
    await waitForArea(page, 'learn');
    await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();
    await expect(html(page)).toHaveAttribute('data-theme', 'dark');
    const saved = await page.evaluate(() => localStorage.getItem('kms-policy-lab.app'));
    expect(JSON.parse(saved ?? 'null')).toEqual({ state: { theme: 'dark' }, version: 1 });

    await page.getByRole('radio', { name: 'Light' }).check();
    await page.reload();
    await expect(html(page)).toHaveAttribute('data-theme', 'light');
  });

  test('a corrupt saved preference does not break the page', async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem('kms-policy-lab.app', '{"state": {"theme": '));
    await gotoArea(page, 'audit');
    await expect(page.getByRole('radio', { name: 'System' })).toBeChecked();
  });
});

test.describe('screenshots and accessibility', () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`every area in the ${theme} theme at 1280×720: screenshot and axe scan`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      for (const area of AREAS) {
        await gotoArea(page, area.id);
        await expect(html(page)).toHaveAttribute('data-theme', theme);
        await screenshot(page, `shell-${area.id}-${theme}-1280`);
        await expectNoSeriousA11yViolations(page);
      }
    });
  }

  test('tablet width (768 px): the header fits and nothing scrolls sideways', async ({ page }) => {
    await page.setViewportSize({ width: 768, height: 1024 });
    for (const area of AREAS) {
      await gotoArea(page, area.id);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `horizontal overflow in ${area.id}`).toBeLessThanOrEqual(0);
      for (const link of AREAS) {
        await expect(nav(page).getByRole('link', { name: link.label, exact: true })).toBeInViewport();
      }
    }
    await gotoArea(page, 'lab');
    await screenshot(page, 'shell-lab-light-768');
    await page.emulateMedia({ colorScheme: 'dark' });
    await gotoArea(page, 'learn');
    await screenshot(page, 'shell-learn-dark-768');
    await expectNoSeriousA11yViolations(page);
  });
});
