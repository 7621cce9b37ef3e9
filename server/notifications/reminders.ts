/**
 * Which reminders are due (src/core/notifications `reminderKinds`), as cards for the outbox to write
 * once each: the card id names the claim and the kind (for 补件, the request it concerns), so a
 * reminder is never written twice, however often the `notify` timer runs.
 *   - a draft whose filing deadline is ≤ 30 days away (deadline30) and again at ≤ 7 days (deadline7);
 *   - a 补件 request unanswered for 3 days (supplement3, once per request);
 *   - paper originals neither recorded as sent nor received 7 days after filing (originals7).
 * Each query reads its claims page after page (at most REMINDER_PAGES of 100 a run): with more claims
 * waiting than one page, the first 100 — the farthest deadline, the oldest 补件 request, the earliest
 * filing, each already reminded — hid every claim after them, the most urgent among them.
 */
import { shanghaiDate } from '../../src/core/deadline';
import { materialDefinitions, type MaterialId } from '../../src/core/materials';
import { reminderCard, type ReminderKind } from '../../src/core/notifications';
import { MAX_PAGE_SIZE, type Filter, type Store } from '../ports';
import { claimsOf, originalsToSend, type ClaimDoc } from '../repositories/claims';
import type { PendingCard } from './outbox';

const DAY_MS = 86_400_000;
export const DEADLINE_FAR_DAYS = 30;
export const DEADLINE_NEAR_DAYS = 7;
export const SUPPLEMENT_WAIT_DAYS = 3;
export const ORIGINALS_WAIT_DAYS = 7;
/** Pages of 100 claims each reminder query reads at most in one run. */
export const REMINDER_PAGES = 10;

const dayNumber = (day: string): number =>
  Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;

export function reminderId(claimId: string, kind: ReminderKind, seq?: number): string {
  return `${claimId}-r-${kind}${seq === undefined ? '' : `-${seq}`}`;
}

function pending(
  doc: ClaimDoc,
  kind: ReminderKind,
  at: Date,
  facts: Parameters<typeof reminderCard>[1],
  seq?: number,
): PendingCard {
  return {
    id: reminderId(doc._id, kind, seq),
    openid: doc._openid,
    claimId: doc._id,
    seq: 0,
    status: doc.status,
    at: at.toISOString(),
    text: reminderCard(kind, facts),
  };
}

/**
 * The claims `filter` matches in the order of `field` (then id, so that pages never overlap), page
 * after page until `past` says a claim is beyond what is wanted or REMINDER_PAGES pages are read.
 */
async function inOrder(
  store: Store,
  filter: Filter,
  field: 'filingDeadline' | 'updatedAt' | 'submittedAt',
  fields: ReadonlyArray<keyof ClaimDoc>,
  past: (doc: ClaimDoc) => boolean = () => false,
): Promise<ClaimDoc[]> {
  const found: ClaimDoc[] = [];
  for (let page = 0; page < REMINDER_PAGES; page += 1) {
    const batch = await claimsOf(store).find(filter, {
      sort: { [field]: 1, _id: 1 },
      skip: page * MAX_PAGE_SIZE,
      limit: MAX_PAGE_SIZE,
      // What the reminder's card reads (`pending`, `reminderCard`): not the 6–7 KB of a whole claim.
      fields: ['_openid', 'status', 'title', ...fields],
    });
    const wanted = batch.filter((doc) => !past(doc));
    found.push(...wanted);
    if (batch.length < MAX_PAGE_SIZE || wanted.length < batch.length) break;
  }
  return found;
}

async function deadlineReminders(store: Store, now: Date): Promise<PendingCard[]> {
  const today = shanghaiDate(now);
  const horizon = shanghaiDate(new Date(now.getTime() + DEADLINE_FAR_DAYS * DAY_MS));
  // Nearest deadline first, from today to the horizon.
  const drafts = await inOrder(
    store,
    { status: 'draft', filingDeadline: { $gte: today } },
    'filingDeadline',
    ['filingDeadline'],
    (doc) => (doc.filingDeadline ?? '') > horizon,
  );
  const cards: PendingCard[] = [];
  for (const doc of drafts) {
    if (!doc.filingDeadline) continue;
    const daysLeft = dayNumber(doc.filingDeadline) - dayNumber(today);
    if (daysLeft < 0 || daysLeft > DEADLINE_FAR_DAYS) continue;
    const kind: ReminderKind = daysLeft <= DEADLINE_NEAR_DAYS ? 'deadline7' : 'deadline30';
    cards.push(pending(doc, kind, now, { title: doc.title, deadline: doc.filingDeadline, daysLeft }));
  }
  return cards;
}

async function supplementReminders(store: Store, now: Date): Promise<PendingCard[]> {
  const waiting = await inOrder(store, { status: 'supplementRequested' }, 'updatedAt', [
    'events',
    'requestedMaterials',
  ]);
  const cards: PendingCard[] = [];
  for (const doc of waiting) {
    const request = [...doc.events].reverse().find((event) => event.action === 'requestSupplement');
    if (!request || now.getTime() - new Date(request.at).getTime() < SUPPLEMENT_WAIT_DAYS * DAY_MS) continue;
    const materials = doc.requestedMaterials.map((id: MaterialId) => materialDefinitions[id]?.label ?? id);
    cards.push(pending(doc, 'supplement3', now, { title: doc.title, materials }, request.seq));
  }
  return cards;
}

async function originalsReminders(store: Store, now: Date): Promise<PendingCard[]> {
  // Only claims whose sending is not recorded and filed long enough ago (index originalsSentAt + submittedAt): the drain
  // runs every few seconds, and without these a store of 100,000 filed claims was scanned each time (6.8 s, the server
  // blocked) while the same 100 oldest claims, their originals sent, hid every later one.
  const cutoff = new Date(now.getTime() - ORIGINALS_WAIT_DAYS * DAY_MS).toISOString();
  const awaited = await inOrder(
    store,
    {
      originalsSentAt: null,
      submittedAt: { $lte: cutoff },
      paperOriginalsRequired: true,
      paperOriginalsReceived: false,
      status: { $in: ['submitted', 'preliminaryPassed', 'reviewPassed', 'supplementRequested'] },
    },
    'submittedAt',
    ['submittedAt', 'paperOriginalsRequired', 'paperOriginalsReceived', 'originalsSentAt', 'mailCode'],
  );
  return awaited
    .filter(
      (doc) =>
        originalsToSend(doc) &&
        doc.submittedAt !== null &&
        now.getTime() - new Date(doc.submittedAt).getTime() >= ORIGINALS_WAIT_DAYS * DAY_MS,
    )
    .map((doc) =>
      pending(doc, 'originals7', now, { title: doc.title, ...(doc.mailCode ? { mailCode: doc.mailCode } : {}) }),
    );
}

/** Every reminder due at `now` (the outbox skips those already written). */
export async function dueReminders(store: Store, now: Date): Promise<PendingCard[]> {
  return [
    ...(await deadlineReminders(store, now)),
    ...(await supplementReminders(store, now)),
    ...(await originalsReminders(store, now)),
  ];
}
