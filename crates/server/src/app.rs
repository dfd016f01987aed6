//! Building and running the server.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpServer, web};
use okno_db::Database;
use okno_domain::clock::{Clock, SystemClock};
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::passwords::PasswordHasher;
use crate::auth::tokens::{TokenKeys, signing_secret};
use crate::config::Settings;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::state::AppState;
use crate::{extract, openapi, request_context, routes, spa};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("database: {0}")]
    Database(#[from] okno_db::DbError),
    #[error("cannot listen on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Config(String),
}

impl From<ApiError> for StartupError {
    fn from(error: ApiError) -> Self {
        Self::Config(error.to_string())
    }
}

/// Connects to the database, applies pending migrations and prepares the shared state.
pub fn prepare(settings: Settings, clock: Arc<dyn Clock>) -> Result<AppState, StartupError> {
    let db = Database::connect(&settings.database_url, settings.database_pool_size)?;
    let applied = db.migrate()?;
    if applied > 0 {
        tracing::info!(
            applied,
            backend = db.backend().name(),
            "applied database migrations"
        );
        // Balances carried over and credit notes booked before allocation came pay what
        // they can once, like everything booked from now on.
        let mut conn = db.get()?;
        let settled = crate::payments::allocation::settle_all(&mut conn, clock.now())
            .map_err(|e| StartupError::Config(format!("cannot settle accounts: {e}")))?;
        drop(conn);
        if settled > 0 {
            tracing::info!(settled, "put customers' credit toward what they owe");
        }
    }
    let secret = signing_secret(&settings)?;
    let tokens = TokenKeys::new(&secret, &settings);
    let passwords = PasswordHasher::new(settings.password_hashing)?;
    let settings_password_turns = settings.concurrent_password_checks.max(1);
    let read_trail = crate::audit::ReadTrail::start(db.clone())
        .map_err(|e| StartupError::Config(format!("cannot start the audit writer: {e}")))?;
    let sessions = Arc::new(crate::auth::session_cache::SessionCache::new(
        settings.session_check_lifetime,
    ));
    let local_address = crate::state::LocalAddress::default();
    let gateway = crate::payments::online::gateway_of(&settings.online_payments, &local_address)
        .map_err(StartupError::Config)?;
    let couriers = crate::notifications::delivery::Couriers::of(&settings.notifications)
        .map_err(StartupError::Config)?;
    Ok(AppState {
        sessions,
        read_trail,
        db,
        settings: Arc::new(settings),
        clock,
        tokens: Arc::new(tokens),
        passwords: Arc::new(passwords),
        billing_runs: crate::billing::ActiveRuns::default(),
        password_turns: Arc::new(tokio::sync::Semaphore::new(settings_password_turns)),
        gateway,
        local_address,
        couriers,
    })
}

/// A bound, not yet running server.
pub struct Application {
    server: Server,
    port: u16,
    state: AppState,
}

impl Application {
    pub fn build(settings: Settings) -> Result<Self, StartupError> {
        Self::build_with_clock(settings, Arc::new(SystemClock))
    }

    pub fn build_with_clock(
        settings: Settings,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, StartupError> {
        let state = prepare(settings, clock)?;
        Self::serve(state)
    }

    /// Binds the listener and assembles the server around prepared state.
    pub fn serve(state: AppState) -> Result<Self, StartupError> {
        let address = state.settings.listen.clone();
        let listener = TcpListener::bind(&address).map_err(|source| StartupError::Listen {
            address: address.clone(),
            source,
        })?;
        let bound = listener
            .local_addr()
            .map_err(|source| StartupError::Listen { address, source })?;
        let port = bound.port();
        state.local_address.set(bound);
        let fake_gateway = match &state.settings.online_payments.gateway {
            crate::config::Gateway::Fake { webhook_secret } => {
                Some(crate::payments::online::fake::FakeGateway::new(
                    webhook_secret.clone(),
                    state.local_address.clone(),
                    state.clock.clone(),
                ))
            }
            _ => None,
        };
        let spec = Arc::new(openapi::spec());
        let routes = web::Data::new(openapi::RouteTable::of(&spec));
        let metrics = web::Data::new(Metrics::default());
        let data = web::Data::new(state.clone());
        let web_dir = state
            .settings
            .web_dir
            .clone()
            .filter(|dir| dir.join("index.html").is_file());
        let policy = web::Data::new(
            web_dir
                .as_deref()
                .map(spa::ContentSecurityPolicy::of_app)
                .unwrap_or_else(|| spa::ContentSecurityPolicy(String::new())),
        );
        let workers = state
            .settings
            .workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from));
        // Blocking work is database work (a connection each) and password checks (in turns):
        // more threads than that only wait for the pool, each with its own stack and heap.
        // actix's default is 512 / cores per worker.
        let blocking_threads = usize::try_from(state.settings.database_pool_size)
            .unwrap_or(usize::MAX)
            .saturating_add(state.settings.concurrent_password_checks)
            .max(2);
        if let Some(every) = state.settings.jobs_every {
            crate::jobs::spawn(state.clone(), every);
        }
        if let Some(every) = state.settings.notifications.deliver_every {
            crate::notifications::delivery::spawn(state.clone(), every);
        }

        let server = HttpServer::new(move || {
            let (app, _) = App::new()
                .app_data(data.clone())
                .app_data(metrics.clone())
                .app_data(routes.clone())
                .app_data(policy.clone())
                .app_data(extract::path_config())
                .wrap(Compress::default())
                .wrap(
                    DefaultHeaders::new()
                        .add(("x-content-type-options", "nosniff"))
                        .add(("x-frame-options", "DENY"))
                        .add(("referrer-policy", "no-referrer"))
                        .add((
                            "permissions-policy",
                            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
                        )),
                )
                .wrap(from_fn(spa::security_headers))
                .wrap(from_fn(extract::refuse_unknown_parameters))
                .wrap(from_fn(request_context::middleware))
                .wrap(from_fn(extract::whole_numbers_in_path))
                .into_utoipa_app()
                .service(
                    scope("/api/v1")
                        .configure(routes::api)
                        .default_service(web::to(spa::not_found)),
                )
                .configure(routes::infrastructure)
                .split_for_parts();
            let app = app
                .route(
                    "/api/openapi.json",
                    web::get().to({
                        let spec = spec.clone();
                        move || {
                            let spec = spec.clone();
                            async move { web::Json((*spec).clone()) }
                        }
                    }),
                )
                // The documentation lives under `/api/docs/`; its address without the slash
                // is what people type.
                .route(
                    "/api/docs",
                    web::get().to(|| async {
                        actix_web::HttpResponse::PermanentRedirect()
                            .insert_header((actix_web::http::header::LOCATION, "/api/docs/"))
                            .finish()
                    }),
                )
                .service(
                    SwaggerUi::new("/api/docs/{_:.*}")
                        .url("/api/docs/openapi.json", (*spec).clone()),
                );
            let app = match &fake_gateway {
                Some(fake) => app.configure(|cfg| {
                    crate::payments::online::fake::configure(cfg, fake.clone());
                }),
                None => app,
            };
            match &web_dir {
                Some(dir) => app.configure(|cfg| spa::configure(cfg, dir.clone())),
                None => app,
            }
            .default_service(web::to(spa::not_found))
        })
        .workers(workers)
        .worker_max_blocking_threads(blocking_threads)
        .listen(listener)
        .map_err(|source| StartupError::Listen {
            address: format!("port {port}"),
            source,
        })?
        .run();
        Ok(Self {
            server,
            port,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Runs until the server is stopped.
    /// Runs until the server is stopped, then writes the reads still queued for the audit log.
    pub async fn run(self) -> std::io::Result<()> {
        self.server.await?;
        self.state
            .flush_read_trail()
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))
    }

    pub fn into_server(self) -> Server {
        self.server
    }
}
