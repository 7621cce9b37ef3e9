/**
 * H5 face of durable photo copies: a blob: URL dies with the page, so the compressed photo's bytes
 * are kept in IndexedDB (localStorage is too small for photos) under `idb:<localId>` until uploaded.
 */
import type { LocalFiles } from './types';

const PREFIX = 'idb:';
const DB_NAME = 'yibao-photos';
const STORE = 'blobs';

let database: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  database ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => {
      database = null;
      reject(request.error ?? new Error('IndexedDB unavailable'));
    };
  });
  return database;
}

async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const request = action(db.transaction(STORE, mode).objectStore(STORE));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** Object URLs handed out in this page, so each stored photo gets one and it can be revoked. */
const urls = new Map<string, string>();

export const localFiles: LocalFiles = {
  async keep(localId, filePath) {
    try {
      const blob = await (await fetch(filePath)).blob();
      await run('readwrite', (store) => store.put(blob, localId));
      urls.set(localId, filePath);
      return `${PREFIX}${localId}`;
    } catch {
      // Private mode or quota: upload from the page's URL (it will not survive a reload).
      return filePath;
    }
  },

  async open(durablePath) {
    if (!durablePath.startsWith(PREFIX)) return durablePath;
    const localId = durablePath.slice(PREFIX.length);
    const known = urls.get(localId);
    if (known) return known;
    try {
      const blob = (await run('readonly', (store) => store.get(localId))) as Blob | undefined;
      if (!blob) return null;
      const url = URL.createObjectURL(blob);
      urls.set(localId, url);
      return url;
    } catch {
      return null;
    }
  },

  discard(durablePath) {
    if (!durablePath.startsWith(PREFIX)) return;
    const localId = durablePath.slice(PREFIX.length);
    const url = urls.get(localId);
    if (url) URL.revokeObjectURL(url);
    urls.delete(localId);
    void run('readwrite', (store) => store.delete(localId)).catch(() => undefined);
  },
};
