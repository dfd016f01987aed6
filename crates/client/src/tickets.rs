//! Technical problems (R-50..R-53): tickets, departments and the SLA, diagnostic scripts,
//! incidents, technician visits.

use crate::Client;

impl Client {}
