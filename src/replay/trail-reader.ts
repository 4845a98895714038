/**
 * Reads CloudTrail records out of a byte stream, chunk by chunk, without holding the file: the `{"Records":[…]}`
 * files CloudTrail delivers, `aws cloudtrail lookup-events` output (`{"Events":[{"CloudTrailEvent":"<json>"}]}`),
 * a bare array of records, or one record per document (JSON Lines). Several documents may follow one another
 * (pages of lookup-events appended to one file).
 *
 * Why not JSON.parse per record: it builds every field of a ~1.5 KB record (userAgent, tlsDetails, …) and costs more
 * than the rest of a replay together. This reader validates the JSON grammar of every byte (a malformed record is
 * reported, never half-read), but builds only the fields a replay reads (`RECORD_FIELDS`), from one decode of the
 * record. Memory: the chunk being read plus the record that crosses its end (records are capped at `MAX_RECORD_BYTES`).
 *
 * Pure: Uint8Array chunks in, plain objects out; no Node API. Never throws.
 */

/** Where a record is in its input: the array it is an element of and its index, and where it starts. */
export interface RecordPlace {
  /** `Records` or `Events` (the member holding the array), `array` (a top-level array), `document` (a record on its own). */
  container: 'Records' | 'Events' | 'array' | 'document';
  /** The element's index in its array; for `document`, the document's index in the input. */
  index: number;
  line: number;
  column: number;
}

/** The JSON path of a record, e.g. `$.Records[17]`, `$.Events[3].CloudTrailEvent`, `$` for a lone document. */
export function recordPath(place: RecordPlace, inner: (string | number)[] = []): string {
  let path =
    place.container === 'document'
      ? '$'
      : place.container === 'array'
        ? `$[${place.index}]`
        : place.container === 'Events'
          ? `$.Events[${place.index}].CloudTrailEvent`
          : `$.Records[${place.index}]`;
  for (const part of inner)
    path +=
      typeof part === 'number'
        ? `[${part}]`
        : /^[A-Za-z_$][\w$]*$/.test(part)
          ? `.${part}`
          : `[${JSON.stringify(part)}]`;
  return path;
}

export interface TrailReaderSink {
  /** A record read whole (only the fields of `RECORD_FIELDS`; a lookup-events record is complete). */
  record(record: object, place: RecordPlace): void;
  /** A record that could not be read; the reader goes on with the next one. */
  malformed(place: RecordPlace, message: string): void;
  /** The input cannot be read further (not CloudTrail JSON, cut short…): the rest of it is skipped. */
  fatal(line: number, column: number, message: string): void;
}

/** CloudTrail events are at most 256 KB; a "record" far larger is not one, and is not buffered. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;
/** Nesting deeper than this is refused (CloudTrail records nest about six levels). */
const MAX_DEPTH = 256;

// ---- What a replay reads of a record ----

const enum Kind {
  /** A string value, kept as a string. */
  Text,
  /** Any value, parsed as it is (small objects such as requestParameters). */
  Raw,
  /** An object whose own members are picked by a nested schema. */
  Node,
  /** An array of records (only as a member of a top-level document). */
  Container,
  /** An array whose object elements are picked by a nested schema (resources[]). */
  NodeList,
}

/** The fields a replay reads, numbered for `setField` (one store site per field keeps the records' shapes fixed). */
const enum F {
  EventSource,
  EventName,
  EventType,
  EventTime,
  EventId,
  RequestId,
  Region,
  SourceIp,
  VpcEndpoint,
  ErrorCode,
  ErrorMessage,
  Recipient,
  RequestParameters,
  Resources,
  Resource,
  ResourceArn,
  ResourceType,
  UserIdentity,
  IdentityType,
  IdentityArn,
  IdentityAccount,
  IdentityInvokedBy,
  SessionContext,
  SessionIssuer,
  IssuerType,
  IssuerArn,
  Attributes,
  Mfa,
  Records,
  Events,
  CloudTrailEvent,
}

/** The record as the reader builds it: the fields of `RECORD_FIELDS`, each undefined when absent. */
export class TrailRecord {
  eventSource: unknown = undefined;
  eventName: unknown = undefined;
  eventType: unknown = undefined;
  eventTime: unknown = undefined;
  eventID: unknown = undefined;
  requestID: unknown = undefined;
  awsRegion: unknown = undefined;
  sourceIPAddress: unknown = undefined;
  vpcEndpointId: unknown = undefined;
  errorCode: unknown = undefined;
  errorMessage: unknown = undefined;
  recipientAccountId: unknown = undefined;
  requestParameters: unknown = undefined;
  resources: unknown = undefined;
  userIdentity: unknown = undefined;
  /** lookup-events output: the record as a JSON string. */
  CloudTrailEvent: unknown = undefined;
}

class TrailIdentity {
  type: unknown = undefined;
  arn: unknown = undefined;
  accountId: unknown = undefined;
  invokedBy: unknown = undefined;
  sessionContext: unknown = undefined;
}

class TrailSessionContext {
  sessionIssuer: unknown = undefined;
  attributes: unknown = undefined;
}

class TrailSessionIssuer {
  type: unknown = undefined;
  arn: unknown = undefined;
}

class TrailResource {
  ARN: unknown = undefined;
  type: unknown = undefined;
}

class TrailSessionAttributes {
  mfaAuthenticated: unknown = undefined;
}

interface Field {
  name: string;
  kind: Kind;
  id: F;
  children?: SchemaNode;
}

/**
 * A schema level: its fields by name length and first byte, so a member name is found by comparing bytes with one
 * or two candidates instead of decoding it.
 */
interface SchemaNode {
  table: ({ bytes: Uint8Array; field: Field }[] | undefined)[];
  byName: Map<string, Field>;
}

const ENCODER = new TextEncoder();
const MAX_NAME = 63;

function schema(fields: [string, F, Kind, SchemaNode?][]): SchemaNode {
  // Dense (filled), so that a look-up is an array load rather than a dictionary search.
  const node: SchemaNode = { table: new Array((MAX_NAME + 1) * 256).fill(undefined), byName: new Map() };
  for (const [name, id, kind, children] of fields) addField(node, { name, id, kind, children });
  return node;
}

/** How a text field's value is made from the record's text (`build`). */
const enum Copy {
  /** A slice of the record's text (it dies with the record). */
  Slice,
  /**
   * One string object per value (`interned`): for values that come again and again and that the engine looks up in
   * maps (the caller's ARN, the key's), whose hash is then computed once.
   */
  Interned,
  /**
   * A string of its own: for a value the replay keeps after the record (the eventID, remembered to skip duplicates).
   * A slice would keep the whole record's text alive with it.
   */
  Own,
}
const COPY = new Uint8Array(64);
COPY[F.IdentityArn] = Copy.Interned;
COPY[F.ResourceArn] = Copy.Interned;
COPY[F.EventId] = Copy.Own;

/**
 * One string object per repeating value: the engine looks callers and keys up in maps, and a string that was looked
 * up before has its hash already. Each entry is a copy (not a slice of a record's text, which would keep the whole
 * record alive). Bounded: emptied when full.
 */
const interned = new Map<string, string>();
const MAX_INTERNED = 8192;

function addField(node: SchemaNode, field: Field): void {
  const bytes = ENCODER.encode(field.name);
  if (bytes.length > MAX_NAME) throw new Error(`field name too long: ${field.name}`);
  const slot = bytes.length * 256 + bytes[0];
  (node.table[slot] ??= []).push({ bytes, field });
  node.byName.set(field.name, field);
}

/** The fields of a CloudTrail record a replay reads (kms-service-facts §3.1); the others are validated and skipped. */
export const RECORD_FIELDS = schema([
  ['eventSource', F.EventSource, Kind.Text],
  ['eventName', F.EventName, Kind.Text],
  ['eventType', F.EventType, Kind.Text],
  ['eventTime', F.EventTime, Kind.Text],
  ['eventID', F.EventId, Kind.Text],
  ['requestID', F.RequestId, Kind.Text],
  ['awsRegion', F.Region, Kind.Text],
  ['sourceIPAddress', F.SourceIp, Kind.Text],
  ['vpcEndpointId', F.VpcEndpoint, Kind.Text],
  ['errorCode', F.ErrorCode, Kind.Text],
  ['errorMessage', F.ErrorMessage, Kind.Text],
  ['recipientAccountId', F.Recipient, Kind.Text],
  ['requestParameters', F.RequestParameters, Kind.Raw],
  [
    'resources',
    F.Resources,
    Kind.NodeList,
    schema([
      ['ARN', F.ResourceArn, Kind.Text],
      ['type', F.ResourceType, Kind.Text],
    ]),
  ],
  [
    'userIdentity',
    F.UserIdentity,
    Kind.Node,
    schema([
      ['type', F.IdentityType, Kind.Text],
      ['arn', F.IdentityArn, Kind.Text],
      ['accountId', F.IdentityAccount, Kind.Text],
      ['invokedBy', F.IdentityInvokedBy, Kind.Text],
      [
        'sessionContext',
        F.SessionContext,
        Kind.Node,
        schema([
          [
            'sessionIssuer',
            F.SessionIssuer,
            Kind.Node,
            schema([
              ['type', F.IssuerType, Kind.Text],
              ['arn', F.IssuerArn, Kind.Text],
            ]),
          ],
          ['attributes', F.Attributes, Kind.Node, schema([['mfaAuthenticated', F.Mfa, Kind.Text]])],
        ]),
      ],
    ]),
  ],
]);

/** A top-level object: a record, or a container of records. */
const DOCUMENT_FIELDS = schema([
  ['Records', F.Records, Kind.Container],
  ['Events', F.Events, Kind.Container],
]);
for (const field of RECORD_FIELDS.byName.values()) addField(DOCUMENT_FIELDS, field);

/** An element of lookup-events output: only its CloudTrailEvent string matters. */
const LOOKUP_FIELDS = schema([['CloudTrailEvent', F.CloudTrailEvent, Kind.Text]]);

/** Puts each field found into its place in the record being built (the objects of Node fields as they open). */
class RecordBuilder {
  record = new TrailRecord();
  private identity: TrailIdentity | undefined;
  private context: TrailSessionContext | undefined;
  private issuer: TrailSessionIssuer | undefined;
  private attributes: TrailSessionAttributes | undefined;
  private resources: unknown[] | undefined;
  private resource: TrailResource | undefined;

  start(record: TrailRecord): void {
    this.record = record;
    this.identity = this.context = this.issuer = this.attributes = undefined;
    this.resources = this.resource = undefined;
  }

  /** A Node field's object starts (a later one with the same name replaces it, as JSON.parse does). */
  open(id: F): void {
    switch (id) {
      case F.UserIdentity:
        this.record.userIdentity = this.identity = new TrailIdentity();
        this.context = this.issuer = this.attributes = undefined;
        break;
      case F.SessionContext:
        if (this.identity) this.identity.sessionContext = this.context = new TrailSessionContext();
        this.issuer = this.attributes = undefined;
        break;
      case F.SessionIssuer:
        if (this.context) this.context.sessionIssuer = this.issuer = new TrailSessionIssuer();
        break;
      case F.Attributes:
        if (this.context) this.context.attributes = this.attributes = new TrailSessionAttributes();
        break;
      case F.Resources:
        this.record.resources = this.resources = [];
        this.resource = undefined;
        break;
      case F.Resource:
        this.resource = new TrailResource();
        this.resources?.push(this.resource);
        break;
    }
  }

  set(id: F, value: unknown): void {
    const record = this.record;
    switch (id) {
      case F.EventSource:
        record.eventSource = value;
        break;
      case F.EventName:
        record.eventName = value;
        break;
      case F.EventType:
        record.eventType = value;
        break;
      case F.EventTime:
        record.eventTime = value;
        break;
      case F.EventId:
        record.eventID = value;
        break;
      case F.RequestId:
        record.requestID = value;
        break;
      case F.Region:
        record.awsRegion = value;
        break;
      case F.SourceIp:
        record.sourceIPAddress = value;
        break;
      case F.VpcEndpoint:
        record.vpcEndpointId = value;
        break;
      case F.ErrorCode:
        record.errorCode = value;
        break;
      case F.ErrorMessage:
        record.errorMessage = value;
        break;
      case F.Recipient:
        record.recipientAccountId = value;
        break;
      case F.RequestParameters:
        record.requestParameters = value;
        break;
      case F.Resources:
        record.resources = value;
        this.resources = this.resource = undefined;
        break;
      case F.Resource:
        this.resources?.push(value);
        this.resource = undefined;
        break;
      case F.ResourceArn:
        if (this.resource) this.resource.ARN = value;
        break;
      case F.ResourceType:
        if (this.resource) this.resource.type = value;
        break;
      case F.CloudTrailEvent:
        record.CloudTrailEvent = value;
        break;
      // A Node field whose value is not an object: kept as it is, so the replay can say what is wrong with it.
      case F.UserIdentity:
        record.userIdentity = value;
        this.identity = this.context = this.issuer = this.attributes = undefined;
        break;
      case F.IdentityType:
        if (this.identity) this.identity.type = value;
        break;
      case F.IdentityArn:
        if (this.identity) this.identity.arn = value;
        break;
      case F.IdentityAccount:
        if (this.identity) this.identity.accountId = value;
        break;
      case F.IdentityInvokedBy:
        if (this.identity) this.identity.invokedBy = value;
        break;
      case F.SessionContext:
        if (this.identity) this.identity.sessionContext = value;
        this.context = this.issuer = this.attributes = undefined;
        break;
      case F.SessionIssuer:
        if (this.context) this.context.sessionIssuer = value;
        this.issuer = undefined;
        break;
      case F.IssuerType:
        if (this.issuer) this.issuer.type = value;
        break;
      case F.IssuerArn:
        if (this.issuer) this.issuer.arn = value;
        break;
      case F.Attributes:
        if (this.context) this.context.attributes = value;
        this.attributes = undefined;
        break;
      case F.Mfa:
        if (this.attributes) this.attributes.mfaAuthenticated = value;
        break;
    }
  }
}

// ---- The reader ----

/** Scan results: a position ≥ 0, or one of these. */
const NEED = -1; // the buffer ends before the value does
const BAD = -2; // a syntax error (`error` and `errorAt` say what and where)
const CONTAINER = -3; // a document member holding the records array was found (`containerAt`)

const enum State {
  Top,
  Document,
  Elements,
  DocumentRest,
  Recover,
  Stopped,
}

const enum Hit {
  Plain,
  Escaped,
  Raw,
  Object,
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const UTF8 = new TextDecoder('utf-8');

export class TrailReader {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  /** Absolute offset of buf[0] in the input. */
  private base = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** After an incomplete value: wait for this many bytes from `pos` before trying again (doubles each time). */
  private needAtLeast = 0;
  private line = 1;
  /** Absolute offset where the current line starts. */
  private lineStart = 0;
  private started = false;
  private state = State.Top;

  private container: RecordPlace['container'] = 'array';
  private index = 0;
  private documents = 0;
  private expectComma = false;
  private afterComma = false;
  private elementLine = 1;
  private elementColumn = 1;

  private error = '';
  private errorAt = 0;
  private containerName: 'Records' | 'Events' = 'Records';
  /** OR of every byte inside strings of the value being read: ≥ 0x80 means non-ASCII text. */
  private high = 0;
  private escaped = false;
  private hits: number[] = [];
  private readonly nodes = new RecordBuilder();

  constructor(private readonly sink: TrailReaderSink) {}

  get stopped(): boolean {
    return this.state === State.Stopped;
  }

  push(bytes: Uint8Array): void {
    if (this.state === State.Stopped || bytes.length === 0) return;
    // A plain view: Node's Buffer is a subclass whose subarray() is slow and whose elements would make every byte
    // access site see two kinds of array.
    const chunk =
      bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    let skip = 0;
    if (!this.started) {
      this.started = true;
      skip = this.checkStart(chunk);
      if (skip < 0) return;
    }
    if (this.pos >= this.buf.length && this.pending.length === 0) {
      this.base += this.buf.length;
      this.buf = chunk;
      this.pos = skip;
    } else {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.buf.length - this.pos + this.pendingBytes < this.needAtLeast) return;
      this.gather();
    }
    this.drive(false);
  }

  /** The input has ended: reports what was left unfinished. */
  end(): void {
    if (this.state === State.Stopped) return;
    if (this.pending.length > 0) this.gather();
    this.needAtLeast = 0;
    this.drive(true);
    if (this.stopped) return;
    const { line, column } = this.where(this.buf.length);
    if (this.state === State.Elements || this.state === State.Recover)
      this.sink.fatal(
        line,
        column,
        `the input ends inside ${this.container === 'array' ? 'the top-level array' : `the "${this.container}" array`} (is the file cut short?)`,
      );
    else if (this.state === State.DocumentRest || this.state === State.Document)
      this.sink.fatal(line, column, 'the input ends inside a JSON object (is the file cut short?)');
    this.state = State.Stopped;
  }

  /** The bytes to skip at the start (a byte order mark), or -1 when the input cannot be CloudTrail JSON. */
  private checkStart(chunk: Uint8Array): number {
    const [a, b] = chunk;
    let message: string | undefined;
    if (a === 0x1f && b === 0x8b) message = 'the input is gzip-compressed: decompress it first';
    else if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff) || a === 0 || b === 0)
      message = 'the input is UTF-16 text; CloudTrail writes UTF-8 (convert the file to UTF-8)';
    if (message) {
      this.sink.fatal(1, 1, message);
      this.state = State.Stopped;
      return -1;
    }
    return a === 0xef && b === 0xbb && chunk[2] === 0xbf ? 3 : 0; // a UTF-8 byte order mark
  }

  private gather(): void {
    const rest = this.buf.length - this.pos;
    const joined = new Uint8Array(rest + this.pendingBytes);
    joined.set(this.buf.subarray(this.pos), 0);
    let at = rest;
    for (const piece of this.pending) {
      joined.set(piece, at);
      at += piece.length;
    }
    this.base += this.pos;
    this.buf = joined;
    this.pos = 0;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private where(index: number): { line: number; column: number } {
    return { line: this.line, column: this.base + index - this.lineStart + 1 };
  }

  private stop(index: number, message: string): void {
    const { line, column } = this.where(index);
    this.sink.fatal(line, column, message);
    this.state = State.Stopped;
  }

  /** An incomplete value starting at `from`: wait for more bytes, unless the input has ended or it is too large. */
  private incomplete(from: number, final: boolean, what: string): boolean {
    const size = this.buf.length - from;
    if (final) {
      this.stop(this.buf.length, `the input ends inside ${what} (is the file cut short?)`);
      return false;
    }
    if (size > MAX_RECORD_BYTES) {
      this.stop(
        from,
        `${what} is larger than ${MAX_RECORD_BYTES / 1024 / 1024} MB, far beyond a CloudTrail event (at most 256 KB); the rest of the input is skipped`,
      );
      return false;
    }
    this.pos = from;
    this.needAtLeast = Math.max(size * 2, 64 * 1024);
    return false;
  }

  private drive(final: boolean): void {
    while (this.state !== State.Stopped) {
      if (!this.step(final)) return;
    }
  }

  /** One step of the top-level state machine; false when it needs more input (or stopped). */
  private step(final: boolean): boolean {
    const buf = this.buf;
    const i = this.ws(this.pos);
    this.pos = i;
    if (i >= buf.length) return false;
    const c = buf[i];
    switch (this.state) {
      case State.Top: {
        if (c === 0x7b) {
          this.state = State.Document;
          return true;
        }
        if (c === 0x5b) {
          this.container = 'array';
          this.index = 0;
          this.expectComma = false;
          this.pos = i + 1;
          this.state = State.Elements;
          return true;
        }
        this.stop(
          i,
          `expected a CloudTrail file ({"Records": [...]}), lookup-events output or a record, found ${describeByte(c)}`,
        );
        return false;
      }
      case State.Document: {
        const line = this.line;
        const lineStart = this.lineStart;
        const place = this.place('document', this.documents, i);
        this.hits.length = 0;
        this.high = 0;
        const end = this.object(i, DOCUMENT_FIELDS, 0);
        if (end === CONTAINER) {
          this.container = this.containerName;
          this.index = 0;
          this.expectComma = false;
          this.state = State.Elements;
          return true;
        }
        if (end === NEED) {
          this.line = line;
          this.lineStart = lineStart;
          return this.incomplete(i, final, 'a JSON document');
        }
        this.documents++;
        if (end === BAD) {
          this.reportBad(place);
          this.line = line;
          this.lineStart = lineStart;
          this.state = State.Recover;
          this.pos = i;
          this.recoverThen = State.Top;
          return true;
        }
        this.pos = end;
        this.state = State.Top;
        this.emit(i, end, place);
        return true;
      }
      case State.Elements: {
        if (c === 0x5d) {
          if (this.afterComma)
            this.sink.malformed(
              this.place(this.container, this.index, i),
              'a "," is followed by "]": a record is missing',
            );
          this.afterComma = false;
          this.pos = i + 1;
          this.state = this.container === 'array' ? State.Top : State.DocumentRest;
          this.expectComma = true;
          return true;
        }
        if (this.expectComma) {
          if (c !== 0x2c) {
            this.stop(i, `expected "," or "]" after record ${this.index - 1}, found ${describeByte(c)}`);
            return false;
          }
          this.pos = i + 1;
          this.expectComma = false;
          this.afterComma = true;
          return true;
        }
        this.afterComma = false;
        return this.element(i, final);
      }
      case State.DocumentRest: {
        // The members after the records array, e.g. "NextToken" of lookup-events.
        if (c === 0x7d) {
          this.pos = i + 1;
          this.state = State.Top;
          this.documents++;
          return true;
        }
        if (c !== 0x2c) {
          this.stop(i, `expected "," or "}" after the "${this.container}" array, found ${describeByte(c)}`);
          return false;
        }
        const line = this.line;
        const lineStart = this.lineStart;
        const end = this.member(i + 1);
        if (end === NEED) {
          this.line = line;
          this.lineStart = lineStart;
          return this.incomplete(i, final, 'a JSON object');
        }
        if (end === BAD) {
          const { line: l, column } = this.where(this.errorAt);
          this.sink.fatal(l, column, this.error);
          this.state = State.Stopped;
          return false;
        }
        this.pos = end;
        return true;
      }
      case State.Recover:
        return this.recover(final);
      default:
        return false;
    }
  }

  private recoverThen: State = State.Elements;

  private place(container: RecordPlace['container'], index: number, at: number): RecordPlace {
    const { line, column } = this.where(at);
    return { container, index, line, column };
  }

  /** One element of a records array. */
  private element(i: number, final: boolean): boolean {
    const buf = this.buf;
    const line = this.line;
    const lineStart = this.lineStart;
    const place = this.place(this.container, this.index, i);
    this.hits.length = 0;
    this.high = 0;
    const fields = this.container === 'Events' ? LOOKUP_FIELDS : RECORD_FIELDS;
    const isObject = buf[i] === 0x7b;
    const end = isObject ? this.object(i, fields, 1) : this.value(i, 1);
    if (end === NEED) {
      this.line = line;
      this.lineStart = lineStart;
      return this.incomplete(i, final, `record ${this.index}`);
    }
    this.index++;
    this.expectComma = true;
    if (end === BAD) {
      this.reportBad(place);
      this.line = line;
      this.lineStart = lineStart;
      this.state = State.Recover;
      this.pos = i;
      this.recoverThen = State.Elements;
      return true;
    }
    this.pos = end;
    if (!isObject) {
      this.sink.malformed(place, 'the record is not a JSON object');
      return true;
    }
    if (this.container === 'Events') this.emitLookupEvent(i, end, place);
    else this.emit(i, end, place);
    return true;
  }

  private reportBad(place: RecordPlace): void {
    const { line, column } = this.where(this.errorAt);
    this.sink.malformed({ ...place, line, column }, this.error);
  }

  /**
   * After a syntax error inside a record: find where the record ends by brackets and strings alone, so the
   * records after it are still read. If that cannot be found, the rest of the input is skipped.
   */
  private recover(final: boolean): boolean {
    const buf = this.buf;
    // `pos` is where the malformed record starts (kept there while more input is awaited).
    const from = this.pos;
    let depth = 0;
    let i = from;
    const n = buf.length;
    while (i < n) {
      const c = buf[i++];
      if (c === 0x22) {
        while (i < n) {
          const d = buf[i++];
          if (d === 0x22) break;
          if (d === 0x5c) i++;
          else if (d === 0x0a) break; // a raw newline cannot be in a string: the string was not closed
        }
      } else if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) {
        depth--;
        if (depth <= 0) {
          this.countLines(from, i);
          this.pos = depth === 0 ? i : i - 1;
          this.state = this.recoverThen;
          if (depth < 0) this.expectComma = true;
          return true;
        }
      } else if (depth === 0 && (c === 0x2c || c === 0x0a)) {
        this.countLines(from, i - 1);
        this.pos = i - 1;
        this.state = this.recoverThen;
        return true;
      }
    }
    if (final || n - from > MAX_RECORD_BYTES) {
      this.stop(from, 'cannot find where the malformed record ends; the rest of the input is skipped');
      return false;
    }
    this.pos = from;
    this.needAtLeast = Math.max((n - from) * 2, 64 * 1024);
    return false;
  }

  private countLines(from: number, to: number): void {
    const buf = this.buf;
    for (let i = from; i < to; i++)
      if (buf[i] === 0x0a) {
        this.line++;
        this.lineStart = this.base + i + 1;
      }
  }

  // ---- Building a record from the fields found ----

  private emit(start: number, end: number, place: RecordPlace): void {
    const record = this.build(start, end, place);
    if (record) this.sink.record(record, place);
  }

  /** The record from the fields found (`hits`): one decode of its bytes, then slices of that text. */
  private build(start: number, end: number, place: RecordPlace): TrailRecord | undefined {
    const ascii = this.high < 0x80;
    const bytes = this.buf.subarray(start, end);
    let text: string | undefined;
    if (ascii) text = UTF8.decode(bytes);
    else {
      try {
        STRICT_UTF8.decode(bytes);
      } catch {
        this.sink.malformed(place, 'the record is not valid UTF-8');
        return undefined;
      }
    }
    const record = new TrailRecord();
    const nodes = this.nodes;
    nodes.start(record);
    const hits = this.hits;
    for (let h = 0; h < hits.length; h += 4) {
      const id: F = hits[h];
      const kind = hits[h + 1];
      const from = hits[h + 2] - start;
      const to = hits[h + 3] - start;
      if (kind === Hit.Object) {
        nodes.open(id);
        continue;
      }
      if (kind === Hit.Plain) {
        if (text === undefined) {
          nodes.set(id, UTF8.decode(bytes.subarray(from + 1, to - 1)));
          continue;
        }
        const copy = COPY[id];
        if (copy === Copy.Own) {
          nodes.set(id, UTF8.decode(bytes.subarray(from + 1, to - 1)));
          continue;
        }
        const value = text.slice(from + 1, to - 1);
        if (copy === Copy.Slice) {
          nodes.set(id, value);
          continue;
        }
        let canonical = interned.get(value);
        if (canonical === undefined) {
          if (interned.size >= MAX_INTERNED) interned.clear();
          canonical = UTF8.decode(bytes.subarray(from + 1, to - 1));
          interned.set(canonical, canonical);
        }
        nodes.set(id, canonical);
        continue;
      }
      const json = text !== undefined ? text.slice(from, to) : UTF8.decode(bytes.subarray(from, to));
      nodes.set(id, JSON.parse(json));
    }
    return record;
  }

  private emitLookupEvent(start: number, end: number, place: RecordPlace): void {
    const element = this.build(start, end, place);
    if (!element) return;
    const inner = element.CloudTrailEvent;
    if (typeof inner !== 'string') {
      this.sink.malformed(
        place,
        inner === undefined ? 'the event has no "CloudTrailEvent"' : '"CloudTrailEvent" is not a string',
      );
      return;
    }
    let record: unknown;
    try {
      record = JSON.parse(inner);
    } catch (error) {
      this.sink.malformed(place, `"CloudTrailEvent" is not JSON: ${(error as Error).message}`);
      return;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      this.sink.malformed(place, '"CloudTrailEvent" is not a JSON object');
      return;
    }
    this.sink.record(record, place);
  }

  // ---- The JSON grammar over bytes ----

  private ws(i: number): number {
    const buf = this.buf;
    const n = buf.length;
    while (i < n) {
      const c = buf[i];
      if (c === 0x20 || c === 0x0d || c === 0x09) i++;
      else if (c === 0x0a) {
        i++;
        this.line++;
        this.lineStart = this.base + i;
      } else break;
    }
    return i;
  }

  private bad(at: number, message: string): number {
    this.errorAt = at;
    this.error = message;
    return BAD;
  }

  /** A string starting at its quote; the position after its closing quote. Sets `escaped`. */
  private string(i: number): number {
    const buf = this.buf;
    const n = buf.length;
    i++;
    // Plain characters (most of a CloudTrail file) cost one table look-up each.
    while (i < n && PLAIN[buf[i]] === 1) i++;
    if (i < n && buf[i] === 0x22) {
      this.escaped = false;
      return i + 1;
    }
    return this.stringRest(i);
  }

  /** The rest of a string from its first escape, control or non-ASCII character. */
  private stringRest(i: number): number {
    const buf = this.buf;
    const n = buf.length;
    let escaped = false;
    while (i < n) {
      const c = buf[i++];
      if (c === 0x22) {
        this.escaped = escaped;
        return i;
      }
      if (c === 0x5c) {
        escaped = true;
        if (i >= n) return NEED;
        const e = buf[i++];
        if (e === 0x75) {
          if (i + 4 > n) return NEED;
          for (let k = 0; k < 4; k++)
            if (!isHex(buf[i + k])) return this.bad(i + k, 'a \\u escape needs four hexadecimal digits');
          i += 4;
        } else if (
          e !== 0x22 &&
          e !== 0x5c &&
          e !== 0x2f &&
          e !== 0x62 &&
          e !== 0x66 &&
          e !== 0x6e &&
          e !== 0x72 &&
          e !== 0x74
        ) {
          return this.bad(i - 1, `"\\${String.fromCharCode(e)}" is not a JSON escape`);
        }
      } else if (c < 0x20) {
        return this.bad(
          i - 1,
          c === 0x0a
            ? 'a string is not closed before the end of the line'
            : 'a control character in a string',
        );
      } else if (c >= 0x80) this.high = 0x80;
    }
    return NEED;
  }

  private value(i: number, depth: number): number {
    const buf = this.buf;
    if (i >= buf.length) return NEED;
    const c = buf[i];
    if (c === 0x22) return this.string(i);
    if (c === 0x7b) return this.object(i, undefined, depth);
    if (c === 0x5b) return this.array(i, depth);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number(i);
    if (c === 0x74) return this.literal(i, TRUE);
    if (c === 0x66) return this.literal(i, FALSE);
    if (c === 0x6e) return this.literal(i, NULL);
    return this.bad(i, `expected a JSON value, found ${describeByte(c)}`);
  }

  private literal(i: number, word: Uint8Array): number {
    const buf = this.buf;
    for (let k = 0; k < word.length; k++) {
      if (i + k >= buf.length) return NEED;
      if (buf[i + k] !== word[k])
        return this.bad(i, 'expected a JSON value (true, false or null are the only words)');
    }
    return this.delimited(i + word.length);
  }

  /** A scalar must be followed by a delimiter (or the buffer's end, where more may come). */
  private delimited(i: number): number {
    const buf = this.buf;
    if (i >= buf.length) return NEED;
    const c = buf[i];
    if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)
      return i;
    return this.bad(i, `unexpected ${describeByte(c)} after a value`);
  }

  private number(i: number): number {
    const buf = this.buf;
    const n = buf.length;
    const start = i;
    if (buf[i] === 0x2d) i++;
    if (i >= n) return NEED;
    if (buf[i] === 0x30) i++;
    else if (buf[i] >= 0x31 && buf[i] <= 0x39) while (i < n && buf[i] >= 0x30 && buf[i] <= 0x39) i++;
    else return this.bad(i, 'a number needs a digit');
    if (i < n && buf[i] === 0x2e) {
      i++;
      const digits = i;
      while (i < n && buf[i] >= 0x30 && buf[i] <= 0x39) i++;
      if (i === digits) return i >= n ? NEED : this.bad(i, 'a number needs a digit after "."');
    }
    if (i < n && (buf[i] === 0x65 || buf[i] === 0x45)) {
      i++;
      if (i < n && (buf[i] === 0x2b || buf[i] === 0x2d)) i++;
      const digits = i;
      while (i < n && buf[i] >= 0x30 && buf[i] <= 0x39) i++;
      if (i === digits) return i >= n ? NEED : this.bad(i, 'a number needs a digit in its exponent');
    }
    if (i === start) return this.bad(i, 'a number needs a digit');
    return this.delimited(i);
  }

  private array(i: number, depth: number): number {
    if (depth >= MAX_DEPTH) return this.bad(i, `the JSON nests deeper than ${MAX_DEPTH} levels`);
    const buf = this.buf;
    i = this.ws(i + 1);
    if (i >= buf.length) return NEED;
    if (buf[i] === 0x5d) return i + 1;
    for (;;) {
      i = this.value(i, depth + 1);
      if (i < 0) return i;
      i = this.ws(i);
      if (i >= buf.length) return NEED;
      const c = buf[i];
      if (c === 0x5d) return i + 1;
      if (c !== 0x2c) return this.bad(i, `expected "," or "]" in an array, found ${describeByte(c)}`);
      i = this.ws(i + 1);
    }
  }

  /**
   * An object starting at its brace. With a schema, the members it names are noted in `hits` (field, kind, start,
   * end) to be built once the record is complete.
   */
  private object(i: number, fields: SchemaNode | undefined, depth: number): number {
    if (depth >= MAX_DEPTH) return this.bad(i, `the JSON nests deeper than ${MAX_DEPTH} levels`);
    const buf = this.buf;
    const n = buf.length;
    // Whitespace is skipped only where there is some: compact CloudTrail files have none.
    i++;
    if (i < n && buf[i] <= 0x20) i = this.ws(i);
    if (i >= n) return NEED;
    if (buf[i] === 0x7d) return i + 1;
    const hits = this.hits;
    for (;;) {
      if (buf[i] !== 0x22)
        return this.bad(i, `expected a member name in quotes, found ${describeByte(buf[i])}`);
      const keyStart = i;
      i = this.string(i);
      if (i < 0) return i;
      const field = fields ? this.fieldOf(fields, keyStart, i) : undefined;
      if (i < n && buf[i] <= 0x20) i = this.ws(i);
      if (i >= n) return NEED;
      if (buf[i] !== 0x3a)
        return this.bad(i, `expected ":" after a member name, found ${describeByte(buf[i])}`);
      i++;
      if (i < n && buf[i] <= 0x20) i = this.ws(i);
      if (i >= n) return NEED;
      const valueStart = i;
      const c = buf[i];
      if (field === undefined) {
        i = c === 0x22 ? this.string(i) : this.value(i, depth + 1);
      } else if (field.kind === Kind.Text && c === 0x22) {
        i = this.string(i);
        if (i >= 0) hits.push(field.id, this.escaped ? Hit.Escaped : Hit.Plain, valueStart, i);
      } else if (field.kind === Kind.Node && c === 0x7b) {
        hits.push(field.id, Hit.Object, valueStart, valueStart);
        i = this.object(i, field.children, depth + 1);
      } else if (field.kind === Kind.NodeList && c === 0x5b) {
        hits.push(field.id, Hit.Object, valueStart, valueStart);
        i = this.nodeList(i, field.children!, depth + 1);
      } else if (field.kind === Kind.Container && c === 0x5b) {
        this.containerName = field.name as 'Records' | 'Events';
        this.pos = i + 1;
        return CONTAINER;
      } else {
        i = this.value(i, depth + 1);
        if (i >= 0 && field.kind !== Kind.Container) hits.push(field.id, Hit.Raw, valueStart, i);
      }
      if (i < 0) return i;
      if (i < n && buf[i] <= 0x20) i = this.ws(i);
      if (i >= n) return NEED;
      const d = buf[i];
      if (d === 0x7d) return i + 1;
      if (d !== 0x2c) return this.bad(i, `expected "," or "}" in an object, found ${describeByte(d)}`);
      i++;
      if (i < n && buf[i] <= 0x20) i = this.ws(i);
      if (i >= n) return NEED;
    }
  }

  /** An array of objects picked by `fields` (resources[]); elements that are not objects are kept raw. */
  private nodeList(i: number, fields: SchemaNode, depth: number): number {
    if (depth >= MAX_DEPTH) return this.bad(i, `the JSON nests deeper than ${MAX_DEPTH} levels`);
    const buf = this.buf;
    const n = buf.length;
    const hits = this.hits;
    i = this.ws(i + 1);
    if (i >= n) return NEED;
    if (buf[i] === 0x5d) return i + 1;
    for (;;) {
      const start = i;
      if (buf[i] === 0x7b) {
        hits.push(F.Resource, Hit.Object, start, start);
        i = this.object(i, fields, depth + 1);
      } else {
        i = this.value(i, depth + 1);
        if (i >= 0) hits.push(F.Resource, Hit.Raw, start, i);
      }
      if (i < 0) return i;
      i = this.ws(i);
      if (i >= n) return NEED;
      const c = buf[i];
      if (c === 0x5d) return i + 1;
      if (c !== 0x2c) return this.bad(i, `expected "," or "]" in an array, found ${describeByte(c)}`);
      i = this.ws(i + 1);
    }
  }

  /** One `, "name": value` member after the records array (validated, not kept). */
  private member(i: number): number {
    const buf = this.buf;
    i = this.ws(i);
    if (i >= buf.length) return NEED;
    if (buf[i] !== 0x22)
      return this.bad(i, `expected a member name in quotes, found ${describeByte(buf[i])}`);
    i = this.string(i);
    if (i < 0) return i;
    i = this.ws(i);
    if (i >= buf.length) return NEED;
    if (buf[i] !== 0x3a)
      return this.bad(i, `expected ":" after a member name, found ${describeByte(buf[i])}`);
    i = this.ws(i + 1);
    return this.value(i, 1);
  }

  /** The schema field a member name (between `start`, its opening quote, and `end`, after its closing quote) names. */
  private fieldOf(fields: SchemaNode, start: number, end: number): Field | undefined {
    const buf = this.buf;
    if (this.escaped) {
      // A name written with escapes ("event\u0053ource") is rare: decode it.
      const name = JSON.parse(UTF8.decode(buf.subarray(start, end))) as string;
      return fields.byName.get(name);
    }
    const length = end - start - 2;
    if (length > MAX_NAME || length === 0) return undefined;
    const candidates = fields.table[length * 256 + buf[start + 1]];
    if (candidates === undefined) return undefined;
    for (let k = 0; k < candidates.length; k++) {
      const bytes = candidates[k].bytes;
      let j = 1;
      while (j < length && buf[start + 1 + j] === bytes[j]) j++;
      if (j === length) return candidates[k].field;
    }
    return undefined;
  }
}

/** Bytes that a string holds as they are: not a quote, a backslash, a control character or part of a non-ASCII one. */
const PLAIN = new Uint8Array(256);
for (let c = 0x20; c < 0x80; c++) PLAIN[c] = c === 0x22 || c === 0x5c ? 0 : 1;

const TRUE = ENCODER.encode('true');
const FALSE = ENCODER.encode('false');
const NULL = ENCODER.encode('null');

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function describeByte(c: number): string {
  if (c >= 0x21 && c < 0x7f) return `"${String.fromCharCode(c)}"`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}
