/**
 * The Envelope area: envelope encryption with real AWS Encryption SDK messages over the tab's KMS. Three views:
 * the step-by-step visualizer, the message inspector, and streaming a file through the Worker.
 */
import { useState } from 'react';
import { KmsBar } from '../kms-bar';
import { InspectorPanel } from './InspectorPanel';
import { StreamPanel } from './StreamPanel';
import { useEnvelopeKms } from './use-envelope-kms';
import { Visualizer } from './Visualizer';
import './envelope.css';

const VIEWS = [
  { id: 'visualizer', label: 'Step by step' },
  { id: 'inspector', label: 'Inspect a message' },
  { id: 'stream', label: 'Stream a file' },
] as const;

type ViewId = (typeof VIEWS)[number]['id'];

export default function EnvelopeArea() {
  const kms = useEnvelopeKms();
  const [view, setView] = useState<ViewId>('visualizer');
  const needsKms = view !== 'inspector';
  return (
    <div className="envelope">
      <KmsBar />
      <div className="envelope-views" role="group" aria-label="Envelope views">
        {VIEWS.map((v) => (
          <button key={v.id} type="button" aria-pressed={view === v.id} onClick={() => setView(v.id)}>
            {v.label}
          </button>
        ))}
      </div>
      {kms.error && (
        <p className="envelope-error" role="alert">
          {kms.error}
        </p>
      )}
      {view === 'inspector' && <InspectorPanel />}
      {needsKms && !kms.session && !kms.error && <p role="status">Opening the tab&rsquo;s KMS…</p>}
      {needsKms && kms.session && kms.keys.length === 0 && (
        <p className="envelope-error" role="alert">
          The tab&rsquo;s KMS has no keys: add one in the Keys area or the Lab&rsquo;s scenario.
        </p>
      )}
      {view === 'visualizer' && kms.session && kms.keys.length > 0 && <Visualizer kms={kms} />}
      {view === 'stream' && kms.session && kms.keys.length > 0 && <StreamPanel kms={kms} />}
    </div>
  );
}
