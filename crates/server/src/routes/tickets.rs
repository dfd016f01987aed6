//! Technical problems (R-50..R-53).

use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(_cfg: &mut ServiceConfig<'_>) {}
