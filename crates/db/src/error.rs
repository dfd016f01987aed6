//! Database failures, classified so the server can answer each precisely.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("record not found")]
    NotFound,
    /// An update guarded by `version` found the record changed by someone else.
    #[error("the record was changed by someone else")]
    Stale,
    /// A unique rule was broken; the field is named by the query that knows which one it was.
    #[error("duplicate {0}")]
    Duplicate(&'static str),
    /// A referenced record does not exist.
    #[error("a referenced record does not exist: {0}")]
    MissingReference(String),
    /// The database is busy or unreachable; the request may be retried.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
    #[error("database configuration: {0}")]
    Config(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error(transparent)]
    Query(DieselError),
}

impl DbError {
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            Self::Query(DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }

    /// Maps a unique violation to [`DbError::Duplicate`] naming `field`; other errors pass.
    pub fn duplicate_of(self, field: &'static str) -> Self {
        if self.is_unique_violation() {
            Self::Duplicate(field)
        } else {
            self
        }
    }
}

impl From<DieselError> for DbError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                Self::MissingReference(info.message().to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Self::Unavailable(info.message().to_owned())
            }
            DieselError::DatabaseError(_, ref info)
                if info.message().contains("database is locked")
                    || info.message().contains("database is busy") =>
            {
                Self::Unavailable(info.message().to_owned())
            }
            DieselError::DeserializationError(e) => Self::Corrupt(e.to_string()),
            other => Self::Query(other),
        }
    }
}

impl From<diesel::ConnectionError> for DbError {
    fn from(error: diesel::ConnectionError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

impl From<r2d2::Error> for DbError {
    fn from(error: r2d2::Error) -> Self {
        Self::Unavailable(error.to_string())
    }
}

impl From<serde_json::Error> for DbError {
    fn from(error: serde_json::Error) -> Self {
        Self::Corrupt(error.to_string())
    }
}

pub type DbResult<T> = Result<T, DbError>;
