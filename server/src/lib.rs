//! The Leenpunt server: HTTP API, server-side rendering, storage and domain rules.

pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod http;
pub mod service;
pub mod site;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod texts;
