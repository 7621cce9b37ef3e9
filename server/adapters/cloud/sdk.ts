/**
 * The part of wx-server-sdk the cloud adapters use, typed structurally (the SDK ships no types).
 * Entries pass the real `cloud` object; nothing here imports the SDK, so tests never reach it.
 */
export interface WxCommand {
  in(values: unknown[]): unknown;
  lt(value: unknown): unknown;
  lte(value: unknown): unknown;
  gt(value: unknown): unknown;
  gte(value: unknown): unknown;
  neq(value: unknown): unknown;
  /** Query operator: every condition holds (on a field: `_.and(_.gte(a), _.lte(b))`). */
  and(...conditions: unknown[]): unknown;
  /** Update operator: replace the field's value whole (objects are otherwise merged path by path). */
  set(value: unknown): unknown;
  /** Update operator: delete the field. */
  remove(): unknown;
  /** Aggregation operators (`db.command.aggregate`, the `$` of the SDK's examples). */
  aggregate: { sum(value: unknown): unknown };
}

/** An aggregation pipeline (`collection.aggregate()`): stages added in order, sent by `end()`. */
export interface WxAggregate {
  match(condition: Record<string, unknown>): WxAggregate;
  group(spec: Record<string, unknown>): WxAggregate;
  /** Without it the service answers 20 results at most (also from a cloud function); at most 10,000. */
  limit(n: number): WxAggregate;
  /** wx-server-sdk answers `{ list, errMsg }` (the underlying @cloudbase/database's `data`, renamed). */
  end(): Promise<{ list: unknown[] }>;
}

export interface WxQuery {
  where(condition: Record<string, unknown>): WxQuery;
  orderBy(field: string, order: 'asc' | 'desc'): WxQuery;
  skip(n: number): WxQuery;
  limit(n: number): WxQuery;
  /** Which fields come back (`true`: included; `_id` always comes). */
  field(projection: Record<string, boolean>): WxQuery;
  get(): Promise<{ data: unknown[] }>;
  count(): Promise<{ total: number }>;
  update(options: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>;
  remove(): Promise<{ stats: { removed: number } }>;
}

export interface WxCollection extends WxQuery {
  add(options: { data: Record<string, unknown> }): Promise<{ _id: string }>;
  aggregate(): WxAggregate;
}

/** A document inside `db.runTransaction`: reads and writes by id only. */
export interface WxTransactionDocument {
  get(): Promise<{ data: unknown }>;
  set(options: { data: Record<string, unknown> }): Promise<unknown>;
  remove(): Promise<unknown>;
}

export interface WxTransaction {
  collection(name: string): { doc(id: string): WxTransactionDocument };
}

/**
 * How the SDK rejects: a CloudSDKError with a numeric `errCode` (-502001 for every failed database
 * request, -501001 for service errors it has no number for, WeChat's errcode for open API refusals)
 * and the service's message in `errMsg`.
 */
export interface WxError {
  errCode?: number;
  errMsg?: string;
  /** A TcbError from @cloudbase/* that the SDK did not wrap (e.g. a conflict at commit). */
  code?: string;
  message?: string;
}

export interface WxDatabase {
  command: WxCommand;
  collection(name: string): WxCollection;
  runTransaction<R>(work: (transaction: WxTransaction) => Promise<R>, retries?: number): Promise<R>;
}

export interface WxCloud {
  DYNAMIC_CURRENT_ENV: unknown;
  init(options: { env: unknown }): void;
  /** `throwOnNotFound: false`: `doc(id).get()` answers `{ data: null }` instead of rejecting with a string. */
  database(config?: { throwOnNotFound?: boolean }): WxDatabase;
  getWXContext(): { OPENID?: string; APPID?: string; UNIONID?: string };
  getTempFileURL(options: {
    fileList: Array<string | { fileID: string; maxAge: number }>;
  }): Promise<{ fileList: Array<{ fileID: string; tempFileURL: string; status: number; errMsg?: string }> }>;
  uploadFile(options: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string }>;
  deleteFile(options: { fileList: string[] }): Promise<unknown>;
  downloadFile(options: { fileID: string }): Promise<{ fileContent: Buffer }>;
  openapi: Record<string, Record<string, (data: Record<string, unknown>) => Promise<unknown>>>;
}
