// The trainer's roster (/opleidingen/sessies/{id}): every tick is saved as it is made.
//
// Ticks not yet saved are kept in localStorage under the session, so a lost connection, a
// reload or a closed tab loses none; they are sent again when the connection returns (the
// `online` event, and every few seconds while some wait). Sending them twice is harmless: a
// mark sets a registration present or absent, it does not toggle it. The status line says
// what is saved. Without this script the page's form posts the whole list, as before.
const root = document.querySelector('.roster[data-session]');
const form = root && root.querySelector('form.attendance');
if (form) {
  const session = root.dataset.session;
  const key = `leenpunt.roster.${session}`;
  const url = `/api/v1/training-sessions/${session}/attendance`;
  const status = root.querySelector('.save-state');
  const boxes = () => [...form.querySelectorAll('input[name=present]')];
  const load = () => {
    try { return JSON.parse(localStorage.getItem(key)) || {}; } catch { return {}; }
  };
  // registration id -> present, for the ticks the server has not confirmed yet.
  const pending = load();
  const waiting = () => Object.keys(pending).length > 0;
  const keep = () => {
    try {
      if (waiting()) localStorage.setItem(key, JSON.stringify(pending));
      else localStorage.removeItem(key);
    } catch { /* private mode: the ticks still wait in memory */ }
  };
  const say = (text, state) => {
    status.textContent = text;
    status.dataset.state = state;
    status.hidden = false;
  };
  // Boxes show what was ticked here; rows still waiting are marked.
  const show = (roster) => {
    const saved = new Map((roster || []).map((r) => [String(r.registration), r.attended]));
    for (const box of boxes()) {
      const mine = pending[box.value];
      if (mine !== undefined) box.checked = mine;
      else if (saved.has(box.value)) box.checked = saved.get(box.value);
      box.closest('li').classList.toggle('unsaved', mine !== undefined);
    }
  };
  let sending = false;
  let retry = null;
  const later = () => {
    clearTimeout(retry);
    retry = setTimeout(send, 5000);
  };
  async function send() {
    if (sending || !waiting() || boxes().some((b) => b.disabled)) return;
    sending = true;
    let again = false;
    const sent = { ...pending };
    const marks = Object.entries(sent).map(([registration, present]) => ({
      registration: Number(registration), present,
    }));
    try {
      const r = await fetch(url, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ marks }),
      });
      if (r.ok) {
        for (const [registration, present] of Object.entries(sent)) {
          if (pending[registration] === present) delete pending[registration];
        }
        keep();
        show(await r.json().catch(() => []));
        // Ticks made while this request was under way go next.
        again = waiting();
        if (!again) say(root.dataset.saved, 'saved');
      } else if (r.status === 401 || r.status === 408 || r.status === 429 || r.status >= 500) {
        // Signed out, or the server is busy: the ticks wait (and survive a new sign-in).
        say(r.status === 401 ? root.dataset.signIn : root.dataset.offline, 'waiting');
        later();
      } else {
        // Refused (not allowed, no seat, not started): sending again would not help.
        const problem = await r.json().catch(() => ({}));
        for (const registration of Object.keys(sent)) delete pending[registration];
        keep();
        say(problem.detail || problem.title || root.dataset.refused, 'refused');
        const again = await fetch(`/api/v1/training-sessions/${session}/roster`).catch(() => null);
        show(again && again.ok ? await again.json() : []);
      }
    } catch {
      say(root.dataset.offline, 'waiting');
      later();
    } finally {
      sending = false;
    }
    if (again) send();
  }
  const tick = (box, present) => {
    pending[box.value] = present;
    box.checked = present;
    box.closest('li').classList.add('unsaved');
  };
  form.addEventListener('change', (e) => {
    if (e.target.matches('input[name=present]')) {
      tick(e.target, e.target.checked);
      keep();
      say(root.dataset.saving, 'saving');
      send();
    }
  });
  form.querySelector('.all-present').addEventListener('click', (e) => {
    e.preventDefault();
    for (const box of boxes()) tick(box, true);
    keep();
    say(root.dataset.saving, 'saving');
    send();
  });
  // Saving is automatic: the form's own save button is for pages without this script.
  form.querySelector('.save-attendance').hidden = true;
  window.addEventListener('online', send);
  show([]);
  if (waiting()) {
    say(root.dataset.offline, 'waiting');
    send();
  }
}
