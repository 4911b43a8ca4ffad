//! Building and running the application from its configuration.

use crate::config::Config;
use crate::db::Db;
use crate::domain::clock::{SharedClock, SystemClock};
use crate::http::assets::Assets;
use crate::service::accounts::{create_demo_users, DEMO_PASSWORD, DEMO_USERS};
use crate::service::import::{load_data_set, DEMO};
use crate::service::mailer::{spawn_worker, Mailer};
use crate::state::AppState;
use anyhow::Context;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Opens the database (creating and migrating it), loads the demo data into an empty
/// one when configured, and builds the state.
pub async fn build_state(config: Config, clock: SharedClock) -> anyhow::Result<AppState> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating data folder {}", config.data_dir.display()))?;
    }
    let db = Db::open(&config.database_url())
        .await
        .context("opening the database")?;
    if config.demo_data && db.is_empty().await? {
        let now = clock.now().to_rfc3339();
        load_data_set(&db, &DEMO, &now)
            .await
            .context("loading the demo data")?;
        create_demo_users(&db, &now)
            .await
            .context("creating the demo accounts")?;
        let year = chrono::Datelike::year(&crate::domain::clock::today(clock.as_ref()));
        crate::service::reservations::seed_closed_days(&db, year..=year + 2)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("loading the demo closed days")?;
        crate::service::import::load_demo_handover_hours(&db)
            .await
            .context("loading the demo hand-over hours")?;
        crate::service::trainings::load_demo_trainings(&db, clock.as_ref())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("loading the demo training sessions")?;
        tracing::info!("demo data loaded");
    }
    // Units added since the last start (imports) get their labels.
    db.ensure_tags(&clock.now().to_rfc3339())
        .await
        .context("labelling new units")?;
    if let Some(url) = &config.smtp_url {
        let mailer = Mailer::new(url, &config.mail_from).context("setting up SMTP")?;
        spawn_worker(db.clone(), mailer, clock.clone());
    }
    crate::service::jobs::spawn_scheduler(db.clone(), clock.clone(), config.public_url());
    let assets = Assets::load(config.site_dir.clone());
    Ok(AppState::new(db, clock, config, assets))
}

/// Serves until Ctrl-C or SIGTERM, letting in-flight requests finish.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("binding {}", config.bind))?;
    let state = build_state(config, Arc::new(SystemClock)).await?;
    let url = state.config.public_url();
    let db = state.db.clone();
    let app = crate::http::router(state);
    tracing::info!(%url, "Leenpunt is listening");
    println!("\n  Leenpunt draait op {url}\n");
    if state_has_demo_users(&db).await {
        println!("  Demo-accounts (wachtwoord: {DEMO_PASSWORD}):");
        for (email, name, role, _) in DEMO_USERS {
            println!("    {:<34} {:<20} {}", email, name, role.code());
        }
        println!();
    }
    serve_app(listener, app, shutdown_signal()).await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down, finishing open requests");
}

/// Serves an app on a listener, with the client address available to handlers, until
/// `shutdown` completes (then in-flight requests finish).
pub async fn serve_app(
    listener: TcpListener,
    app: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

async fn state_has_demo_users(db: &Db) -> bool {
    match leenpunt_shared::Email::parse(DEMO_USERS[0].0) {
        Ok(email) => matches!(db.login_record(&email).await, Ok(Some(_))),
        Err(_) => false,
    }
}
