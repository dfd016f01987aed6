//! Payments (R-30..R-33): taking a payment on the card, the cashier's desk and till reports,
//! the payments list with reversal.

mod desk;
mod imports;
mod list;
mod take;

pub use desk::{TillDesk, TillsPage};
pub use imports::PaymentImports;
pub use list::PaymentsPage;
pub use take::TakePayment;
