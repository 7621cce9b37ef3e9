/**
 * The `claims` function: what a claimant does with their own claims.
 */
import * as z from 'zod';
import { claimDraftInputSchema, claimIdSchema, pageInputSchema, type ClaimSummary, type Page } from '../../src/core/contracts/claimDraft';
import { DomainError } from '../../src/core/errors';
import { StoreError } from '../ports';
import { claimsOf, newClaimId, toSummary, type ClaimDoc } from '../repositories/claims';
import { defineAction, type ActionContext, type FunctionDefinition } from './framework';

async function ownClaim(context: ActionContext, id: string): Promise<ClaimDoc> {
  const claim = await claimsOf(context.store).get(id);
  if (!claim) throw new DomainError('NOT_FOUND', '没有找到这份报销申请');
  if (claim._openid !== context.caller.openid) throw new DomainError('FORBIDDEN', '这份报销申请不属于您，无法查看或修改');
  return claim;
}

export const claimsFunction: FunctionDefinition = {
  createDraft: defineAction({
    input: claimDraftInputSchema,
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      const claims = claimsOf(context.store);
      const requestId = context.requestId ?? newClaimId();
      if (context.requestId) {
        const [earlier] = await claims.find({ _openid: context.caller.openid, requestId }, { limit: 1 });
        if (earlier) return toSummary(earlier);
      }
      const now = context.clock.now().toISOString();
      const doc: ClaimDoc = {
        _id: newClaimId(),
        _openid: context.caller.openid,
        requestId,
        title: input.title,
        amountFen: input.amountFen,
        status: 'draft',
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      try {
        return toSummary(await claims.insert(doc));
      } catch (error) {
        // A concurrent retry with the same request id got there first: answer with its claim.
        if (error instanceof StoreError && error.code === 'DUPLICATE_KEY') {
          const [winner] = await claims.find({ _openid: context.caller.openid, requestId }, { limit: 1 });
          if (winner) return toSummary(winner);
        }
        throw error;
      }
    },
  }),

  listMine: defineAction({
    input: pageInputSchema,
    roles: ['claimant'],
    async run(context, input): Promise<Page<ClaimSummary>> {
      const claims = claimsOf(context.store);
      const filter = { _openid: context.caller.openid };
      const [docs, total] = await Promise.all([
        claims.find(filter, { sort: { updatedAt: -1 }, skip: (input.page - 1) * input.pageSize, limit: input.pageSize }),
        claims.count(filter),
      ]);
      return { items: docs.map(toSummary), page: input.page, pageSize: input.pageSize, total };
    },
  }),

  get: defineAction({
    input: z.strictObject({ id: claimIdSchema }),
    roles: ['claimant'],
    async run(context, input): Promise<ClaimSummary> {
      return toSummary(await ownClaim(context, input.id));
    },
  }),
};
