//! The subscriber cabinet: activation, and the subscriber's own services, documents,
//! profile, consents and history.

mod activate;
mod billing;
mod forgot;
mod home;
mod online;
mod services;

pub use activate::Activate;
pub use forgot::ForgotPassword;
pub use home::CabinetHome;
pub use online::OnlinePaymentReturn;
