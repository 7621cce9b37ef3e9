/**
 * The `files` collection's records (a photo's owner, type, size, sha256), read through a bounded
 * in-process cache. A file record is written once — at upload or registration — and never changed or
 * removed, so a cached copy cannot go stale, in this process or in another sharing the store; a record
 * not found is not cached (it may be written later). What a submit checks (its 5–10 materials) was
 * mostly uploaded moments before through the same process, which put it in the cache.
 * Measured in the server bench (100,000 claims, 50 clients): reading the materials' records was 12 %
 * of a submit's server CPU (≈ 290 µs for 6 records by primary key, the pages cold after each commit).
 * Records are removed by the sweep of unattached uploads only (server/files/sweep.ts), 30 days after their upload
 * and only when no claim holds them: `remove` forgets its copy here; another process's copy of such a record is
 * stale, which matters only to a claim that names a 30-day-old photo it never held (see the sweep).
 */
import { shanghaiDate } from '../../src/core/deadline';
import { DomainError } from '../../src/core/errors';
import { admitUpload, DEFAULT_UPLOAD_LIMITS, type UploadLimits } from '../../src/core/uploadQuota';
import type { Store, StoredDoc } from '../ports';
import { getMany } from './getMany';

/** One account's uploads on one business day (`uploadDays`): what `admitUpload` counts against. */
export interface UploadDayDoc extends StoredDoc {
  _openid: string;
  /** 'YYYY-MM-DD', Asia/Shanghai. */
  day: string;
  files: number;
  bytes: number;
}

/** What a file record must carry to be counted: its owner and size. */
type CountedFile = StoredDoc & { _openid: string; size: number };

/** Records kept: ≈ 300 bytes each, so about 3 MB at most. */
const DEFAULT_CAPACITY = 10_000;

export class FileRecords<D extends CountedFile> {
  private readonly cached = new Map<string, D>();

  constructor(
    private readonly store: Store,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** A record just written (or read): kept, the least recently used one dropped past the capacity. */
  remember(doc: D): void {
    this.cached.delete(doc._id);
    this.cached.set(doc._id, doc);
    if (this.cached.size > this.capacity) this.cached.delete(this.cached.keys().next().value!);
  }

  /**
   * Records a new upload and counts it in its owner's day, in one transaction: past the day's limit
   * (core/uploadQuota) nothing is written and UPLOAD_LIMIT_REACHED is thrown, so two uploads at once
   * cannot both take the last place. A record already there under the same id (the same cloud file
   * registered twice at once) is answered as it is and not counted again.
   */
  async insertCounted(doc: D, at: Date, limits: UploadLimits = DEFAULT_UPLOAD_LIMITS): Promise<D> {
    const day = shanghaiDate(at);
    const dayId = `${doc._openid}:${day}`;
    const recorded = await this.store.transaction(async (tx) => {
      const existing = await tx.get<D>('files', doc._id);
      if (existing) return existing;
      const used = await tx.get<UploadDayDoc>('uploadDays', dayId);
      const admission = admitUpload(used ?? { files: 0, bytes: 0 }, doc.size, limits);
      if (!admission.ok) throw new DomainError(admission.code, admission.message);
      await tx.set<UploadDayDoc>('uploadDays', { _id: dayId, _openid: doc._openid, day, ...admission.totals });
      await tx.set<D>('files', doc);
      return doc;
    });
    this.remember(recorded);
    return recorded;
  }

  /** Removes a record from the store and from this process's memory (another process may still hold its copy). */
  async remove(id: string): Promise<void> {
    this.cached.delete(id);
    await this.store.collection<D>('files').remove(id);
  }

  private recall(id: string): D | undefined {
    const doc = this.cached.get(id);
    if (doc) this.remember(doc);
    return doc;
  }

  async get(id: string): Promise<D | null> {
    const known = this.recall(id);
    if (known) return known;
    const doc = await this.store.collection<D>('files').get(id);
    if (doc) this.remember(doc);
    return doc;
  }

  /** The records of `ids` that exist, by id: the cached ones without a read, the rest in one. */
  async getMany(ids: readonly string[]): Promise<Map<string, D>> {
    const found = new Map<string, D>();
    const missing: string[] = [];
    for (const id of ids) {
      const known = this.recall(id);
      if (known) found.set(id, known);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    for (const [id, doc] of await getMany(this.store.collection<D>('files'), missing)) {
      this.remember(doc);
      found.set(id, doc);
    }
    return found;
  }
}
