//! Calls to the server with the session's token; an expired token is renewed once and the
//! call repeated, and a session that cannot be renewed sends the user back to sign in.

use okno_api_types::{ErrorCode, Problem};
use okno_client::{Client, ClientError};

use crate::session::Session;

/// Why a call failed, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The server refused; the problem says why, per field where it applies.
    Refused(Problem),
    /// The server could not be reached.
    Offline(String),
}

impl Failure {
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Refused(problem) => Some(problem),
            Self::Offline(_) => None,
        }
    }

    pub fn code(&self) -> Option<ErrorCode> {
        self.problem().map(|p| p.code)
    }

    /// Whether the server named fields, for a form to show at them.
    pub fn has_field_errors(&self) -> bool {
        self.problem().is_some_and(|p| !p.errors.is_empty())
    }
}

impl From<ClientError> for Failure {
    fn from(error: ClientError) -> Self {
        match error {
            ClientError::Api(problem) => Self::Refused(*problem),
            other => Self::Offline(other.to_string()),
        }
    }
}

fn is_expired(error: &ClientError) -> bool {
    error.problem().is_some_and(|p| {
        p.status == 401 && matches!(p.code, ErrorCode::TokenExpired | ErrorCode::InvalidToken)
    })
}

/// Runs `call` with the session's client, renewing the token once if the server says it
/// expired. `call` may run twice, so it lends the request body rather than giving it away:
/// `api::call(session, async |client| client.create_topic(&topic).await)`. An `async move`
/// closure keeps the body itself, for a call awaited after the caller's scope has ended
/// (`Latest::spawn`, `Pages::load`).
pub async fn call<T>(
    session: Session,
    call: impl AsyncFn(Client) -> Result<T, ClientError>,
) -> Result<T, Failure> {
    match call(session.client()).await {
        Err(error) if is_expired(&error) => {
            if session.renew().await {
                call(session.client()).await.map_err(Failure::from)
            } else {
                Err(Failure::from(error))
            }
        }
        other => other.map_err(Failure::from),
    }
}

/// The customer whose account number is `digits`, found through the search (which matches
/// account numbers); `None` when nobody has it or the search fails.
pub async fn customer_with_account(
    session: Session,
    digits: String,
) -> Option<okno_api_types::customers::CustomerSummary> {
    let query = okno_api_types::customers::CustomerQuery {
        q: Some(digits.clone()),
        limit: Some(5),
        ..Default::default()
    };
    call(session, async |client| client.customers(&query).await)
        .await
        .ok()
        .and_then(|page| page.items.into_iter().find(|c| c.account_number == digits))
}
