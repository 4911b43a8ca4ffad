//! One module per page.

pub mod account;
pub mod admin;
pub mod agenda;
pub mod cart;
pub mod catalogue;
pub mod closed_days;
pub mod code;
pub mod desk;
pub mod erasure;
pub mod home;
pub mod import;
pub mod kit;
pub mod kit_editor;
pub mod kits;
pub mod not_found;
pub mod password;
pub mod privacy;
pub mod reservations;
pub mod signin;
pub mod stats;
pub mod tokens;
pub mod trainings;
