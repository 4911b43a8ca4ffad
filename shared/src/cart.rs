//! A teacher's cart (issue 20): several kit types checked and booked together.

use crate::problem::Problem;
use crate::reservations::{Reservation, ReservationStatus, WaitlistEntry};
use serde::{Deserialize, Serialize};

/// The most lines a cart holds.
pub const MAX_CART_LINES: usize = 30;

/// A person's cart, kept on the server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cart {
    /// The dates chosen once for every line (`YYYY-MM-DD`), if chosen.
    #[serde(default)]
    pub pickup_date: Option<String>,
    #[serde(default)]
    pub return_date: Option<String>,
    pub lines: Vec<CartLine>,
}

/// One line of a cart: a kit type, where it is picked up, how many, and its own dates
/// when they differ from the cart's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartLine {
    pub id: i64,
    /// The kit type's slug.
    pub kit: String,
    pub kit_title: String,
    /// The pickup point's slug.
    pub pickup_point: String,
    pub pickup_point_name: String,
    pub quantity: u32,
    /// This line's own dates; empty: the cart's.
    #[serde(default)]
    pub pickup_date: Option<String>,
    #[serde(default)]
    pub return_date: Option<String>,
}

/// The cart's shared dates (both empty to clear them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartDates {
    #[serde(default)]
    pub pickup_date: Option<String>,
    #[serde(default)]
    pub return_date: Option<String>,
}

/// A line to add, or a line's new content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCartLine {
    /// The kit type's slug.
    pub kit: String,
    /// The pickup point's slug.
    pub pickup_point: String,
    pub quantity: u32,
    /// Own dates for this line; leave both out to use the cart's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_date: Option<String>,
}

/// Checking or sending a cart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartSubmit {
    /// Book what fits and put the lines short of units on the waiting list; by default
    /// a cart is booked all or nothing.
    #[serde(default)]
    pub partial: bool,
    /// The school's instellingsnummer; may be left out by a teacher of one school.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
    /// A note for the desk, kept on every reservation of the cart.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// Whether one line fits now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartVerdict {
    /// The cart line's id.
    pub line: i64,
    pub kit: String,
    pub kit_title: String,
    pub pickup_point: String,
    pub quantity: u32,
    /// The dates the line asks for (its own or the cart's), if there are any.
    #[serde(default)]
    pub pickup_date: Option<String>,
    #[serde(default)]
    pub return_date: Option<String>,
    pub fits: bool,
    /// When it fits: what the reservation would become (`bevestigd`, or `aangevraagd` when
    /// the kit type needs approval).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ReservationStatus>,
    /// When it fits on the condition that a training session is attended first.
    #[serde(default)]
    pub conditional: bool,
    /// When it does not fit: why, as the single booking would answer (with the nearest
    /// dates that fit, or the missing trainings and their sessions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
    /// Whether the line may join the waiting list (only when units are short).
    #[serde(default)]
    pub may_wait: bool,
}

/// Every line's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartCheck {
    pub all_fit: bool,
    pub lines: Vec<CartVerdict>,
}

/// One request: the lines of a sent cart picked up at one pickup point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingRequest {
    pub id: i64,
    pub pickup_point: String,
    /// One reservation per line.
    pub reservations: Vec<Reservation>,
}

/// What sending a cart did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartSubmitted {
    /// One per pickup point.
    pub requests: Vec<BookingRequest>,
    /// Lines put on the waiting list (partial sending only).
    pub waiting: Vec<WaitlistEntry>,
    /// Lines neither booked nor waiting; they stay in the cart.
    pub refused: Vec<CartVerdict>,
}

/// The cart of a visitor who has not signed in, kept in their browser (a cookie) and
/// added to their own cart when they sign in. Line ids are positions (1, 2, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnonymousCart {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pickup_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_date: Option<String>,
    #[serde(default)]
    pub lines: Vec<NewCartLine>,
}

/// The most lines a visitor's cart holds (it travels in a cookie).
pub const MAX_ANONYMOUS_LINES: usize = 15;

/// The cart page (`/mandje`), server-rendered for whoever asks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartScreen {
    pub cart: Cart,
    /// Someone is signed in (a visitor's cart lives in their browser).
    pub signed_in: bool,
    /// Every line's verdict, when the page asked for the check and it could be made.
    #[serde(default)]
    pub check: Option<CartCheck>,
    /// Why the cart could not be checked (not a teacher, no school chosen, …).
    #[serde(default)]
    pub check_problem: Option<Problem>,
    /// A fresh Idempotency-Key for the send form, so sending twice books once.
    pub send_key: String,
    /// The schools the person books for as a teacher, when there are several: the page
    /// asks which one before checking and sending (the per-school limit depends on it).
    #[serde(default)]
    pub schools: Vec<crate::accounts::SchoolOption>,
    /// The school chosen (its instellingsnummer), checked and sent with the cart.
    #[serde(default)]
    pub school: Option<String>,
}
