//! Contracts as the business sees them (R-12..R-16): drafting, the lifecycle, tariff and
//! terms changes, and the documents they produce. Shared by the HTTP routes, the handling of
//! subscribers' requests, the scheduled jobs and the demo data.

pub mod lifecycle;
pub mod papers;
pub mod view;

pub use lifecycle::{
    ActionInput, apply_action, change_tariff, change_terms, create_draft, update_draft,
};
pub use view::{find_contract, load_contract};
