//! Administration: staff users, sales points, topics, API keys and the audit log.

mod api_keys;
mod audit;
mod sales_points;
mod topics;
mod users;

pub use api_keys::ApiKeys;
pub use audit::AuditLog;
pub use sales_points::SalesPoints;
pub use topics::Topics;
pub use users::Users;
