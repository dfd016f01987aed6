//! Payments (R-30..R-33): taking a payment on the card, the cashier's desk and till reports,
//! the payments list with reversal.

mod cards;
mod desk;
mod imports;
mod list;
mod take;

pub use cards::PrepaidCards;
pub use desk::{TillDesk, TillsPage};
pub use imports::PaymentImports;
pub use list::PaymentsPage;
pub use take::RedeemCard;
pub use take::TakePayment;
