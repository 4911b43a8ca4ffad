// The desk pages' offline support (loaded by /balie/… pages only, never by the catalogue):
// registers the desk service worker (/sw.js, scope /balie/) and asks it to keep the
// hand-over and return pages that today's desk page links to, and the files the scanner
// loads, so they open without a network later today.
if ('serviceWorker' in navigator) {
  const keep = async () => {
    const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/balie/' });
    await navigator.serviceWorker.ready;
    const worker = registration.active;
    if (!worker) return;
    const urls = new Set();
    // Files first: the desk queue's boot module names its glue and wasm.
    for (const el of document.querySelectorAll('script[src^="/pkg/"], link[rel=stylesheet][href^="/pkg/"]')) {
      urls.add(el.getAttribute('src') || el.getAttribute('href'));
    }
    for (const a of document.querySelectorAll('a[href^="/balie/"]')) {
      urls.add(new URL(a.href).pathname);
    }
    // Each pickup's camera scanner, for hand-overs by camera without a network.
    for (const a of document.querySelectorAll('.pickups a[href^="/balie/uitgifte/"]')) {
      const pickup = new URL(a.href).pathname.match(/^\/balie\/uitgifte\/(\d+)$/);
      if (pickup) urls.add(`/balie/scan?reservatie=${pickup[1]}`);
    }
    // Each request's hand-over page and its camera scanner (returns need the server to
    // find the unit, so only hand-overs).
    for (const a of document.querySelectorAll('.pickups a[href^="/balie/aanvraag/"]')) {
      const request = new URL(a.href).pathname.match(/^\/balie\/aanvraag\/(\d+)$/);
      if (request) urls.add(`/balie/scan?aanvraag=${request[1]}`);
    }
    // The boot script names the islands' JS glue and wasm: kept from the scanner page,
    // which needs them (a page without islands never fetches the wasm, not even here).
    const islands = document.querySelector('leptos-island') !== null;
    for (const el of islands ? document.querySelectorAll('script:not([src])') : []) {
      for (const m of el.textContent.matchAll(/\/pkg\/[\w.-]+/g)) urls.add(m[0]);
    }
    // An island's props name the modules it loads on demand (the scanner's decoder).
    for (const el of document.querySelectorAll('leptos-island[data-props]')) {
      for (const m of el.dataset.props.matchAll(/\/pkg\/[\w.-]+/g)) urls.add(m[0]);
    }
    for (const page of ['/balie/vandaag', '/balie/scan', '/balie/inname']) urls.add(page);
    navigator.serviceWorker.addEventListener('message', (event) => {
      if (event.data && event.data.type === 'kept') document.body.dataset.offlineKept = 'true';
    });
    worker.postMessage({ type: 'keep', urls: [...urls] });
    document.body.dataset.offlineReady = 'true';
  };
  keep().catch((e) => console.warn('desk offline support', e));
}
