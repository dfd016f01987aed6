//! Payments (R-30..R-33): registration, the list, one payment, reversal, receipts; the
//! cashiers' tills.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use okno_api_types::payments::{
    BankCsvMapping, CardBatch, CardRedemption, CreatedCardBatch, CsvMapping,
    IDEMPOTENCY_KEY_HEADER, ImportLine, ImportLineQuery, LineAssignment, MyCardRedemption,
    NewCardBatch, NewPayment, NewPaymentImport, NewPaymentReversal, NewTill, Payment,
    PaymentImport, PaymentQuery, Till, TillClosing, TillQuery,
};
use okno_api_types::{FieldErrorCode, Page, PageQuery, Problem};

use crate::audit;
use crate::auth::{Authorized, perm};
use crate::error::{ApiError, ApiResult};
use crate::extract::{BulkJson, Json, Query};
use crate::payments::imports::{self, Imported};
use crate::payments::{self, Registered, cards, till};
use crate::responses;
use crate::state::AppState;

/// Register a payment received, put toward the customer's oldest open invoices
/// first; what is left stays as credit for the next invoice. Send an `Idempotency-Key`
/// to retry safely: the same key and body get the first answer again (201, the same body,
/// `Idempotent-Replayed: true`) and register nothing; the same key with another body is
/// `422 idempotency_key_reused`. A bank or gateway reference (`external_reference`) already
/// registered for the method is `409 payment_already_registered`.
#[utoipa::path(
    tag = "payments",
    params((
        "Idempotency-Key" = Option<String>, Header,
        description = "1 to 255 printable characters, unique per payment (a UUID does)"
    )),
    request_body = NewPayment,
    responses(
        (status = 201, body = Payment),
        (status = 409, body = Problem, description = "The bank or gateway reference is registered already"),
        (status = 422, body = Problem, description = "A field breaks a rule, or the key was used with another request"),
    ),
    extensions(("x-okno-permission" = json!("payments_register"))),
)]
#[post("/payments")]
pub async fn register_payment(
    auth: Authorized<perm::PaymentsRegister>,
    state: web::Data<AppState>,
    request: HttpRequest,
    body: Json<NewPayment>,
) -> ApiResult<HttpResponse> {
    let key = match request.headers().get(IDEMPOTENCY_KEY_HEADER) {
        Some(value) => Some(
            value
                .to_str()
                .map_err(|_| {
                    ApiError::field(
                        IDEMPOTENCY_KEY_HEADER,
                        FieldErrorCode::InvalidValue,
                        "printable ASCII characters only",
                    )
                })?
                .to_owned(),
        ),
        None => None,
    };
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let sender = state.sender();
    let registered = state
        .run(move |conn| payments::register(conn, &sender, &principal, &input, key.as_deref(), now))
        .await?;
    Ok(match registered {
        Registered::New(payment) => HttpResponse::Created().json(payment),
        Registered::Replayed(body) => HttpResponse::Created()
            .insert_header(("Idempotent-Replayed", "true"))
            .content_type("application/json")
            .body(body),
    })
}

/// Payments, newest first; filters by customer, method and the days received.
#[utoipa::path(
    tag = "payments",
    params(PaymentQuery),
    responses((status = 200, body = Page<Payment>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("payments_read"))),
)]
#[get("/payments")]
pub async fn list_payments(
    auth: Authorized<perm::PaymentsRead>,
    state: web::Data<AppState>,
    query: Query<PaymentQuery>,
) -> ApiResult<web::Json<Page<Payment>>> {
    let query = query.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let page = state
        .run(move |conn| {
            let page = payments::page_of(conn, &query)?;
            let shown = page.items.iter().map(|p| p.customer_id);
            audit::record_read(conn, &principal, "payment.list", shown, now)?;
            Ok(page)
        })
        .await?;
    Ok(web::Json(page))
}

/// A payment: what it paid, what is left of it, its reversal.
#[utoipa::path(
    tag = "payments",
    params(("id" = i64, Path, description = "Payment id")),
    responses((status = 200, body = Payment), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("payments_read"))),
)]
#[get("/payments/{id}")]
pub async fn get_payment(
    auth: Authorized<perm::PaymentsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Payment>> {
    let id = id.into_inner();
    let (principal, now) = (auth.principal, state.now());
    let payment = state
        .run(move |conn| {
            let payment = payments::staff_read(conn, id)?;
            audit::record_access(
                conn,
                &principal,
                "payment.read",
                Some(payment.customer_id),
                Some(format!("payment {id}")),
                now,
            )?;
            Ok(payment)
        })
        .await?;
    Ok(web::Json(payment))
}

/// Reverse a payment registered in error: the opposite entry is booked on the account and
/// what the payment paid is open again (other credit pays it, if there is any). A payment is
/// never changed or deleted.
#[utoipa::path(
    tag = "payments",
    params(("id" = i64, Path, description = "Payment id")),
    request_body = NewPaymentReversal,
    responses(
        (status = 200, body = Payment),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Reversed already"),
        (status = 422, body = Problem),
    ),
    extensions(("x-okno-permission" = json!("payments_reverse"))),
)]
#[post("/payments/{id}/reversal")]
pub async fn reverse_payment(
    auth: Authorized<perm::PaymentsReverse>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<NewPaymentReversal>,
) -> ApiResult<web::Json<Payment>> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let payment = state
        .run(move |conn| payments::reverse(conn, &principal, id, &input, now))
        .await?;
    Ok(web::Json(payment))
}

/// The payment's receipt (PDF) in the customer's language: the operator's data, who took it
/// and where, and what it settled.
#[utoipa::path(
    tag = "payments",
    params(("id" = i64, Path, description = "Payment id")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("payments_read"))),
)]
#[get("/payments/{id}/receipt")]
pub async fn payment_receipt(
    auth: Authorized<perm::PaymentsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let (principal, now) = (auth.principal, state.now());
    let operator = state.settings.operator.clone();
    let (number, content) = state
        .run(move |conn| {
            let receipt = payments::receipt(conn, &operator, id)?;
            let customer = payments::find(conn, id)?.customer_id;
            audit::record_access(
                conn,
                &principal,
                "payment.receipt",
                Some(customer),
                Some(receipt.0.clone()),
                now,
            )?;
            Ok(receipt)
        })
        .await?;
    Ok(responses::pdf(&number, content))
}

/// Open the caller's till at their sales point with a float. One open till per
/// cashier: `409 till_already_open` otherwise.
#[utoipa::path(
    tag = "payments",
    request_body = NewTill,
    responses(
        (status = 201, body = Till),
        (status = 403, body = Problem, description = "The account has no sales point"),
        (status = 409, body = Problem, description = "A till of the caller's is open"),
        (status = 422, body = Problem),
    ),
    extensions(("x-okno-permission" = json!("till_operate"))),
)]
#[post("/tills")]
pub async fn open_till(
    auth: Authorized<perm::TillOperate>,
    state: web::Data<AppState>,
    body: Json<NewTill>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let till = state
        .run(move |conn| till::open(conn, &principal, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(till))
}

/// The caller's open till: what it holds now.
#[utoipa::path(
    tag = "payments",
    responses((status = 200, body = Till), (status = 404, body = Problem, description = "No till of the caller's is open")),
    extensions(("x-okno-permission" = json!("till_operate"))),
)]
#[get("/tills/current")]
pub async fn current_till(
    auth: Authorized<perm::TillOperate>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Till>> {
    let principal = auth.principal;
    let till = state
        .run(move |conn| till::current(conn, &principal))
        .await?;
    Ok(web::Json(till))
}

/// Close the caller's till with the cash counted; the difference from what it should hold
/// (the float and the cash taken) is kept. Only its cashier closes it.
#[utoipa::path(
    tag = "payments",
    params(("id" = i64, Path, description = "Till id")),
    request_body = TillClosing,
    responses(
        (status = 200, body = Till),
        (status = 403, body = Problem, description = "Another cashier's till"),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Closed already"),
        (status = 422, body = Problem),
    ),
    extensions(("x-okno-permission" = json!("till_operate"))),
)]
#[post("/tills/{id}/close")]
pub async fn close_till(
    auth: Authorized<perm::TillOperate>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<TillClosing>,
) -> ApiResult<web::Json<Till>> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let till = state
        .run(move |conn| till::close(conn, &principal, id, &input, now))
        .await?;
    Ok(web::Json(till))
}

/// Tills, newest first, with what each took and, once closed, the difference: a manager's
/// of their own sales point (another point is `403`).
#[utoipa::path(
    tag = "payments",
    params(TillQuery),
    responses((status = 200, body = Page<Till>), (status = 403, body = Problem), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("tills_read"))),
)]
#[get("/tills")]
pub async fn list_tills(
    auth: Authorized<perm::TillsRead>,
    state: web::Data<AppState>,
    query: Query<TillQuery>,
) -> ApiResult<web::Json<Page<Till>>> {
    let query = query.into_inner()?;
    let principal = auth.principal;
    let page = state
        .run(move |conn| till::page_of(conn, &principal, &query))
        .await?;
    Ok(web::Json(page))
}

/// One till and what it took.
#[utoipa::path(
    tag = "payments",
    params(("id" = i64, Path, description = "Till id")),
    responses((status = 200, body = Till), (status = 403, body = Problem), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("tills_read"))),
)]
#[get("/tills/{id}")]
pub async fn get_till(
    auth: Authorized<perm::TillsRead>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<Till>> {
    let id = id.into_inner();
    let principal = auth.principal;
    let till = state
        .run(move |conn| till::read(conn, &principal, id))
        .await?;
    Ok(web::Json(till))
}

/// Import a bank statement (camt.053, MT940, or a CSV read by the bank's saved mapping). Each
/// credit line is matched by the customer's account number or an invoice number in its title
/// (whatever the case and separators) and registered, or left unmatched for staff, or skipped
/// as a duplicate of a line imported before. A file that cannot be read is refused whole
/// (`422 statement_malformed` naming the line); the same file again answers `200` with the
/// first import and changes nothing.
#[utoipa::path(
    tag = "payments",
    request_body = NewPaymentImport,
    responses(
        (status = 201, body = PaymentImport),
        (status = 200, body = PaymentImport, description = "The same file was imported before"),
        (status = 422, body = Problem, description = "A field breaks a rule, or the file cannot be read (`statement_malformed`)"),
    ),
    extensions(("x-okno-permission" = json!("payments_import"))),
)]
#[post("/payment-imports")]
pub async fn import_statement(
    auth: Authorized<perm::PaymentsImport>,
    state: web::Data<AppState>,
    body: BulkJson<NewPaymentImport>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let settings = state.settings.clone();
    let imported = state
        .run(move |conn| imports::import_upload(conn, &principal, &settings, &input, now))
        .await?;
    Ok(match imported {
        Imported::New(import) => HttpResponse::Created().json(import),
        Imported::Again(import) => HttpResponse::Ok().json(import),
    })
}

/// Imported statements, newest first, with their counts.
#[utoipa::path(
    tag = "payments",
    params(PageQuery),
    responses((status = 200, body = Page<PaymentImport>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("payments_import"))),
)]
#[get("/payment-imports")]
pub async fn list_imports(
    _auth: Authorized<perm::PaymentsImport>,
    state: web::Data<AppState>,
    query: Query<PageQuery>,
) -> ApiResult<web::Json<Page<PaymentImport>>> {
    let query = query.into_inner()?;
    let page = state
        .run(move |conn| imports::page_of(conn, query.limit, query.cursor.as_deref()))
        .await?;
    Ok(web::Json(page))
}

/// An imported statement with each line and what became of it.
#[utoipa::path(
    tag = "payments",
    params(("id" = i64, Path, description = "Import id")),
    responses((status = 200, body = PaymentImport), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("payments_import"))),
)]
#[get("/payment-imports/{id}")]
pub async fn get_import(
    _auth: Authorized<perm::PaymentsImport>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<web::Json<PaymentImport>> {
    let id = id.into_inner();
    let import = state.run(move |conn| imports::find(conn, id)).await?;
    Ok(web::Json(import))
}

/// Statement lines by outcome, oldest first; `unmatched` (the default) is the queue of
/// transfers no customer could be told from.
#[utoipa::path(
    tag = "payments",
    params(ImportLineQuery),
    responses((status = 200, body = Page<ImportLine>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("payments_import"))),
)]
#[get("/payment-import-lines")]
pub async fn list_import_lines(
    _auth: Authorized<perm::PaymentsImport>,
    state: web::Data<AppState>,
    query: Query<ImportLineQuery>,
) -> ApiResult<web::Json<Page<ImportLine>>> {
    let query = query.into_inner()?;
    let page = state
        .run(move |conn| imports::lines_page(conn, &query))
        .await?;
    Ok(web::Json(page))
}

/// Assign an unmatched line to its customer: it is registered as their payment under the
/// bank's reference. A line matched or assigned already is `409 line_already_assigned`.
#[utoipa::path(
    tag = "payments",
    params(("id" = i64, Path, description = "Statement line id")),
    request_body = LineAssignment,
    responses(
        (status = 200, body = ImportLine),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Matched or assigned already"),
        (status = 422, body = Problem),
    ),
    extensions(("x-okno-permission" = json!("payments_import"))),
)]
#[post("/payment-import-lines/{id}/assignment")]
pub async fn assign_import_line(
    auth: Authorized<perm::PaymentsImport>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: Json<LineAssignment>,
) -> ApiResult<web::Json<ImportLine>> {
    let id = id.into_inner();
    let input = body.into_inner()?;
    let (principal, now, sender) = (auth.principal, state.now(), state.sender());
    let line = state
        .run(move |conn| imports::assign(conn, &sender, &principal, id, &input, now))
        .await?;
    Ok(web::Json(line))
}

/// The banks' saved CSV mappings.
#[utoipa::path(
    tag = "payments",
    responses((status = 200, body = Vec<BankCsvMapping>)),
    extensions(("x-okno-permission" = json!("payments_import"))),
)]
#[get("/bank-csv-mappings")]
pub async fn list_csv_mappings(
    _auth: Authorized<perm::PaymentsImport>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<BankCsvMapping>>> {
    let mappings = state.run(imports::mappings).await?;
    Ok(web::Json(mappings))
}

/// Save how a bank's CSV export is read, replacing what was saved for it.
#[utoipa::path(
    tag = "payments",
    params(("bank" = String, Path, description = "The bank's name, as named when importing")),
    request_body = CsvMapping,
    responses((status = 200, body = BankCsvMapping), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("payments_import"))),
)]
#[put("/bank-csv-mappings/{bank}")]
pub async fn save_csv_mapping(
    auth: Authorized<perm::PaymentsImport>,
    state: web::Data<AppState>,
    bank: web::Path<String>,
    body: Json<CsvMapping>,
) -> ApiResult<web::Json<BankCsvMapping>> {
    let bank = bank.into_inner();
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let saved = state
        .run(move |conn| imports::save_mapping(conn, &principal, &bank, &input, now))
        .await?;
    Ok(web::Json(saved))
}

/// Make a batch of prepaid express-payment cards. The answer carries the codes for printing
/// (`codes_csv`): shown this once, kept only hashed.
#[utoipa::path(
    tag = "payments",
    request_body = NewCardBatch,
    responses((status = 201, body = CreatedCardBatch), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("prepaid_cards_manage"))),
)]
#[post("/prepaid-card-batches")]
pub async fn create_card_batch(
    auth: Authorized<perm::PrepaidCardsManage>,
    state: web::Data<AppState>,
    body: Json<NewCardBatch>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let (principal, now) = (auth.principal, state.now());
    let created = state
        .run(move |conn| cards::create_batch(conn, &principal, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Batches of prepaid cards, newest first, with how many of each are redeemed.
#[utoipa::path(
    tag = "payments",
    responses((status = 200, body = Vec<CardBatch>)),
    extensions(("x-okno-permission" = json!("prepaid_cards_manage"))),
)]
#[get("/prepaid-card-batches")]
pub async fn list_card_batches(
    _auth: Authorized<perm::PrepaidCardsManage>,
    state: web::Data<AppState>,
) -> ApiResult<web::Json<Vec<CardBatch>>> {
    let batches = state.run(cards::batches).await?;
    Ok(web::Json(batches))
}

/// Redeem a prepaid card at a desk onto `customer_id`'s account: a payment of its value, put
/// toward what the customer owes. A card is redeemed once (`409 card_already_redeemed`);
/// a code no card has is `422 invalid_card_code` and counts toward a pause (`429`) for the
/// account and the address.
#[utoipa::path(
    tag = "payments",
    request_body = CardRedemption,
    responses(
        (status = 201, body = Payment),
        (status = 409, body = Problem, description = "Redeemed already"),
        (status = 422, body = Problem, description = "A mistyped code, no such card (`invalid_card_code`), or past its last day (`card_expired`)"),
        (status = 429, body = Problem, description = "Too many wrong codes lately"),
    ),
    extensions(("x-okno-permission" = json!("payments_register"))),
)]
#[post("/prepaid-cards/redemption")]
pub async fn redeem_card(
    auth: Authorized<perm::PaymentsRegister>,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<CardRedemption>,
) -> ApiResult<HttpResponse> {
    let input = body.into_inner()?;
    let customer = input.customer_id;
    state
        .run(move |conn| crate::customers::find_referenced(conn, "customer_id", customer))
        .await?;
    let address = crate::request_context::client_address(&req);
    let payment = cards::redeem(&state, auth.principal, customer, &input.code, address).await?;
    Ok(HttpResponse::Created().json(payment))
}

/// The subscriber redeems a prepaid card onto their own account.
#[utoipa::path(
    tag = "cabinet",
    request_body = MyCardRedemption,
    responses(
        (status = 201, body = Payment),
        (status = 409, body = Problem, description = "Redeemed already"),
        (status = 422, body = Problem, description = "A mistyped code, no such card (`invalid_card_code`), or past its last day (`card_expired`)"),
        (status = 429, body = Problem, description = "Too many wrong codes lately"),
    ),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[post("/me/prepaid-cards/redemption")]
pub async fn redeem_my_card(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<MyCardRedemption>,
) -> ApiResult<HttpResponse> {
    let customer_id = auth.principal.own_customer_id()?;
    let input = body.into_inner()?;
    let address = crate::request_context::client_address(&req);
    let payment = cards::redeem(&state, auth.principal, customer_id, &input.code, address).await?;
    Ok(HttpResponse::Created().json(payment))
}

/// The subscriber's own payments, newest first, with what each paid.
#[utoipa::path(
    tag = "cabinet",
    params(PageQuery),
    responses((status = 200, body = Page<Payment>), (status = 422, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/payments")]
pub async fn my_payments(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    query: Query<PageQuery>,
) -> ApiResult<web::Json<Page<Payment>>> {
    let customer_id = auth.principal.own_customer_id()?;
    let query = query.into_inner()?;
    let page = state
        .run(move |conn| payments::my_payments(conn, customer_id, &query))
        .await?;
    Ok(web::Json(page))
}

/// The receipt (PDF) of one of the subscriber's own payments; another customer's is a 404.
#[utoipa::path(
    tag = "cabinet",
    params(("id" = i64, Path, description = "Payment id")),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = Problem)),
    extensions(("x-okno-permission" = json!("self_service"))),
)]
#[get("/me/payments/{id}/receipt")]
pub async fn my_payment_receipt(
    auth: Authorized<perm::SelfService>,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let customer_id = auth.principal.own_customer_id()?;
    let id = id.into_inner();
    let operator = state.settings.operator.clone();
    let (number, content) = state
        .run(move |conn| payments::my_receipt(conn, &operator, customer_id, id))
        .await?;
    Ok(responses::pdf(&number, content))
}
