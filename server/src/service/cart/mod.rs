//! A teacher's cart (issue 20): keeping it (`lines`), checking every line (`check`) and
//! sending it as one transaction (`submit`). The rules are the single booking's
//! (`domain::cart` decides each line with `domain::reservations`), so a single booking and
//! a cart of one line answer alike.

pub mod anonymous;
mod check;
mod lines;
mod submit;

pub use check::check;
pub use lines::{add_line, clear, get, remove_line, set_dates, update_line};
pub use submit::submit;
