/**
 * The sweep of unattached uploads (server/files/sweep.ts), on both adapters: a photo 30 days old that no claim
 * holds is removed — record, bytes, reading — and every photo a claim holds (draft, submitted, withdrawn) is kept,
 * as is every photo younger than 30 days. Each upload is looked at once, even with hundreds sharing one upload time.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SWEEP_JOB, sweepUnattachedUploads } from '../files/sweep';
import { storedKey } from '../receipts/registry';
import type { StoredDoc } from '../ports';
import { claimsFunction } from './claims';
import { invoke } from './framework';
import { drainWith } from './notify';
import { RecordingNotifier } from '../notifications/notifier';
import { localTemplateIds } from '../notifications/templates';
import { JOBS } from '../claims/dashboardFacts';
import { jpegBytes, recentDate, requiredMaterialIds, uploadMaterials, validForm } from '../../test/support/fixtures';
import { callers, FixedClock, portFactories, type CloudEmulatorPorts } from '../../test/support/ports';
import { closeTestStores } from '../../test/support/testStore';

const DAY_MS = 86_400_000;

/** The photo files the adapter still stores: on disk, or in the emulator's cloud storage. */
function storedBytes(ports: object): number {
  if ('dataDir' in ports && typeof ports.dataDir === 'string') {
    const root = path.join(ports.dataDir, 'files');
    if (!existsSync(root)) return 0;
    return readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
  }
  return (ports as CloudEmulatorPorts).emulator.storedFileIds().length;
}

/** `count` photos of one upload time that no claim holds, 31 days later. */
async function strayPhotos(makePorts: (typeof portFactories)[number][1], count: number) {
  const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
  const ports = await makePorts({ clock });
  const photo = await jpegBytes('the same moment');
  for (let index = 0; index < count; index += 1)
    await ports.files.put(callers.zhangsan.openid, `p${index}.jpg`, 'image/jpeg', photo);
  clock.advance(31 * DAY_MS);
  return { ports, clock };
}

describe.each(portFactories)('the sweep of unattached uploads (%s)', (_name, makePorts) => {
  afterEach(() => closeTestStores('test'));

  it('removes a 30-day-old photo no claim holds, keeps those a draft, a submitted or a withdrawn claim holds', async () => {
    // The uploads are made today (the real clock: the visit date must be recent), the sweep runs 30 days later.
    const clock = new FixedClock(new Date());
    const ports = await makePorts({ clock });
    const call = (action: string, payload: unknown, requestId?: string) =>
      invoke(claimsFunction, { action, payload, ...(requestId ? { requestId } : {}) }, callers.zhangsan, ports);
    const form = validForm({ visit: { visitDate: recentDate(5) } });
    const required = requiredMaterialIds(form);
    const owner = callers.zhangsan.openid;

    const submitted = await uploadMaterials(ports.files, owner, required);
    expect(await call('submit', { form: { ...form, materials: submitted } }, 'sweep-submitted')).toMatchObject({
      ok: true,
    });
    const withdrawn = await uploadMaterials(ports.files, owner, required);
    const second = await call('submit', { form: { ...form, materials: withdrawn } }, 'sweep-withdrawn');
    expect(second).toMatchObject({ ok: true });
    const secondId = (second as { data: { id: string } }).data.id;
    expect(await call('withdraw', { id: secondId })).toMatchObject({ ok: true });
    const inDraft = await uploadMaterials(ports.files, owner, required.slice(0, 2));
    expect(await call('saveDraft', { form: { hospital: { name: '协和医院' } }, materials: inDraft })).toMatchObject({
      ok: true,
    });
    // Retakes never put in a claim: one of them read as a receipt (its reading goes with it), one of another account.
    const retakes = await Promise.all(
      ['retake 1', 'retake 2'].map(async (label) =>
        ports.files.put(owner, `${label}.jpg`, 'image/jpeg', await jpegBytes(label)),
      ),
    );
    await ports.store
      .collection<StoredDoc & { _openid: string }>('receiptReadings')
      .insert({ _id: storedKey(retakes[0]!.fileID), _openid: owner });
    const theirs = await ports.files.put(callers.lisi.openid, 'x.jpg', 'image/jpeg', await jpegBytes('lisi'));
    const held = [submitted, withdrawn, inDraft].flatMap((materials) => Object.values(materials).flat());
    const before = storedBytes(ports);
    expect(before).toBe(held.length + 3);

    // 29 days later: nothing is old enough.
    clock.advance(29 * DAY_MS);
    expect(await sweepUnattachedUploads({ store: ports.store, files: ports.files, now: clock.now() })).toEqual({
      checked: 0,
      removed: 0,
    });
    // 30 days and a minute: every upload is looked at, the three nobody filed are removed.
    clock.advance(DAY_MS + 60_000);
    expect(await sweepUnattachedUploads({ store: ports.store, files: ports.files, now: clock.now() })).toEqual({
      checked: held.length + 3,
      removed: 3,
    });
    for (const fileID of held) expect(await ports.files.describe(fileID)).not.toBeNull();
    for (const gone of [...retakes, theirs]) expect(await ports.files.describe(gone.fileID)).toBeNull();
    expect(await ports.store.collection('receiptReadings').get(storedKey(retakes[0]!.fileID))).toBeNull();
    expect(storedBytes(ports)).toBe(held.length);
    // The submitted claim's photos still load for the reviewer.
    expect((await ports.files.bytes(held[0]!)).length).toBeGreaterThan(0);
    // Looked at once: the next run reads nothing again.
    expect(await sweepUnattachedUploads({ store: ports.store, files: ports.files, now: clock.now() })).toEqual({
      checked: 0,
      removed: 0,
    });
    // A claim naming a removed photo is told to take it again.
    const refused = await call('saveDraft', {
      form: { hospital: { name: '协和医院' } },
      materials: { [required[0]!]: [retakes[1]!.fileID] },
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'FILE_NOT_FOUND', message: expect.stringMatching(/重新上传/) },
    });
  });

  it('goes on where it stopped: 250 photos of one upload time, 100 a run, each removed once', async () => {
    const { ports, clock } = await strayPhotos(makePorts, 250);
    const runs = [];
    for (let run = 0; run < 4; run += 1)
      runs.push(
        await sweepUnattachedUploads({ store: ports.store, files: ports.files, now: clock.now() }, { pages: 1 }),
      );
    expect(runs).toEqual([
      { checked: 100, removed: 100 },
      { checked: 100, removed: 100 },
      { checked: 50, removed: 50 },
      { checked: 0, removed: 0 },
    ]);
    expect(await ports.store.collection('files').count({})).toBe(0);
    expect(await ports.store.collection<StoredDoc>(JOBS).get(SWEEP_JOB)).toMatchObject({
      value: '2026-03-02T02:00:00.000Z',
    });
  });

  it('stops when its run is out of time and goes on from the last upload it dealt with', async () => {
    const { ports, clock } = await strayPhotos(makePorts, 5);
    // Time for two removals, then none: the first run deals with two, the next with the other three.
    let left = 2;
    const timeLeftMs = (): number => (left-- > 0 ? 60_000 : 0);
    const sweep = (options = {}) =>
      sweepUnattachedUploads({ store: ports.store, files: ports.files, now: clock.now() }, options);
    expect(await sweep({ timeLeftMs })).toEqual({ checked: 2, removed: 2 });
    expect(await ports.store.collection('files').count({})).toBe(3);
    expect(await sweep()).toEqual({ checked: 3, removed: 3 });
    expect(await ports.store.collection('files').count({})).toBe(0);
  });

  it('runs as a slice of the notify drain and says how many it removed', async () => {
    const clock = new FixedClock(new Date('2026-03-02T02:00:00Z'));
    const ports = await makePorts({ clock });
    await ports.files.put(callers.zhangsan.openid, 'a.jpg', 'image/jpeg', await jpegBytes('left behind'));
    clock.advance(31 * DAY_MS);
    const report = await drainWith(ports, {
      notifier: new RecordingNotifier(ports.store),
      templateIds: localTemplateIds,
    });
    expect(report.uploadsRemoved).toBe(1);
  });
});
