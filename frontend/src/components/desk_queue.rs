//! The desk's offline queue: an island on the desk pages (Vandaag, a hand-over, a return).
//!
//! While the browser is offline, a hand-over or return form (marked `data-offline`) is not
//! posted: the scan is checked with the shared rules (`leenpunt_shared::offline`) against
//! the last known state of the day, kept in IndexedDB with its own idempotency key, and
//! listed as waiting. Back online, the lines are sent one by one, in the order they were
//! made, through the JSON API with their key; each turns green (synced) or red (refused,
//! with the reason and what to do). The queue survives a reload and a closed tab; a
//! refused line stays until the desk clears it. See `docs/offline-desk.md`.

use crate::i18n::{use_lang, T};
use leenpunt_shared::offline::{
    ConflictReason, DeskSnapshot, LineState, LocalRefusal, QueuedScan, ScanAction,
};
use leenpunt_shared::Lang;
use leptos::prelude::*;

/// The status line, the waiting scans and their outcomes.
#[island]
pub fn DeskQueue(
    /// What this page knows of the day (merged with what earlier pages stored).
    snapshot: DeskSnapshot,
) -> impl IntoView {
    let lang = use_lang();
    let queue = RwSignal::new(Vec::<QueuedScan>::new());
    let online = RwSignal::new(true);
    let last_sync = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<(bool, String)>);
    let loaded = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        live::start(
            snapshot.clone(),
            live::Signals {
                queue,
                online,
                last_sync,
                notice,
                loaded,
            },
            lang,
        );
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = &snapshot;
    let waiting = move || leenpunt_shared::offline::waiting(&queue.read());
    let status = move || {
        let net = if online.get() {
            T::QueueOnline
        } else {
            T::QueueOffline
        };
        let last = last_sync
            .get()
            .map(|at| clock_time(&at))
            .unwrap_or_else(|| T::QueueNeverSynced.get(lang).to_owned());
        format!(
            "{} · {} {} · {} {last}",
            net.get(lang),
            waiting(),
            T::QueueWaiting.get(lang),
            T::QueueLastSync.get(lang),
        )
    };
    let clear = move |_| {
        queue.update(leenpunt_shared::offline::clear_synced);
        #[cfg(feature = "hydrate")]
        live::save(queue.get_untracked());
    };
    view! {
        <section class="desk-queue" aria-labelledby="desk-queue-title"
            data-online=move || online.get().to_string()
            data-waiting=move || waiting().to_string()
            data-loaded=move || loaded.get().to_string()>
            <h2 id="desk-queue-title">{T::QueueTitle.get(lang)}</h2>
            <p class="queue-status" role="status">{status}</p>
            {move || notice.get().map(|(ok, text)| view! {
                <p class=if ok { "queue-notice ok" } else { "queue-notice error" } role="alert">{text}</p>
            })}
            <ul class="queue-lines">
                {move || queue.get().into_iter().map(|l| line_view(l, lang)).collect_view()}
            </ul>
            {move || queue.read().iter().any(|l| matches!(l.state, LineState::Synced { .. })).then(|| view! {
                <button type="button" class="button secondary queue-clear" on:click=clear>
                    {T::QueueClearSynced.get(lang)}
                </button>
            })}
        </section>
    }
}

/// The local time of day of an RFC 3339 instant, as the device shows it (`HH:MM`).
fn clock_time(at: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(at));
        format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        at.get(11..16).unwrap_or_default().to_owned()
    }
}

fn line_view(line: QueuedScan, lang: Lang) -> impl IntoView {
    let what = match &line.action {
        ScanAction::HandOver { reservation, code } => format!(
            "{} {code} → {} {reservation}",
            T::QueueHandOver.get(lang),
            T::QueueReservation.get(lang)
        ),
        ScanAction::Return { code, .. } => format!("{} {code}", T::QueueReturn.get(lang)),
    };
    let (state, text) = match &line.state {
        LineState::Waiting => ("waiting", T::QueueLineWaiting.get(lang).to_owned()),
        LineState::Synced { .. } => ("synced", T::QueueLineSynced.get(lang).to_owned()),
        LineState::Conflict { reason, message } => (
            "conflict",
            format!(
                "{} {} {message}",
                T::QueueLineConflict.get(lang),
                reason_text(reason).get(lang)
            ),
        ),
    };
    view! {
        <li class=format!("queue-line {state}") data-state=state data-key=line.key.clone()>
            <span class="queue-what">{what}</span>" — "<span class="queue-state">{text}</span>
        </li>
    }
}

/// What a refusal means and what to do, for the desk.
fn reason_text(reason: &ConflictReason) -> T {
    match reason {
        ConflictReason::ReservationClosed => T::QueueWhyClosed,
        ConflictReason::ReservationNotReady => T::QueueWhyNotReady,
        ConflictReason::UnitElsewhere => T::QueueWhyElsewhere,
        ConflictReason::UnitInMaintenance => T::QueueWhyMaintenance,
        ConflictReason::UnitRetired => T::QueueWhyRetired,
        ConflictReason::WrongKitType => T::QueueWhyWrongKit,
        ConflictReason::AllHandedOver => T::QueueWhyAllOut,
        ConflictReason::OutsideLoanDays => T::QueueWhyDays,
        ConflictReason::QualificationMissing => T::QueueWhyQualification,
        ConflictReason::UnknownCode => T::QueueWhyUnknownCode,
        ConflictReason::NotOnLoan => T::QueueWhyNotOut,
        ConflictReason::NotFound => T::QueueWhyGone,
        ConflictReason::KeyReused | ConflictReason::Other => T::QueueWhyOther,
    }
}

/// Why a scan was not queued, for the desk.
pub fn refusal_text(refusal: &LocalRefusal, lang: Lang) -> String {
    match refusal {
        LocalRefusal::NoCode => T::QueueNoCode.get(lang).to_owned(),
        LocalRefusal::NegativeCount { part } => format!("{} {part}", T::QueueNegative.get(lang)),
        LocalRefusal::AlreadyQueued => T::QueueAlready.get(lang).to_owned(),
        LocalRefusal::WrongKitType { reserved, scanned } => {
            format!("{} {scanned} ≠ {reserved}", T::QueueWrongKit.get(lang))
        }
        LocalRefusal::ReservationNotOpen => T::QueueNotOpen.get(lang).to_owned(),
        LocalRefusal::AllQueued { quantity } => {
            format!("{} ({quantity})", T::QueueAllQueued.get(lang))
        }
        LocalRefusal::UnitElsewhere => T::QueueElsewhere.get(lang).to_owned(),
    }
}

#[cfg(feature = "hydrate")]
mod live {
    //! The browser side: IndexedDB, the network events, the form hook and the replay.

    use super::*;
    use leenpunt_shared::offline::{apply_answer, enqueue, next_to_send, ServerAnswer};
    use std::cell::Cell;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    #[derive(Clone, Copy)]
    pub struct Signals {
        pub queue: RwSignal<Vec<QueuedScan>>,
        pub online: RwSignal<bool>,
        pub last_sync: RwSignal<Option<String>>,
        pub notice: RwSignal<Option<(bool, String)>>,
        pub loaded: RwSignal<bool>,
    }

    thread_local! {
        static REPLAYING: Cell<bool> = const { Cell::new(false) };
    }

    const QUEUE: &str = "queue";
    const SNAPSHOT: &str = "snapshot";
    const LAST_SYNC: &str = "last-sync";

    pub fn start(page: DeskSnapshot, s: Signals, lang: Lang) {
        let Some(window) = web_sys::window() else {
            return;
        };
        s.online.set(window.navigator().on_line());
        leptos::task::spawn_local(async move {
            let mut stored: Vec<QueuedScan> = read(QUEUE).await.unwrap_or_default();
            // Another tab may have queued meanwhile: keep what is stored first.
            stored.extend(s.queue.get_untracked());
            s.queue.set(stored);
            s.last_sync.set(kv_get(LAST_SYNC).await);
            let snapshot = merge(read(SNAPSHOT).await.unwrap_or_default(), page);
            write(SNAPSHOT, &snapshot).await;
            hook_forms(snapshot, s, lang);
            s.loaded.set(true);
            replay(s).await;
        });
        let on = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            s.online.set(true);
            leptos::task::spawn_local(replay(s));
        });
        let off = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| s.online.set(false));
        let _ = window.add_event_listener_with_callback("online", on.as_ref().unchecked_ref());
        let _ = window.add_event_listener_with_callback("offline", off.as_ref().unchecked_ref());
        on.forget();
        off.forget();
        // Lines that wait because the server was busy are tried again now and then.
        let tick = Closure::<dyn FnMut()>::new(move || {
            let online = web_sys::window().is_some_and(|w| w.navigator().on_line());
            s.online.set(online);
            if online && leenpunt_shared::offline::waiting(&s.queue.get_untracked()) > 0 {
                leptos::task::spawn_local(replay(s));
            }
        });
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            5000,
        );
        tick.forget();
    }

    /// What the page knows now wins over what was stored for the same reservation.
    fn merge(mut stored: DeskSnapshot, page: DeskSnapshot) -> DeskSnapshot {
        stored
            .reservations
            .retain(|r| !page.reservations.iter().any(|p| p.id == r.id));
        stored.reservations.extend(page.reservations);
        stored.units.retain(|u| {
            !page
                .units
                .iter()
                .any(|p| p.inventory_code == u.inventory_code)
        });
        stored.units.extend(page.units);
        if !page.day.is_empty() {
            stored.day = page.day;
        }
        stored
    }

    /// Offline, a desk form is queued instead of posted.
    fn hook_forms(snapshot: DeskSnapshot, s: Signals, lang: Lang) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let submit = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let Some(form) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let Some(kind) = form.get_attribute("data-offline") else {
                return;
            };
            if web_sys::window().is_some_and(|w| w.navigator().on_line()) {
                return;
            }
            event.prevent_default();
            s.online.set(false);
            let Some(action) = action_of(&form, &kind, lang) else {
                return;
            };
            let mut queue = s.queue.get_untracked();
            match action.and_then(|a| {
                enqueue(&mut queue, &snapshot, new_key(), a, now())
                    .map_err(|r| refusal_text(&r, lang))
            }) {
                Ok(()) => {
                    s.queue.set(queue.clone());
                    save(queue);
                    form.reset();
                    s.notice
                        .set(Some((true, T::QueueKept.get(lang).to_owned())));
                }
                Err(text) => s.notice.set(Some((false, text))),
            }
        });
        let _ = document.add_event_listener_with_callback_and_bool(
            "submit",
            submit.as_ref().unchecked_ref(),
            true,
        );
        submit.forget();
    }

    /// The scan a desk form asks for.
    fn action_of(
        form: &web_sys::HtmlFormElement,
        kind: &str,
        lang: Lang,
    ) -> Option<Result<ScanAction, String>> {
        let data = web_sys::FormData::new_with_form(form).ok()?;
        let field = |name: &str| data.get(name).as_string();
        match kind {
            "handover" => {
                let reservation = form.get_attribute("data-reservation")?.parse().ok()?;
                Some(Ok(ScanAction::HandOver {
                    reservation: leenpunt_shared::ReservationId(reservation),
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
                        Ok(counted) => {
                            parts.push(leenpunt_shared::handover::PartCountBody { name, counted })
                        }
                        Err(_) => {
                            return Some(Err(format!("{} {name}", T::QueueNegative.get(lang))))
                        }
                    }
                }
                Some(Ok(ScanAction::Return {
                    code: form.get_attribute("data-code")?,
                    parts,
                    damage: field("damage").unwrap_or_default(),
                }))
            }
            _ => None,
        }
    }

    /// Sends the waiting lines in order, one at a time, until one must wait (or the browser
    /// says it is offline: nothing is sent then).
    pub async fn replay(s: Signals) {
        if REPLAYING.with(|r| r.replace(true)) {
            return;
        }
        let online = || web_sys::window().is_some_and(|w| w.navigator().on_line());
        while let Some(i) = next_to_send(&s.queue.get_untracked()).filter(|_| online()) {
            let line = s.queue.get_untracked()[i].clone();
            let answer = send(&line).await;
            let at = now();
            let mut queue = s.queue.get_untracked();
            let go_on = apply_answer(&mut queue, &line.key, &answer, &at);
            if answer == ServerAnswer::Accepted {
                s.last_sync.set(Some(at.clone()));
                kv_put(LAST_SYNC, &at).await;
            }
            if answer == ServerAnswer::NetworkError {
                s.online.set(false);
            }
            s.queue.set(queue.clone());
            write(QUEUE, &queue).await;
            if !go_on {
                break;
            }
        }
        REPLAYING.with(|r| r.set(false));
    }

    async fn send(line: &QueuedScan) -> ServerAnswer {
        use leenpunt_shared::handover::{HandoverBody, ReturnBody};
        let sent = match &line.action {
            ScanAction::HandOver { reservation, code } => {
                crate::api::send_queued(
                    format!("/api/v1/reservations/{reservation}/handover"),
                    HandoverBody {
                        code: code.clone(),
                        override_reason: String::new(),
                    },
                    line.key.clone(),
                )
                .await
            }
            ScanAction::Return {
                code,
                parts,
                damage,
            } => {
                crate::api::send_queued(
                    "/api/v1/returns".to_owned(),
                    ReturnBody {
                        code: code.clone(),
                        parts: parts.clone(),
                        damage: damage.clone(),
                    },
                    line.key.clone(),
                )
                .await
            }
        };
        match sent {
            Ok(()) => ServerAnswer::Accepted,
            Err(p) if p.status == 0 => ServerAnswer::NetworkError,
            Err(p) => ServerAnswer::Problem {
                status: p.status,
                message: p
                    .errors
                    .first()
                    .map(|e| e.message.clone())
                    .or(p.detail)
                    .unwrap_or(p.title),
                kind: p.kind,
            },
        }
    }

    pub fn save(queue: Vec<QueuedScan>) {
        leptos::task::spawn_local(async move { write(QUEUE, &queue).await });
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

    async fn read<V: serde::de::DeserializeOwned>(key: &str) -> Option<V> {
        serde_json::from_str(&kv_get(key).await?).ok()
    }

    async fn write<V: serde::Serialize>(key: &str, value: &V) {
        if let Ok(json) = serde_json::to_string(value) {
            kv_put(key, &json).await;
        }
    }

    // ---- IndexedDB: one object store of JSON strings by name --------------------------

    const DB: &str = "leenpunt-desk";
    const STORE: &str = "kv";

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
        done(&request).await.ok()?.as_string()
    }

    async fn kv_put(key: &str, value: &str) {
        let Ok(db) = open().await else { return };
        let Ok(tx) =
            db.transaction_with_str_and_mode(STORE, web_sys::IdbTransactionMode::Readwrite)
        else {
            return;
        };
        let Ok(store) = tx.object_store(STORE) else {
            return;
        };
        if let Ok(request) = store.put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))
        {
            let _ = done(&request).await;
        }
    }
}
