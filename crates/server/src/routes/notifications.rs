//! Notifications: the outbox of messages to customers.

use actix_web::{get, web};
use okno_api_types::notifications::{Message, MessageQuery};
use okno_api_types::{Page, Problem};

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::error::ApiResult;
use crate::extract::Query;
use crate::notifications;
use crate::state::AppState;

/// Messages to customers, newest first: what each said, to which address, whether it was
/// sent or why not. Filter by customer for the card.
#[utoipa::path(
    tag = "notifications",
    params(MessageQuery),
    responses((status = 200, body = Page<Message>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("customers_read"))),
)]
#[get("/messages")]
pub async fn list_messages(
    auth: Authorized<perm::CustomersRead>,
    state: web::Data<AppState>,
    query: Query<MessageQuery>,
) -> ApiResult<web::Json<Page<Message>>> {
    let query = query.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let page = state
        .run(move |conn| {
            let page = notifications::page_of(conn, &query)?;
            let shown = page.items.iter().map(|m| m.customer_id);
            audit::record_read(conn, &principal, "message.list", shown, now)?;
            Ok(page)
        })
        .await?;
    Ok(web::Json(page))
}
