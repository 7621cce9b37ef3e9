/**
 * 要求补件 with photos sent back to be taken again (重拍: 看不清、拍错、不是这项材料). In the 补件 request's own
 * transaction the photos leave the claim's materials (and its receipt photos), are kept apart on the claim for the
 * record (`retakenPhotos`: the reviewer still sees them, the upload sweep keeps them), and the receipt registry keys
 * only they held are freed — so a clearer photo of the same invoice is not refused as filed already, and a photo of
 * another invoice sent back does not keep that invoice locked to this claim. Before, a wrong photo stayed on the claim
 * for good, counted as the material, beside the one the claimant sent again.
 */
import { DomainError } from '../../src/core/errors';
import { materialDefinitions, type MaterialId } from '../../src/core/materials';
import type { Files, Store, Transaction } from '../ports';
import {
  DEFINITIVE_BASES,
  readingsOf,
  receiptKeysOf,
  storedKey,
  type ReceiptKey,
  type ReceiptKeyDoc,
} from '../receipts/registry';
import type { ReceiptReadingDoc } from '../receipts/readings';
import { getMany } from '../repositories/getMany';
import type { ClaimDoc, RetakenPhoto } from '../repositories/claims';

const RECEIPT_MATERIALS: readonly MaterialId[] = ['invoice', 'pharmacyInvoice'];

/** fileID → the material the claim holds it as. */
function materialOfPhotos(doc: Pick<ClaimDoc, 'materials'>): Map<string, MaterialId> {
  const materialOf = new Map<string, MaterialId>();
  for (const [materialId, fileIDs] of Object.entries(doc.materials) as Array<[MaterialId, string[] | undefined]>)
    for (const fileID of fileIDs ?? []) materialOf.set(fileID, materialId);
  return materialOf;
}

/** Where each photo to retake is on the claim; refuses a photo the claim does not hold, or of a material not asked for. */
export function locateRetakes(
  doc: Pick<ClaimDoc, 'materials'>,
  retake: readonly string[],
  requested: readonly MaterialId[],
): Array<{ fileID: string; materialId: MaterialId }> {
  const holder = materialOfPhotos(doc);
  const issues: Array<{ path: string; message: string }> = [];
  const located = retake.flatMap((fileID, index) => {
    const materialId = holder.get(fileID);
    if (!materialId) {
      issues.push({ path: `retakePhotos.${index}`, message: '这张照片不在这份申请的材料里，请刷新后重新选择' });
      return [];
    }
    if (!requested.includes(materialId)) {
      issues.push({
        path: `retakePhotos.${index}`,
        message: `要重拍的照片是「${materialDefinitions[materialId].label}」，请把它也选进要补充的材料`,
      });
      return [];
    }
    return [{ fileID, materialId }];
  });
  if (issues.length > 0) throw new DomainError('VALIDATION_FAILED', issues[0]!.message, { issues });
  return located;
}

/**
 * The registry keys the claim's receipt photos that stay produce (read before the transaction; the decision's
 * expected version makes the claim in the transaction the one read here): a key one of them holds stays held.
 */
export async function keysOfRemainingReceipts(
  deps: { store: Store; files: Files },
  doc: Pick<ClaimDoc, 'receiptFileIds'>,
  retake: readonly string[],
): Promise<Map<string, string>> {
  const leaving = new Set(retake);
  const remaining = (doc.receiptFileIds ?? []).filter((fileID) => !leaving.has(fileID));
  if (!retake.some((fileID) => (doc.receiptFileIds ?? []).includes(fileID))) return new Map();
  const [readings, files] = await Promise.all([readingsOf(deps.store, remaining), deps.files.describeMany(remaining)]);
  return keptKeys(receiptKeysOf({ files, readings }, remaining));
}

/** key → the photo that keeps it held (the first that produces it). */
export function keptKeys(keys: readonly ReceiptKey[]): Map<string, string> {
  const kept = new Map<string, string>();
  for (const { key, fileID } of keys) if (!kept.has(key)) kept.set(key, fileID);
  return kept;
}

/**
 * The claim's fields after the photos leave it, and the registry keys freed (inside the 补件 transaction): a key is
 * freed when the photo it was recorded for leaves and no photo that stays produces it; one a photo that stays produces
 * is recorded for that photo.
 */
export async function retakePatch(
  tx: Transaction,
  doc: ClaimDoc,
  located: ReadonlyArray<{ fileID: string; materialId: MaterialId; replacedBy?: string }>,
  keep: ReadonlyMap<string, string>,
  at: string,
): Promise<Partial<ClaimDoc>> {
  const leaving = new Set(located.map((photo) => photo.fileID));
  const materials: ClaimDoc['materials'] = {};
  for (const [materialId, fileIDs] of Object.entries(doc.materials) as Array<[MaterialId, string[] | undefined]>) {
    const staying = (fileIDs ?? []).filter((fileID) => !leaving.has(fileID));
    if (staying.length > 0) materials[materialId] = staying;
  }
  const freed = new Set<string>();
  if (located.some((photo) => RECEIPT_MATERIALS.includes(photo.materialId)))
    for (const key of doc.heldReceiptKeys ?? []) {
      const holder = await tx.get<ReceiptKeyDoc>('receiptKeys', key);
      if (holder?.claimId !== doc._id || !leaving.has(holder.fileID)) continue;
      const keeper = keep.get(key);
      if (keeper !== undefined) await tx.set<ReceiptKeyDoc>('receiptKeys', { ...holder, fileID: keeper });
      else {
        await tx.remove('receiptKeys', key);
        freed.add(key);
      }
    }
  const retaken: RetakenPhoto[] = located.map((photo) => ({ ...photo, at }));
  return {
    materials,
    receiptFileIds: (doc.receiptFileIds ?? []).filter((fileID) => !leaving.has(fileID)),
    heldReceiptKeys: (doc.heldReceiptKeys ?? []).filter((key) => !freed.has(key)),
    ...(doc.supplementFileIds
      ? { supplementFileIds: doc.supplementFileIds.filter((fileID) => !leaving.has(fileID)) }
      : {}),
    retakenPhotos: [...(doc.retakenPhotos ?? []), ...retaken],
  };
}

/** The photos the open 补件 request sent back (those of its own moment), for the claimant's page. */
export function photosToRetake(doc: Pick<ClaimDoc, 'status' | 'retakenPhotos' | 'events'>): RetakenPhoto[] {
  if (doc.status !== 'supplementRequested') return [];
  const asked = [...doc.events].reverse().find((event) => event.action === 'requestSupplement');
  return asked ? (doc.retakenPhotos ?? []).filter((photo) => photo.at === asked.at) : [];
}

/**
 * The claim's receipt photos a 补件 answer's new photos are of again (the same 票据代码 + 号码, or QR): each is replaced
 * by the new one, not filed beside it (a probe: a clearer re-shot sent as 补件 made the 预审 count the invoice twice).
 */
export function replacedReceiptPhotos(
  doc: Pick<ClaimDoc, '_id' | 'materials' | 'receiptFileIds'>,
  readings: ReadonlyMap<string, ReceiptReadingDoc>,
  newKeys: readonly ReceiptKey[],
  /** The registry's holders of the new photos' keys: a photo read by its QR at filing keeps no reading (a walk). */
  holders: ReadonlyMap<string, ReceiptKeyDoc> = new Map(),
): Array<{ fileID: string; materialId: MaterialId; replacedBy: string }> {
  const newPhotoOf = new Map<string, string>();
  for (const { key, basis, fileID } of newKeys)
    if (DEFINITIVE_BASES.has(basis) && !newPhotoOf.has(key)) newPhotoOf.set(key, fileID);
  if (newPhotoOf.size === 0) return [];
  const materialOf = materialOfPhotos(doc);
  const registered = new Map<string, string>();
  for (const [key, holder] of holders)
    if (holder.claimId === doc._id && newPhotoOf.has(key)) registered.set(holder.fileID, newPhotoOf.get(key)!);
  return (doc.receiptFileIds ?? []).flatMap((fileID) => {
    const identity = readings.get(fileID)?.identity;
    const replacedBy =
      (identity && DEFINITIVE_BASES.has(identity.basis) ? newPhotoOf.get(storedKey(identity.key)) : undefined) ??
      registered.get(fileID);
    const materialId = materialOf.get(fileID);
    return replacedBy !== undefined && replacedBy !== fileID && materialId ? [{ fileID, materialId, replacedBy }] : [];
  });
}

/** The registry's holders of a step's definitive receipt keys (none read when there are none: no round trip). */
export async function holdersOf(store: Store, keys: readonly ReceiptKey[]): Promise<Map<string, ReceiptKeyDoc>> {
  const definitive = keys.filter((key) => DEFINITIVE_BASES.has(key.basis)).map((key) => key.key);
  return definitive.length === 0 ? new Map() : getMany(store.collection<ReceiptKeyDoc>('receiptKeys'), definitive);
}
