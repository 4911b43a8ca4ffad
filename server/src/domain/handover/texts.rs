//! What desk staff read when a scan is refused: kind, title and detail, per language.

use super::{CheckInRefusal, CheckOutRefusal};
use crate::domain::reservations::format_date;
use leenpunt_shared::Lang;

/// How the messages name what the refusal is about: people read kit titles and the
/// inventory codes written on the material, never database ids.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Names<'a> {
    /// The scanned unit: its inventory code and kit title, `BB-K-01 (Bee-Bot set)`.
    pub unit: &'a str,
    /// The title of the kit type the reservation is for.
    pub reserved_kit: &'a str,
    /// Whose reservation this is: `borrower, school`.
    pub borrower: &'a str,
    /// Whose loan the unit is still out on (for [`CheckOutRefusal::OnAnotherLoan`]).
    pub other_borrower: &'a str,
}

impl CheckOutRefusal {
    /// Kind, title and detail as the API and the pages show them.
    pub fn texts(&self, lang: Lang, names: &Names<'_>) -> (&'static str, String, String) {
        let nl = lang == Lang::Nl;
        let pick = |a: String, b: String| if nl { a } else { b };
        let Names {
            unit,
            reserved_kit,
            other_borrower,
            ..
        } = *names;
        match *self {
            CheckOutRefusal::NotApproved => (
                "reservation-not-approved",
                pick(
                    "Deze reservatie is nog niet goedgekeurd".into(),
                    "This reservation is not approved yet".into(),
                ),
                pick(
                    "Keur de reservatie eerst goed; daarna kan je het materiaal meegeven.".into(),
                    "Approve the reservation first; then the material can be handed out.".into(),
                ),
            ),
            CheckOutRefusal::NotAccepted => (
                "offer-not-accepted",
                pick(
                    "Dit aanbod is nog niet aanvaard".into(),
                    "This offer is not accepted yet".into(),
                ),
                pick(
                    "De ontlener moet het aanbod van de wachtlijst eerst aanvaarden.".into(),
                    "The borrower must accept the offer from the waiting list first.".into(),
                ),
            ),
            CheckOutRefusal::Closed { status } => (
                "reservation-closed",
                pick(
                    "Deze reservatie is afgesloten".into(),
                    "This reservation is closed".into(),
                ),
                pick(
                    format!(
                        "De reservatie heeft de status \u{201c}{}\u{201d}; op deze reservatie gaat niets meer mee.",
                        status.label(lang)
                    ),
                    format!(
                        "The reservation's status is \u{201c}{}\u{201d}; nothing more can be handed out on it.",
                        status.label(lang)
                    ),
                ),
            ),
            CheckOutRefusal::WrongKitType { .. } => (
                "wrong-kit-type",
                pick(
                    "Dit exemplaar hoort bij ander materiaal".into(),
                    "This unit belongs to other material".into(),
                ),
                pick(
                    format!("Exemplaar {unit} hoort niet bij {reserved_kit}, waarvoor deze reservatie is. Scan een exemplaar van {reserved_kit}."),
                    format!("Unit {unit} is not a {reserved_kit}, which this reservation is for. Scan a unit of {reserved_kit}."),
                ),
            ),
            CheckOutRefusal::InMaintenance { .. } => (
                "unit-in-maintenance",
                pick(
                    "Dit exemplaar is in onderhoud".into(),
                    "This unit is in maintenance".into(),
                ),
                pick(
                    format!("Exemplaar {unit} staat op onderhoud en mag niet mee. Kies een ander exemplaar."),
                    format!("Unit {unit} is in maintenance and cannot be handed out. Choose another unit."),
                ),
            ),
            CheckOutRefusal::Retired { .. } => (
                "unit-retired",
                pick(
                    "Dit exemplaar is afgevoerd".into(),
                    "This unit is retired".into(),
                ),
                pick(
                    format!("Exemplaar {unit} is uit dienst genomen en mag niet meer mee. Kies een ander exemplaar."),
                    format!("Unit {unit} was taken out of service and cannot be handed out. Choose another unit."),
                ),
            ),
            CheckOutRefusal::OnAnotherLoan { .. } => (
                "unit-on-another-loan",
                pick(
                    "Dit exemplaar is nog uitgeleend".into(),
                    "This unit is still on loan".into(),
                ),
                pick(
                    format!("Exemplaar {unit} is nog uitgeleend aan {other_borrower} en werd niet teruggebracht. Neem het eerst terug."),
                    format!("Unit {unit} is still on loan to {other_borrower} and was never checked in. Take it back first."),
                ),
            ),
            CheckOutRefusal::AllHandedOver { quantity } => (
                "all-units-handed-over",
                pick(
                    "Alle exemplaren zijn al meegegeven".into(),
                    "All units are handed out already".into(),
                ),
                if quantity == 1 {
                    pick(
                        "Deze reservatie is voor 1 exemplaar en dat is al meegegeven.".into(),
                        "This reservation is for 1 unit and it is handed out already.".into(),
                    )
                } else {
                    pick(
                        format!("Deze reservatie is voor {quantity} exemplaren en die zijn allemaal al meegegeven."),
                        format!("This reservation is for {quantity} units and all of them are handed out already."),
                    )
                },
            ),
            CheckOutRefusal::TooEarly { pickup_date } => (
                "pickup-too-early",
                pick(
                    "Het is nog geen ophaaldag".into(),
                    "It is not the pickup day yet".into(),
                ),
                pick(
                    format!("Deze reservatie kan pas vanaf {} opgehaald worden.", format_date(pickup_date, lang)),
                    format!("This reservation can be picked up from {} on.", format_date(pickup_date, lang)),
                ),
            ),
            CheckOutRefusal::Expired { return_date } => (
                "reservation-expired",
                pick(
                    "De uitleenperiode is voorbij".into(),
                    "The loan period is over".into(),
                ),
                pick(
                    format!("De terugbrengdag was {}; op deze reservatie gaat niets meer mee.", format_date(return_date, lang)),
                    format!("The return day was {}; nothing more can be handed out on this reservation.", format_date(return_date, lang)),
                ),
            ),
        }
    }
}

impl CheckInRefusal {
    /// Kind, title and detail as the API and the pages show them.
    pub fn texts(&self, lang: Lang, names: &Names<'_>) -> (&'static str, String, String) {
        let nl = lang == Lang::Nl;
        let pick = |a: String, b: String| if nl { a } else { b };
        let Names { unit, borrower, .. } = *names;
        match self {
            CheckInRefusal::NotOnLoan { .. } => (
                "unit-not-on-loan",
                pick(
                    "Dit exemplaar is niet uitgeleend op deze reservatie".into(),
                    "This unit is not on loan on this reservation".into(),
                ),
                pick(
                    format!("Exemplaar {unit} werd niet meegegeven op de reservatie van {borrower}. Controleer of je de juiste reservatie hebt gekozen."),
                    format!("Unit {unit} was not handed out on the reservation of {borrower}. Check that you chose the right reservation."),
                ),
            ),
            CheckInRefusal::NegativeCount { part } => (
                "negative-part-count",
                pick(
                    "Een aantal kan niet negatief zijn".into(),
                    "A count cannot be negative".into(),
                ),
                pick(
                    format!("Geef voor \u{201c}{part}\u{201d} een aantal van 0 of meer."),
                    format!("Enter a count of 0 or more for \u{201c}{part}\u{201d}."),
                ),
            ),
            CheckInRefusal::OverCount { part, expected } => (
                "part-over-count",
                pick(
                    "Meer geteld dan er horen".into(),
                    "More counted than belong".into(),
                ),
                pick(
                    format!("Van \u{201c}{part}\u{201d} horen er {expected} in de set. Tel opnieuw; extra stukken horen niet bij dit exemplaar."),
                    format!("The set holds {expected} of \u{201c}{part}\u{201d}. Count again; extra pieces do not belong to this unit."),
                ),
            ),
        }
    }
}
