/**
 * The notification outbox. A status change appends an event to the claim and sets `notifyPending`
 * in the same single-document update (WeChat transactions cover one document), so no change is
 * ever without its notification. `drainOutbox` then, in two idempotent phases:
 *  1. turns each new event into an in-app card (`notifications`, id `<claim>-<seq>`: written at most
 *     once) and, where the status has a subscribe template, a pending message (`messages`, same id);
 *     then records `notifiedSeq` on the claim — without bumping its version, so reviewers see no conflict;
 *  2. delivers pending messages: spends one subscribe grant of the user for that template (counted
 *     per user and template: one tap → one grant → one message), sends, and marks the outcome.
 *     Transient failures give the grant back and retry with exponential backoff (30 s … 1 h, at most
 *     8 attempts); 43101 and other permanent refusals are recorded and never retried.
 *     A message is marked `sending` before it is sent: an instance frozen or killed mid-send leaves
 *     it there, never to be sent twice (at most once — the in-app card is the fallback).
 * Between the two, reminders due now (a draft's deadline near, 补件 or paper originals waiting) are
 * written the same way, once per claim and kind (`remind`).
 * Both phases work in slices: at most ENQUEUE_PAGES pages of 100 claims and MESSAGES_PER_DRAIN messages
 * per run, and they stop when the time left (`timeLeftMs`) falls below STOP_WITH_MS_LEFT, leaving the
 * rest for the next run.
 * Run by the `notify` function's timer trigger in the cloud and by a loop in the local server.
 */
import { MAX_PAGE_SIZE, StoreError, type Clock, type Collection, type Store } from '../ports';
import { getMany } from '../repositories/getMany';
import { permanentErrorCodes, type Notifier } from './notifier';

export interface OutboxEvent {
  seq: number;
  at: string;
  to: string;
  from?: string;
  action?: string;
  /** Who took the step (an openid): the claim's owner's own step is carded as read. */
  actor?: string;
}

export interface OutboxClaim {
  _id: string;
  _openid: string;
  version: number;
  events: OutboxEvent[];
  notifiedSeq: number;
  notifyPending: boolean;
}

export interface CardText {
  title: string;
  body: string;
  amountFen?: number;
  /** Present when a subscribe template exists for this status. */
  message?: { templateKey: string; data: Record<string, { value: string }> };
}

export interface NotificationDoc {
  _id: string;
  _openid: string;
  claimId: string;
  seq: number;
  status: string;
  title: string;
  body: string;
  amountFen: number | null;
  createdAt: string;
  read: boolean;
}

/** `sending`: handed to WeChat by a run that did not record the outcome (frozen or killed): never resent. */
export type MessageState = 'pending' | 'sending' | 'sent' | 'noGrant' | 'refused' | 'failed';

export interface MessageDoc {
  _id: string;
  _openid: string;
  claimId: string;
  templateKey: string;
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
  state: MessageState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  version: number;
  updatedAt: string;
}

export interface GrantDoc {
  _id: string; // `${openid}:${templateKey}`
  count: number;
  version: number;
}

export const MAX_ATTEMPTS = 8;

/** Messages one drain sends at most (each send is one open API call, ~100–500 ms). */
export const MESSAGES_PER_DRAIN = 20;

/** Pages of pending claims one drain cards at most (100 each): the rest, if any, in the next run. */
export const ENQUEUE_PAGES = 10;

/** A drain stops starting work when less time than this is left before the function's deadline. */
export const STOP_WITH_MS_LEFT = 4_000;

export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export interface OutboxDeps<C extends OutboxClaim> {
  store: Store;
  clock: Clock;
  notifier: Notifier;
  /** Template key → WeChat template id (from configuration); keys without an id send no message. */
  templateIds: Record<string, string | undefined>;
  describe(claim: C, event: OutboxEvent): CardText | null;
  /**
   * The fields of a claim `describe` reads (dotted paths reach into objects): the drain reads only
   * these and its own (`_openid`, `version`, `events`, `notifiedSeq`), not whole claims. Absent: whole claims.
   */
  describedFields?: readonly string[];
  /** The reminders due at `now` (each with an id naming its claim and kind); written by the same drain. */
  reminders?: (now: Date) => Promise<DueReminders>;
  /** Time left before the run must end (the cloud function's timeout); unlimited when absent. */
  timeLeftMs?: () => number;
  /** Pages of 100 pending claims one run cards at most (default ENQUEUE_PAGES). */
  enqueuePages?: number;
}

export interface DrainReport {
  cards: number;
  queued: number;
  sent: number;
  retried: number;
  noGrant: number;
  refused: number;
  failed: number;
  /** Reminder cards written by this run. */
  reminders: number;
  /** True when the run stopped for time or slice size with work left for the next run. */
  stoppedEarly: boolean;
}

async function insertOnce<T extends { _id: string }>(store: Store, collection: string, doc: T): Promise<boolean> {
  try {
    await store.collection<T>(collection).insert(doc);
    return true;
  } catch (error) {
    if (error instanceof StoreError && error.code === 'DUPLICATE_KEY') return false;
    throw error;
  }
}

export async function drainOutbox<C extends OutboxClaim>(deps: OutboxDeps<C>): Promise<DrainReport> {
  const report: DrainReport = {
    cards: 0,
    queued: 0,
    sent: 0,
    retried: 0,
    noGrant: 0,
    refused: 0,
    failed: 0,
    reminders: 0,
    stoppedEarly: false,
  };
  const backlogLeft = await enqueue(deps, report);
  if (!report.stoppedEarly && deps.reminders) await remind(deps, deps.reminders, report);
  if (!report.stoppedEarly) await deliver(deps, report);
  if (backlogLeft) report.stoppedEarly = true;
  return report;
}

/** Reminder cards due, and what to do once every one of them is written (a source's progress; not called when the run stops early). */
export interface DueReminders {
  cards: PendingCard[];
  done?: () => Promise<void>;
}

/** A card to write (and, where its text has a template with an id, a message to queue), both insert-once by `id`. */
export interface PendingCard {
  id: string;
  openid: string;
  claimId: string;
  /** The event's sequence number; 0 for a reminder. */
  seq: number;
  status: string;
  at: string;
  text: CardText;
  /** Written read: the claimant's own step (提交, 补件 answered, 撤回) is a receipt of it, not news. */
  read?: boolean;
}

async function emitCard<C extends OutboxClaim>(
  deps: OutboxDeps<C>,
  report: DrainReport,
  pending: PendingCard,
): Promise<boolean> {
  const card: NotificationDoc = {
    _id: pending.id,
    _openid: pending.openid,
    claimId: pending.claimId,
    seq: pending.seq,
    status: pending.status,
    title: pending.text.title,
    body: pending.text.body,
    amountFen: pending.text.amountFen ?? null,
    createdAt: pending.at,
    read: pending.read ?? false,
  };
  const written = await insertOnce(deps.store, 'notifications', card);
  if (written) report.cards += 1;
  const templateId = pending.text.message ? deps.templateIds[pending.text.message.templateKey] : undefined;
  if (pending.text.message && templateId) {
    const message: MessageDoc = {
      _id: pending.id,
      _openid: pending.openid,
      claimId: pending.claimId,
      templateKey: pending.text.message.templateKey,
      templateId,
      page: `claimant/pages/claim-detail/index?id=${pending.claimId}`,
      data: pending.text.message.data,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: deps.clock.now().toISOString(),
      lastError: null,
      version: 1,
      updatedAt: deps.clock.now().toISOString(),
    };
    if (await insertOnce(deps.store, 'messages', message)) report.queued += 1;
  }
  return written;
}

/**
 * Reminders: each is a card whose id names the claim and the kind, so it is written at most once
 * however often (or concurrently) the timer runs; those already written are skipped before any work.
 */
async function remind<C extends OutboxClaim>(
  deps: OutboxDeps<C>,
  source: (now: Date) => Promise<DueReminders>,
  report: DrainReport,
): Promise<void> {
  const cards = deps.store.collection<NotificationDoc>('notifications');
  const { cards: due, done } = await source(deps.clock.now());
  // Which are written already, asked 100 ids at a time (most are, on every run after the first: one
  // store call per reminder was up to 3,000 calls a run in the cloud).
  for (let start = 0; start < due.length; start += MAX_PAGE_SIZE) {
    if (outOfTime(deps, report)) return;
    const slice = due.slice(start, start + MAX_PAGE_SIZE);
    const written = await getMany(
      cards,
      slice.map((pending) => pending.id),
      ['claimId'],
    );
    for (const pending of slice) {
      if (written.has(pending.id)) continue;
      if (outOfTime(deps, report)) return;
      if (await emitCard(deps, report, pending)) report.reminders += 1;
    }
  }
  // Every card of this run is written: the next run reads on from where this one stopped.
  await done?.();
}

/** Cards the claims with new events; true when `enqueuePages` full pages left more for the next run. */
async function enqueue<C extends OutboxClaim>(deps: OutboxDeps<C>, report: DrainReport): Promise<boolean> {
  const claims = deps.store.collection<C>('claims');
  const fields = deps.describedFields
    ? ['_openid', 'version', 'events', 'notifiedSeq', ...deps.describedFields]
    : undefined;
  // Page after page while a whole page came back: a backlog (a payment batch marking hundreds paid) is carded in
  // this run, not 100 claims a run. A claim whose update lost to a status change comes back on a later page, its
  // cards already written (insert-once) — at most `enqueuePages` pages, so that cannot go on for ever.
  for (let page = 0; page < (deps.enqueuePages ?? ENQUEUE_PAGES); page += 1) {
    const pending = await claims.find({ notifyPending: true }, { limit: MAX_PAGE_SIZE, ...(fields ? { fields } : {}) });
    for (const claim of pending) {
      if (outOfTime(deps, report)) return false;
      await enqueueClaim(deps, report, claims, claim);
    }
    if (pending.length < MAX_PAGE_SIZE) return false;
  }
  return true;
}

async function enqueueClaim<C extends OutboxClaim>(
  deps: OutboxDeps<C>,
  report: DrainReport,
  claims: Collection<C>,
  claim: C,
): Promise<void> {
  const fresh = claim.events.filter((event) => event.seq > claim.notifiedSeq);
  for (const event of fresh) {
    const text = deps.describe(claim, event);
    if (!text) continue;
    await emitCard(deps, report, {
      id: `${claim._id}-${event.seq}`,
      openid: claim._openid,
      claimId: claim._id,
      seq: event.seq,
      status: event.to,
      at: event.at,
      text,
      read: event.actor === claim._openid,
    });
  }
  const lastSeq = claim.events.reduce((max, event) => Math.max(max, event.seq), claim.notifiedSeq);
  // Same version expected, version not bumped: a status change in between keeps notifyPending set.
  await claims.update(claim._id, { notifiedSeq: lastSeq, notifyPending: false } as Partial<C>, {
    expectVersion: claim.version,
  });
}

function outOfTime<C extends OutboxClaim>(deps: OutboxDeps<C>, report: DrainReport): boolean {
  if (!deps.timeLeftMs || deps.timeLeftMs() >= STOP_WITH_MS_LEFT) return false;
  report.stoppedEarly = true;
  return true;
}

async function takeGrant(store: Store, grantId: string): Promise<boolean> {
  const grants = store.collection<GrantDoc>('grants');
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const grant = await grants.get(grantId);
    if (!grant || grant.count <= 0) return false;
    if (
      await grants.update(
        grantId,
        { count: grant.count - 1, version: grant.version + 1 },
        { expectVersion: grant.version },
      )
    )
      return true;
  }
  return false;
}

export async function addGrants(store: Store, openid: string, templateKey: string, count: number): Promise<void> {
  const grants = store.collection<GrantDoc>('grants');
  const grantId = `${openid}:${templateKey}`;
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const grant = await grants.get(grantId);
    if (!grant) {
      if (await insertOnce(store, 'grants', { _id: grantId, count, version: 1 })) return;
      continue;
    }
    if (
      await grants.update(
        grantId,
        { count: grant.count + count, version: grant.version + 1 },
        { expectVersion: grant.version },
      )
    )
      return;
  }
  throw new StoreError('STORE_UNAVAILABLE', 'grant update kept conflicting');
}

async function deliver<C extends OutboxClaim>(deps: OutboxDeps<C>, report: DrainReport): Promise<void> {
  const messages = deps.store.collection<MessageDoc>('messages');
  const now = deps.clock.now();
  const due = await messages.find(
    { state: 'pending', nextAttemptAt: { $lte: now.toISOString() } },
    { sort: { nextAttemptAt: 1 }, limit: 100 },
  );
  for (const [index, message] of due.entries()) {
    if (index >= MESSAGES_PER_DRAIN) {
      report.stoppedEarly = true;
      return;
    }
    if (outOfTime(deps, report)) return;
    // Lease: bump the version first, so two drainers never send the same message; until the
    // outcome is recorded the message is `sending`, so a run killed after the send never repeats it.
    const leased = { state: 'sending' as const, version: message.version + 1, updatedAt: now.toISOString() };
    if (!(await messages.update(message._id, leased, { expectVersion: message.version }))) continue;
    const version = leased.version;
    const grantId = `${message._openid}:${message.templateKey}`;
    if (!(await takeGrant(deps.store, grantId))) {
      await messages.update(message._id, { state: 'noGrant', version: version + 1 }, { expectVersion: version });
      report.noGrant += 1;
      continue;
    }
    const outcome = await deps.notifier.send({
      touser: message._openid,
      templateId: message.templateId,
      page: message.page,
      data: message.data,
    });
    if (outcome.ok) {
      await messages.update(
        message._id,
        { state: 'sent', attempts: message.attempts + 1, lastError: null, version: version + 1 },
        { expectVersion: version },
      );
      report.sent += 1;
      continue;
    }
    const attempts = message.attempts + 1;
    const lastError = `${outcome.errCode} ${outcome.errMsg}`.slice(0, 200);
    if (permanentErrorCodes.has(outcome.errCode)) {
      // 43101: the grant was not there after all (the user refused or spent it): do not give it back.
      await messages.update(
        message._id,
        { state: 'refused', attempts, lastError, version: version + 1 },
        { expectVersion: version },
      );
      report.refused += 1;
      continue;
    }
    await addGrants(deps.store, message._openid, message.templateKey, 1);
    if (attempts >= MAX_ATTEMPTS) {
      await messages.update(
        message._id,
        { state: 'failed', attempts, lastError, version: version + 1 },
        { expectVersion: version },
      );
      report.failed += 1;
      continue;
    }
    const nextAttemptAt = new Date(now.getTime() + backoffMs(attempts)).toISOString();
    await messages.update(
      message._id,
      { state: 'pending', attempts, lastError, nextAttemptAt, version: version + 1 },
      { expectVersion: version },
    );
    report.retried += 1;
  }
}
