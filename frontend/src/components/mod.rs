//! Reusable pieces of the UI.

pub mod account;
pub mod chart;
pub mod desk_queue;
pub mod facets;
pub mod kit_card;
pub mod layout;
pub mod pager;
pub mod reserve;
pub mod scanner;
pub mod search_form;
pub mod text;
