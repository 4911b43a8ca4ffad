//! The lending desk's hand-over pages: "Vandaag", handing a reservation over by scanning
//! (USB or Bluetooth scanners type the code and Enter into the focused field; typing the
//! code works the same), taking units back with the contents checked, a unit's page
//! (where a label scanned with a phone's camera app lands), and label printing. Plain
//! form posts, server-rendered; the desk queue's own wasm (`components::desk_queue`,
//! `frontend/deskqueue`) keeps hand-overs and returns made offline and sends them later.

use crate::api;
use crate::components::desk_queue::{snapshot_of, DeskQueuePanel};
use crate::components::scanner::ScanMode;
use crate::components::text::PageTitle;
use crate::i18n::{t, use_lang, T};
use crate::pages::not_found::{problem_notice, set_status};
use leenpunt_shared::handover::LoanLine;
use leenpunt_shared::labels::human_date;
use leenpunt_shared::{Lang, Reservation};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

mod handover;
mod labels;
mod requests;
mod returns;
mod scan;
mod today;
mod unit;

pub use handover::*;
pub use labels::*;
pub use requests::*;
pub use returns::*;
pub use scan::*;
pub use today::*;
pub use unit::*;

/// The `?ok=` / `?fout=` outcome of a scan, as a notice that screen readers announce and
/// a sound-free visual cue (green / red).
#[component]
fn ScanOutcome() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map().get_untracked();
    let ok = query.get("ok").filter(|s| !s.is_empty()).map(|code| {
        // `what:unit[:flags[:kit title]]`; the title comes last since it may hold colons.
        let mut parts = code.splitn(4, ':');
        let what = parts.next().unwrap_or_default();
        let code_part = parts.next().unwrap_or_default().to_owned();
        let flags: Vec<&str> = parts.next().unwrap_or_default().split(',').collect();
        let unit = match parts.next().filter(|k| !k.is_empty()) {
            Some(kit) => format!("{code_part} ({kit})"),
            None => code_part.clone(),
        };
        let text = match what {
            "meegegeven" => format!("{} {unit}.", T::HandedOver.get(lang)),
            "al-meegegeven" => format!("{} {unit}.", T::AlreadyHandedOver.get(lang)),
            "terug" => {
                let mut s = format!("{} {unit}.", T::TakenBack.get(lang));
                if flags.contains(&"onderhoud") {
                    s.push(' ');
                    s.push_str(T::ToMaintenance.get(lang));
                }
                if flags.contains(&"laat") {
                    s.push(' ');
                    s.push_str(T::ReturnedLate.get(lang));
                }
                s
            }
            "label" => format!("{} {code_part}.", T::NewLabelIssued.get(lang)),
            "in-dienst" => format!("{}.", T::BackInService.get(lang)),
            _ => T::Saved.get(lang).to_owned(),
        };
        view! { <p class="notice scan-ok" role="status" id="outcome">{text}</p> }
    });
    let error = query
        .get("fout")
        .map(|e| view! { <p class="error scan-error" role="alert" id="outcome-error">{e}</p> });
    view! { {ok}{error} }
}

/// A code field that a USB scanner fills (code + Enter submits the form).
#[component]
fn CodeField(#[prop(into)] label: String, #[prop(optional, into)] value: String) -> impl IntoView {
    view! {
        <label for="scan-code">{label}</label>
        <input id="scan-code" name="code" class="scan-code" autofocus=true autocomplete="off"
            autocapitalize="characters" spellcheck="false" inputmode="text" required=true value=value/>
    }
}

/// "1 van 2 meegegeven": how far a reservation picked up in part is.
fn handed_over_text(handed: u32, quantity: u32, lang: Lang) -> String {
    format!(
        "{handed} {} {quantity} {}",
        T::HandedOverOf.get(lang),
        T::HandedOverCount.get(lang)
    )
}

fn lines_table(lines: Vec<LoanLine>, lang: Lang) -> impl IntoView {
    view! {
        <table class="loan-lines" tabindex="0">
            <thead><tr>
                <th scope="col">{t(T::UnitLabel)}</th>
                <th scope="col">{t(T::HandedOutLabel)}</th>
                <th scope="col">{t(T::ReturnedLabel)}</th>
                <th scope="col">{t(T::NotesLabel)}</th>
            </tr></thead>
            <tbody>
                {lines.into_iter().map(|l| {
                    let out = leenpunt_shared::time::brussels_local(&l.handed_out_at)
                        .map(|(d, t)| format!("{} {t}", human_date(&d, lang))).unwrap_or_default();
                    let back = l.returned_at.as_deref().and_then(leenpunt_shared::time::brussels_local)
                        .map(|(d, t)| format!("{} {t}", human_date(&d, lang)));
                    let missing: Vec<String> = l.parts_counted.iter().filter(|(_, e, c)| *c < i64::from(*e))
                        .map(|(n, e, c)| format!("{n}: {c}/{e}")).collect();
                    let mut notes = Vec::new();
                    if l.late { notes.push(T::ReturnedLate.get(lang).to_owned()); }
                    if !missing.is_empty() { notes.push(missing.join(", ")); }
                    if !l.damage_note.is_empty() { notes.push(l.damage_note.clone()); }
                    if let Some(r) = &l.override_reason { notes.push(format!("{}: {r}", T::OverrideLabel.get(lang))); }
                    let returned = back.is_some().to_string();
                    view! {
                        <tr class="loan-line" data-unit=l.unit.clone() data-returned=returned>
                            <td>{l.unit.clone()}</td>
                            <td>{out}{l.handed_out_by.clone().map(|b| format!(" ({b})"))}</td>
                            <td>{back.unwrap_or_else(|| "—".to_owned())}</td>
                            <td>{notes.join(" · ")}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
