import type { MouseEvent } from 'react';
import type { AreaId } from './routes';

export interface SkipTarget {
  label: string;
  /** The element to land on. */
  targetId: string;
  /** Inside the target, the element that should receive focus when there is one (e.g. an editor's input). */
  focusWithin?: string;
}

/**
 * Places inside an area worth a skip link of their own, after "Skip to content": without them the Lab's
 * editor is dozens of Tab presses away, past the toolbar, the scenario panel and the navigation.
 */
export const AREA_SKIP_TARGETS: Partial<Record<AreaId, SkipTarget[]>> = {
  lab: [
    { label: 'Skip to editor', targetId: 'lab-editors', focusWithin: '.monaco-editor [role="textbox"]' },
    { label: 'Skip to decision', targetId: 'lab-decision-title' },
  ],
};

/** Moves focus to the target (its `focusWithin` element if present); a missing target falls back to `fallbackId`. */
function skipTo({ targetId, focusWithin }: SkipTarget, fallbackId: string): void {
  const target = document.getElementById(targetId) ?? document.getElementById(fallbackId);
  if (!target) return;
  const inner = focusWithin ? target.querySelector<HTMLElement>(focusWithin) : null;
  const focused = inner ?? target;
  // A heading or a section is not focusable by itself; -1 makes it a focus target without adding a Tab stop.
  if (!inner && !target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.scrollIntoView({ block: 'start' });
  focused.focus({ preventScroll: true });
}

/**
 * "Skip to content", then the current area's own skip links. They move focus themselves instead of following
 * `#id`, because the URL hash is the router: letting the browser follow the link would leave the area.
 */
export function SkipLinks({ mainId, area }: { mainId: string; area: AreaId }) {
  const targets: SkipTarget[] = [
    { label: 'Skip to content', targetId: mainId },
    ...(AREA_SKIP_TARGETS[area] ?? []),
  ];
  return (
    <nav className="skip-links" aria-label="Skip links">
      {targets.map((target) => (
        <a
          key={target.targetId}
          className="skip-link"
          href={`#${target.targetId}`}
          onClick={(event: MouseEvent<HTMLAnchorElement>) => {
            event.preventDefault();
            skipTo(target, mainId);
          }}
        >
          {target.label}
        </a>
      ))}
    </nav>
  );
}
