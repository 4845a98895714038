/**
 * The lab's toolbar: the scenario's title, templates, saved scenarios, share link, import and export, and the
 * paste-from-AWS panel.
 */
import { useId, useRef, useState } from 'react';
import { encodeShareLink } from '../../scenario/share-link';
import { labStore, useLabStore } from '../../state/lab-store';
import { AwsPastePanel } from './AwsPastePanel';
import { exportScenario, importScenarioFile, openScenario } from './scenario-files';
import { loadTemplate, TEMPLATES } from './templates';

export function LabToolbar() {
  const title = useLabStore((s) => s.scenario.title);
  const saved = useLabStore((s) => s.saved);
  // Empty until the learner picks one: the store does not know which template the open scenario came from, so
  // showing any template here would claim something untrue.
  const [template, setTemplate] = useState('');
  const [savedChoice, setSavedChoice] = useState('');
  const [saveName, setSaveName] = useState('');
  const [shareLink, setShareLink] = useState<string | null>(null);
  const [pasteOpen, setPasteOpen] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const ids = useId();

  const openTemplate = async () => {
    const loaded = await loadTemplate(template);
    const state = labStore().getState();
    if (!loaded.ok) {
      state.setNotice({ tone: 'error', message: loaded.message });
      return;
    }
    openScenario(loaded.scenario, `Opened the template “${loaded.scenario.title ?? template}”.`);
    // Back to the placeholder: the scenario is now the learner's to edit, and the title says what it is.
    setTemplate('');
  };

  const openSaved = () => {
    const entry = saved.find((s) => s.name === savedChoice);
    if (!entry) return;
    openScenario(entry.scenario, `Opened the saved scenario “${entry.name}”.`);
  };

  const copyShareLink = async () => {
    const { scenario, selectedRequestId } = labStore().getState();
    const link = `${window.location.origin}${window.location.pathname}${encodeShareLink(scenario, selectedRequestId)}`;
    setShareLink(link);
    let copied: boolean;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch {
      copied = false;
    }
    labStore()
      .getState()
      .setNotice({
        tone: 'info',
        message: copied
          ? `Share link copied (${link.length} characters). It holds the whole scenario; anyone who opens it gets a copy.`
          : 'Copy the share link below (the clipboard was not available).',
      });
  };

  return (
    <div className="lab-toolbar">
      <h2 className="lab-title">{title || 'Untitled scenario'}</h2>
      <div className="lab-toolbar-groups">
        <div className="lab-group" role="group" aria-label="Templates">
          <label htmlFor={`${ids}-template`}>Template</label>
          <select id={`${ids}-template`} value={template} onChange={(e) => setTemplate(e.target.value)}>
            <option value="">{TEMPLATES.length ? 'Choose a template…' : '(none available)'}</option>
            {TEMPLATES.map((t) => (
              <option key={t.id} value={t.id} title={t.summary}>
                {t.title}
              </option>
            ))}
          </select>
          <button type="button" onClick={openTemplate} disabled={!template}>
            Open template
          </button>
        </div>
        <div className="lab-group" role="group" aria-label="Saved scenarios">
          <label htmlFor={`${ids}-saved`}>Saved</label>
          <select id={`${ids}-saved`} value={savedChoice} onChange={(e) => setSavedChoice(e.target.value)}>
            <option value="">{saved.length ? 'Choose…' : '(none yet)'}</option>
            {saved.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
          <button type="button" onClick={openSaved} disabled={!savedChoice}>
            Open
          </button>
          <button
            type="button"
            onClick={() => {
              labStore().getState().deleteSaved(savedChoice);
              setSavedChoice('');
            }}
            disabled={!savedChoice}
          >
            Delete
          </button>
        </div>
        <form
          className="lab-group"
          aria-label="Save the current scenario"
          onSubmit={(event) => {
            event.preventDefault();
            labStore()
              .getState()
              .saveAs(saveName || title || 'Untitled');
            setSaveName('');
          }}
        >
          <label htmlFor={`${ids}-save-name`}>Save as</label>
          <input
            id={`${ids}-save-name`}
            value={saveName}
            placeholder={title || 'name'}
            onChange={(e) => setSaveName(e.target.value)}
            size={14}
          />
          <button type="submit">Save</button>
        </form>
        <div className="lab-group" role="group" aria-label="Share, import and export">
          <button type="button" onClick={copyShareLink}>
            Copy share link
          </button>
          <button type="button" onClick={() => fileInput.current?.click()}>
            Import file…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            className="visually-hidden"
            tabIndex={-1}
            aria-label="Scenario file to import"
            onChange={async (event) => {
              const file = event.target.files?.[0];
              if (file) await importScenarioFile(file);
              event.target.value = '';
            }}
          />
          <button type="button" onClick={exportScenario}>
            Export
          </button>
          <button type="button" aria-expanded={pasteOpen} onClick={() => setPasteOpen(!pasteOpen)}>
            Paste AWS JSON
          </button>
        </div>
      </div>
      {shareLink && (
        <div className="lab-share">
          <label htmlFor={`${ids}-share`}>Share link</label>
          <input
            id={`${ids}-share`}
            data-testid="share-link"
            readOnly
            value={shareLink}
            onFocus={(e) => e.target.select()}
          />
          <button type="button" onClick={() => setShareLink(null)}>
            Close
          </button>
        </div>
      )}
      {pasteOpen && <AwsPastePanel onClose={() => setPasteOpen(false)} />}
    </div>
  );
}
