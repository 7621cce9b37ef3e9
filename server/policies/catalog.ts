/**
 * The policies the functions compute with, as operators publish them (the `policies` collection):
 * a catalog the handlers ask for the versions in force and for the exact version a claim is pinned
 * to. Published versions are never edited, only superseded, so a version once read is cached for
 * good; the list in force is re-read at most once a minute (`refreshMs`), so a publication reaches
 * every function instance within a minute without a rebuild or restart. An empty collection is
 * seeded with the sample policies shipped in `src/core/policy/samples/`.
 */
import {
  lastDayBeforeSuccessor,
  policyDocumentSchema,
  samplePolicyFiles,
  type PolicyDocument,
} from '../../src/core/policy';
import type { FieldIssue } from '../../src/core/errors';
import type { Clock, Store } from '../ports';

export interface PolicyCatalog {
  /**
   * The versions in force (of every region and insurance type): the published ones, and replaced ones for the days
   * before their successor starts (`versionsInForce`); `selectPolicy` picks the one for a date.
   */
  published(): Promise<readonly PolicyDocument[]>;
  /** One version by id and version, whatever its status now (a claim stays pinned to its version). */
  version(id: string, version: string): Promise<PolicyDocument | undefined>;
  /** Forget the list in force, so a publication in this process is seen by the next call. */
  invalidate?(): void;
}

export type PolicyStatus = 'draft' | 'pendingReview' | 'published' | 'retired';

/** A policy version as stored: the document itself and its life as operator data. */
export interface PolicyVersionDoc {
  /** `<policy id>@<version>` */
  _id: string;
  policyId: string;
  version: string;
  status: PolicyStatus;
  /** The JSON as the operator wrote it (docs/policy-format.md); parsed with the schema when read. */
  source: unknown;
  author: string;
  submittedBy: string | null;
  approvedBy: string | null;
  /** The version this one replaces when published (same policy id), if any. */
  supersedes: string | null;
  /** The version that replaced this one. */
  supersededBy?: string | null;
  /** Everyone who saved this version's text (the author first): none of them may approve it (four eyes). */
  editors?: string[];
  /** Schema faults of `source` when saved (a draft may be kept with faults; nothing else may have any). */
  faults?: FieldIssue[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  retiredAt: string | null;
  /** 申请停用 of a published version: who asked (a second operator confirms the 停用, or either withdraws it). */
  retireRequestedBy?: string | null;
  retireRequestedAt?: string | null;
  /** Optimistic concurrency of the operator's edits. */
  revision: number;
}

export const policyVersionId = (policyId: string, version: string): string => `${policyId}@${version}`;

/** A version claims are computed with: its stored JSON and the document parsed from it, both as in force. */
export interface VersionInForce {
  doc: PolicyVersionDoc;
  /** The JSON as written; a replaced version's `effectiveTo` moved to the eve of its successor's start. */
  source: Record<string, unknown>;
  document: PolicyDocument;
}

/**
 * Which versions claims are computed with, out of published and retired ones: every published version, and each
 * version replaced by a new one (`supersededBy`) for the days before the new one starts (`lastDayBeforeSuccessor`):
 * publishing a 2026-07-01 rate must not leave a June visit, filed in August, without a policy. A version retired by
 * 停用 (no successor), or replaced by one starting on or before its own first day, is in force for no day.
 * `selectPolicy` then picks the latest start among those covering a date.
 */
export function versionsInForce(docs: readonly PolicyVersionDoc[]): VersionInForce[] {
  const parsed = new Map<string, { doc: PolicyVersionDoc; document: PolicyDocument }>();
  for (const doc of docs) {
    const result = policyDocumentSchema.safeParse(doc.source);
    if (result.success) parsed.set(doc._id, { doc, document: result.data });
  }
  const inForce: VersionInForce[] = [];
  for (const { doc, document } of parsed.values()) {
    const source = doc.source as Record<string, unknown>;
    if (doc.status === 'published') inForce.push({ doc, source, document });
    if (doc.status !== 'retired' || !doc.supersededBy) continue;
    const successor = parsed.get(doc.supersededBy);
    const last = successor ? lastDayBeforeSuccessor(document, successor.document.effectiveFrom) : null;
    if (last)
      inForce.push({ doc, source: { ...source, effectiveTo: last }, document: { ...document, effectiveTo: last } });
  }
  return inForce;
}

/**
 * Versions of every policy, `filter`ed by status (one or several) and policy id (operators keep a handful per region;
 * read in pages of 100, at most `max`).
 */
export async function allVersions(
  store: Store,
  filter: { status?: PolicyStatus | readonly PolicyStatus[]; policyId?: string } = {},
  max = 1000,
): Promise<PolicyVersionDoc[]> {
  const collection = store.collection<PolicyVersionDoc>('policies');
  const statuses = filter.status ?? ['draft', 'pendingReview', 'published', 'retired'];
  const where = {
    status: typeof statuses === 'string' ? statuses : { $in: [...statuses] },
    ...(filter.policyId ? { policyId: filter.policyId } : {}),
  };
  const docs: PolicyVersionDoc[] = [];
  for (let page = 0; docs.length < max; page += 1) {
    const batch = await collection.find(where, { sort: { _id: 1 }, skip: page * 100, limit: 100 });
    docs.push(...batch);
    if (batch.length < 100) break;
  }
  return docs;
}

/** Every published and retired version in the store: those `versionsInForce` chooses from. */
export function publishedAndRetired(store: Store): Promise<PolicyVersionDoc[]> {
  return allVersions(store, { status: ['published', 'retired'] }, Number.POSITIVE_INFINITY);
}

/** A fixed set of documents (tests, CLIs). */
export function staticCatalog(documents: readonly PolicyDocument[]): PolicyCatalog {
  return {
    published: async () => documents,
    version: async (id, version) => documents.find((document) => document.id === id && document.version === version),
  };
}

export class StorePolicyCatalog implements PolicyCatalog {
  private cached: { at: number; documents: readonly PolicyDocument[] } | null = null;
  private readonly versions = new Map<string, PolicyDocument>();
  private seeding: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly refreshMs = 60_000,
    /** The raw sample documents an empty collection starts with. */
    private readonly seeds: readonly unknown[] = Object.values(samplePolicyFiles),
  ) {}

  /** Forget the list in force (after a publication in this process). */
  invalidate(): void {
    this.cached = null;
  }

  async published(): Promise<readonly PolicyDocument[]> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.at < this.refreshMs) return this.cached.documents;
    await this.seedWhenEmpty();
    const documents = versionsInForce(await publishedAndRetired(this.store)).map(({ document }) => document);
    this.cached = { at: now, documents };
    return documents;
  }

  async version(id: string, version: string): Promise<PolicyDocument | undefined> {
    const key = policyVersionId(id, version);
    const known = this.versions.get(key);
    if (known) return known;
    await this.seedWhenEmpty();
    const doc = await this.store.collection<PolicyVersionDoc>('policies').get(key);
    const parsed = doc && doc.status !== 'draft' ? policyDocumentSchema.safeParse(doc.source) : null;
    if (!parsed?.success) return undefined;
    this.versions.set(key, parsed.data);
    return parsed.data;
  }

  private seedWhenEmpty(): Promise<void> {
    this.seeding ??= (async () => {
      const collection = this.store.collection<PolicyVersionDoc>('policies');
      if ((await collection.count({})) > 0) return;
      const at = this.clock.now().toISOString();
      await this.store.transaction(async (tx) => {
        for (const source of this.seeds) {
          const document = policyDocumentSchema.parse(source);
          const id = policyVersionId(document.id, document.version);
          if (await tx.get('policies', id)) continue;
          await tx.set<PolicyVersionDoc>('policies', {
            _id: id,
            policyId: document.id,
            version: document.version,
            status: 'published',
            source,
            author: 'samples',
            submittedBy: null,
            approvedBy: null,
            supersedes: null,
            createdAt: at,
            updatedAt: at,
            publishedAt: at,
            retiredAt: null,
            revision: 1,
          });
        }
      });
    })().catch((error: unknown) => {
      this.seeding = null;
      throw error;
    });
    return this.seeding;
  }
}
