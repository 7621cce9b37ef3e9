/**
 * Upgrading: a `.data/` written by the former nedb store (claims in every status, ledgers, the
 * receipt registry, files, notifications; updated and removed documents in its append-only files)
 * is copied into SQLite on the first start, nothing lost, the nedb files left byte for byte.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EmbeddedStore } from '../embedded/store';
import { openSelectedStore } from '../selectStore';
import { tempDir } from '../../../test/support/ports';
import type { StoredDoc } from '../../ports';
import { allDocs, canonicalJson, copyNedbInto } from './fromNedb';
import { SqliteStore } from './sqlite';

type Doc = StoredDoc & Record<string, unknown>;

const statuses = [
  'draft',
  'submitted',
  'supplementRequested',
  'preliminaryPassed',
  'reviewPassed',
  'settled',
  'verified',
  'paid',
  'rejected',
  'withdrawn',
];

async function nedbDataDir(): Promise<{ dir: string; expected: Map<string, StoredDoc[]> }> {
  const dir = tempDir('yb-nedb-upgrade-');
  const nedb = await EmbeddedStore.open(dir);
  for (let index = 0; index < 250; index += 1) {
    const status = statuses[index % statuses.length]!;
    await nedb.collection<Doc>('claims').insert({
      _id: `claim-${index}`,
      _openid: `u${index % 7}`,
      requestId: `r${index}`,
      status,
      version: 1,
      amountFen: index * 100,
      events: [{ type: 'submit', at: '2026-03-02T02:00:00.000Z' }],
      dueDate: index % 3 ? '2026-03-20T00:00:00.000Z' : null,
    });
    await nedb.collection<Doc>('receiptKeys').insert({ _id: `key-${index}`, claimId: `claim-${index}` });
    await nedb.collection<Doc>('notifications').insert({
      _id: `card-${index}`,
      _openid: `u${index % 7}`,
      read: index % 2 === 0,
      createdAt: '2026-03-02T02:00:00.000Z',
      title: '已受理',
    });
  }
  for (let index = 0; index < 250; index += 5)
    await nedb.collection<Doc>('claims').update(`claim-${index}`, { version: 2, note: '改过' }, { expectVersion: 1 });
  for (let index = 0; index < 250; index += 50) await nedb.collection<Doc>('receiptKeys').remove(`key-${index}`);
  await nedb.transaction(async (tx) =>
    tx.set('ledgers', {
      _id: 'ledger:p:210200:employee:2026',
      personKey: 'p',
      policyYear: 2026,
      entries: { 'claim-5': { fundPays: 1200 } },
      version: 3,
    }),
  );
  await nedb
    .collection<Doc>('files')
    .insert({ _id: 'file-1', _openid: 'u1', sha256: 'ab'.repeat(32), size: 1234, name: '发票.jpg' });
  const expected = new Map<string, StoredDoc[]>();
  for (const name of ['claims', 'receiptKeys', 'notifications', 'ledgers', 'files']) {
    const docs: StoredDoc[] = [];
    for await (const doc of allDocs(nedb, name)) docs.push(doc);
    expected.set(name, docs);
  }
  return { dir, expected };
}

const fingerprint = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.db'))
      .map((name) => [
        name,
        createHash('sha256')
          .update(readFileSync(path.join(dir, name)))
          .digest('hex'),
      ]),
  );

// Each case writes ~800 documents through nedb first (a file append each): 10–15 s on a quiet machine, past 30 s at load 7.
const NEDB_SETUP_TIMEOUT_MS = 120_000;

describe('upgrading a nedb data directory', () => {
  it(
    'the first start on SQLite copies every document of every collection, the nedb files untouched',
    async () => {
      const { dir, expected } = await nedbDataDir();
      expect(expected.get('claims')).toHaveLength(250);
      expect(expected.get('receiptKeys')).toHaveLength(245);
      const before = fingerprint(dir);
      const lines: string[] = [];
      const opened = await openSelectedStore(dir, { STORE: 'sqlite' }, (line) => lines.push(line));
      expect(opened.kind).toBe('sqlite');
      for (const [name, docs] of expected) {
        const copied: StoredDoc[] = [];
        for await (const doc of allDocs(opened.store, name)) copied.push(doc);
        expect(copied.map(canonicalJson)).toEqual(docs.map(canonicalJson));
      }
      for (const status of statuses) expect(await opened.store.collection('claims').count({ status })).toBe(25);
      expect(lines.join('\n')).toMatch(/claims 250.*counts and checksums verified/);
      expect(fingerprint(dir)).toEqual(before);
      await opened.close();

      // The next start finds store.sqlite and copies nothing again.
      const again = await openSelectedStore(dir, { STORE: 'sqlite' }, (line) => lines.push(line));
      expect(lines).toHaveLength(1);
      expect(await again.store.collection('claims').count({})).toBe(250);
      await again.close();
    },
    NEDB_SETUP_TIMEOUT_MS,
  );

  it(
    'refuses a copy that does not match (a target already holding other documents)',
    async () => {
      const { dir } = await nedbDataDir();
      const target = SqliteStore.open(tempDir('yb-sqlite-target-'));
      await target.collection('claims').insert({ _id: 'stranger' });
      await expect(copyNedbInto(dir, target)).rejects.toThrow(/copy of claims does not match/);
      target.close();
    },
    NEDB_SETUP_TIMEOUT_MS,
  );
});
