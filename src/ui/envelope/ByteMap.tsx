/**
 * The byte map: a message's regions (src/envelope/byte-map.ts) as a strip of buttons, sized by their length,
 * coloured by kind; choosing one shows its offsets, meaning and first bytes.
 */
import { useState } from 'react';
import type { MessageRegion } from '../../envelope/byte-map';
import { hexPreview } from './format';

const KIND_NAMES: Record<MessageRegion['kind'], string> = {
  header: 'header',
  context: 'encryption context',
  edk: 'encrypted data keys',
  auth: 'header authentication',
  body: 'body',
  footer: 'signature',
};

export function ByteMap({ regions, message }: { regions: MessageRegion[]; message?: Uint8Array }) {
  const [selected, setSelected] = useState(
    regions.find((r) => r.id === 'encryptionContext')?.id ?? regions[0]?.id,
  );
  const region = regions.find((r) => r.id === selected);
  return (
    <div className="byte-map">
      <ul className="byte-map-strip" aria-label="Regions of the message, in byte order">
        {regions.map((r) => (
          <li key={r.id} style={{ flexGrow: Math.max(1, Math.sqrt(r.length)) }}>
            <button
              type="button"
              className={`byte-map-region byte-map-${r.kind}`}
              aria-pressed={r.id === selected}
              onClick={() => setSelected(r.id)}
            >
              <span className="byte-map-label">{r.label}</span>
              <span className="byte-map-offset">
                {r.offset}–{r.offset + r.length - 1}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="byte-map-legend" aria-hidden="true">
        {Object.entries(KIND_NAMES).map(([kind, name]) => (
          <span key={kind}>
            <span className={`byte-map-swatch byte-map-${kind}`} /> {name}
          </span>
        ))}
      </div>
      {region && (
        <div className="byte-map-detail" aria-live="polite" data-testid="byte-map-detail">
          <h4>{region.label}</h4>
          <p>
            Bytes {region.offset} to {region.offset + region.length - 1} ({region.length} bytes), part of the{' '}
            {KIND_NAMES[region.kind]}.
          </p>
          <p>{region.meaning}</p>
          {message && (
            <code className="envelope-hex">
              {hexPreview(message.subarray(region.offset, region.offset + region.length), 48)}
            </code>
          )}
        </div>
      )}
    </div>
  );
}
