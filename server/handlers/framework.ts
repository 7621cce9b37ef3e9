/**
 * How a cloud function is described and invoked, the same in WeChat cloud and in the local server:
 * a function is a set of actions; each action declares its zod input schema and who may call it.
 * `invoke` validates the envelope and the payload, checks the caller, runs the action and turns
 * every outcome into one envelope: `{ ok: true, data }` or `{ ok: false, error: { code, message } }`.
 * Nothing escapes as an exception, and no English or stack trace reaches the caller.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { DomainError, isDomainError, type AppErrorShape } from '../../src/core/errors';
import { parseParams, zodIssues } from '../../src/core/validation';
import { StoreError, type Caller, type Ports, type Role } from '../ports';

export interface ActionContext extends Ports {
  caller: Caller;
  /** Client-chosen id that makes a mutation idempotent (a retry after a timeout repeats it, not the effect). */
  requestId: string | undefined;
  /** What the request asked: a digest of its action and payload as sent (`requestDigestOf`). */
  requestDigest?: string;
}

/** JSON with every object's keys sorted: the same content whatever order a client wrote its keys in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A digest of a request's action and payload: a retry sends the same, another request under the same id does not. Keys
 * in any order are the same request (a probe's retry with its keys reordered was refused REQUEST_ID_REUSED).
 */
export function requestDigestOf(action: string, payload: unknown): string {
  return createHash('sha256')
    .update(`${action}\u0000${canonicalJson(payload ?? {})}`)
    .digest('hex')
    .slice(0, 16);
}

export interface ActionDefinition<S extends z.ZodType, R> {
  input: S;
  /** Roles that may call this action; 'claimant' means any signed-in person. */
  roles: Role[];
  run(context: ActionContext, input: z.output<S>): Promise<R>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- heterogeneous action table, each entry typed at definition
export type FunctionDefinition = Record<string, ActionDefinition<any, unknown>>;

export function defineAction<S extends z.ZodType, R>(definition: ActionDefinition<S, R>): ActionDefinition<S, R> {
  return definition;
}

export const requestEnvelopeSchema = z.strictObject({
  action: z.string().min(1).max(64),
  payload: z.unknown().optional(),
  requestId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式不正确')
    .optional(),
});

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: AppErrorShape };

/** HTTP status for an error code, used by the local server (cloud functions always "succeed" with an envelope). */
export const httpStatusOf: Record<string, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNKNOWN_ACTION: 404,
  UNKNOWN_FUNCTION: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  ROLE_FORBIDDEN: 403,
  NOT_OWNER: 403,
  SELF_REVIEW: 403,
  FOUR_EYES: 403,
  RETIRE_NOT_REQUESTED: 409,
  // 复核生效 / 撤回 of a year's holiday arrangement nobody entered (or already in force, or withdrawn).
  CALENDAR_NOT_PROPOSED: 409,
  REQUEST_ID_REUSED: 409,
  FILE_FORBIDDEN: 403,
  TRANSITION_NOT_ALLOWED: 409,
  // 重新提交 of a claim whose copy was filed already: the answer names the copy.
  ALREADY_REFILED: 409,
  ORIGINALS_NOT_RECEIVED: 409,
  ORIGINALS_CHANGED_TOO_OFTEN: 409,
  NOT_FOUND: 404,
  CONFLICT: 409,
  BATCH_ALREADY_PAID: 409,
  BATCH_NOT_EXPORTED: 409,
  // 结算 of another figure than the one the reviewer confirmed (the person's year moved meanwhile).
  SETTLEMENT_CHANGED: 409,
  // 复核退回 of a settlement with a later one on the ledger (server/ledger.ts): the state stands in the way.
  LATER_SETTLEMENTS: 409,
  BUSY: 503,
  SERVER_RESTARTING: 503,
  DUPLICATE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UPLOAD_LIMIT_REACHED: 429,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED_FILE_TYPE: 415,
  EMPTY_FILE: 400,
  INCOMPLETE_PHOTO: 422,
  PHOTO_TOO_LARGE: 413,
  DEV_LOGIN_DISABLED: 403,
  INTERNAL: 500,
};

export function statusForError(code: string): number {
  return httpStatusOf[code] ?? 422;
}

export interface InvokeOptions {
  /** Called with unexpected errors (never shown to the caller). */
  onUnexpected?: (error: unknown) => void;
}

export async function invoke(
  definition: FunctionDefinition,
  request: unknown,
  caller: Caller | null,
  ports: Ports,
  options: InvokeOptions = {},
): Promise<Envelope<unknown>> {
  try {
    const envelope = requestEnvelopeSchema.safeParse(request, parseParams);
    if (!envelope.success) {
      throw new DomainError('BAD_REQUEST', '请求格式不正确', { issues: zodIssues(envelope.error) });
    }
    const { action, payload, requestId } = envelope.data;
    const actionDefinition = Object.prototype.hasOwnProperty.call(definition, action) ? definition[action] : undefined;
    // The name is not echoed: it is the caller's text (a probe sent NUL and lone surrogates).
    if (!actionDefinition) throw new DomainError('UNKNOWN_ACTION', '不支持这个操作，请把小程序更新到最新版本后再试');
    if (!caller) throw new DomainError('UNAUTHENTICATED', '请先登录');
    const allowed = actionDefinition.roles.some((role) => role === 'claimant' || caller.roles.includes(role));
    if (!allowed) throw new DomainError('FORBIDDEN', '您没有权限进行此操作');
    const parsed = actionDefinition.input.safeParse(payload ?? {}, parseParams);
    if (!parsed.success) {
      throw new DomainError('VALIDATION_FAILED', '填写的内容有误，请按提示修改', { issues: zodIssues(parsed.error) });
    }
    const data = await actionDefinition.run(
      { ...ports, caller, requestId, requestDigest: requestDigestOf(action, payload) },
      parsed.data,
    );
    return { ok: true, data };
  } catch (error) {
    if (isDomainError(error)) return { ok: false, error: error.toJSON() };
    if (error instanceof StoreError && error.code === 'DUPLICATE_KEY') {
      return { ok: false, error: { code: 'CONFLICT', message: '数据已存在或已被修改，请刷新后重试' } };
    }
    if (error instanceof StoreError && error.code === 'TRANSACTION_CONFLICT') {
      // Nothing was written: the transaction kept meeting other writes to the same records.
      return { ok: false, error: { code: 'BUSY', message: '同一时间办理的人较多，这次没有保存。请稍等几秒再试一次' } };
    }
    options.onUnexpected?.(error);
    return { ok: false, error: { code: 'INTERNAL', message: '服务暂时出了点问题，请稍后再试' } };
  }
}
