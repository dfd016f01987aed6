//! Who is calling: the principal behind a bearer token (staff or subscriber JWT) or an API key,
//! and the extractors through which every endpoint declares the permission it needs.

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::{DateTime, Utc};
use futures_util::future::LocalBoxFuture;
use okno_api_types::auth::{Me, PrincipalKind};
use okno_api_types::{Language, Permission, Role};
use okno_db::auth::{ApiKeyRecord, CabinetAccountRecord, SessionRecord};
use okno_db::customers::{CustomerRecord, RecordedBy};
use okno_db::users::UserRecord;
use okno_db::{DbConnection, DbError};
use okno_domain::access::{integration_grantable, role_permissions};

use super::tokens::{hash_secret, hashes_match};
use crate::error::{ApiError, ApiResult};
use crate::request_context::current_request_id;
use crate::state::AppState;
use crate::time::{from_db, to_db};

/// API keys look like `okno_<prefix>_<secret>`, so they are told apart from JWTs at a glance.
pub const API_KEY_PREFIX: &str = "okno_";

#[derive(Debug, Clone)]
pub struct Principal {
    pub kind: PrincipalKind,
    /// User id, customer id or API key id, by kind.
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub sales_point_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub preferred_language: Option<Language>,
    pub session_id: Option<i64>,
    pub permissions: Vec<Permission>,
    pub password_changed_at: Option<DateTime<Utc>>,
    /// The request this principal was authenticated for, carried into audit records written
    /// on the blocking pool.
    pub request_id: Option<String>,
    /// Why a staff member reads (the `x-access-purpose` header), written with each audited
    /// read.
    pub purpose: Option<String>,
    /// Where this request's reads of personal data are recorded; without one they are
    /// written in the request.
    pub read_trail: Option<crate::audit::ReadTrail>,
}

/// How what a subscriber does in the cabinet is signed in the records.
pub const SUBSCRIBER_RECORDED_AS: &str = "customer (cabinet)";

impl Principal {
    /// A command run on the server (`okno import`), holding `permissions`; recorded under
    /// `name`.
    pub fn command_line(name: &str, permissions: Vec<Permission>) -> Self {
        Self {
            kind: PrincipalKind::Integration,
            id: 0,
            username: name.to_owned(),
            display_name: name.to_owned(),
            role: Role::Integration,
            sales_point_id: None,
            customer_id: None,
            preferred_language: None,
            session_id: None,
            permissions,
            password_changed_at: None,
            request_id: None,
            purpose: None,
            read_trail: None,
        }
    }

    /// The subscriber's own customer: what every `/me` endpoint works on.
    pub fn own_customer_id(&self) -> Result<i64, ApiError> {
        self.customer_id
            .ok_or(ApiError::Forbidden(Permission::SelfService))
    }

    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.contains(&permission)
    }

    pub fn require(&self, permission: Permission) -> ApiResult<()> {
        if self.has(permission) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(permission))
        }
    }

    /// The staff user behind the request, if it is one.
    pub fn user_id(&self) -> Option<i64> {
        (self.kind == PrincipalKind::Staff).then_some(self.id)
    }

    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            PrincipalKind::Staff => "staff",
            PrincipalKind::Subscriber => "subscriber",
            PrincipalKind::Integration => "integration",
        }
    }

    /// How records show who made a change.
    pub fn recorded_by(&self) -> RecordedBy {
        let label = match self.kind {
            PrincipalKind::Staff => self.display_name.clone(),
            PrincipalKind::Subscriber => SUBSCRIBER_RECORDED_AS.to_owned(),
            PrincipalKind::Integration => format!("integration: {}", self.username),
        };
        RecordedBy {
            label,
            user_id: self.user_id(),
        }
    }

    pub fn me(&self, password_max_age: Option<chrono::Duration>, now: DateTime<Utc>) -> Me {
        let password_change_due = match (password_max_age, self.password_changed_at) {
            (Some(max_age), Some(changed)) => now - changed > max_age,
            _ => false,
        };
        Me {
            kind: self.kind,
            id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            sales_point_id: self.sales_point_id,
            customer_id: self.customer_id,
            preferred_language: self.preferred_language,
            permissions: self.permissions.clone(),
            password_changed_at: self.password_changed_at,
            password_change_due,
        }
    }

    pub fn staff(user: &UserRecord, session_id: Option<i64>) -> Self {
        Self {
            kind: PrincipalKind::Staff,
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            sales_point_id: user.sales_point_id,
            customer_id: None,
            preferred_language: None,
            session_id,
            permissions: role_permissions(user.role).to_vec(),
            password_changed_at: Some(from_db(user.password_changed_at)),
            request_id: current_request_id(),
            purpose: None,
            read_trail: None,
        }
    }

    pub fn subscriber(
        customer: &CustomerRecord,
        account: &CabinetAccountRecord,
        session_id: Option<i64>,
    ) -> Self {
        Self {
            kind: PrincipalKind::Subscriber,
            id: customer.id,
            username: customer.account_number.clone(),
            display_name: customer.display_name.clone(),
            role: Role::Subscriber,
            sales_point_id: None,
            customer_id: Some(customer.id),
            preferred_language: Some(customer.preferred_language),
            session_id,
            permissions: role_permissions(Role::Subscriber).to_vec(),
            password_changed_at: account.password_changed_at.map(from_db),
            request_id: current_request_id(),
            purpose: None,
            read_trail: None,
        }
    }
}

/// The subject claim of a session's tokens.
pub fn subject_of(kind: PrincipalKind, id: i64) -> String {
    match kind {
        PrincipalKind::Staff => format!("staff:{id}"),
        PrincipalKind::Subscriber => format!("subscriber:{id}"),
        PrincipalKind::Integration => format!("integration:{id}"),
    }
}

/// Loads a session's principal if the session is open and the principal still may log in.
pub fn load_session_principal(
    conn: &mut DbConnection,
    session: &SessionRecord,
    now: DateTime<Utc>,
) -> ApiResult<Option<Principal>> {
    let staff = match session.principal_kind.as_str() {
        "staff" => match UserRecord::find(conn, session.principal_id) {
            Ok(user) => Some(user),
            Err(DbError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        _ => None,
    };
    principal_of_session(conn, session, staff, now)
}

/// The principal of an open session: the staff user read with it (`staff`, see
/// [`SessionRecord::find_with_staff`]), or the subscriber, read here.
fn principal_of_session(
    conn: &mut DbConnection,
    session: &SessionRecord,
    staff: Option<UserRecord>,
    now: DateTime<Utc>,
) -> ApiResult<Option<Principal>> {
    if !session.is_open(to_db(now)) {
        return Ok(None);
    }
    match session.principal_kind.as_str() {
        "staff" => Ok(staff
            .filter(|user| user.active)
            .map(|user| Principal::staff(&user, Some(session.id)))),
        "subscriber" => {
            let customer = match CustomerRecord::find(conn, session.principal_id) {
                Ok(customer) => customer,
                Err(DbError::NotFound) => return Ok(None),
                Err(e) => return Err(e.into()),
            };
            let account = CabinetAccountRecord::find(conn, customer.id)?;
            Ok(account
                .filter(|a| a.active)
                .map(|a| Principal::subscriber(&customer, &a, Some(session.id))))
        }
        _ => Ok(None),
    }
}

fn bearer_token(req: &HttpRequest) -> ApiResult<String> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthenticated)?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::InvalidToken("malformed header"))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or(ApiError::InvalidToken("expected a Bearer token"))?;
    Ok(token.trim().to_owned())
}

async fn authenticate(state: web::Data<AppState>, token: String) -> ApiResult<Principal> {
    let now = state.now();
    let request_id = current_request_id();
    let mut principal = if token.starts_with(API_KEY_PREFIX) {
        state
            .run(move |conn| api_key_principal(conn, &token, now))
            .await?
    } else {
        let claims = state.tokens.verify(&token, now)?;
        let session_id = claims.sid;
        let subject = claims.sub;
        let cached = state
            .sessions
            .get(session_id, now)
            .filter(|p| subject_of(p.kind, p.id) == subject);
        if let Some(principal) = cached {
            return Ok(Principal {
                request_id,
                ..principal
            });
        }
        let generation = state.sessions.generation();
        let sessions = state.sessions.clone();
        state
            .run(move |conn| {
                let (session, staff) = match SessionRecord::find_with_staff(conn, session_id) {
                    Ok(found) => found,
                    Err(DbError::NotFound) => {
                        return Err(ApiError::InvalidToken("unknown session"));
                    }
                    Err(e) => return Err(e.into()),
                };
                let principal = principal_of_session(conn, &session, staff, now)?
                    .ok_or(ApiError::InvalidToken("the session has ended"))?;
                if subject_of(principal.kind, principal.id) != subject {
                    return Err(ApiError::InvalidToken("subject does not match the session"));
                }
                sessions.keep(
                    generation,
                    session_id,
                    &principal,
                    from_db(session.expires_at),
                );
                Ok(principal)
            })
            .await?
    };
    principal.request_id = request_id;
    Ok(principal)
}

fn api_key_principal(
    conn: &mut DbConnection,
    token: &str,
    now: DateTime<Utc>,
) -> ApiResult<Principal> {
    let invalid = || ApiError::InvalidToken("unknown or revoked API key");
    let rest = token.strip_prefix(API_KEY_PREFIX).ok_or_else(invalid)?;
    let (prefix, secret) = rest.split_once('_').ok_or_else(invalid)?;
    let key = ApiKeyRecord::find_by_prefix(conn, prefix)?.ok_or_else(invalid)?;
    if key.revoked_at.is_some() || !hashes_match(&hash_secret(secret), &key.secret_hash) {
        return Err(invalid());
    }
    if key.expires_at.is_some_and(|expires| expires <= to_db(now)) {
        return Err(ApiError::InvalidToken("the API key has expired"));
    }
    ApiKeyRecord::touch(conn, key.id, to_db(now))?;
    let scopes: Vec<Permission> = crate::stored_json::decode(&key.scopes)?;
    Ok(Principal {
        kind: PrincipalKind::Integration,
        id: key.id,
        username: key.name.clone(),
        display_name: key.name,
        role: Role::Integration,
        sales_point_id: None,
        customer_id: None,
        preferred_language: None,
        session_id: None,
        permissions: scopes
            .into_iter()
            .filter(|p| integration_grantable(*p))
            .collect(),
        password_changed_at: None,
        request_id: None,
        purpose: None,
        read_trail: None,
    })
}

/// Any authenticated principal.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Principal);

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let principal = authenticate_request(req);
        let unknown = crate::extract::unknown_parameter(req);
        Box::pin(async move {
            let principal = principal.await?;
            match unknown {
                Some(error) => Err(error),
                None => Ok(Self(principal)),
            }
        })
    }
}

fn authenticate_request(req: &HttpRequest) -> LocalBoxFuture<'static, ApiResult<Principal>> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let token = bearer_token(req);
    let purpose = crate::audit::purpose_of(req);
    Box::pin(async move {
        let state = state.ok_or_else(|| ApiError::Internal("application state missing".into()))?;
        let read_trail = Some(state.read_trail.clone());
        let mut principal = authenticate(state, token?).await?;
        principal.purpose = purpose;
        principal.read_trail = read_trail;
        Ok(principal)
    })
}

/// A permission an endpoint requires, as a type: `Authorized<perm::CustomersRead>`.
pub trait RequiredPermission {
    const PERMISSION: Permission;
}

/// A principal holding the permission `P`. Extracted before the body, so a caller without the
/// permission learns nothing about what the endpoint would accept.
#[derive(Debug, Clone)]
pub struct Authorized<P> {
    pub principal: Principal,
    permission: PhantomData<P>,
}

impl<P> std::ops::Deref for Authorized<P> {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.principal
    }
}

impl<P: RequiredPermission + 'static> FromRequest for Authorized<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let principal = authenticate_request(req);
        // Parameters are judged after the permission: who may not call the operation learns
        // nothing of what it takes.
        let unknown = crate::extract::unknown_parameter(req);
        Box::pin(async move {
            let principal = principal.await?;
            principal.require(P::PERMISSION)?;
            match unknown {
                Some(error) => Err(error),
                None => Ok(Self {
                    principal,
                    permission: PhantomData,
                }),
            }
        })
    }
}

/// One marker type per permission.
pub mod perm {
    use okno_api_types::Permission;

    macro_rules! permission_markers {
        ($($name:ident),+ $(,)?) => {
            $(
                #[derive(Debug, Clone, Copy)]
                pub struct $name;
                impl super::RequiredPermission for $name {
                    const PERMISSION: Permission = Permission::$name;
                }
            )+
        };
    }

    permission_markers!(
        ReferenceRead,
        CustomersRead,
        CustomersWrite,
        ConsentsManage,
        InteractionsWrite,
        DisclosuresRead,
        DisclosuresWrite,
        CabinetAccessIssue,
        AuditRead,
        UsersRead,
        UsersManage,
        SalesPointsManage,
        TopicsManage,
        ApiKeysManage,
        PriceListManage,
        ContractsRead,
        ContractsWrite,
        ContractsApprove,
        RetentionManage,
        BenefitsManage,
        InvoicesRead,
        InvoicesCorrect,
        BillingRun,
        UsageWrite,
        MeterReadingsWrite,
        PaymentsRead,
        PaymentsRegister,
        PaymentsReverse,
        PaymentsImport,
        PrepaidCardsManage,
        TillOperate,
        TillsRead,
        MessagesManage,
        TemplatesManage,
        ComplaintsRead,
        ComplaintsRegister,
        ComplaintsDecide,
        ComplaintMeasuresManage,
        CalendarManage,
        SelfService,
        TicketsRead,
        TicketsWrite,
        TicketSettingsManage,
        IncidentsManage,
        VisitsManage,
        KnowledgeManage,
    );
}
