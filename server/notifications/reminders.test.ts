/**
 * Reminders when more claims wait than one page of the store holds: none is hidden behind the first 100
 * (the most urgent deadline, the newest 补件 request, the latest claim awaiting its originals).
 */
import { embeddedPorts } from '../../test/support/ports';
import { newClaimDoc, type ClaimDoc } from '../repositories/claims';
import { dueReminders, reminderId } from './reminders';

const NOW = new Date('2026-03-20T02:00:00Z'); // Shanghai 2026-03-20, 10:00
const DAY = 86_400_000;
const daysAgo = (days: number): string => new Date(NOW.getTime() - days * DAY).toISOString();

async function storeWith(docs: ClaimDoc[]): Promise<Awaited<ReturnType<typeof embeddedPorts>>['store']> {
  const { store } = await embeddedPorts();
  await store.transaction(async (tx) => {
    for (const doc of docs) await tx.set('claims', doc);
  });
  return store;
}

const claim = (index: number, fields: Partial<ClaimDoc>): ClaimDoc =>
  ({ ...newClaimDoc(`owner-${index % 9}`, `request-${index}`, daysAgo(60), {}), ...fields }) as ClaimDoc;

describe('due reminders past one page of claims', () => {
  it('reach the draft whose deadline is nearest when 150 drafts are due later', async () => {
    const later = Array.from({ length: 150 }, (_, index) =>
      claim(index, { status: 'draft', filingDeadline: `2026-04-${12 + (index % 4)}` }),
    );
    const urgent = claim(999, { status: 'draft', filingDeadline: '2026-03-23' });
    const ids = new Set((await dueReminders(await storeWith([...later, urgent]), NOW)).map((card) => card.id));
    expect(ids.has(reminderId(urgent._id, 'deadline7'))).toBe(true);
    expect(later.every((doc) => ids.has(reminderId(doc._id, 'deadline30')))).toBe(true);
  });

  it('reach the newest 补件 request when 130 older ones still wait', async () => {
    const request = (index: number, daysBefore: number): ClaimDoc =>
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
    const older = Array.from({ length: 130 }, (_, index) => request(index, 10 + (index % 5)));
    const newest = request(999, 4);
    const ids = new Set((await dueReminders(await storeWith([...older, newest]), NOW)).map((card) => card.id));
    expect(ids.has(reminderId(newest._id, 'supplement3', 2))).toBe(true);
    expect(older.every((doc) => ids.has(reminderId(doc._id, 'supplement3', 2)))).toBe(true);
  });

  it('reach the latest claim awaiting its paper originals when 130 earlier ones still await theirs', async () => {
    const awaiting = (index: number, daysBefore: number): ClaimDoc =>
      claim(index, {
        status: 'submitted',
        submittedAt: daysAgo(daysBefore),
        paperOriginalsRequired: true,
        paperOriginalsReceived: false,
        originalsSentAt: null,
      });
    const earlier = Array.from({ length: 130 }, (_, index) => awaiting(index, 20 + (index % 5)));
    const latest = awaiting(999, 8);
    const ids = new Set((await dueReminders(await storeWith([...earlier, latest]), NOW)).map((card) => card.id));
    expect(ids.has(reminderId(latest._id, 'originals7'))).toBe(true);
    expect(earlier.every((doc) => ids.has(reminderId(doc._id, 'originals7')))).toBe(true);
  });
});
