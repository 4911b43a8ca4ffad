//! Building and running the application from its configuration.

use crate::config::Config;
use crate::db::Db;
use crate::domain::clock::{SharedClock, SystemClock};
use crate::service::accounts::{create_demo_users, DEMO_PASSWORD, DEMO_USERS};
use crate::service::import::{load_data_set, DEMO};
use crate::service::mailer::{spawn_worker, Mailer};
use crate::site::Assets;
use crate::state::AppState;
use anyhow::Context;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// Opens the database (creating and migrating it), loads the demo data into an empty
/// one when configured, and builds the state.
pub async fn build_state(config: Config, clock: SharedClock) -> anyhow::Result<AppState> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating data folder {}", config.data_dir.display()))?;
    }
    // Migrating and seeding, one instance at a time (released at the end of this function).
    let startup = crate::db::StartupLock::acquire(&config.database_url())
        .await
        .context("waiting for other instances starting on this database")?;
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
    drop(startup);
    if let Some(url) = &config.smtp_url {
        let mailer = Mailer::new(url, &config.mail_from).context("setting up SMTP")?;
        spawn_worker(db.clone(), mailer, clock.clone());
    }
    if config.run_jobs {
        crate::service::jobs::spawn_scheduler(
            db.clone(),
            clock.clone(),
            crate::service::jobs::JobSettings::from_config(&config),
        );
    }
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
    let limits = ConnectionLimits::from_config(&state.config);
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
    serve_app(listener, app, limits, shutdown_signal()).await?;
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

/// Limits on the connections one server accepts.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Open connections at most; further clients wait in the kernel's accept queue.
    pub max_connections: usize,
    /// A client must send a request's headers within this time, also when a kept-alive
    /// connection waits for its next request: slow-header and idle connections are closed.
    pub header_timeout: Duration,
}

impl ConnectionLimits {
    pub fn from_config(config: &Config) -> Self {
        ConnectionLimits {
            max_connections: config.max_connections.max(1),
            header_timeout: Duration::from_secs(config.header_timeout_secs.max(1)),
        }
    }
}

/// How long open requests may take to finish once shutdown starts.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves an app on a listener, with the client address available to handlers, until
/// `shutdown` completes (then in-flight requests finish, for at most 30 s).
pub async fn serve_app(
    listener: TcpListener,
    app: axum::Router,
    limits: ConnectionLimits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait a little, keep serving.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                request
            },
        );
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("open requests did not finish within the shutdown grace period");
    }
    Ok(())
}

async fn state_has_demo_users(db: &Db) -> bool {
    match leenpunt_shared::Email::parse(DEMO_USERS[0].0) {
        Ok(email) => matches!(db.login_record(&email).await, Ok(Some(_))),
        Err(_) => false,
    }
}
