import { Suspense, useEffect, useRef } from 'react';
import { AREA_COMPONENTS } from './areas';
import { AreaErrorBoundary } from './AreaErrorBoundary';
import { MainNav } from './MainNav';
import { areaLabel } from './routes';
import { SkipLinks } from './SkipLink';
import { ThemeSwitch } from './ThemeSwitch';
import { KeyIcon } from './KeyIcon';
import { useHashRoute } from './use-hash-route';
import { useAppliedTheme } from './use-theme';

export const PRODUCT_NAME = 'KMS Policy Lab';
const MAIN_ID = 'main-content';

/**
 * The frame around every area: skip link, header (product name, navigation, theme switch) and the main
 * region where the current area is lazily loaded. The shell renders the page's only <h1> (the area name,
 * for screen readers; the navigation shows it visually), so areas start their headings at <h2>.
 */
export function Shell() {
  const route = useHashRoute();
  useAppliedTheme();
  const label = areaLabel(route.area);
  const Area = AREA_COMPONENTS[route.area];
  const mainRef = useRef<HTMLElement>(null);
  const previousArea = useRef(route.area);

  useEffect(() => {
    document.title = `${label} · ${PRODUCT_NAME}`;
  }, [label]);

  // After a change of area, move focus to the new content so keyboard and screen-reader users land there
  // (not on first load, where focus belongs at the top of the page).
  useEffect(() => {
    if (previousArea.current === route.area) return;
    previousArea.current = route.area;
    mainRef.current?.focus({ preventScroll: true });
  }, [route.area]);

  return (
    <div className="app">
      <SkipLinks mainId={MAIN_ID} area={route.area} />
      <header className="app-header">
        <p className="brand">
          <KeyIcon />
          {PRODUCT_NAME}
        </p>
        <MainNav current={route.area} />
        <ThemeSwitch />
      </header>
      <main id={MAIN_ID} ref={mainRef} tabIndex={-1} className="app-main" aria-labelledby="area-title">
        <h1 id="area-title" className="visually-hidden">
          {label}
        </h1>
        <AreaErrorBoundary key={route.area} areaLabel={label}>
          <Suspense
            fallback={
              <p className="area-loading" role="status">
                Loading {label}…
              </p>
            }
          >
            <Area />
          </Suspense>
        </AreaErrorBoundary>
      </main>
    </div>
  );
}
