//! The desk's offline queue panel: rendered by the server on the desk pages (Vandaag, a
//! hand-over, a return, the camera scanner) and brought to life by the queue's own wasm
//! module (`frontend/deskqueue`, loaded by these pages only, never by the catalogue).
//! Without that module the panel stays hidden and the desk forms post as always. The
//! panel carries the queue's texts in the desk's language and what the page knows of the
//! day (the snapshot the local checks use). See `docs/offline-desk.md`.

use crate::i18n::{use_lang, T};
use leenpunt_shared::offline::{DeskSnapshot, QueueTexts, SnapshotReservation};
use leenpunt_shared::{Lang, Reservation};
use leptos::prelude::*;

/// The status line ("Online · 0 waiting to sync · last sync: 09:14"), the queued lines
/// and the button that clears synced lines; and the module that runs them.
#[component]
pub fn DeskQueuePanel(
    /// What this page knows of the day (merged in the browser with what earlier pages
    /// stored).
    snapshot: DeskSnapshot,
) -> impl IntoView {
    let lang = use_lang();
    let texts = serde_json::to_string(&queue_texts(lang)).unwrap_or_default();
    let snapshot = serde_json::to_string(&snapshot).unwrap_or_default();
    let script = queue_script();
    view! {
        <section class="desk-queue" aria-labelledby="desk-queue-title" hidden=true
            data-texts=texts data-snapshot=snapshot
            data-online="true" data-waiting="0" data-loaded="false">
            <h2 id="desk-queue-title">{T::QueueTitle.get(lang)}</h2>
            <p class="queue-status" role="status"></p>
            <p class="queue-notice" role="alert" hidden=true></p>
            <ul class="queue-lines" hidden=true></ul>
            <button type="button" class="button secondary queue-clear" hidden=true>
                {T::QueueClearSynced.get(lang)}
            </button>
        </section>
        {(!script.is_empty()).then(|| view! { <script type="module" src=script></script> })}
    }
}

/// The queue's texts in one language.
pub fn queue_texts(lang: Lang) -> QueueTexts {
    let t = |key: T| key.get(lang).to_owned();
    QueueTexts {
        online: t(T::QueueOnline),
        offline: t(T::QueueOffline),
        waiting: t(T::QueueWaiting),
        last_sync: t(T::QueueLastSync),
        never_synced: t(T::QueueNeverSynced),
        hand_over: t(T::QueueHandOver),
        return_scan: t(T::QueueReturn),
        reservation: t(T::QueueReservation),
        request: t(T::QueueRequest),
        line_waiting: t(T::QueueLineWaiting),
        line_synced: t(T::QueueLineSynced),
        line_conflict: t(T::QueueLineConflict),
        kept: t(T::QueueKept),
        sending: t(T::QueueSending),
        no_code: t(T::QueueNoCode),
        negative: t(T::QueueNegative),
        already: t(T::QueueAlready),
        wrong_kit: t(T::QueueWrongKit),
        not_open: t(T::QueueNotOpen),
        all_queued: t(T::QueueAllQueued),
        elsewhere: t(T::QueueElsewhere),
        why_closed: t(T::QueueWhyClosed),
        why_not_ready: t(T::QueueWhyNotReady),
        why_elsewhere: t(T::QueueWhyElsewhere),
        why_maintenance: t(T::QueueWhyMaintenance),
        why_retired: t(T::QueueWhyRetired),
        why_wrong_kit: t(T::QueueWhyWrongKit),
        why_all_out: t(T::QueueWhyAllOut),
        why_days: t(T::QueueWhyDays),
        why_qualification: t(T::QueueWhyQualification),
        why_unknown_code: t(T::QueueWhyUnknownCode),
        why_not_out: t(T::QueueWhyNotOut),
        why_gone: t(T::QueueWhyGone),
        why_other: t(T::QueueWhyOther),
    }
}

/// What the queue checks scans against: the reservations on the page, with how many
/// units each had out.
pub fn snapshot_of<'a>(
    day: &str,
    reservations: impl Iterator<Item = (&'a Reservation, u32)>,
) -> DeskSnapshot {
    use leenpunt_shared::ReservationStatus::{Confirmed, PickedUp};
    DeskSnapshot {
        day: day.to_owned(),
        reservations: reservations
            .map(|(r, handed_over)| SnapshotReservation {
                id: r.id,
                kit_slug: r.kit_slug.clone(),
                kit_title: r.kit_title.clone(),
                quantity: r.quantity,
                handed_over,
                open: matches!(r.status, Confirmed | PickedUp),
                request: r.request_id,
            })
            .collect(),
        units: Vec::new(),
    }
}

/// Where the queue's boot module is (server render only).
fn queue_script() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::ssr::AssetManifest>()
            .map(|m| m.deskqueue)
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        String::new()
    }
}
