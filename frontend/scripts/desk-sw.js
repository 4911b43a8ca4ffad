// Leenpunt's desk service worker (/sw.js, registered by the desk pages with scope /balie/).
//
// It keeps the desk's own screens of the day for use without a network: the desk pages
// (/balie/…) as last seen, network first, and the content-hashed files they load
// (/pkg/…, /assets/…), cache first. It answers nothing else: no API answers, no pages
// outside /balie/, nothing for another site. Pages that redirect (signed out) or fail
// are not kept. A `clear` message deletes everything it kept; signing out also clears it
// (`Clear-Site-Data` on the sign-out answer).
const CACHE = 'leenpunt-desk-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

const sameSite = (url) => url.origin === self.location.origin;
const deskPage = (url) => sameSite(url) && url.pathname.startsWith('/balie/');
const asset = (url) =>
  sameSite(url) && (url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/assets/'));

// A page is kept under its path alone: `/balie/uitgifte/7?ok=…` replaces `/balie/uitgifte/7`;
// the camera scanner also under the reservation or request it works for (`?reservatie=7`,
// `?aanvraag=3`, `?aanvraag=3&inname=1`).
const pageKey = (url) => {
  const key = new URL(url.pathname, url.origin);
  if (url.pathname === '/balie/scan') {
    for (const name of ['reservatie', 'aanvraag', 'inname']) {
      const value = url.searchParams.get(name);
      if (value) key.searchParams.set(name, value);
    }
  }
  return key.href;
};

async function keepPage(cache, url, response) {
  if (response.ok && !response.redirected && response.type === 'basic') {
    await cache.put(pageKey(url), response.clone());
  }
  return response;
}

async function page(request) {
  const url = new URL(request.url);
  const cache = await caches.open(CACHE);
  try {
    return await keepPage(cache, url, await fetch(request));
  } catch (offline) {
    const kept = await cache.match(pageKey(url));
    if (kept) return kept;
    throw offline;
  }
}

async function file(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if ((request.mode === 'navigate' && deskPage(url)) || (sameSite(url) && url.pathname === '/desk.js')) {
    event.respondWith(page(request));
  } else if (asset(url)) {
    event.respondWith(file(request));
  }
});

// `keep`: the desk page lists today's hand-over and return pages; they are fetched now,
// while online, so they open offline too. `clear`: forget everything.
self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.type === 'clear') {
    event.waitUntil(caches.delete(CACHE));
  } else if (data.type === 'keep' && Array.isArray(data.urls)) {
    event.waitUntil((async () => {
      const cache = await caches.open(CACHE);
      const todo = data.urls.slice(0, 200);
      const seen = new Set();
      let followed = 0;
      while (todo.length > 0) {
        const url = new URL(todo.shift(), self.location.origin);
        if ((!deskPage(url) && !asset(url)) || seen.has(url.href)) continue;
        seen.add(url.href);
        try {
          if (asset(url) && await cache.match(url, { ignoreVary: true })) continue;
          const response = await fetch(url, { credentials: 'same-origin', redirect: 'manual' });
          if (!asset(url)) {
            await keepPage(cache, url, response);
          } else if (response.ok) {
            // A module names the files it loads (the scanner's and the desk queue's boot
            // modules: their glue and wasm).
            if (url.pathname.endsWith('.js') && followed++ < 20) {
              const text = await response.clone().text();
              for (const m of text.matchAll(/\/pkg\/[\w.-]+/g)) todo.push(m[0]);
            }
            await cache.put(url, response);
          }
        } catch { /* offline again: kept next time */ }
      }
      if (event.source) event.source.postMessage({ type: 'kept', count: seen.size });
    })());
  }
});
