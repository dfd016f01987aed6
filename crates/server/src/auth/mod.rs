//! Sign-in and access (R-80..R-82).

pub mod cabinet_codes;
pub mod passwords;
pub mod principal;
pub mod session_cache;
pub mod sessions;
pub mod throttle;
pub mod tokens;

pub use principal::{Authenticated, Authorized, Principal, perm};
