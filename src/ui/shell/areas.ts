import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { AreaId } from './routes';

/**
 * One lazily loaded component per area, so the first load carries only the shell (bundle budget: 200 KB gzip
 * before any lazy chunk; see scripts/check-bundle-size.mjs). Each area module default-exports its component.
 */
export const AREA_COMPONENTS: Record<AreaId, LazyExoticComponent<ComponentType>> = {
  learn: lazy(() => import('../learn/LearnArea')),
  lab: lazy(() => import('../lab/LabArea')),
  keys: lazy(() => import('../keys/KeysArea')),
  envelope: lazy(() => import('../envelope/EnvelopeArea')),
  audit: lazy(() => import('../audit/AuditArea')),
};
