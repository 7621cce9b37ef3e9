/** The `notifications` function: a claimant's in-app cards (消息) and the subscribe grants they gave. */
import * as z from 'zod';
import type { Page } from '../../src/core/contracts/claimDraft';
import { pageInputSchema } from '../../src/core/contracts/claimDraft';
import type { NotificationCard } from '../../src/core/contracts/views';
import { DomainError } from '../../src/core/errors';
import { addGrants, type NotificationDoc } from '../notifications/outbox';
import type { Collection, FindOptions } from '../ports';
import { getMany } from '../repositories/getMany';
import { subscribeTemplateKeys, type SubscribeTemplateKey } from '../notifications/templates';
import { defineAction, type FunctionDefinition } from './framework';

const toCard = (doc: NotificationDoc): NotificationCard => ({
  id: doc._id,
  claimId: doc.claimId,
  status: doc.status,
  title: doc.title,
  body: doc.body,
  amountFen: doc.amountFen,
  createdAt: doc.createdAt,
  read: doc.read,
});

/** The unread among `docs` marked read in one write (a round trip in the WeChat cloud, whatever their number). */
async function markUnreadRead(cards: Collection<NotificationDoc>, docs: readonly NotificationDoc[]): Promise<number> {
  const unread = docs.filter((card) => !card.read).map((card) => card._id);
  if (unread.length === 0) return 0;
  return cards.updateWhere({ _id: { $in: unread }, read: false }, { read: true });
}

const subscribeResultSchema = z.enum(['accept', 'reject', 'ban', 'filter']);

/**
 * One optional answer per template key, nothing else: a strict object refuses every other key,
 * `__proto__` included (a record schema silently dropped it and answered 200).
 */
const subscribeResultsSchema = z.strictObject(
  Object.fromEntries(subscribeTemplateKeys.map((key) => [key, subscribeResultSchema.optional()])) as Record<
    SubscribeTemplateKey,
    z.ZodOptional<typeof subscribeResultSchema>
  >,
);

export const notificationsFunction: FunctionDefinition = {
  list: defineAction({
    input: pageInputSchema,
    roles: ['claimant'],
    async run(context, input): Promise<Page<NotificationCard> & { unread: number }> {
      const cards = context.store.collection<NotificationDoc>('notifications');
      const mine = { _openid: context.caller.openid };
      // Cards made at one instant are ordered by id, so a page boundary between them neither repeats nor drops one.
      const page: FindOptions = {
        sort: { createdAt: -1, _id: -1 },
        skip: (input.page - 1) * input.pageSize,
        limit: input.pageSize,
      };
      if (input.page === 1) {
        const docs = await cards.find(mine, page);
        // A first page that is not full is every card: its length is the total and its unread ones the unread
        // (one round trip, not three).
        if (docs.length < input.pageSize)
          return {
            items: docs.map(toCard),
            page: 1,
            pageSize: input.pageSize,
            total: docs.length,
            unread: docs.filter((doc) => !doc.read).length,
          };
        const [total, unread] = await Promise.all([cards.count(mine), cards.count({ ...mine, read: false })]);
        return { items: docs.map(toCard), page: 1, pageSize: input.pageSize, total, unread };
      }
      const [docs, total, unread] = await Promise.all([
        cards.find(mine, page),
        cards.count(mine),
        cards.count({ ...mine, read: false }),
      ]);
      return { items: docs.map(toCard), page: input.page, pageSize: input.pageSize, total, unread };
    },
  }),

  unreadCount: defineAction({
    input: z.strictObject({}),
    roles: ['claimant'],
    async run(context): Promise<{ unread: number }> {
      return {
        unread: await context.store.collection('notifications').count({ _openid: context.caller.openid, read: false }),
      };
    },
  }),

  /** The cards named, read in one call; another claimant's card among them refuses them all before any is marked. */
  markRead: defineAction({
    input: z.strictObject({
      ids: z
        .array(z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, '消息编号格式不正确'))
        .min(1)
        .max(100),
    }),
    roles: ['claimant'],
    async run(context, input): Promise<{ updated: number }> {
      const cards = context.store.collection<NotificationDoc>('notifications');
      const found = await getMany(cards, input.ids, ['_openid', 'read']);
      const named = [...found.values()];
      if (named.some((card) => card._openid !== context.caller.openid))
        throw new DomainError('FORBIDDEN', '这条消息不属于您');
      return { updated: await markUnreadRead(cards, named) };
    },
  }),

  /** 全部标为已读: every unread card of the caller, those the page has not loaded too. */
  markAllRead: defineAction({
    input: z.strictObject({}),
    roles: ['claimant'],
    async run(context): Promise<{ updated: number }> {
      const cards = context.store.collection<NotificationDoc>('notifications');
      // One write, however many cards: the query names the caller's unread ones, each marked where it is.
      return { updated: await cards.updateWhere({ _openid: context.caller.openid, read: false }, { read: true }) };
    },
  }),

  /** What wx.requestSubscribeMessage answered at the tap: each 'accept' is one message we may send. */
  recordSubscriptions: defineAction({
    input: z.strictObject({ results: subscribeResultsSchema }),
    roles: ['claimant'],
    async run(context, input): Promise<{ granted: string[] }> {
      const granted: string[] = [];
      // The template keys drive the loop (never the keys that came in), read as own properties only.
      for (const key of subscribeTemplateKeys) {
        const result = Object.hasOwn(input.results, key) ? input.results[key] : undefined;
        if (result !== 'accept') continue;
        await addGrants(context.store, context.caller.openid, key, 1);
        granted.push(key);
      }
      return { granted };
    },
  }),
};
