//! The signed-in principal and its tokens, kept in `localStorage` so a reload keeps the user
//! signed in; the access token is renewed silently before it expires.
//!
//! Several tabs share one session. Before renewing, a tab re-reads the storage: if another
//! tab renewed already, it adopts that pair instead of spending its own (spent) refresh token,
//! which the server would treat as a stolen token and end the session.

use leptos::prelude::*;
use okno_api_types::Permission;
use okno_api_types::auth::{Me, PrincipalKind, TokenPair};
use okno_client::Client;
use serde::{Deserialize, Serialize};

use crate::time::now_ms;

const STORAGE_KEY: &str = "okno.session";
/// Renew when the access token has less than this left.
const RENEW_BEFORE_MS: f64 = 90_000.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSession {
    pub access_token: String,
    pub refresh_token: String,
    pub access_expires_at_ms: f64,
    pub me: Me,
}

impl StoredSession {
    fn from_pair(pair: TokenPair) -> Self {
        Self {
            access_expires_at_ms: now_ms() + pair.expires_in as f64 * 1000.0,
            access_token: pair.access_token,
            refresh_token: pair.refresh_token,
            me: pair.principal,
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn read_stored() -> Option<StoredSession> {
    let text = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

fn write_stored(session: Option<&StoredSession>) {
    let Some(storage) = storage() else { return };
    match session.and_then(|s| serde_json::to_string(s).ok()) {
        Some(text) => {
            let _ = storage.set_item(STORAGE_KEY, &text);
        }
        None => {
            let _ = storage.remove_item(STORAGE_KEY);
        }
    }
}

/// The base URL of the API: the origin the app was loaded from.
pub fn origin() -> String {
    window()
        .location()
        .origin()
        .unwrap_or_else(|_| "http://127.0.0.1:8080".into())
}

#[derive(Debug, Clone, Copy)]
pub struct Session {
    state: RwSignal<Option<StoredSession>>,
}

impl Session {
    pub fn load() -> Self {
        Self {
            state: RwSignal::new(read_stored()),
        }
    }

    pub fn me(&self) -> Option<Me> {
        self.state.with(|s| s.as_ref().map(|s| s.me.clone()))
    }

    pub fn is_signed_in(&self) -> bool {
        self.state.with(Option::is_some)
    }

    pub fn kind(&self) -> Option<PrincipalKind> {
        self.state.with(|s| s.as_ref().map(|s| s.me.kind))
    }

    pub fn has(&self, permission: Permission) -> bool {
        self.state.with(|s| {
            s.as_ref()
                .is_some_and(|s| s.me.permissions.contains(&permission))
        })
    }

    /// An anonymous client of the server.
    pub fn anonymous(&self) -> Client {
        Client::new(&origin()).unwrap_or_else(|_| unreachable_client())
    }

    /// A client presenting the current access token.
    pub fn client(&self) -> Client {
        let client = self.anonymous();
        match self
            .state
            .with_untracked(|s| s.as_ref().map(|s| s.access_token.clone()))
        {
            Some(token) => client.with_token(&token),
            None => client,
        }
    }

    pub fn sign_in(&self, pair: TokenPair) {
        let stored = StoredSession::from_pair(pair);
        write_stored(Some(&stored));
        self.state.set(Some(stored));
    }

    pub fn sign_out(&self) {
        write_stored(None);
        self.state.set(None);
    }

    /// Replaces the principal after a change of its own data (language, name).
    pub fn update_me(&self, update: impl FnOnce(&mut Me)) {
        self.state.update(|s| {
            if let Some(s) = s {
                update(&mut s.me);
                write_stored(Some(s));
            }
        });
    }

    pub fn needs_renewal(&self) -> bool {
        self.state.with_untracked(|s| {
            s.as_ref()
                .is_some_and(|s| s.access_expires_at_ms - now_ms() < RENEW_BEFORE_MS)
        })
    }

    /// Renews the access token; `false` when the session is over.
    pub async fn renew(&self) -> bool {
        // Another tab may have renewed already.
        if let Some(stored) = read_stored() {
            let ours = self
                .state
                .with_untracked(|s| s.as_ref().map(|s| s.refresh_token.clone()));
            if ours.as_deref() != Some(stored.refresh_token.as_str())
                && stored.access_expires_at_ms - now_ms() > RENEW_BEFORE_MS
            {
                self.state.set(Some(stored));
                return true;
            }
        }
        let Some(refresh_token) = self
            .state
            .with_untracked(|s| s.as_ref().map(|s| s.refresh_token.clone()))
        else {
            return false;
        };
        match self.anonymous().refresh(&refresh_token).await {
            Ok(pair) => {
                self.sign_in(pair);
                true
            }
            Err(error) if error.status() == Some(401) => {
                self.sign_out();
                false
            }
            // The server could not be reached: keep the session and try again later.
            Err(_) => self.is_signed_in(),
        }
    }

    /// Keeps the access token fresh while the app is open.
    pub fn keep_fresh(self) {
        leptos::task::spawn_local(async move {
            loop {
                gloo_timers::future::sleep(std::time::Duration::from_secs(15)).await;
                if self.is_signed_in_untracked() && self.needs_renewal() {
                    self.renew().await;
                }
            }
        });
    }

    fn is_signed_in_untracked(&self) -> bool {
        self.state.with_untracked(Option::is_some)
    }
}

#[expect(clippy::panic, reason = "the page's own origin is always a valid URL")]
fn unreachable_client() -> Client {
    panic!("the page origin is not a URL")
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
