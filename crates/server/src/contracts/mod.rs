//! Contracts as the business sees them (R-12..R-16): drafting, the lifecycle, tariff and
//! terms changes, and the documents they produce. The rules are `okno_domain::contracts`;
//! this is the service shared by the HTTP routes, the handling of subscribers' requests, the
//! scheduled jobs and the demo data.

pub mod changes;
pub mod drafts;
pub mod lifecycle;
pub mod papers;
pub mod reads;
pub mod requests;
pub mod view;

pub use changes::{change_tariff, change_terms};
pub use drafts::{create_draft, update_draft};
pub use lifecycle::{ActionInput, Actor, apply_action};
pub use view::{find_contract, load_contract};
