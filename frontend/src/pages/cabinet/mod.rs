//! The subscriber cabinet: activation, and the subscriber's own services, documents,
//! profile, consents, history and complaints.

mod activate;
mod billing;
mod complaints;
mod forgot;
mod home;
mod online;
mod services;
mod tickets;

pub use activate::Activate;
pub use complaints::{FileComplaint, MyComplaintPage, MyComplaints};
pub use forgot::ForgotPassword;
pub use home::CabinetHome;
pub use online::OnlinePaymentReturn;
pub use tickets::{Faq, MyTicketPage, MyTickets, ReportFault};
