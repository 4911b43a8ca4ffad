//! What desk staff read when a scan is refused: kind, title and detail, per language.

use super::{CheckInRefusal, CheckOutRefusal};
use crate::texts::{day, Text};
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
        let Names {
            unit,
            reserved_kit,
            other_borrower,
            ..
        } = *names;
        match *self {
            CheckOutRefusal::NotApproved => (
                "reservation-not-approved",
                Text::ReservationNotApproved.get(lang),
                Text::ReservationNotApprovedDetail.get(lang),
            ),
            CheckOutRefusal::NotAccepted => (
                "offer-not-accepted",
                Text::OfferNotAccepted.get(lang),
                Text::OfferNotAcceptedDetail.get(lang),
            ),
            CheckOutRefusal::Closed { status } => (
                "reservation-closed",
                Text::ReservationClosed.get(lang),
                Text::ReservationClosedDetail {
                    status: &status.label(lang),
                }
                .get(lang),
            ),
            CheckOutRefusal::WrongKitType { .. } => (
                "wrong-kit-type",
                Text::WrongKitType.get(lang),
                Text::WrongKitTypeDetail {
                    reserved_kit: &reserved_kit,
                    unit: &unit,
                }
                .get(lang),
            ),
            CheckOutRefusal::InMaintenance { .. } => (
                "unit-in-maintenance",
                Text::UnitInMaintenance.get(lang),
                Text::UnitInMaintenanceDetail { unit: &unit }.get(lang),
            ),
            CheckOutRefusal::Retired { .. } => (
                "unit-retired",
                Text::UnitRetired.get(lang),
                Text::UnitRetiredDetail { unit: &unit }.get(lang),
            ),
            CheckOutRefusal::OnAnotherLoan { .. } => (
                "unit-on-another-loan",
                Text::UnitOnAnotherLoan.get(lang),
                Text::UnitOnAnotherLoanDetail {
                    other_borrower: &other_borrower,
                    unit: &unit,
                }
                .get(lang),
            ),
            CheckOutRefusal::AllHandedOver { quantity } => (
                "all-units-handed-over",
                Text::AllUnitsHandedOver.get(lang),
                if quantity == 1 {
                    Text::AllUnitsHandedOverDetail.get(lang)
                } else {
                    Text::AllUnitsHandedOverDetail2 {
                        quantity: &quantity,
                    }
                    .get(lang)
                },
            ),
            CheckOutRefusal::TooEarly { pickup_date } => (
                "pickup-too-early",
                Text::PickupTooEarly.get(lang),
                Text::PickupTooEarlyDetail {
                    day: &day(pickup_date, lang),
                }
                .get(lang),
            ),
            CheckOutRefusal::Expired { return_date } => (
                "reservation-expired",
                Text::ReservationExpired.get(lang),
                Text::ReservationExpiredDetail {
                    day: &day(return_date, lang),
                }
                .get(lang),
            ),
        }
    }
}

impl CheckInRefusal {
    /// Kind, title and detail as the API and the pages show them.
    pub fn texts(&self, lang: Lang, names: &Names<'_>) -> (&'static str, String, String) {
        let Names { unit, borrower, .. } = *names;
        match self {
            CheckInRefusal::NotOnLoan { .. } => (
                "unit-not-on-loan",
                Text::UnitNotOnLoan.get(lang),
                Text::UnitNotOnLoanDetail {
                    borrower: &borrower,
                    unit: &unit,
                }
                .get(lang),
            ),
            CheckInRefusal::NegativeCount { part } => (
                "negative-part-count",
                Text::NegativePartCount.get(lang),
                Text::NegativePartCountDetail { part: &part }.get(lang),
            ),
            CheckInRefusal::OverCount { part, expected } => (
                "part-over-count",
                Text::PartOverCount.get(lang),
                Text::PartOverCountDetail {
                    expected: &expected,
                    part: &part,
                }
                .get(lang),
            ),
        }
    }
}
