/**
 * Test helper: a function's action called in process, as the local cloud calls it (`invoke` with the caller the
 * platform names), for the handler suites. A reviewer's step carries the status (and version) the reviewer saw
 * (`asSeen`), as the reviewer page sends it.
 */
import { invoke, type Envelope, type FunctionDefinition } from '../../server/handlers/framework';
import type { Caller, Ports } from '../../server/ports';
import type { AppErrorShape } from '../../src/core/errors';
import { asSeen } from './review';
import { claimsFunction } from '../../server/handlers/claims';
import { paymentsFunction } from '../../server/handlers/payments';
import type { ClaimDoc } from '../../server/repositories/claims';
import type { DiskFiles } from '../../server/adapters/embedded/files';
import { requiredMaterialIds, uploadMaterials, validForm } from './fixtures';
import { callers } from './ports';

export interface Actions {
  /** The envelope, accepted or refused. */
  call(
    fn: FunctionDefinition,
    caller: Caller,
    action: string,
    payload: unknown,
    requestId?: string,
  ): Promise<Envelope<unknown>>;
  /** The answer's data; throws, naming the action and the error, if it was refused. */
  ok<T>(fn: FunctionDefinition, caller: Caller, action: string, payload: unknown, requestId?: string): Promise<T>;
  /** The refusal's error; throws if the action was accepted. */
  refused(fn: FunctionDefinition, caller: Caller, action: string, payload: unknown): Promise<AppErrorShape>;
}

/** Actions on the ports `portsNow()` returns at the time of each call (suites open new ports in `beforeEach`). */
export function actionsOn(portsNow: () => Ports): Actions {
  const call: Actions['call'] = async (fn, caller, action, payload, requestId) => {
    const ports = portsNow();
    const seen = await asSeen(ports.store, action, payload);
    const sent = action === 'settle' ? await withConfirmedFigure(fn, caller, ports, seen) : seen;
    return invoke(fn, { action, payload: sent, ...(requestId ? { requestId } : {}) }, caller, ports);
  };
  return {
    call,
    async ok<T>(fn: FunctionDefinition, caller: Caller, action: string, payload: unknown, requestId?: string) {
      const result = await call(fn, caller, action, payload, requestId);
      if (!result.ok) throw new Error(`${action} refused: ${JSON.stringify(result.error)}`);
      return result.data as T;
    },
    async refused(fn, caller, action, payload) {
      const result = await call(fn, caller, action, payload);
      if (result.ok) throw new Error(`${action} was not refused`);
      return result.error;
    },
  };
}

/**
 * 结算 as the reviewer page sends it: with the figure its 结算预估 showed (the claim read by the same caller just before),
 * unless the test names one. 0 where the page would show none (a claim not at 审核通过): the step is refused for that.
 */
export async function withConfirmedFigure(
  fn: FunctionDefinition,
  caller: Caller,
  ports: Ports,
  payload: unknown,
): Promise<unknown> {
  if (!payload || typeof payload !== 'object' || 'expectedPaidFen' in payload || !('id' in payload)) return payload;
  const read = await invoke(fn, { action: 'get', payload: { id: (payload as { id: unknown }).id } }, caller, ports);
  const preview = read.ok
    ? (read.data as { settlementPreview?: { totalPaid: number } | null }).settlementPreview
    : null;
  return { ...payload, expectedPaidFen: preview?.totalPaid ?? 0 };
}

/** 张三's claim filed from a valid form with every required photo: its id (a suite's usual first step). */
export async function filedClaim(ports: Ports & { files: DiskFiles }, requestId: string): Promise<string> {
  const form = validForm();
  const materials = await uploadMaterials(ports.files, callers.zhangsan.openid, requiredMaterialIds(form));
  const { ok } = actionsOn(() => ports);
  const { id } = await ok<{ id: string }>(
    claimsFunction,
    callers.zhangsan,
    'submit',
    { form: { ...form, materials } },
    requestId,
  );
  return id;
}

/**
 * 确认已支付 as the agency does it: the 复核-passed claims `ids` made into a payment batch by `caller`, its bank file
 * exported, the batch marked paid by `confirmer` — another staff member (a claim is never marked paid on its own, and who
 * made the batch does not confirm it). The batch number.
 */
export async function payThroughBatch(
  ports: Ports,
  caller: Caller,
  ids: readonly string[],
  confirmer: Caller = caller.openid === callers.reviewer.openid ? callers.reviewer2 : callers.reviewer,
): Promise<string> {
  const claims = await Promise.all(
    ids.map(async (id) => ({
      id,
      expectedVersion: (await ports.store.collection<ClaimDoc>('claims').get(id))!.version,
    })),
  );
  const made = await invoke(paymentsFunction, { action: 'createBatch', payload: { claims } }, caller, ports);
  if (!made.ok) throw new Error(`createBatch refused: ${JSON.stringify(made.error)}`);
  const { batchNo } = made.data as { batchNo: string };
  for (const [action, payload, by] of [
    ['export', { batchNo, format: 'csv' }, caller],
    ['markPaid', { batchNo, expectedStatus: 'open' }, confirmer],
  ] as const) {
    const answer = await invoke(paymentsFunction, { action, payload }, by, ports);
    if (!answer.ok) throw new Error(`${action} refused: ${JSON.stringify(answer.error)}`);
  }
  return batchNo;
}
