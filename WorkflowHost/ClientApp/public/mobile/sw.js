// The mobile intake page's service worker (scope /mobile/): keeps the page and its scripts so that the staff at a
// mobile intake point (流动投诉受理点) can open the form without a connection. Submissions are queued by the page
// itself (IndexedDB, with their idempotency keys) and sent when the connection returns; this worker only serves
// what the page needs to start: the page and its assets from the cache when the network fails, and the last answers
// of the two GET calls the page makes at start (who is signed in, the points of the user).
const CACHE = 'cw-mobile-v1';
const PAGE = '/mobile/';
const KEPT_API = ['/api/auth/me', '/api/mobile-points/mine'];

async function precache() {
  const cache = await caches.open(CACHE);
  const response = await fetch(PAGE, { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) {
    return;
  }
  const html = await response.clone().text();
  await cache.put(PAGE, response);
  const assets = [...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]))];
  await cache.addAll(assets);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== CACHE) {
        await caches.delete(key);
      }
    }
    await self.clients.claim();
  })());
});

/** Network first; the cached copy when the network fails. */
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      await cache.put(key, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) {
      return cached;
    }
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) {
    return; // submissions go to the network as they are (the page queues them when it cannot reach the host)
  }
  if (request.mode === 'navigate' && url.pathname.startsWith(PAGE)) {
    event.respondWith(networkFirst(request, PAGE));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
  } else if (KEPT_API.includes(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname));
  }
});
