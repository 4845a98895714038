/**
 * The event history as a virtualized grid: only the rows in view (plus a few) are in the DOM, at a fixed row
 * height, so 100,000 events scroll as smoothly as 10. Hand-written (about a hundred lines) rather than a library:
 * fixed heights make the arithmetic trivial and keep the grid semantics ours.
 *
 * Keyboard: the grid is one Tab stop; ↑/↓, Page Up/Down, Home/End move the selected row (aria-activedescendant),
 * which shows its JSON beside the table. Screen readers hear the row count (aria-rowcount) and each row's index.
 */
import { memo, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { TrailRecord } from '../../kms/trail';
import { AUDIT_COLUMNS } from '../../kms/trail-audit';

export const ROW_HEIGHT = 32;
const OVERSCAN = 8;

export interface EventTableProps {
  /** How many rows; `recordAt(i)` is row i's record and `indexAt(i)` its index in the trail. */
  count: number;
  /** Undefined while the trail and its answer are out of step (a reset KMS): the row is left out. */
  recordAt(row: number): TrailRecord | undefined;
  indexAt(row: number): number;
  /** The selected record's trail index. */
  selected: number | null;
  onSelect(index: number): void;
  label: string;
}

export function EventTable({ count, recordAt, indexAt, selected, onSelect, label }: EventTableProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(ROW_HEIGHT * 14);
  const id = useId();

  useEffect(() => {
    const element = viewport.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  // The selected row's position among the shown rows (-1 when the filter hid it).
  const activeRow = selected === null ? -1 : rowOf(selected, count, indexAt);

  const moveTo = (row: number) => {
    if (count === 0) return;
    const target = Math.max(0, Math.min(count - 1, row));
    onSelect(indexAt(target));
    const element = viewport.current;
    if (!element) return;
    const top = target * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight)
      element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const from = activeRow < 0 ? -1 : activeRow;
    const moves: Record<string, number> = {
      ArrowDown: from + 1,
      ArrowUp: from < 0 ? 0 : from - 1,
      PageDown: from + page,
      PageUp: from - page,
      Home: 0,
      End: count - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    moveTo(moves[event.key]);
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  // Keys recycle by row position: a row that stays in view keeps its element, and one scrolled in takes over an
  // element scrolled out (text updates, no element created or removed).
  const pool = Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN + 2;
  const focusGrid = useRef(() => viewport.current?.focus({ preventScroll: true })).current;
  const rows = [];
  for (let row = first; row < last; row++) {
    const record = recordAt(row);
    if (!record) continue;
    const index = indexAt(row);
    rows.push(
      <EventRow
        key={row % pool}
        id={`${id}-r${index}`}
        row={row}
        index={index}
        record={record}
        selected={index === selected}
        onSelect={onSelect}
        onClicked={focusGrid}
      />,
    );
  }

  return (
    <div
      className="audit-grid"
      role="grid"
      aria-label={label}
      aria-rowcount={count + 1}
      aria-colcount={AUDIT_COLUMNS.length}
      aria-activedescendant={activeRow >= 0 ? `${id}-r${selected}` : undefined}
      tabIndex={0}
      ref={viewport}
      onKeyDown={onKeyDown}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      style={{ height: (Math.max(count, 6) + 1) * ROW_HEIGHT + 2 }}
      data-testid="audit-table"
      data-rows={count}
    >
      <div role="row" aria-rowindex={1} className="audit-row audit-row--head">
        {AUDIT_COLUMNS.map((column) => (
          <div
            key={column.id}
            role="columnheader"
            className={`audit-cell audit-cell--${column.id}`}
            title={column.label}
          >
            {column.label}
          </div>
        ))}
      </div>
      <div role="rowgroup" className="audit-body" style={{ height: count * ROW_HEIGHT }}>
        {rows}
      </div>
    </div>
  );
}

/** The row showing trail index `index` (rows are in trail order, so a bisection), or -1. */
function rowOf(index: number, count: number, indexAt: (row: number) => number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (indexAt(mid) < index) lo = mid + 1;
    else hi = mid;
  }
  return lo < count && indexAt(lo) === index ? lo : -1;
}

interface EventRowProps {
  id: string;
  row: number;
  index: number;
  record: TrailRecord;
  selected: boolean;
  onSelect(index: number): void;
  onClicked(): void;
}

/** One row; memoized, so scrolling re-renders only the rows that came into view. */
const EventRow = memo(function EventRow({
  id,
  row,
  index,
  record,
  selected,
  onSelect,
  onClicked,
}: EventRowProps) {
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={row + 2}
      aria-selected={selected}
      className={`audit-row${selected ? ' audit-row--selected' : ''}${record.errorCode ? ' audit-row--error' : ''}`}
      style={{ transform: `translateY(${row * ROW_HEIGHT}px)` }}
      onClick={() => {
        onSelect(index);
        onClicked();
      }}
    >
      {AUDIT_COLUMNS.map((column) => {
        const value = column.value(record);
        return (
          <div
            key={column.id}
            role="gridcell"
            className={`audit-cell audit-cell--${column.id}`}
            title={value}
          >
            {value}
          </div>
        );
      })}
    </div>
  );
});
