//! Widgets shared by the pages.

pub mod download;
pub mod filter;
pub mod forms;
pub mod latest;
pub mod layout;
pub mod paging;
pub mod search;
pub mod status;
pub mod toast;
