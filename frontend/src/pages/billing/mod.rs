//! Billing in the console: billing runs, invoices and correction notes, the account and
//! meters on the customer card.

mod account;
mod invoice;
mod invoices;
mod meters;
mod runs;

pub use account::{AccountPanel, AccountSummary};
pub use invoice::InvoicePage;
pub use invoices::InvoicesPage;
pub use meters::MetersPanel;
pub use runs::BillingRuns;
