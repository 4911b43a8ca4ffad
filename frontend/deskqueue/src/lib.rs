//! The desk's offline queue on screen: its own small wasm module, loaded by the desk pages
//! only (Vandaag, a hand-over, a return, the camera scanner), never by the catalogue, so the
//! islands' wasm does not grow. It enhances what the server rendered: the desk forms keep
//! working without it.
//!
//! - A desk form marked `data-offline` (`handover` with `data-reservation`,
//!   `request-handover` with `data-request`, `return` with `data-code` and, from a
//!   request's return page, `data-request`) is sent through the JSON API with a fresh idempotency key instead of being
//!   posted. Answered, the page goes where the form post would have gone (`?ok=` or
//!   `?fout=`). Not answered (the browser says it is offline, the last request found no
//!   server, or this request fails on the way: network error, 10 s without answer), the
//!   scan is checked with the shared rules (`leenpunt_shared::offline`) against the last
//!   known state of the day and kept in IndexedDB under that same key, listed as waiting.
//!   The decision rests on whether the server could be reached, not on `navigator.onLine`
//!   alone.
//! - The camera scanner (an island in the other wasm) hands a scan it could not send to
//!   this module with a `leenpunt-desk-scan` event; the scan enters the same queue.
//! - On load, on the `online` event and every 5 s while lines wait or the server was not
//!   reached, the module asks the server (`/healthz`) whether it answers; if so, the lines
//!   are sent one at a time in recorded order with their keys; each turns green or red
//!   (with the reason and what to do). A refused line stays until the desk clears it.
//!
//! The texts and the page's snapshot of the day come in the panel's `data-texts` and
//! `data-snapshot` (rendered by the server in the desk's language). See
//! `docs/offline-desk.md`.

use leenpunt_shared::handover::{HandoverBody, PartCountBody, ReturnBody};
use leenpunt_shared::offline::{
    apply_answer, clear_synced, enqueue, merge_queue, merge_snapshot, next_to_send, waiting,
    DeskSnapshot, LineState, QueueTexts, QueuedScan, ScanAction, ServerAnswer, IDEMPOTENCY_HEADER,
};
use leenpunt_shared::query::encode_component;
use leenpunt_shared::ReservationId;
use serde::Deserialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// The event the camera scanner dispatches on `window` for a hand-over it could not send:
/// `detail` is `{ reservation, code }` (or `{ request, code }` on a request); this module answers in the same object with
/// `queued` (bool) and `text` (what to show), before `dispatchEvent` returns.
pub const SCAN_EVENT: &str = "leenpunt-desk-scan";

/// A request without an answer after this long (ms) counts as not reaching the server.
const TIMEOUT_MS: u32 = 10_000;

/// Lines that wait are tried again this often (ms).
const RETRY_MS: i32 = 5000;

struct Desk {
    root: web_sys::Element,
    texts: QueueTexts,
    snapshot: DeskSnapshot,
    queue: Vec<QueuedScan>,
    /// The stored queue has been read (before that, nothing is written over it).
    loaded: bool,
    /// The last request reached the server (or nothing failed since the page opened).
    reachable: bool,
    last_sync: Option<String>,
    notice: Option<(bool, String)>,
    replaying: bool,
    /// A form's scan is on its way (online); another submit waits for its answer.
    sending: bool,
}

thread_local! {
    static DESK: RefCell<Option<Desk>> = const { RefCell::new(None) };
}

fn with<R>(f: impl FnOnce(&mut Desk) -> R) -> Option<R> {
    DESK.with(|d| d.borrow_mut().as_mut().map(f))
}

fn navigator_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Starts the queue on a page with a `section.desk-queue` (called by the boot module).
#[wasm_bindgen]
pub fn start() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    let Ok(Some(root)) = document.query_selector("section.desk-queue") else {
        return;
    };
    let data = |name: &str| root.get_attribute(name).unwrap_or_default();
    let texts: QueueTexts = serde_json::from_str(&data("data-texts")).unwrap_or_default();
    let snapshot: DeskSnapshot = serde_json::from_str(&data("data-snapshot")).unwrap_or_default();
    let _ = root.remove_attribute("hidden");
    DESK.with(|d| {
        *d.borrow_mut() = Some(Desk {
            root: root.clone(),
            texts,
            snapshot,
            queue: Vec::new(),
            loaded: false,
            reachable: true,
            last_sync: None,
            notice: None,
            replaying: false,
            sending: false,
        })
    });
    // Hooked at once, before anything is read, so no form slips through as a plain post.
    listen(&document, "submit", true, on_submit);
    listen(&window, SCAN_EVENT, false, on_camera_scan);
    listen(&window, "online", false, |_| spawn_local(probe()));
    listen(&window, "offline", false, |_| render());
    if let Ok(Some(button)) = root.query_selector(".queue-clear") {
        listen(&button, "click", false, |_| {
            let queue = with(|d| {
                clear_synced(&mut d.queue);
                d.notice = None;
                d.queue.clone()
            });
            render();
            if let Some(queue) = queue {
                spawn_local(async move { write(QUEUE, &queue).await });
            }
        });
    }
    // Now and then: is the server back, and do lines wait?
    let tick = Closure::<dyn FnMut()>::new(|| {
        render();
        let due = with(|d| d.loaded && (!d.reachable || waiting(&d.queue) > 0)).unwrap_or(false);
        if due {
            spawn_local(probe());
        }
    });
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        tick.as_ref().unchecked_ref(),
        RETRY_MS,
    );
    tick.forget();
    render();
    spawn_local(load());
}

fn listen(
    target: &web_sys::EventTarget,
    name: &str,
    capture: bool,
    f: impl FnMut(web_sys::Event) + 'static,
) {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let _ = target.add_event_listener_with_callback_and_bool(
        name,
        closure.as_ref().unchecked_ref(),
        capture,
    );
    closure.forget();
}

/// Reads what earlier pages stored: the queue (kept first; a scan made meanwhile goes
/// after it), the day's snapshot (merged with this page's), the last sync; then replays.
async fn load() {
    let stored: Vec<QueuedScan> = read(QUEUE).await.unwrap_or_default();
    let stored_snapshot: DeskSnapshot = read(SNAPSHOT).await.unwrap_or_default();
    let last = kv_get(LAST_SYNC).await;
    let Some((queue, snapshot, fresh)) = with(|d| {
        d.reachable = d.reachable && navigator_online();
        let fresh = !d.queue.is_empty();
        d.queue = merge_queue(stored, std::mem::take(&mut d.queue));
        d.snapshot = merge_snapshot(stored_snapshot, std::mem::take(&mut d.snapshot));
        d.last_sync = last;
        d.loaded = true;
        (d.queue.clone(), d.snapshot.clone(), fresh)
    }) else {
        return;
    };
    write(SNAPSHOT, &snapshot).await;
    if fresh {
        write(QUEUE, &queue).await;
    }
    render();
    probe().await;
}

/// Asks the server whether it can be reached (`/healthz`, which the service worker never
/// answers from its cache); when it answers, the waiting lines are sent.
async fn probe() {
    let reachable = navigator_online() && reaches_server().await;
    with(|d| d.reachable = reachable);
    render();
    if reachable {
        replay().await;
    }
}

async fn reaches_server() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS)));
    JsFuture::from(window.fetch_with_str_and_init("/healthz", &init))
        .await
        .is_ok()
}

/// A desk form: sent through the API, or kept when the server cannot be reached.
fn on_submit(event: web_sys::Event) {
    let Some(form) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
    else {
        return;
    };
    let Some(kind) = form.get_attribute("data-offline") else {
        return;
    };
    event.prevent_default();
    let action = match action_of(&form, &kind) {
        Some(Ok(action)) => action,
        Some(Err(text)) => {
            show(false, text);
            return;
        }
        // Not a form this module understands: the server decides, as without it.
        None => {
            let _ = form.submit();
            return;
        }
    };
    let key = new_key();
    let override_reason = web_sys::FormData::new_with_form(&form)
        .ok()
        .and_then(|f| f.get("override_reason").as_string())
        .unwrap_or_default();
    // Offline, or the last request found no server: kept at once (no waiting for a
    // network that is not there); the replay sends it as soon as the server answers. A
    // scan made while the previous one is on its way is kept too (sent by the replay),
    // never dropped.
    let (reachable, sending) = with(|d| (d.reachable, d.sending)).unwrap_or((false, false));
    if !navigator_online() || !reachable || sending {
        keep_form(&form, key, action);
        return;
    }
    with(|d| {
        d.sending = true;
        d.notice = Some((true, d.texts.sending.clone()));
    });
    render();
    spawn_local(async move {
        let sent = send(&action, &key, &override_reason).await;
        with(|d| {
            d.sending = false;
            d.reachable = !matches!(sent, Sent::Network);
        });
        match sent {
            Sent::Done(body) => go(&done_target(&action, &body)),
            Sent::Network => keep_form(&form, key, action),
            // Signed out: the form post leads to the sign-in page, as without this module.
            Sent::Refused(p) if p.status == 401 => {
                let _ = form.submit();
            }
            Sent::Refused(p) => go(&refused_target(&action, &form, &p)),
        }
    });
}

/// Keeps a form's scan in the queue (or says why not) and empties the form.
fn keep_form(form: &web_sys::HtmlFormElement, key: String, action: ScanAction) {
    if keep(key, action).is_ok() {
        form.reset();
        if let Ok(Some(field)) = form.query_selector("#scan-code") {
            if let Ok(field) = field.dyn_into::<web_sys::HtmlElement>() {
                let _ = field.focus();
            }
        }
    }
}

/// Checks a scan against the queue and the day, queues it and stores the queue; answers
/// what to show (kept, or why not).
fn keep(key: String, action: ScanAction) -> Result<String, String> {
    let outcome = with(|d| {
        let outcome = enqueue(&mut d.queue, &d.snapshot, key, action, now())
            .map(|()| d.texts.kept.clone())
            .map_err(|r| d.texts.refusal(&r));
        d.notice = Some(match &outcome {
            Ok(text) => (true, text.clone()),
            Err(text) => (false, text.clone()),
        });
        (outcome, d.loaded.then(|| d.queue.clone()))
    });
    render();
    let Some((outcome, to_store)) = outcome else {
        return Err(String::new());
    };
    if let (Ok(_), Some(queue)) = (&outcome, to_store) {
        spawn_local(async move { write(QUEUE, &queue).await });
    }
    outcome
}

fn show(ok: bool, text: String) {
    with(|d| d.notice = Some((ok, text)));
    render();
}

/// A scan from the camera that could not be sent.
fn on_camera_scan(event: web_sys::Event) {
    let Ok(event) = event.dyn_into::<web_sys::CustomEvent>() else {
        return;
    };
    let detail = event.detail();
    let get = |name: &str| js_sys::Reflect::get(&detail, &JsValue::from_str(name)).ok();
    let id = |name: &str| get(name).and_then(|v| v.as_f64()).map(|v| v as i64);
    let Some(code) = get("code").and_then(|v| v.as_string()) else {
        return;
    };
    let action = match (id("reservation"), id("request")) {
        (Some(reservation), _) => ScanAction::HandOver {
            reservation: ReservationId(reservation),
            code,
        },
        (None, Some(request)) => ScanAction::RequestHandOver { request, code },
        (None, None) => return,
    };
    with(|d| d.reachable = false);
    let outcome = keep(new_key(), action);
    let (queued, text) = match outcome {
        Ok(text) => (true, text),
        Err(text) => (false, text),
    };
    let _ = js_sys::Reflect::set(&detail, &"queued".into(), &JsValue::from_bool(queued));
    let _ = js_sys::Reflect::set(&detail, &"text".into(), &JsValue::from_str(&text));
}

/// The scan a desk form asks for: `None` for a form this module does not know, an error
/// text for a count that is not a number.
fn action_of(form: &web_sys::HtmlFormElement, kind: &str) -> Option<Result<ScanAction, String>> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let field = |name: &str| data.get(name).as_string();
    match kind {
        "handover" => {
            let reservation = form.get_attribute("data-reservation")?.parse().ok()?;
            Some(Ok(ScanAction::HandOver {
                reservation: ReservationId(reservation),
                code: field("code").unwrap_or_default(),
            }))
        }
        "request-handover" => {
            let request = form.get_attribute("data-request")?.parse().ok()?;
            Some(Ok(ScanAction::RequestHandOver {
                request,
                code: field("code").unwrap_or_default(),
            }))
        }
        "return" => {
            let mut parts = Vec::new();
            for i in 0.. {
                let Some(name) = field(&format!("name_{i}")) else {
                    break;
                };
                let raw = field(&format!("count_{i}")).unwrap_or_default();
                match raw.trim().parse::<i64>() {
                    Ok(counted) => parts.push(PartCountBody { name, counted }),
                    Err(_) => {
                        let negative = with(|d| d.texts.negative.clone()).unwrap_or_default();
                        return Some(Err(format!("{negative} {name}")));
                    }
                }
            }
            let code = form.get_attribute("data-code")?;
            let damage = field("damage").unwrap_or_default();
            // Opened from a request's return page: taken back for that request.
            Some(Ok(match form.get_attribute("data-request") {
                Some(request) => ScanAction::RequestReturn {
                    request: request.parse().ok()?,
                    code,
                    parts,
                    damage,
                },
                None => ScanAction::Return {
                    code,
                    parts,
                    damage,
                },
            }))
        }
        _ => None,
    }
}

/// Where the page goes after the server took a form's scan: where the form post leads.
fn done_target(action: &ScanAction, body: &str) -> String {
    let handed = || {
        serde_json::from_str::<Outcome>(body)
            .map(|o| {
                let what = if o.already {
                    "al-meegegeven"
                } else {
                    "meegegeven"
                };
                format!("{what}:{}::{}", o.unit, o.kit_title)
            })
            .unwrap_or_default()
    };
    let back = |o: Outcome| {
        let mut flags = Vec::new();
        if o.to_maintenance {
            flags.push("onderhoud");
        }
        if o.late {
            flags.push("laat");
        }
        format!("terug:{}:{}:{}", o.unit, flags.join(","), o.kit_title)
    };
    match action {
        ScanAction::HandOver { reservation, .. } => {
            format!(
                "/balie/uitgifte/{reservation}?ok={}",
                encode_component(&handed())
            )
        }
        ScanAction::RequestHandOver { request, .. } => {
            format!(
                "/balie/aanvraag/{request}?ok={}",
                encode_component(&handed())
            )
        }
        ScanAction::Return { .. } => {
            let ok = serde_json::from_str::<Outcome>(body)
                .map(back)
                .unwrap_or_default();
            format!("/balie/inname?ok={}", encode_component(&ok))
        }
        ScanAction::RequestReturn { request, .. } => {
            let ok = serde_json::from_str::<RequestReturned>(body)
                .map(|r| back(r.outcome))
                .unwrap_or_default();
            format!(
                "/balie/aanvraag/{request}/inname?ok={}",
                encode_component(&ok)
            )
        }
    }
}

/// Where the page goes after the server refused a form's scan (nothing was written): the
/// form's page with the server's sentence, as the form post does.
fn refused_target(action: &ScanAction, form: &web_sys::HtmlFormElement, p: &Problem) -> String {
    let message = problem_sentence(p);
    let page = web_sys::Url::new(&form.action())
        .map(|u| u.pathname())
        .unwrap_or_default();
    match action {
        ScanAction::HandOver { code, .. } | ScanAction::RequestHandOver { code, .. }
            if p.kind.ends_with("/qualification-missing") =>
        {
            format!(
                "{page}?code={}&fout={}",
                encode_component(code),
                encode_component(&message)
            )
        }
        _ => format!("{page}?fout={}", encode_component(&message)),
    }
}

fn problem_sentence(p: &Problem) -> String {
    let fields: Vec<&str> = p.errors.iter().map(|e| e.message.as_str()).collect();
    if fields.is_empty() {
        p.detail.clone().unwrap_or_else(|| p.title.clone())
    } else {
        fields.join(" ")
    }
}

fn go(url: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(url);
    }
}

/// Sends the waiting lines in order, one at a time, until one must wait.
async fn replay() {
    let start = with(|d| {
        let go = d.loaded && !d.replaying;
        if go {
            d.replaying = true;
        }
        go
    });
    if start != Some(true) {
        return;
    }
    while let Some(line) = with(|d| next_to_send(&d.queue).map(|i| d.queue[i].clone())).flatten() {
        if !navigator_online() {
            break;
        }
        let answer = match send(&line.action, &line.key, "").await {
            Sent::Done(_) => ServerAnswer::Accepted,
            Sent::Network => ServerAnswer::NetworkError,
            Sent::Refused(p) => ServerAnswer::Problem {
                status: p.status,
                message: problem_sentence(&p),
                kind: p.kind,
            },
        };
        let at = now();
        let Some((go_on, queue)) = with(|d| {
            let go_on = apply_answer(&mut d.queue, &line.key, &answer, &at);
            d.reachable = answer != ServerAnswer::NetworkError;
            if answer == ServerAnswer::Accepted {
                d.last_sync = Some(at.clone());
            }
            (go_on, d.queue.clone())
        }) else {
            break;
        };
        render();
        write(QUEUE, &queue).await;
        if answer == ServerAnswer::Accepted {
            kv_put(LAST_SYNC, &at).await;
        }
        if !go_on {
            break;
        }
    }
    with(|d| d.replaying = false);
}

/// What this module reads of a problem+json answer (`leenpunt_shared::Problem` without
/// the members it never shows: a smaller wasm).
#[derive(Debug, Default, Deserialize)]
struct Problem {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    status: u16,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    errors: Vec<FieldMessage>,
}

#[derive(Debug, Default, Deserialize)]
struct FieldMessage {
    #[serde(default)]
    message: String,
}

/// What this module reads of a hand-over's or return's answer
/// (`HandoverOutcome` / `ReturnOutcome`): what the form post's `?ok=` names.
#[derive(Debug, Default, Deserialize)]
struct Outcome {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    kit_title: String,
    #[serde(default)]
    already: bool,
    #[serde(default)]
    to_maintenance: bool,
    #[serde(default)]
    late: bool,
}

/// What this module reads of a request's return answer (`RequestReturnOutcome`).
#[derive(Debug, Default, Deserialize)]
struct RequestReturned {
    #[serde(default)]
    outcome: Outcome,
}

enum Sent {
    /// A 2xx answer, with its body.
    Done(String),
    /// An error answer (problem+json, or its status alone).
    Refused(Problem),
    /// No answer: offline, the connection dropped.
    Network,
}

/// Sends a scan with its key (and, from the hand-over form, the desk's reason to hand over
/// without the required training; a queued line has none).
async fn send(action: &ScanAction, key: &str, override_reason: &str) -> Sent {
    let (url, body) = match action {
        ScanAction::HandOver { reservation, code } => (
            format!("/api/v1/reservations/{reservation}/handover"),
            serde_json::to_string(&HandoverBody {
                code: code.clone(),
                override_reason: override_reason.to_owned(),
            }),
        ),
        ScanAction::RequestHandOver { request, code } => (
            format!("/api/v1/requests/{request}/handover"),
            serde_json::to_string(&HandoverBody {
                code: code.clone(),
                override_reason: override_reason.to_owned(),
            }),
        ),
        ScanAction::Return {
            code,
            parts,
            damage,
        } => (
            "/api/v1/returns".to_owned(),
            serde_json::to_string(&ReturnBody {
                code: code.clone(),
                parts: parts.clone(),
                damage: damage.clone(),
            }),
        ),
        ScanAction::RequestReturn {
            request,
            code,
            parts,
            damage,
        } => (
            format!("/api/v1/requests/{request}/returns"),
            serde_json::to_string(&ReturnBody {
                code: code.clone(),
                parts: parts.clone(),
                damage: damage.clone(),
            }),
        ),
    };
    post(&url, &body.unwrap_or_default(), key).await
}

async fn post(url: &str, body: &str, key: &str) -> Sent {
    let Some(window) = web_sys::window() else {
        return Sent::Network;
    };
    let Ok(headers) = web_sys::Headers::new() else {
        return Sent::Network;
    };
    let _ = headers.set("content-type", "application/json");
    let _ = headers.set("accept", "application/json");
    let _ = headers.set(IDEMPOTENCY_HEADER, key);
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    init.set_body(&JsValue::from_str(body));
    // A network that hangs counts as none: the scan is kept rather than lost in waiting.
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS)));
    let Ok(response) = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await else {
        return Sent::Network;
    };
    let response: web_sys::Response = response.unchecked_into();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string()),
        Err(_) => None,
    };
    // The answer broke off on the way: as good as none (the key makes a resend safe).
    let Some(text) = text else {
        return Sent::Network;
    };
    if response.ok() {
        Sent::Done(text)
    } else {
        let mut problem: Problem = serde_json::from_str(&text).unwrap_or_default();
        problem.status = response.status();
        if problem.title.is_empty() {
            problem.title = response.status_text();
        }
        Sent::Refused(problem)
    }
}

/// Shows the queue: status line, notice, lines, the clear button; and the state as data
/// attributes (`data-online`, `data-waiting`, `data-loaded`).
fn render() {
    with(|d| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let online = d.reachable && navigator_online();
        let count = waiting(&d.queue);
        let root = &d.root;
        let _ = root.set_attribute("data-online", if online { "true" } else { "false" });
        let _ = root.set_attribute("data-waiting", &count.to_string());
        let _ = root.set_attribute("data-loaded", if d.loaded { "true" } else { "false" });
        let find = |selector: &str| root.query_selector(selector).ok().flatten();
        if let Some(status) = find(".queue-status") {
            let last = d.last_sync.as_deref().map(clock_time);
            let text = d.texts.status(online, count, last.as_deref());
            if status.text_content().as_deref() != Some(text.as_str()) {
                status.set_text_content(Some(&text));
            }
        }
        if let Some(notice) = find(".queue-notice") {
            match &d.notice {
                Some((ok, text)) => {
                    let class = if *ok {
                        "queue-notice ok"
                    } else {
                        "queue-notice error"
                    };
                    let _ = notice.set_attribute("class", class);
                    notice.set_text_content(Some(text));
                    let _ = notice.remove_attribute("hidden");
                }
                None => {
                    let _ = notice.set_attribute("class", "queue-notice");
                    notice.set_text_content(None);
                    let _ = notice.set_attribute("hidden", "");
                }
            }
        }
        if let Some(list) = find(".queue-lines") {
            list.set_text_content(None);
            for line in &d.queue {
                let (state, text) = d.texts.state(line);
                let Ok(li) = document.create_element("li") else {
                    continue;
                };
                let _ = li.set_attribute("class", &format!("queue-line {state}"));
                let _ = li.set_attribute("data-state", state);
                let _ = li.set_attribute("data-key", &line.key);
                li.set_text_content(Some(&format!("{} — {text}", d.texts.what(&line.action))));
                let _ = list.append_child(&li);
            }
            if d.queue.is_empty() {
                let _ = list.set_attribute("hidden", "");
            } else {
                let _ = list.remove_attribute("hidden");
            }
        }
        if let Some(button) = find(".queue-clear") {
            let any_synced = d
                .queue
                .iter()
                .any(|l| matches!(l.state, LineState::Synced { .. }));
            if any_synced {
                let _ = button.remove_attribute("hidden");
            } else {
                let _ = button.set_attribute("hidden", "");
            }
        }
    });
}

/// The device's local time of day of an RFC 3339 instant (`HH:MM`).
fn clock_time(at: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(at));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

fn now() -> String {
    js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}

/// A fresh idempotency key: the time and 64 random bits.
fn new_key() -> String {
    let r = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
    format!("desk-{}-{:08x}{:08x}", js_sys::Date::now() as u64, r(), r())
}

// ---- IndexedDB: one object store of JSON strings by name ------------------------------

const DB: &str = "leenpunt-desk";
const STORE: &str = "kv";
const QUEUE: &str = "queue";
const SNAPSHOT: &str = "snapshot";
const LAST_SYNC: &str = "last-sync";

async fn read<V: serde::de::DeserializeOwned>(key: &str) -> Option<V> {
    serde_json::from_str(&kv_get(key).await?).ok()
}

async fn write<V: serde::Serialize>(key: &str, value: &V) {
    if let Ok(json) = serde_json::to_string(value) {
        kv_put(key, &json).await;
    }
}

async fn done(request: &web_sys::IdbRequest) -> Result<JsValue, JsValue> {
    let request = request.clone();
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let r = request.clone();
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let fail = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("indexeddb"));
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

async fn open() -> Result<web_sys::IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or(JsValue::NULL)?
        .indexed_db()?
        .ok_or(JsValue::NULL)?;
    let request = factory.open_with_u32(DB, 1)?;
    let upgrade = Closure::once_into_js(move |event: web_sys::Event| {
        let db = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|d| d.dyn_into::<web_sys::IdbDatabase>().ok());
        if let Some(db) = db {
            let _ = db.create_object_store(STORE);
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    done(&request).await?.dyn_into()
}

async fn kv_get(key: &str) -> Option<String> {
    let db = open().await.ok()?;
    let tx = db.transaction_with_str(STORE).ok()?;
    let request = tx
        .object_store(STORE)
        .ok()?
        .get(&JsValue::from_str(key))
        .ok()?;
    let value = done(&request).await.ok()?.as_string();
    db.close();
    value
}

async fn kv_put(key: &str, value: &str) {
    let Ok(db) = open().await else { return };
    if let Ok(tx) = db.transaction_with_str_and_mode(STORE, web_sys::IdbTransactionMode::Readwrite)
    {
        if let Ok(store) = tx.object_store(STORE) {
            if let Ok(request) =
                store.put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))
            {
                let _ = done(&request).await;
            }
        }
    }
    db.close();
}
