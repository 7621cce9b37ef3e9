/** Instants as a claimant in China reads them: Asia/Shanghai (UTC+8 all year), whatever the device's zone. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** '2026-11-23T02:05:00Z' → '2026-11-23 10:05'; '' for nothing. */
export function shanghaiDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = new Date(iso).getTime();
  return Number.isFinite(ms) ? new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ') : '';
}

/** '2026-11-23T02:05:00Z' → '2026-11-23'. */
export function shanghaiDay(iso: string | null | undefined): string {
  return shanghaiDateTime(iso).slice(0, 10);
}
