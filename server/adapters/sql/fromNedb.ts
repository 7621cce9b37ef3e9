/**
 * Upgrading an installation: copies a former nedb store (`<dir>/<collection>.db`) into another Store
 * (SQLite or PostgreSQL), collection by collection, then verifies each by count and by a checksum
 * of every document (sha256 over the documents in `_id` order, keys sorted), read back through the
 * target's own `find`. The nedb files are read from a copy, so they stay exactly as they were.
 * nedb itself is loaded only when there is something to copy (not on every server start).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collections } from '../../collections';
import type { Store, StoredDoc } from '../../ports';

export interface CopyReport {
  collection: string;
  count: number;
  sha256: string;
}

export function hasNedbStore(dir: string): boolean {
  return collections.some((spec) => existsSync(path.join(dir, `${spec.name}.db`)));
}

/** JSON with object keys sorted at every level: the same document gives the same text in any store. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

function checksum(docs: Iterable<StoredDoc>): { count: number; sha256: string } {
  const hash = createHash('sha256');
  let count = 0;
  for (const doc of docs) {
    hash.update(canonicalJson(doc)).update('\n');
    count += 1;
  }
  return { count, sha256: hash.digest('hex') };
}

const byId = (a: StoredDoc, b: StoredDoc): number => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

/** Every document of `collection` in `store`, in `_id` order, paging by `_id` (no skip). */
export async function* allDocs(store: Store, collection: string): AsyncGenerator<StoredDoc> {
  let after: string | null = null;
  for (;;) {
    const page: StoredDoc[] = await store
      .collection<StoredDoc>(collection)
      .find(after === null ? {} : { _id: { $gt: after } }, { sort: { _id: 1 }, limit: 100 });
    for (const doc of page) yield doc;
    if (page.length < 100) return;
    after = page[page.length - 1]!._id;
  }
}

async function readNedb(file: string): Promise<StoredDoc[]> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'yb-nedb-copy-'));
  try {
    const copy = path.join(scratch, path.basename(file));
    copyFileSync(file, copy);
    const { default: Datastore } = await import('@seald-io/nedb');
    const datastore = new Datastore<StoredDoc>({ filename: copy });
    await datastore.loadDatabaseAsync();
    // Through JSON: nedb revives dates as Date objects, every other store holds their ISO text.
    return (datastore.getAllData() as StoredDoc[])
      .map((doc) => JSON.parse(JSON.stringify(doc)) as StoredDoc)
      .sort(byId);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Copies every nedb collection found in `dir` into `store` and verifies it; throws on any difference. */
export async function copyNedbInto(dir: string, store: Store, batch = 500): Promise<CopyReport[]> {
  const report: CopyReport[] = [];
  for (const spec of collections) {
    const file = path.join(dir, `${spec.name}.db`);
    if (!existsSync(file)) continue;
    const docs = await readNedb(file);
    for (let start = 0; start < docs.length; start += batch) {
      const slice = docs.slice(start, start + batch);
      await store.transaction(async (tx) => {
        for (const doc of slice) await tx.set(spec.name, doc);
      });
    }
    const source = checksum(docs);
    const copied: StoredDoc[] = [];
    for await (const doc of allDocs(store, spec.name)) copied.push(doc);
    const target = checksum(copied);
    if (target.count !== source.count || target.sha256 !== source.sha256) {
      throw new Error(
        `copy of ${spec.name} does not match: nedb ${source.count} documents (${source.sha256}), copy ${target.count} (${target.sha256})`,
      );
    }
    report.push({ collection: spec.name, count: source.count, sha256: source.sha256 });
  }
  return report;
}
