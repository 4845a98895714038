/**
 * Scenario files in and out of the lab: import (file picker, drag and drop) and export (download). Opening keeps
 * the learner's current work first (`state/lab-open.ts`).
 */
import { formatLocatedError, loadScenario } from '../../scenario/load';
import type { Scenario } from '../../scenario/types';
import { openScenario } from '../../state/lab-open';
import { labStore } from '../../state/lab-store';

export { openScenario };

/** Loads scenario text as the CLI would; reports problems with their line and column, never throws. */
export function importScenarioText(text: string, fileName: string): boolean {
  const store = labStore();
  const loaded = loadScenario(text, fileName);
  if (!loaded.ok) {
    const shown = loaded.errors.slice(0, 4).map(formatLocatedError).join('; ');
    store.getState().setNotice({
      tone: 'error',
      message: `${fileName} could not be opened: ${shown}. Your current work was left as it was.`,
    });
    return false;
  }
  openScenario(loaded.scenario, [`Opened ${fileName}.`, ...loaded.notes].join(' '));
  return true;
}

export async function importScenarioFile(file: File): Promise<boolean> {
  if (file.size > 5_000_000) {
    labStore()
      .getState()
      .setNotice({ tone: 'error', message: `${file.name} is too large for a scenario (over 5 MB).` });
    return false;
  }
  return importScenarioText(await file.text(), file.name);
}

export function scenarioFileName(scenario: Scenario): string {
  const slug = (scenario.title ?? 'scenario')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'scenario'}.json`;
}

/** Offers `text` as a file download. */
export function downloadText(fileName: string, text: string): void {
  const blob = new Blob([text], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Downloads the working scenario as a file the CLI can run (`lab eval <file>`). */
export function exportScenario(): void {
  const { scenario } = labStore().getState();
  downloadText(scenarioFileName(scenario), `${JSON.stringify(scenario, null, 2)}\n`);
}
