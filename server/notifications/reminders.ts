/**
 * Which reminders are due (src/core/notifications `reminderKinds`), as cards for the outbox to write
 * once each: the card id names the claim and the kind (for 补件, the request it concerns), so a
 * reminder is never written twice, however often the `notify` timer runs.
 *   - a draft whose filing deadline is ≤ 30 days away (deadline30) and again at ≤ 7 days (deadline7);
 *   - a 补件 request unanswered for 3 days (supplement3, once per request);
 *   - paper originals neither recorded as sent nor received 7 days after filing (originals7).
 * Each query reads its claims page after page (at most REMINDER_PAGES of 100 a run): with more claims
 * waiting than one page, the first 100 — the farthest deadline, the oldest 补件 request, the earliest
 * filing, each already reminded — hid every claim after them, the most urgent among them. And each run
 * goes on where the last one stopped (a cursor per query in `jobs`, moved once the run's cards are
 * written): reading the same first 1,000 every run, claims after them were never reached.
 *   - 补件 requests and claims awaiting originals come in time order, each due once it is old enough,
 *     so their cursor only moves forward: past it, every claim has been reminded, and a run reads only
 *     the claims that have come of age since (one `find` when none has);
 *   - drafts by deadline, one cursor for each reminder (a draft needs two), and one more for drafts
 *     written since (a new draft may have an earlier deadline than the cursors have reached).
 */
import { shanghaiDate } from '../../src/core/deadline';
import { materialDefinitions, type MaterialId } from '../../src/core/materials';
import { reminderCard, type ReminderKind } from '../../src/core/notifications';
import type { Store } from '../ports';
import { JOBS } from '../claims/dashboardFacts';
import { originalsToSend, type ClaimDoc } from '../repositories/claims';
import { fromCursor, type CursorDoc, type Scanned } from '../repositories/cursorScan';
import type { DueReminders, PendingCard } from './outbox';

const DAY_MS = 86_400_000;
export const DEADLINE_FAR_DAYS = 30;
export const DEADLINE_NEAR_DAYS = 7;
export const SUPPLEMENT_WAIT_DAYS = 3;
export const ORIGINALS_WAIT_DAYS = 7;
/** How old a draft's last write is before the drafts' cursor reads past it: longer than any transaction lasts. */
export const DRAFT_SETTLED_MS = 10 * 60_000;
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

/** Where a reminder query stopped (kept for the bench, which sets the cursors of a large store). */
export type ReminderCursorDoc = CursorDoc;

/**
 * A reminder query over the claims (server/repositories/cursorScan.ts), reading what the reminder's card reads
 * (`pending`, `reminderCard`) besides `fields`: not the 6–7 KB of a whole claim.
 */
const claimsFromCursor = (
  store: Store,
  now: Date,
  query: Omit<Parameters<typeof fromCursor<ClaimDoc>>[2], 'collection' | 'pages'>,
): Promise<Scanned<ClaimDoc>> =>
  fromCursor<ClaimDoc>(store, now, {
    ...query,
    collection: 'claims',
    fields: ['_openid', 'status', 'title', ...query.fields],
    pages: REMINDER_PAGES,
  });

/** One kind of reminder: the cards due, and where its queries' cursors go once they are written (those that moved). */
interface ReminderScan {
  cards: PendingCard[];
  cursors: CursorDoc[];
}

/**
 * Drafts near their filing deadline, each read once per reminder: one cursor by deadline reaches each draft as its
 * deadline comes within 30 days, another as it comes within 7 (both start again at today once today has passed
 * them). Before, one query went round and round the drafts due within 30 days, every run reading up to 1,000 drafts
 * already reminded (and asking which cards were written) for ever. A draft written after a cursor passed its
 * deadline (a new draft for an old bill, a corrected date) is read by a third cursor, over drafts by when they were
 * last written, once they are DRAFT_SETTLED_MS old: a write whose transaction had not committed when a run read past
 * its time would otherwise be passed for good.
 */
async function deadlineReminders(store: Store, now: Date): Promise<ReminderScan> {
  const today = shanghaiDate(now);
  const within = (days: number): string => shanghaiDate(new Date(now.getTime() + days * DAY_MS));
  const byDeadline = (job: string, days: number): Promise<Scanned<ClaimDoc>> =>
    claimsFromCursor(store, now, {
      job,
      filter: { status: 'draft' },
      field: 'filingDeadline',
      fields: [],
      start: today,
      upTo: within(days),
      valuesShared: true,
    });
  const settled = new Date(now.getTime() - DRAFT_SETTLED_MS).toISOString();
  const scans = [
    await byDeadline('reminders.deadline30', DEADLINE_FAR_DAYS),
    await byDeadline('reminders.deadline7', DEADLINE_NEAR_DAYS),
    // With no cursor yet, the two above read every draft due from today: only drafts written from now on are new.
    await claimsFromCursor(store, now, {
      job: 'reminders.drafts',
      filter: { status: 'draft' },
      field: 'updatedAt',
      fields: ['filingDeadline'],
      start: '',
      initial: settled,
      upTo: settled,
    }),
  ];
  const cards = new Map<string, PendingCard>();
  for (const doc of scans.flatMap((scan) => scan.docs)) {
    if (!doc.filingDeadline) continue;
    const daysLeft = dayNumber(doc.filingDeadline) - dayNumber(today);
    if (daysLeft < 0 || daysLeft > DEADLINE_FAR_DAYS) continue;
    const kind: ReminderKind = daysLeft <= DEADLINE_NEAR_DAYS ? 'deadline7' : 'deadline30';
    const card = pending(doc, kind, now, { title: doc.title, deadline: doc.filingDeadline, daysLeft });
    cards.set(card.id, card);
  }
  return { cards: [...cards.values()], cursors: scans.flatMap((scan) => (scan.cursor ? [scan.cursor] : [])) };
}

async function supplementReminders(store: Store, now: Date): Promise<ReminderScan> {
  // A request sets `updatedAt`, and nothing sets it earlier later: a claim last updated 3 days ago or more has its
  // newest request 3 days old or more. Past the cursor, every such claim has been read (a claim updated since comes
  // after it again).
  const due = new Date(now.getTime() - SUPPLEMENT_WAIT_DAYS * DAY_MS).toISOString();
  const { docs, cursor } = await claimsFromCursor(store, now, {
    job: 'reminders.supplement',
    filter: { status: 'supplementRequested' },
    field: 'updatedAt',
    fields: ['events', 'requestedMaterials'],
    start: '',
    upTo: due,
  });
  const cards: PendingCard[] = [];
  for (const doc of docs) {
    const request = [...doc.events].reverse().find((event) => event.action === 'requestSupplement');
    if (!request || now.getTime() - new Date(request.at).getTime() < SUPPLEMENT_WAIT_DAYS * DAY_MS) continue;
    const materials = doc.requestedMaterials.map((id: MaterialId) => materialDefinitions[id]?.label ?? id);
    cards.push(pending(doc, 'supplement3', now, { title: doc.title, materials }, request.seq));
  }
  return { cards, cursors: cursor ? [cursor] : [] };
}

async function originalsReminders(store: Store, now: Date): Promise<ReminderScan> {
  // Only claims whose sending is not recorded (index originalsSentAt + submittedAt), in filing order: the drain runs
  // every few seconds, and without these a store of 100,000 filed claims was scanned each time (6.8 s, the server
  // blocked). Filing times only grow, so past the cursor every claim filed 7 days ago or more has been read.
  const cutoff = new Date(now.getTime() - ORIGINALS_WAIT_DAYS * DAY_MS).toISOString();
  const { docs, cursor } = await claimsFromCursor(store, now, {
    job: 'reminders.originals',
    filter: {
      originalsSentAt: null,
      paperOriginalsRequired: true,
      paperOriginalsReceived: false,
      status: { $in: ['submitted', 'preliminaryPassed', 'reviewPassed', 'supplementRequested'] },
    },
    field: 'submittedAt',
    fields: ['paperOriginalsRequired', 'paperOriginalsReceived', 'originalsSentAt', 'mailCode'],
    start: '',
    upTo: cutoff,
  });
  const cards = docs
    .filter(
      (doc) =>
        originalsToSend(doc) &&
        doc.submittedAt !== null &&
        now.getTime() - new Date(doc.submittedAt).getTime() >= ORIGINALS_WAIT_DAYS * DAY_MS,
    )
    .map((doc) =>
      pending(doc, 'originals7', now, { title: doc.title, ...(doc.mailCode ? { mailCode: doc.mailCode } : {}) }),
    );
  return { cards, cursors: cursor ? [cursor] : [] };
}

/** The reminders due at `now` (the outbox skips those already written), and `done`: moves each query's cursor on, once they are written. */
export async function dueReminders(store: Store, now: Date): Promise<DueReminders> {
  const scans = [
    await deadlineReminders(store, now),
    await supplementReminders(store, now),
    await originalsReminders(store, now),
  ];
  const moved = scans.flatMap((scan) => scan.cursors);
  return {
    cards: scans.flatMap((scan) => scan.cards),
    // Nothing written when no cursor moved (most runs, once the backlog is through).
    done: async () => {
      if (moved.length === 0) return;
      await store.transaction(async (tx) => {
        for (const cursor of moved) await tx.set<CursorDoc>(JOBS, cursor);
      });
    },
  };
}
