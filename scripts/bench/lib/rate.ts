/** Calls per second of an async operation, for the benches that count them. */

/** Runs `run` `warmUp` times (JIT, caches, connections), then as often as fits in `seconds`; calls per second. */
export async function perSecond(
  run: () => Promise<unknown>,
  { seconds, warmUp }: { seconds: number; warmUp: number },
): Promise<number> {
  for (let i = 0; i < warmUp; i++) await run();
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    await run();
    count++;
  }
  return count / ((performance.now() - started) / 1000);
}

/** One printed figure: a label, the rate and its unit, and a note. */
export function printRate(label: string, value: number, unit: string, note = '', width = 44): void {
  console.log(
    `${label.padEnd(width)} ${Math.round(value).toLocaleString('en-US').padStart(9)} ${unit} ${note}`,
  );
}
