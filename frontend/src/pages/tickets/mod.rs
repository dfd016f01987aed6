//! Technical problems (R-50..R-53) in the console: the queues with their SLA, one ticket with
//! its history and what staff do with it, the customer card's outage banner and tickets, the
//! diagnostic scripts walked with a customer and edited, incidents, the technicians' visits,
//! and the SLA and departments settings. The cabinet's side is in `pages::cabinet::tickets`,
//! which shares the badges, attachments and slot picking from here.

mod actions;
mod card;
mod incidents;
mod new;
mod parts;
mod queue;
mod runner;
mod scripts;
mod settings;
mod view;
mod visits;

pub use actions::{AttachForm, slot_hours, slots_by_day};
pub use card::{CustomerTickets, OutageBanner};
pub use incidents::{IncidentPage, IncidentsPage};
pub use new::NewTicketPage;
pub use parts::{Attachments, TicketStatusBadge};
pub use queue::TicketsPage;
pub use runner::ScriptRunner;
pub use scripts::{ScriptPage, ScriptsPage};
pub use settings::TicketSettingsPage;
pub use view::TicketPage;
pub use visits::VisitsPage;
