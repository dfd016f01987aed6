//! Okno's HTTP server: the REST API under `/api/v1`, sign-in and roles, the OpenAPI document
//! and viewer, health and metrics, and the single-page app at `/`.
//!
//! Handlers are thin: they parse the request ([`extract`]), declare and check their permission
//! ([`auth::Authorized`]), call the domain and the database off the async reactor
//! ([`state::AppState::run`]), and map the result. Every failure becomes a problem answer in
//! one place ([`error::ApiError`]).

pub mod api_keys;
pub mod app;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod complaints;
pub mod config;
pub mod contracts;
pub mod customers;
pub mod demo;
pub mod documents;
pub mod error;
pub mod extract;
pub mod jobs;
pub mod knowledge;
pub mod metrics;
pub mod notifications;
pub mod openapi;
pub mod pagination;
pub mod payments;
pub mod reference;
pub mod request_context;
pub mod responses;
pub mod routes;
pub mod spa;
pub mod state;
pub mod stored_json;
pub mod tariffs;
pub mod tickets;
pub mod time;
pub mod users;

pub use app::{Application, StartupError, prepare};
pub use config::{PasswordHashing, Settings};
pub use state::AppState;
