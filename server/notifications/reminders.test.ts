/**
 * Reminders when more claims wait than one page of the store holds: none is hidden behind the first 100
 * (the most urgent deadline, the newest 补件 request, the latest claim awaiting its originals), nor behind
 * the first 1,000 a run reads: the next run goes on where the last one stopped.
 */
import { countingCalls, embeddedPorts, FixedClock, withMethods } from '../../test/support/ports';
import { drainWith } from '../handlers/notify';
import type { Store, StoredDoc } from '../ports';
import { newClaimDoc, type ClaimDoc } from '../repositories/claims';
import { RecordingNotifier } from './notifier';
import type { NotificationDoc } from './outbox';
import { localTemplateIds } from './templates';
import { DRAFT_SETTLED_MS, dueReminders, reminderId, REMINDER_PAGES } from './reminders';

const NOW = new Date('2026-03-20T02:00:00Z'); // Shanghai 2026-03-20, 10:00
const DAY = 86_400_000;
const daysAgo = (days: number): string => new Date(NOW.getTime() - days * DAY).toISOString();

type TestPorts = Awaited<ReturnType<typeof embeddedPorts>>;

/** Ports at NOW whose store holds `docs` (one set of ports a test: the cloud suite's emulator is one per set). */
async function portsWith(docs: ClaimDoc[]): Promise<TestPorts> {
  const ports = await embeddedPorts({ clock: new FixedClock(NOW) });
  await ports.store.transaction(async (tx) => {
    for (const doc of docs) await tx.set('claims', doc);
  });
  return ports;
}

const storeWith = async (docs: ClaimDoc[]): Promise<Store> => (await portsWith(docs)).store;

const awaitingOriginals = (index: number, daysBefore: number): ClaimDoc =>
  claim(index, {
    status: 'submitted',
    submittedAt: daysAgo(daysBefore),
    paperOriginalsRequired: true,
    paperOriginalsReceived: false,
    originalsSentAt: null,
  });

const supplementRequest = (index: number, daysBefore: number): ClaimDoc =>
  claim(index, {
    status: 'supplementRequested',
    updatedAt: daysAgo(daysBefore),
    requestedMaterials: ['invoice'],
    events: [
      { seq: 1, at: daysAgo(daysBefore + 1), from: 'draft', to: 'submitted', action: 'submit', actor: 'claimant' },
      {
        seq: 2,
        at: daysAgo(daysBefore),
        from: 'submitted',
        to: 'supplementRequested',
        action: 'requestSupplement',
        actor: 'reviewer',
      },
    ] as ClaimDoc['events'],
  });

/** Notify runs at NOW, as the timer makes them; the reminder cards written in all. */
async function remindedAfterRuns(ports: TestPorts, runs: number): Promise<Set<string>> {
  const { store } = ports;
  for (let run = 0; run < runs; run += 1)
    await drainWith(ports, {
      notifier: new RecordingNotifier(store, { now: () => NOW }),
      templateIds: localTemplateIds,
    });
  const ids = new Set<string>();
  for (let after = ''; ; ) {
    const page = await store
      .collection<NotificationDoc>('notifications')
      .find(after ? { _id: { $gt: after } } : {}, { sort: { _id: 1 }, limit: 100, fields: ['_id'] });
    for (const card of page) ids.add(card._id);
    if (page.length < 100) break;
    after = page[page.length - 1]!._id;
  }
  expect(ids.size).toBe(await store.collection<NotificationDoc>('notifications').count({}));
  return ids;
}

const claim = (index: number, fields: Partial<ClaimDoc>): ClaimDoc =>
  ({ ...newClaimDoc(`owner-${index % 9}`, `request-${index}`, daysAgo(60), {}), ...fields }) as ClaimDoc;

/** A draft whose filing deadline is `days` days after NOW's Shanghai date, last written 60 days ago. */
const draftDue = (index: number, days: number): ClaimDoc =>
  claim(index, { status: 'draft', filingDeadline: new Date(NOW.getTime() + days * DAY).toISOString().slice(0, 10) });

describe('due reminders past one page of claims', () => {
  it('reach the draft whose deadline is nearest when 150 drafts are due later', async () => {
    const later = Array.from({ length: 150 }, (_, index) =>
      claim(index, { status: 'draft', filingDeadline: `2026-04-${12 + (index % 4)}` }),
    );
    const urgent = claim(999, { status: 'draft', filingDeadline: '2026-03-23' });
    const ids = new Set((await dueReminders(await storeWith([...later, urgent]), NOW)).cards.map((card) => card.id));
    expect(ids.has(reminderId(urgent._id, 'deadline7'))).toBe(true);
    expect(later.every((doc) => ids.has(reminderId(doc._id, 'deadline30')))).toBe(true);
  });

  it('reach the newest 补件 request when 130 older ones still wait', async () => {
    const request = supplementRequest;
    const older = Array.from({ length: 130 }, (_, index) => request(index, 10 + (index % 5)));
    const newest = request(999, 4);
    const ids = new Set((await dueReminders(await storeWith([...older, newest]), NOW)).cards.map((card) => card.id));
    expect(ids.has(reminderId(newest._id, 'supplement3', 2))).toBe(true);
    expect(older.every((doc) => ids.has(reminderId(doc._id, 'supplement3', 2)))).toBe(true);
  });

  it('reach the latest claim awaiting its paper originals when 130 earlier ones still await theirs', async () => {
    const awaiting = awaitingOriginals;
    const earlier = Array.from({ length: 130 }, (_, index) => awaiting(index, 20 + (index % 5)));
    const latest = awaiting(999, 8);
    const ids = new Set((await dueReminders(await storeWith([...earlier, latest]), NOW)).cards.map((card) => card.id));
    expect(ids.has(reminderId(latest._id, 'originals7'))).toBe(true);
    expect(earlier.every((doc) => ids.has(reminderId(doc._id, 'originals7')))).toBe(true);
  });

  const beyondOneRun = REMINDER_PAGES * 100 + 150;

  it(`reach every one of ${beyondOneRun} claims awaiting their originals over the next runs, not the first 1,000 again`, async () => {
    const claims = Array.from({ length: beyondOneRun }, (_, index) => awaitingOriginals(index, 8 + (index % 40)));
    const ids = await remindedAfterRuns(await portsWith(claims), 3);
    expect(claims.filter((doc) => !ids.has(reminderId(doc._id, 'originals7'))).length).toBe(0);
  });

  it(`reach every one of ${beyondOneRun} 补件 requests over the next runs`, async () => {
    const claims = Array.from({ length: beyondOneRun }, (_, index) => supplementRequest(index, 4 + (index % 20)));
    const ids = await remindedAfterRuns(await portsWith(claims), 3);
    expect(claims.filter((doc) => !ids.has(reminderId(doc._id, 'supplement3', 2))).length).toBe(0);
  });

  it(`reach every one of ${beyondOneRun} drafts near their deadline over the next runs (~383 share each date)`, async () => {
    const claims = Array.from({ length: beyondOneRun }, (_, index) =>
      claim(index, { status: 'draft', filingDeadline: `2026-04-${String(1 + (index % 3) * 6).padStart(2, '0')}` }),
    );
    const ids = await remindedAfterRuns(await portsWith(claims), 3);
    expect(claims.filter((doc) => !ids.has(reminderId(doc._id, 'deadline30'))).length).toBe(0);
  });

  it(`reach every one of ${beyondOneRun} claims filed at one instant when one already reminded leaves the query between runs`, async () => {
    // A cursor in the middle of claims that share its value: those already read there must not be counted by number,
    // or one leaving (its originals sent) makes the next run pass over one it never read.
    const at = 9;
    const claims = Array.from({ length: beyondOneRun }, (_, index) => awaitingOriginals(index, at));
    const ports = await portsWith(claims);
    const first = await remindedAfterRuns(ports, 1);
    expect(first.size).toBe(REMINDER_PAGES * 100);
    const sent = claims.find((doc) => first.has(reminderId(doc._id, 'originals7')))!;
    await ports.store.transaction(async (tx) => {
      await tx.set('claims', { ...sent, originalsSentAt: daysAgo(1), mailCode: 'SF1234567890' });
    });
    const ids = await remindedAfterRuns(ports, 2);
    expect(claims.filter((doc) => !ids.has(reminderId(doc._id, 'originals7'))).map((doc) => doc._id)).toEqual([]);
  });

  it('go on from a cursor written before it held a position (it counted the claims seen at its value)', async () => {
    const claims = Array.from({ length: 40 }, (_, index) => awaitingOriginals(index, 9));
    const ports = await portsWith(claims);
    const value = claims[0]!.submittedAt!;
    await ports.store.transaction(async (tx) => {
      await tx.set('jobs', { _id: 'reminders.originals', value, seen: 25, at: daysAgo(1) });
    });
    const ids = await remindedAfterRuns(ports, 1);
    expect(claims.filter((doc) => !ids.has(reminderId(doc._id, 'originals7'))).length).toBe(0);
  });

  it('a run after every draft, claim awaiting originals and 补件 request is reminded reads none of them again', async () => {
    // 300 drafts due within 30 days, 90 of them within 7: a query going round them read them all again every run.
    // And 150 of each not due yet (filed 6 days ago or less, asked 2 days ago or less, due in 31 days or more): read,
    // they were a page more of each every run.
    const ports = await portsWith([
      ...Array.from({ length: 300 }, (_, index) => awaitingOriginals(index, 8 + (index % 40))),
      ...Array.from({ length: 300 }, (_, index) => supplementRequest(1000 + index, 4 + (index % 20))),
      ...Array.from({ length: 300 }, (_, index) => draftDue(2000 + index, 1 + (index % 30))),
      ...Array.from({ length: 150 }, (_, index) => awaitingOriginals(3000 + index, 1 + (index % 6))),
      ...Array.from({ length: 150 }, (_, index) => supplementRequest(4000 + index, index % 3)),
      ...Array.from({ length: 150 }, (_, index) => draftDue(5000 + index, 31 + (index % 30))),
    ]);
    expect((await remindedAfterRuns(ports, 2)).size).toBe(900);
    const calls: Record<string, number> = {};
    let claimsRead = 0;
    const counted = countingCalls(ports.store, calls);
    const readCounting: Store = {
      transaction: (work) => counted.transaction(work),
      collection: <T extends StoredDoc>(name: string) => {
        const inner = counted.collection<T>(name);
        return withMethods(inner, {
          find: async (filter, options) => {
            const found = await inner.find(filter, options);
            if (name === 'claims') claimsRead += found.length;
            return found;
          },
        });
      },
    };
    const again = await dueReminders(readCounting, NOW);
    expect(again.cards).toEqual([]);
    // The 补件 and originals cursors read again the claims at the time each stopped at (here shared: the 15 requests
    // asked 4 days ago, the 8 claims filed 8 days ago); nothing else, none of those not due.
    expect(claimsRead).toBe(15 + 8);
    // Past each cursor, nothing yet: two finds for each deadline cursor (the rest at its date by id, then past it:
    // hundreds of drafts share a date), one each for the drafts by when written, the 补件 requests and the originals.
    expect(calls['claims.find']).toBe(7);
    // No cursor moved: nothing to write, not even a transaction.
    let transactions = 0;
    const counting: Store = {
      collection: (name) => ports.store.collection(name),
      transaction: (work) => ((transactions += 1), ports.store.transaction(work)),
    };
    await (await dueReminders(counting, NOW)).done?.();
    expect(transactions).toBe(0);
  });

  it('remind a draft 30 days out and again 7 days out, and a draft written after the cursors passed its deadline', async () => {
    const clock = new FixedClock(NOW);
    const ports = await embeddedPorts({ clock });
    const later = draftDue(1, 26);
    const others = Array.from({ length: 120 }, (_, index) => draftDue(100 + index, 27 + (index % 3)));
    const near = draftDue(3, 6);
    await ports.store.transaction(async (tx) => {
      for (const doc of [later, near, ...others]) await tx.set('claims', doc);
    });
    const first = await remindedAfterRuns(ports, 1);
    expect(first.has(reminderId(later._id, 'deadline30'))).toBe(true);
    expect(first.has(reminderId(later._id, 'deadline7'))).toBe(false);
    expect(first.has(reminderId(near._id, 'deadline7'))).toBe(true);
    // A new draft for an old bill: due in 5 days, behind both deadline cursors.
    const urgent = { ...draftDue(2, 5), updatedAt: clock.now().toISOString() };
    await ports.store.transaction(async (tx) => {
      await tx.set('claims', urgent);
    });
    expect((await remindedAfterRuns(ports, 1)).has(reminderId(urgent._id, 'deadline7'))).toBe(false);
    clock.advance(DRAFT_SETTLED_MS + 60_000);
    expect((await remindedAfterRuns(ports, 1)).has(reminderId(urgent._id, 'deadline7'))).toBe(true);
    // 19 days on, 7 days are left.
    clock.advance(19 * DAY);
    const ids = await remindedAfterRuns(ports, 1);
    expect(ids.has(reminderId(later._id, 'deadline7'))).toBe(true);
    expect(others.filter((doc) => !ids.has(reminderId(doc._id, 'deadline30'))).length).toBe(0);
    expect(others.filter((doc) => ids.has(reminderId(doc._id, 'deadline7'))).length).toBe(0);
  });
});
