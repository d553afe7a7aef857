// The mobile intake page's outbox: submissions kept in IndexedDB with their idempotency keys until the host has
// answered them. A submission sent twice (the answer lost, two tabs, the page reloaded while sending) carries the
// same Idempotency-Key, so the host files it once and answers the second time with the same complaint.
import { api } from '../shared/api.js';

const DB = 'cw-mobile';
const STORE = 'outbox';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result.result ?? result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Every entry: { key, body, queuedAt, state: 'queued' | 'sent' | 'refused', trackingNumber?, error? }. */
export const entries = () => run('readonly', (store) => store.getAll());

const put = (entry) => run('readwrite', (store) => store.put(entry));

/** Queues a submission under a new idempotency key; answers the entry. */
export async function enqueue(body) {
  const entry = { key: crypto.randomUUID(), body, queuedAt: new Date().toISOString(), state: 'queued' };
  await put(entry);
  return entry;
}

let sending = null;

/** Sends every queued entry, oldest first; stops at the first network failure (to try again when back online). */
export function flush() {
  sending ??= (async () => {
    try {
      const queued = (await entries()).filter((e) => e.state === 'queued').sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
      for (const entry of queued) {
        try {
          const answer = await api('/api/complaints', { json: entry.body, headers: { 'Idempotency-Key': entry.key }, onUnauthorized: 'ignore' });
          await put({ ...entry, state: 'sent', trackingNumber: answer.trackingNumber, sentAt: new Date().toISOString() });
        } catch (error) {
          if (error.status === 0 || error.status === undefined || error.status >= 500 || error.status === 401 || error.status === 429) {
            return; // not reached, signed out or busy: kept for the next try
          }
          await put({ ...entry, state: 'refused', error: error.fullMessage ?? error.message });
        }
      }
    } finally {
      sending = null;
    }
  })();
  return sending;
}
