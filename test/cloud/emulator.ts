/**
 * A stand-in for the WeChat cloud behind the real `wx-server-sdk` 4.0.2: the SDK runs unchanged —
 * its query/update serializers, EJSON, request signing, error mapping and `runTransaction` — and
 * only the lowest transport function of `@cloudbase/node-sdk` (`utils/request-core.request`, the
 * one that would open a socket) is replaced. What reaches it is what the real SDK would have sent
 * over the wire; it is recorded and executed here:
 *
 * - database requests (`database.insertDocument`, `getDocument`, `calculateDocument`,
 *   `modifyDocument`, `removeDocument`, `aggregateDocuments`, `startTransaction`, `commitTransaction`,
 *   `abortTransaction`) on documents with MongoDB's query and update semantics (mingo), plus the
 *   MongoDB refusals mingo does not make (a dot path through null, conflicting update paths),
 *   unique indexes from `server/collections.ts`, and transactions with snapshot writes and
 *   write-write conflicts (first writer wins, as MongoDB);
 * - storage (`storage.getUploadMetadata` + the PUT to the upload URL, `storage.batchGetDownloadUrl`
 *   + the GET of a temporary URL, `storage.batchDeleteFile`);
 * - open API calls (`wx.openApi`: the SDK's protobuf request is decoded, the JSON answer encoded back).
 *
 * Error answers have the shape the CloudBase service gives (`{ code, message, requestId }`), so the
 * SDK turns them into the errors production code sees. Any other URL is refused and counted in
 * `escapes`, and the suites assert there are none.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Aggregator, Query } from 'mingo';
import { update as applyUpdate } from 'mingo/updater';
import { collections as collectionSpecs, type IndexSpec } from '../../server/collections';

type Doc = Record<string, unknown> & { _id: string };
type Params = Record<string, unknown>;
type Answer = Record<string, unknown>;

export interface CapturedRequest {
  action: string;
  params: Params;
}

export interface OpenApiCall {
  api: string;
  data: Record<string, unknown>;
}

/** A CloudBase service error as the service answers it (the SDK maps `code` to its errCode). */
export interface ServiceError {
  code: string;
  message: string;
}

interface EJsonLike {
  parse(text: string, options?: { relaxed?: boolean }): unknown;
  stringify(value: unknown, options?: { relaxed?: boolean }): string;
}

// The same `bson` the SDK serialises with (a dependency of @cloudbase/database).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { EJSON } = require(require.resolve('bson', { paths: [require.resolve('@cloudbase/database')] })) as {
  EJSON: EJsonLike;
};

const ENV_ID = 'emulator-env-7a1c';
const UPLOAD_HOST = 'cos.emulator.invalid';
const TEMP_HOST = 'tmp.emulator.invalid';

/** What the CloudBase service answers for a duplicate key (MongoDB's E11000 inside a FailedOperation). */
export function duplicateKeyError(collection: string, index: string, key: string): ServiceError {
  return {
    code: 'DATABASE_REQUEST_FAILED',
    message: `[FailedOperation] multiple write errors: [{write errors: [{E11000 duplicate key error collection: ${ENV_ID}.${collection} index: ${index} dup key: ${key}}]}, {<nil>}]`,
  };
}

export const TRANSACTION_CONFLICT: ServiceError = {
  code: 'DATABASE_TRANSACTION_CONFLICT',
  message:
    '[ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others concurrently.',
};

class RequestFailure extends Error {
  constructor(readonly answer: ServiceError) {
    super(answer.message);
  }
}

interface Txn {
  id: string;
  snapshot: number;
  /** collection/id → document to write, or null to remove. */
  writes: Map<string, Doc | null>;
  state: 'active' | 'committed' | 'aborted';
}

const keyOf = (collection: string, id: string): string => `${collection}\u0000${id}`;
const splitKey = (key: string): [string, string] => {
  const at = key.indexOf('\u0000');
  return [key.slice(0, at), key.slice(at + 1)];
};
const clone = <T>(value: T): T => structuredClone(value);

function getPath(doc: unknown, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** MongoDB refuses `$set: {'a.b': …}` when `a` is null or a scalar (mingo would create it). */
function checkPathsViable(doc: Doc, modifier: Record<string, Record<string, unknown>>): void {
  const paths: string[] = [];
  for (const [operator, fields] of Object.entries(modifier)) {
    if (!operator.startsWith('$'))
      throw new RequestFailure({
        code: 'DATABASE_REQUEST_FAILED',
        message: `[FailedOperation] unknown modifier: ${operator}`,
      });
    paths.push(...Object.keys(fields));
  }
  for (const path of paths) {
    for (const other of paths) {
      if (other !== path && other.startsWith(`${path}.`)) {
        throw new RequestFailure({
          code: 'DATABASE_REQUEST_FAILED',
          message: `[FailedOperation] Updating the path '${other}' would create a conflict at '${path}'`,
        });
      }
    }
    const parts = path.split('.');
    let value: unknown = doc;
    for (let i = 0; i < parts.length - 1; i += 1) {
      const part = parts[i] ?? '';
      const next = (value as Record<string, unknown>)[part];
      if (next === undefined) break;
      if (next === null || typeof next !== 'object') {
        throw new RequestFailure({
          code: 'DATABASE_REQUEST_FAILED',
          message: `[FailedOperation] Cannot create field '${parts[i + 1] ?? ''}' in element {${part}: ${JSON.stringify(next)}}`,
        });
      }
      value = next;
    }
  }
}

function indexName(spec: IndexSpec): string {
  return spec.fields.map((field) => `${field}_1`).join('_');
}

/** The part of a protobuf message the SDK's open API request uses: length-delimited fields by number. */
function readFields(buffer: Buffer): Array<{ field: number; value: Buffer | number }> {
  const out: Array<{ field: number; value: Buffer | number }> = [];
  let offset = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = buffer[offset] ?? 0;
      offset += 1;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
      shift += 7;
    }
  };
  while (offset < buffer.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === 0) out.push({ field, value: varint() });
    else if (wire === 2) {
      const length = varint();
      out.push({ field, value: buffer.subarray(offset, offset + length) });
      offset += length;
    } else throw new Error(`unexpected protobuf wire type ${wire}`);
  }
  return out;
}

function writeVarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push(rest % 0x80 | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function lengthDelimited(field: number, value: Buffer): Buffer {
  return Buffer.concat([writeVarint(field * 8 + 2), writeVarint(value.length), value]);
}

/** CommApiData { openapiData (2) { pairs (1) { key (1), value (2) } } } → { key: JSON value }. */
function decodeOpenApiRequest(requestData: Buffer): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const { field, value } of readFields(requestData)) {
    if (field !== 2 || !Buffer.isBuffer(value)) continue;
    for (const pair of readFields(value)) {
      if (pair.field !== 1 || !Buffer.isBuffer(pair.value)) continue;
      let key = '';
      let raw: Buffer = Buffer.alloc(0);
      for (const part of readFields(pair.value)) {
        if (part.field === 1 && Buffer.isBuffer(part.value)) key = part.value.toString('utf8');
        if (part.field === 2 && Buffer.isBuffer(part.value)) raw = part.value;
      }
      data[key] = JSON.parse(raw.toString('utf8'));
    }
  }
  return data;
}

/** CommOpenApiResp { respData (1), contentType (2) }. */
function encodeOpenApiResponse(body: unknown): Buffer {
  return Buffer.concat([
    lengthDelimited(1, Buffer.from(JSON.stringify(body))),
    lengthDelimited(2, Buffer.from('application/json; charset=utf-8')),
  ]);
}

export type OpenApiHandler = (data: Record<string, unknown>) => Record<string, unknown>;

export class CloudEmulator {
  readonly envId = ENV_ID;
  readonly requests: CapturedRequest[] = [];
  readonly openapiCalls: OpenApiCall[] = [];
  /** Attempts to reach anything but this emulator (must stay empty). */
  readonly escapes: string[] = [];
  readonly files = new Map<string, Buffer>();
  /** Open API answers by api name (`subscribeMessage.send`, `ocr.printedText`); default `{ errcode: 0 }`. */
  readonly openapi: Record<string, OpenApiHandler> = {};
  /** Fault injection: return a service error to fail a request before it is executed. */
  fault: ((request: CapturedRequest) => ServiceError | undefined) | null = null;
  /** Called when a request arrives, before it is executed (tests interleave concurrent work here). */
  onRequest: ((request: CapturedRequest) => Promise<void> | void) | null = null;

  private readonly data = new Map<string, Map<string, Doc>>();
  private readonly versions = new Map<string, number>();
  private readonly locks = new Map<string, string>();
  private readonly transactions = new Map<string, Txn>();
  private readonly unlockWaiters: Array<() => void> = [];
  private commitClock = 0;
  private readonly indexes = new Map<string, IndexSpec[]>(
    collectionSpecs.map((spec) => [spec.name, spec.indexes.filter((index) => index.unique)]),
  );

  /** The stored documents of a collection (copies), for assertions. */
  documents(collection: string): Doc[] {
    return [...(this.data.get(collection)?.values() ?? [])].map(clone);
  }

  document(collection: string, id: string): Doc | null {
    const doc = this.data.get(collection)?.get(id);
    return doc ? clone(doc) : null;
  }

  count(action: string): number {
    return this.requests.filter((request) => request.action === action).length;
  }

  /** The fileIDs in storage now (a refused upload is deleted again). */
  storedFileIds(): string[] {
    return [...this.files.keys()];
  }

  /** Puts bytes in storage as the mini-program's uploadFile would, returning the fileID. */
  putFile(cloudPath: string, bytes: Buffer): string {
    const fileID = `cloud://${ENV_ID}.656e-${ENV_ID}-1300000000/${cloudPath}`;
    this.files.set(fileID, bytes);
    return fileID;
  }

  // ── transport ────────────────────────────────────────────────────────────────────────────────

  /** The replacement for request-core's `request(opts, cb)`. */
  handle(
    opts: Record<string, unknown>,
    callback: (
      error: Error | null,
      response?: { statusCode: number; headers: Record<string, string> },
      body?: unknown,
    ) => void,
  ): Writable {
    const url = new URL(String(opts.url));
    const method = String(opts.method ?? 'get').toLowerCase();
    const respond = (statusCode: number, body: unknown, contentType = 'application/json'): void => {
      setImmediate(() => callback(null, { statusCode, headers: { 'content-type': contentType } }, body));
    };
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
    });
    if (url.hostname === UPLOAD_HOST && method === 'put') {
      sink.on('finish', () => {
        this.files.set(decodeURIComponent(url.pathname.slice(1)), Buffer.concat(chunks));
        respond(200, Buffer.alloc(0), 'application/xml');
      });
      return sink;
    }
    if (url.hostname === TEMP_HOST && method === 'get') {
      const bytes = this.files.get(this.tempPaths.get(decodeURI(url.pathname)) ?? '');
      respond(bytes ? 200 : 404, bytes ?? Buffer.from('<Error><Code>NoSuchKey</Code></Error>'));
      return sink;
    }
    if (url.pathname === '/admin' && method === 'post') {
      const params = (opts.body ?? opts.formData) as Params;
      void this.execute(params).then(
        (answer) => {
          if (Buffer.isBuffer(answer)) respond(200, answer, 'application/octet-stream');
          else respond(200, answer);
        },
        (error: unknown) => setImmediate(() => callback(error instanceof Error ? error : new Error(String(error)))),
      );
      return sink;
    }
    this.escapes.push(`${method} ${url.href}`);
    setImmediate(() =>
      callback(Object.assign(new Error(`emulator refused ${method} ${url.host}`), { code: 'ECONNREFUSED' })),
    );
    return sink;
  }

  private async execute(params: Params): Promise<Answer | Buffer> {
    const action = String(params.action);
    const {
      action: _a,
      envName: _e,
      wxCloudApiToken: _w,
      wxCloudbaseAccesstoken: _x,
      tcb_sessionToken: _t,
      sessionToken: _s,
      crossAuthorizationToken: _c,
      instance: _i,
      database: _d,
      ...rest
    } = params;
    const request: CapturedRequest = { action, params: rest };
    this.requests.push(request);
    const requestId = randomBytes(8).toString('hex');
    await this.onRequest?.(request);
    const injected = this.fault?.(request);
    if (injected) return { ...injected, requestId };
    try {
      const answer = await this.dispatch(action, rest);
      return Buffer.isBuffer(answer) ? answer : { ...answer, requestId };
    } catch (error) {
      if (error instanceof RequestFailure) return { ...error.answer, requestId };
      throw error;
    }
  }

  private async dispatch(action: string, params: Params): Promise<Answer | Buffer> {
    switch (action) {
      case 'database.insertDocument':
        return this.insert(params);
      case 'database.getDocument':
        return this.query(params);
      case 'database.calculateDocument':
        return { data: { total: this.matching(params).length } };
      case 'database.aggregateDocuments':
        return this.aggregate(params);
      case 'database.modifyDocument':
        return this.modify(params);
      case 'database.removeDocument':
        return this.removeDocs(params);
      case 'database.startTransaction': {
        const id = `txn-${randomBytes(6).toString('hex')}`;
        this.transactions.set(id, { id, snapshot: this.commitClock, writes: new Map(), state: 'active' });
        return { transactionId: id };
      }
      case 'database.commitTransaction':
        return this.commit(this.txnOf(params, true));
      case 'database.abortTransaction': {
        const txn = this.txnOf(params, true);
        if (txn) this.finish(txn, 'aborted');
        return {};
      }
      case 'storage.batchGetDownloadUrl':
        return {
          data: {
            download_list: (params.file_list as Array<{ fileid: string; max_age?: number }>).map(
              ({ fileid, max_age }) =>
                this.files.has(fileid)
                  ? {
                      fileID: fileid,
                      tempFileURL: this.temporaryUrl(fileid),
                      code: 'SUCCESS',
                      maxAge: max_age ?? 86400,
                    }
                  : { fileID: fileid, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST' },
            ),
          },
        };
      case 'storage.getUploadMetadata': {
        const fileId = `cloud://${ENV_ID}.656e-${ENV_ID}-1300000000/${String(params.path)}`;
        return {
          data: {
            url: `https://${UPLOAD_HOST}/${encodeURIComponent(fileId)}`,
            token: 't',
            authorization: 'a',
            fileId,
            cosFileId: 'c',
          },
        };
      }
      case 'storage.batchDeleteFile':
        return {
          data: {
            delete_list: (params.fileid_list as string[]).map((fileID) => ({
              fileID,
              code: this.files.delete(fileID) ? 'SUCCESS' : 'STORAGE_FILE_NONEXIST',
            })),
          },
        };
      case 'wx.openApi': {
        const api = String(params.apiName);
        const data = decodeOpenApiRequest(params.requestData as Buffer);
        this.openapiCalls.push({ api, data });
        return encodeOpenApiResponse((this.openapi[api] ?? (() => ({ errcode: 0, errmsg: 'ok' })))(data));
      }
      default:
        throw new RequestFailure({ code: 'INVALID_ACTION', message: `emulator does not implement ${action}` });
    }
  }

  private readonly tempPaths = new Map<string, string>();

  /** Like COS: the object's path on a download host, with a signature that expires. */
  private temporaryUrl(fileID: string): string {
    const path = `/${fileID.replace(/^cloud:\/\/[^/]+\//, '')}`;
    this.tempPaths.set(path, fileID);
    return `https://${TEMP_HOST}${path}?sign=${createHash('sha1').update(fileID).digest('hex').slice(0, 8)}&t=${Math.floor(Date.now() / 1000) + 600}`;
  }

  // ── database ─────────────────────────────────────────────────────────────────────────────────

  private collection(name: string): Map<string, Doc> {
    let docs = this.data.get(name);
    if (!docs) this.data.set(name, (docs = new Map()));
    return docs;
  }

  private txnOf(params: Params, required = false): Txn | null {
    const id = params.transactionId as string | undefined;
    if (!id) {
      if (required) throw new RequestFailure({ code: 'INVALID_PARAM', message: 'transactionId required' });
      return null;
    }
    const txn = this.transactions.get(id);
    if (!txn || txn.state !== 'active')
      throw new RequestFailure({
        code: 'DATABASE_REQUEST_FAILED',
        message: `[FailedOperation] transaction ${id} is not active`,
      });
    return txn;
  }

  private parsed(text: unknown): Record<string, unknown> {
    if (text === undefined || text === null || text === '') return {};
    return EJSON.parse(String(text), { relaxed: true }) as Record<string, unknown>;
  }

  /** The committed documents, or inside a transaction its own view (snapshot + own writes). */
  private view(collection: string, txn: Txn | null): Doc[] {
    const committed = [...this.collection(collection).values()];
    if (!txn) return committed;
    const byId = new Map(committed.map((doc) => [doc._id, doc]));
    for (const [key, doc] of txn.writes) {
      const [name, id] = splitKey(key);
      if (name !== collection) continue;
      if (doc) byId.set(id, doc);
      else byId.delete(id);
    }
    return [...byId.values()];
  }

  private requireDocQuery(params: Params, txn: Txn | null): void {
    if (txn && params.queryType !== 'DOC') {
      throw new RequestFailure({
        code: 'DATABASE_REQUEST_FAILED',
        message: '[FailedOperation] transaction supports document operations by id only',
      });
    }
  }

  private matching(params: Params, txn: Txn | null = null): Doc[] {
    const condition = this.parsed(params.query);
    const query = new Query(condition, {});
    const collection = String(params.collectionName);
    // By id (every document operation and most reads): look it up instead of scanning.
    if (typeof condition._id === 'string') {
      const key = keyOf(collection, condition._id);
      const doc = txn?.writes.has(key) ? txn.writes.get(key) : this.collection(collection).get(condition._id);
      return doc && query.test(doc) ? [doc] : [];
    }
    return this.view(collection, txn).filter((doc) => query.test(doc));
  }

  private query(params: Params): Answer {
    const txn = this.txnOf(params);
    this.requireDocQuery(params, txn);
    let list = this.matching(params, txn);
    const order = this.parsed(params.order) as Record<string, number>;
    const keys = Object.entries(order);
    if (keys.length) {
      list = [...list].sort((a, b) => {
        for (const [field, direction] of keys) {
          const x = getPath(a, field) as string | number | undefined;
          const y = getPath(b, field) as string | number | undefined;
          if (x === y) continue;
          if (x === undefined || x === null) return -direction;
          if (y === undefined || y === null) return direction;
          return (x < y ? -1 : 1) * direction;
        }
        return 0;
      });
    }
    const offset = Number(params.offset ?? 0);
    const limit = Math.min(Number(params.limit ?? 100), 1000);
    const page = list.slice(offset, offset + limit);
    // `field()`: MongoDB's inclusion projection (dotted paths reach into objects; `_id` always comes).
    const projection = this.parsed(params.projection);
    const shown = Object.keys(projection).length ? (new Query({}).find(page, projection).all() as Doc[]) : page;
    return { data: { list: shown.map((doc) => EJSON.stringify(doc, { relaxed: false })) }, offset, limit };
  }

  /**
   * `collection.aggregate()…end()`: the stages as the SDK sent them (`{ stageKey, stageValue }`, the value EJSON text),
   * run by mingo over the committed documents. As the service does, an aggregation answers at most 20 results unless a
   * `$limit` says otherwise, and refuses a `$limit` above 10,000.
   */
  private aggregate(params: Params): Answer {
    const stages = (params.stages as Array<{ stageKey: string; stageValue: string }> | undefined) ?? [];
    const pipeline: Array<Record<string, unknown>> = stages.map(({ stageKey, stageValue }) => ({
      [stageKey]: this.parsed(stageValue) as unknown,
    }));
    for (const stage of pipeline)
      if ('$limit' in stage && Number(stage.$limit) > 10_000)
        throw new RequestFailure({ code: 'DATABASE_REQUEST_FAILED', message: '[InvalidParameter] limit too large' });
    if (!pipeline.some((stage) => '$limit' in stage)) pipeline.push({ $limit: 20 });
    const results = new Aggregator(pipeline).run(this.view(String(params.collectionName), null)) as Doc[];
    return { data: { list: results.map((doc) => EJSON.stringify(doc, { relaxed: false })) } };
  }

  private checkUnique(collection: string, doc: Doc, txn: Txn | null): void {
    for (const spec of this.indexes.get(collection) ?? []) {
      const values = spec.fields.map((field) => getPath(doc, field));
      if (spec.sparse && values.every((value) => value === undefined)) continue;
      const key = JSON.stringify(values.map((value) => value ?? null));
      for (const other of this.view(collection, txn)) {
        if (other._id === doc._id) continue;
        const otherValues = spec.fields.map((field) => getPath(other, field));
        if (spec.sparse && otherValues.every((value) => value === undefined)) continue;
        if (JSON.stringify(otherValues.map((value) => value ?? null)) === key) {
          throw new RequestFailure(
            duplicateKeyError(
              collection,
              indexName(spec),
              `{ ${spec.fields.map((field, i) => `${field}: ${JSON.stringify(values[i] ?? null)}`).join(', ')} }`,
            ),
          );
        }
      }
    }
  }

  /** Waits while a transaction holds the document (MongoDB makes plain writes wait for it). */
  private async waitUnlocked(key: string): Promise<void> {
    while (this.locks.has(key)) await new Promise<void>((resolve) => this.unlockWaiters.push(resolve));
  }

  /** A transaction's write: first writer wins, and nobody may have committed it since the snapshot. */
  private claim(txn: Txn, key: string): void {
    const holder = this.locks.get(key);
    if ((holder && holder !== txn.id) || (this.versions.get(key) ?? 0) > txn.snapshot)
      throw new RequestFailure(TRANSACTION_CONFLICT);
    this.locks.set(key, txn.id);
  }

  private write(collection: string, id: string, doc: Doc | null, txn: Txn | null): void {
    const key = keyOf(collection, id);
    if (txn) {
      txn.writes.set(key, doc);
      return;
    }
    if (doc) this.collection(collection).set(id, doc);
    else this.collection(collection).delete(id);
    this.commitClock += 1;
    this.versions.set(key, this.commitClock);
  }

  private async insert(params: Params): Promise<Answer> {
    const collection = String(params.collectionName);
    const txn = this.txnOf(params);
    const docs = (params.data as string[]).map((text) => {
      const doc = this.parsed(text) as Doc;
      doc._id ??= randomBytes(16).toString('hex');
      return doc;
    });
    for (const doc of docs) {
      const key = keyOf(collection, doc._id);
      if (txn) this.claim(txn, key);
      else await this.waitUnlocked(key);
      if (this.view(collection, txn).some((other) => other._id === doc._id))
        throw new RequestFailure(duplicateKeyError(collection, '_id_', `{ _id: ${JSON.stringify(doc._id)} }`));
      this.checkUnique(collection, doc, txn);
      this.write(collection, doc._id, doc, txn);
    }
    return { data: { insertedIds: docs.map((doc) => doc._id) } };
  }

  private async modify(params: Params): Promise<Answer> {
    const collection = String(params.collectionName);
    const txn = this.txnOf(params);
    this.requireDocQuery(params, txn);
    const data = this.parsed(params.data);
    const merge = params.merge !== false;
    let targets = this.matching(params, txn);
    if (params.multi === false) targets = targets.slice(0, 1);
    if (!txn) {
      for (const doc of targets) await this.waitUnlocked(keyOf(collection, doc._id));
      targets = this.matching(params, txn);
      if (params.multi === false) targets = targets.slice(0, 1);
    }
    if (targets.length === 0 && params.upsert === true) {
      const id = String(this.parsed(params.query)._id ?? randomBytes(16).toString('hex'));
      if (merge)
        throw new RequestFailure({
          code: 'DATABASE_REQUEST_FAILED',
          message: '[FailedOperation] upsert with operators is not emulated',
        });
      const doc = { ...clone(data), _id: id } as Doc;
      if (txn) this.claim(txn, keyOf(collection, id));
      this.checkUnique(collection, doc, txn);
      this.write(collection, id, doc, txn);
      return { data: { updated: 0, upsert_id: id } };
    }
    let updated = 0;
    for (const target of targets) {
      if (txn) this.claim(txn, keyOf(collection, target._id));
      const next = clone(target);
      let changed: boolean;
      if (merge) {
        checkPathsViable(next, data as Record<string, Record<string, unknown>>);
        changed = applyUpdate(next, data as never, undefined, undefined, { cloneMode: 'deep' }).length > 0;
      } else {
        if ('_id' in data && data._id !== target._id)
          throw new RequestFailure({
            code: 'DATABASE_REQUEST_FAILED',
            message: "[FailedOperation] the (immutable) field '_id' was found to have been altered",
          });
        const replaced = { ...clone(data), _id: target._id } as Doc;
        changed = JSON.stringify(replaced) !== JSON.stringify(target);
        Object.keys(next).forEach((key) => delete next[key]);
        Object.assign(next, replaced);
      }
      this.checkUnique(collection, next, txn);
      this.write(collection, target._id, next, txn);
      if (changed) updated += 1;
    }
    return { data: { updated } };
  }

  private async removeDocs(params: Params): Promise<Answer> {
    const collection = String(params.collectionName);
    const txn = this.txnOf(params);
    this.requireDocQuery(params, txn);
    let targets = this.matching(params, txn);
    if (params.multi === false) targets = targets.slice(0, 1);
    for (const target of targets) {
      const key = keyOf(collection, target._id);
      if (txn) this.claim(txn, key);
      else await this.waitUnlocked(key);
      this.write(collection, target._id, null, txn);
    }
    return { data: { deleted: targets.length } };
  }

  private commit(txn: Txn | null): Answer {
    if (!txn) throw new RequestFailure({ code: 'INVALID_PARAM', message: 'transactionId required' });
    for (const [key, doc] of txn.writes) {
      const [collection, id] = splitKey(key);
      if (doc) this.collection(collection).set(id, doc);
      else this.collection(collection).delete(id);
      this.commitClock += 1;
      this.versions.set(key, this.commitClock);
    }
    this.finish(txn, 'committed');
    return {};
  }

  private finish(txn: Txn, state: 'committed' | 'aborted'): void {
    txn.state = state;
    for (const [key, holder] of this.locks) if (holder === txn.id) this.locks.delete(key);
    this.unlockWaiters.splice(0).forEach((resolve) => resolve());
  }
}

// ── installing it under the real SDK ─────────────────────────────────────────────────────────────

let current: CloudEmulator | null = null;
let installed = false;

/**
 * Loads the real `wx-server-sdk` with the emulator as its only transport, as in a cloud function
 * (`TENCENTCLOUD_RUNENV=SCF`, temporary credentials in the environment: without them the SDK's
 * un-awaited credential check rejects unhandled and kills Node 20). Returns the SDK's `cloud`,
 * initialised for the emulator's environment. Every call gives a fresh emulator behind the same SDK.
 */
export function cloudWithEmulator(): { cloud: unknown; emulator: CloudEmulator } {
  const emulator = new CloudEmulator();
  current = emulator;
  if (!installed) {
    Object.assign(process.env, {
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_SECRETID: 'emulator-secret-id',
      TENCENTCLOUD_SECRETKEY: 'emulator-secret-key',
      TENCENTCLOUD_SESSIONTOKEN: 'emulator-session-token',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      SCF_NAMESPACE: ENV_ID,
      TCB_ENV: ENV_ID,
      SILENCE: 'true',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const requestCore = require('@cloudbase/node-sdk/dist/utils/request-core') as { request: unknown };
    requestCore.request = (opts: Record<string, unknown>, callback: Parameters<CloudEmulator['handle']>[1]) => {
      if (!current) throw new Error('no cloud emulator installed');
      return current.handle(opts, callback);
    };
    installed = true;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as {
    init(options: Record<string, unknown>): void;
    DYNAMIC_CURRENT_ENV: unknown;
  };
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  return { cloud, emulator };
}
