//! Notifications: the outbox with the addresses that bounce, the template editor, and
//! the customer's choice of what they are told by which channel (on the card and in the
//! cabinet).

mod bounces;
mod outbox;
mod preferences;
mod templates;

pub use outbox::{OutboxPage, shown_error, status_badge};
pub use preferences::{NotificationPreferences, Whose};
pub use templates::MessageTemplates;
