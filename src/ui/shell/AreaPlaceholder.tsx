import type { ReactNode } from 'react';

/** What an area not built yet shows: one sentence on what it will hold. */
export function AreaPlaceholder({ children }: { children: ReactNode }) {
  return (
    <div className="area-placeholder">
      <p>{children}</p>
      <p className="area-placeholder-note">This area is still being built.</p>
    </div>
  );
}
