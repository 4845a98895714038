/** What the inspector found in a message: header, context, encrypted data keys, body and footer. */
import type { MessageSummary } from '../../envelope/inspect';
import { messageRegions } from '../../envelope/byte-map';
import { ByteMap } from './ByteMap';

export function MessageSummaryView({ summary, message }: { summary: MessageSummary; message?: Uint8Array }) {
  const context = Object.entries(summary.encryptionContext);
  const sizes = [...new Set(summary.parts.map((p) => p.contentLength))];
  return (
    <div className="envelope-summary" data-testid="message-summary">
      <h3>Header</h3>
      <dl className="envelope-facts">
        <dt>Format version</dt>
        <dd>{summary.version}</dd>
        <dt>Algorithm suite</dt>
        <dd>
          <code>{summary.suite.id}</code> {summary.suite.name}
          {summary.suite.committing ? ', key commitment' : ''}
          {summary.suite.signed ? ', signed' : ''}
        </dd>
        <dt>Message ID</dt>
        <dd>
          <code className="envelope-hex">{summary.messageId}</code>
        </dd>
        <dt>Content type</dt>
        <dd>{summary.contentType}</dd>
        <dt>Frame length</dt>
        <dd>{summary.contentType === 'framed' ? `${summary.frameLength} bytes` : '— (non-framed)'}</dd>
        <dt>Header length</dt>
        <dd>{summary.headerLength} bytes</dd>
      </dl>
      <h3>Encryption context</h3>
      {context.length === 0 ? (
        <p>Empty.</p>
      ) : (
        <table className="envelope-table">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {context.map(([key, value]) => (
              <tr key={key}>
                <td>
                  <code>{key}</code>
                </td>
                <td>
                  <code className="envelope-wrap">{value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Encrypted data keys ({summary.encryptedDataKeys.length})</h3>
      <table className="envelope-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Provider ID</th>
            <th scope="col">Provider info</th>
            <th scope="col">Bytes</th>
          </tr>
        </thead>
        <tbody>
          {summary.encryptedDataKeys.map((edk, i) => (
            <tr key={i}>
              <td>{i + 1}</td>
              <td>
                <code>{edk.providerId}</code>
              </td>
              <td>
                <code className="envelope-wrap">
                  {edk.rawAes ? `raw AES key ${edk.rawAes.keyName}, IV ${edk.rawAes.iv}` : edk.providerInfo}
                </code>
              </td>
              <td>{edk.ciphertextLength}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Body and footer</h3>
      <dl className="envelope-facts">
        <dt>Frames</dt>
        <dd>
          {summary.frameCount} ({summary.plaintextLength} plaintext bytes; content sizes {sizes.join(', ')}
          {summary.partsTruncated ? ', first 1,000 frames listed' : ''})
        </dd>
        <dt>Signature</dt>
        <dd>
          {summary.signaturePresent
            ? `present, ${summary.signatureLength} bytes (ECDSA, DER)`
            : 'none (unsigned suite)'}
        </dd>
        <dt>Message length</dt>
        <dd>{summary.messageLength} bytes</dd>
      </dl>
      <h3>Byte map</h3>
      <ByteMap regions={messageRegions(summary)} message={message} />
    </div>
  );
}
