//! What every handler can reach.

use crate::config::Config;
use crate::db::Db;
use crate::domain::clock::SharedClock;
use crate::service::catalogue::Catalogue;
use crate::service::drafts::FormDrafts;
use crate::site::Assets;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub catalogue: Catalogue,
    pub clock: SharedClock,
    pub config: Arc<Config>,
    pub assets: Arc<Assets>,
    pub leptos: LeptosOptions,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub proxies: Arc<Vec<crate::domain::net::Cidr>>,
    /// Refused long forms, kept so they come back filled in.
    pub drafts: crate::service::drafts::FormDrafts,
    /// The public figures (`/in-cijfers`), kept while the data is unchanged.
    pub stats_cache: crate::service::stats::StatsCache,
    /// Built calendar feed bodies, by feed and fingerprint.
    pub feed_cache: crate::service::feeds::FeedCache,
}

impl AppState {
    pub fn new(db: Db, clock: SharedClock, config: Config, assets: Assets) -> Self {
        let leptos = LeptosOptions::builder()
            .output_name("leenpunt")
            .site_root(config.site_dir.display().to_string())
            .site_pkg_dir("pkg")
            .site_addr(config.bind)
            .build();
        AppState {
            proxies: Arc::new(config.proxies().unwrap_or_default()),
            catalogue: Catalogue::new(db.clone()),
            drafts: FormDrafts::new(db.clone(), clock.clone()),
            db,
            clock,
            config: Arc::new(config),
            assets: Arc::new(assets),
            leptos,
            stats_cache: Default::default(),
            feed_cache: Default::default(),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
