//! A typed client of Okno's REST API, for integrations, the web app (wasm32) and the tests.
//!
//! Every endpoint is a method; errors come back as the server's [`Problem`], so callers branch
//! on its stable `code`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), okno_client::ClientError> {
//! use okno_api_types::auth::{LoginRequest, Realm};
//! let anonymous = okno_client::Client::new("http://127.0.0.1:8080")?;
//! let tokens = anonymous
//!     .login(&LoginRequest { username: "operator".into(), password: "demo".into(), realm: Realm::Staff })
//!     .await?;
//! let client = anonymous.with_token(&tokens.access_token);
//! let found = client.customers(&okno_api_types::customers::CustomerQuery { q: Some("600 100".into()), ..Default::default() }).await?;
//! # Ok(()) }
//! ```

mod knowledge;
mod tickets;

use okno_api_types::api_keys::{ApiKey, CreatedApiKey, NewApiKey};
use okno_api_types::audit::{AuditEntry, AuditQuery};
use okno_api_types::auth::{ChangePasswordRequest, LoginRequest, Me, RefreshRequest, TokenPair};
use okno_api_types::billing::{
    Account, AccountQuery, BillingRun, Invoice, InvoiceQuery, InvoiceSummary, Meter, MeterQuery,
    MeterReading, MyInvoiceQuery, NewBillingRun, NewCorrection, NewMeter, NewMeterReading,
    NewOwnMeterReading, UsageBatch, UsageBatchResult,
};
use okno_api_types::cabinet::{ActivateRequest, ActivationCode, ProfilePatch};
use okno_api_types::complaints::{
    CabinetComplaint, CalendarListing, CalendarQuery, CalendarYear, CompensationPreview,
    CompensationPreviewQuery, Complaint, ComplaintExportQuery, ComplaintMonitoring,
    ComplaintProfile, ComplaintQuery, ComplaintSummary, DecideComplaint, Jurisdiction, MeasureDone,
    MonitoringQuery, NewComplaint, NewPreventiveMeasure, PreventiveMeasure, ReviewProposal,
};
use okno_api_types::contracts::{
    Benefit, BenefitPatch, Contract, ContractEvent, ContractPatch, ContractQuery, ContractRequest,
    Document, NewBenefit, NewContract, NewContractRequest, NewRetentionContact, RequestDecision,
    RequestQuery, RetentionContact, RetentionItem, RetentionQuery, TariffChangeRequest,
    TermsChangeRequest, TransitionRequest,
};
use okno_api_types::customers::{
    Consent, Customer, CustomerPatch, CustomerQuery, CustomerSummary, Disclosure, GrantConsent,
    NewCustomer, NewDisclosure, WithdrawConsent,
};
use okno_api_types::health::{Health, LedgerCheck};
use okno_api_types::interactions::{
    Interaction, MyContact, NewInteraction, TimelineEntry, TimelineQuery,
};
use okno_api_types::notifications::{
    EmailBounce, EmailBounceQuery, Language, Message, MessageChannel, MessageQuery,
    MessageTemplate, NewEmailBounce, NotificationEvent, NotificationPreference,
    PasswordResetAccepted, PasswordResetRequest, PreferenceChange, TemplateChange, TemplatePreview,
    TemplatePreviewRequest,
};
use okno_api_types::online_payments::{NewOnlinePayment, OnlinePayment, OnlinePayments};
use okno_api_types::payments::{
    BankCsvMapping, CardBatch, CardRedemption, CreatedCardBatch, CsvMapping,
    IDEMPOTENCY_KEY_HEADER, ImportLine, ImportLineQuery, LineAssignment, MyCardRedemption,
    NewCardBatch, NewPayment, NewPaymentImport, NewPaymentReversal, NewTill, Payment,
    PaymentImport, PaymentQuery, Till, TillClosing, TillQuery,
};
use okno_api_types::reference::{NewSalesPoint, NewTopic, SalesPoint, Topic, TopicPatch};
use okno_api_types::tariffs::{
    NewProduct, NewTariff, NewTariffVersion, Product, Tariff, TariffPatch, TariffVersion,
};
use okno_api_types::users::{NewUser, User, UserPatch, UserQuery};
use okno_api_types::{Page, PageQuery, Problem};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server refused the request; the problem says why.
    #[error("{0}")]
    Api(Box<Problem>),
    #[error("the request did not reach the server: {0}")]
    Transport(String),
    #[error("unexpected answer {status}: {body}")]
    Unexpected { status: u16, body: String },
    #[error("invalid base URL: {0}")]
    BaseUrl(String),
}

impl ClientError {
    /// The problem of a refused request.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Api(problem) => Some(problem),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(problem) => Some(problem.status),
            Self::Unexpected { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl From<reqwest::Error> for ClientError {
    fn from(error: reqwest::Error) -> Self {
        Self::Transport(error.to_string())
    }
}

pub type Result<T> = std::result::Result<T, ClientError>;

/// An answer as it came, for callers that inspect status codes and raw bodies.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct Client {
    base: Url,
    http: reqwest::Client,
    token: Option<String>,
    purpose: Option<String>,
}

impl Client {
    /// A client of the server at `base_url` (e.g. `http://127.0.0.1:8080`), without credentials.
    pub fn new(base_url: &str) -> Result<Self> {
        let mut base = Url::parse(base_url).map_err(|e| ClientError::BaseUrl(e.to_string()))?;
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        Ok(Self {
            base,
            http: reqwest::Client::new(),
            token: None,
            purpose: None,
        })
    }

    /// The same client presenting `token` (an access token or an API key).
    pub fn with_token(&self, token: &str) -> Self {
        Self {
            token: Some(token.to_owned()),
            ..self.clone()
        }
    }

    pub fn set_token(&mut self, token: Option<String>) {
        self.token = token;
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The purpose sent with customer reads, recorded in the audit log.
    pub fn with_purpose(&self, purpose: &str) -> Self {
        Self {
            purpose: Some(purpose.to_owned()),
            ..self.clone()
        }
    }

    pub fn base_url(&self) -> &Url {
        &self.base
    }

    fn url(&self, path: &str) -> Result<Url> {
        self.base
            .join(path.trim_start_matches('/'))
            .map_err(|e| ClientError::BaseUrl(e.to_string()))
    }

    fn request(&self, method: Method, path: &str) -> Result<RequestBuilder> {
        Ok(self.request_to(method, self.url(path)?))
    }

    fn request_to(&self, method: Method, url: Url) -> RequestBuilder {
        let mut builder = self.http.request(method, url);
        if let Some(token) = &self.token {
            builder = builder.bearer_auth(token);
        }
        if let Some(purpose) = &self.purpose {
            builder = builder.header("x-access-purpose", purpose);
        }
        builder
    }

    async fn send<T: DeserializeOwned>(&self, builder: RequestBuilder) -> Result<T> {
        let (status, body) = Self::exchange(builder).await?;
        let text = if body.is_empty() { "null" } else { &body };
        serde_json::from_str(text).map_err(|_| ClientError::Unexpected { status, body })
    }

    /// Sends the request and returns a successful answer's status and body, or the API's
    /// problem. Not generic, so that each endpoint does not get a copy of this state machine
    /// (it matters for the size of the web app).
    async fn exchange(builder: RequestBuilder) -> Result<(u16, String)> {
        let response = builder.send().await?;
        let status = response.status();
        let body = response.text().await?;
        if status.is_success() {
            return Ok((status.as_u16(), body));
        }
        Err(match serde_json::from_str::<Problem>(&body) {
            Ok(problem) => ClientError::Api(Box::new(problem)),
            Err(_) => ClientError::Unexpected {
                status: status.as_u16(),
                body,
            },
        })
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        self.send(self.request(Method::GET, path)?).await
    }

    async fn get_query<T: DeserializeOwned, Q: Serialize + ?Sized>(
        &self,
        path: &str,
        query: &Q,
    ) -> Result<T> {
        self.send(self.request(Method::GET, path)?.query(query))
            .await
    }

    async fn post<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        self.send(self.request(Method::POST, path)?.json(body))
            .await
    }

    async fn put<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        self.send(self.request(Method::PUT, path)?.json(body)).await
    }

    async fn patch<T: DeserializeOwned, B: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T> {
        self.send(self.request(Method::PATCH, path)?.json(body))
            .await
    }

    /// Any request, answered raw: for callers that check exact statuses or send what the typed
    /// methods cannot (unknown fields, wrong types).
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Result<RawResponse> {
        let method = Method::from_bytes(method.as_bytes())
            .map_err(|e| ClientError::Transport(e.to_string()))?;
        let mut builder = self.request(method, path)?;
        if let Some(body) = body {
            builder = builder.json(body);
        }
        let response = builder.send().await?;
        let status = response.status();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = response.text().await?;
        let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        Ok(RawResponse {
            status: status.as_u16(),
            content_type,
            body,
        })
    }

    // Health, outside /api/v1.

    pub async fn health(&self) -> Result<Health> {
        self.get("healthz").await
    }

    pub async fn ready(&self) -> Result<Health> {
        self.get("readyz").await
    }

    // Sign-in.

    pub async fn login(&self, request: &LoginRequest) -> Result<TokenPair> {
        self.post("api/v1/auth/login", request).await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair> {
        self.post(
            "api/v1/auth/refresh",
            &RefreshRequest {
                refresh_token: refresh_token.to_owned(),
            },
        )
        .await
    }

    pub async fn logout(&self) -> Result<()> {
        self.send::<()>(self.request(Method::POST, "api/v1/auth/logout")?)
            .await
    }

    pub async fn me(&self) -> Result<Me> {
        self.get("api/v1/auth/me").await
    }

    pub async fn change_password(&self, request: &ChangePasswordRequest) -> Result<()> {
        self.post("api/v1/auth/password", request).await
    }

    // Staff users.

    pub async fn users(&self, query: &UserQuery) -> Result<Page<User>> {
        self.get_query("api/v1/users", query).await
    }

    pub async fn create_user(&self, user: &NewUser) -> Result<User> {
        self.post("api/v1/users", user).await
    }

    pub async fn user(&self, id: i64) -> Result<User> {
        self.get(&format!("api/v1/users/{id}")).await
    }

    pub async fn update_user(&self, id: i64, patch: &UserPatch) -> Result<User> {
        self.patch(&format!("api/v1/users/{id}"), patch).await
    }

    // API keys.

    pub async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        self.get("api/v1/api-keys").await
    }

    pub async fn create_api_key(&self, key: &NewApiKey) -> Result<CreatedApiKey> {
        self.post("api/v1/api-keys", key).await
    }

    pub async fn revoke_api_key(&self, id: i64) -> Result<()> {
        self.send::<()>(self.request(Method::DELETE, &format!("api/v1/api-keys/{id}"))?)
            .await
    }

    // Reference data.

    pub async fn sales_points(&self) -> Result<Vec<SalesPoint>> {
        self.get("api/v1/sales-points").await
    }

    pub async fn sales_point(&self, id: i64) -> Result<SalesPoint> {
        self.get(&format!("api/v1/sales-points/{id}")).await
    }

    pub async fn create_sales_point(&self, point: &NewSalesPoint) -> Result<SalesPoint> {
        self.post("api/v1/sales-points", point).await
    }

    pub async fn topics(&self) -> Result<Vec<Topic>> {
        self.get("api/v1/topics").await
    }

    pub async fn create_topic(&self, topic: &NewTopic) -> Result<Topic> {
        self.post("api/v1/topics", topic).await
    }

    pub async fn update_topic(&self, id: i64, patch: &TopicPatch) -> Result<Topic> {
        self.patch(&format!("api/v1/topics/{id}"), patch).await
    }

    // Customers.

    pub async fn customers(&self, query: &CustomerQuery) -> Result<Page<CustomerSummary>> {
        self.get_query("api/v1/customers", query).await
    }

    pub async fn create_customer(&self, customer: &NewCustomer) -> Result<Customer> {
        self.post("api/v1/customers", customer).await
    }

    /// Registers a customer unless one registered is probably the same
    /// (`409 possible_duplicate`).
    pub async fn create_customer_checking_duplicates(
        &self,
        customer: &NewCustomer,
    ) -> Result<Customer> {
        self.post("api/v1/customers?check_duplicates=true", customer)
            .await
    }

    /// The registered customers who are probably the one described.
    pub async fn customer_duplicates(
        &self,
        customer: &NewCustomer,
    ) -> Result<Vec<okno_api_types::customers::PossibleDuplicate>> {
        self.post("api/v1/customer-duplicates", customer).await
    }

    pub async fn customer(&self, id: i64) -> Result<Customer> {
        self.get(&format!("api/v1/customers/{id}")).await
    }

    pub async fn update_customer(&self, id: i64, patch: &CustomerPatch) -> Result<Customer> {
        self.patch(&format!("api/v1/customers/{id}"), patch).await
    }

    pub async fn consents(&self, customer_id: i64) -> Result<Vec<Consent>> {
        self.get(&format!("api/v1/customers/{customer_id}/consents"))
            .await
    }

    pub async fn grant_consent(&self, customer_id: i64, consent: &GrantConsent) -> Result<Consent> {
        self.post(&format!("api/v1/customers/{customer_id}/consents"), consent)
            .await
    }

    pub async fn withdraw_consent(
        &self,
        customer_id: i64,
        consent_id: i64,
        withdrawal: &WithdrawConsent,
    ) -> Result<Consent> {
        self.post(
            &format!("api/v1/customers/{customer_id}/consents/{consent_id}/withdraw"),
            withdrawal,
        )
        .await
    }

    pub async fn interactions(
        &self,
        customer_id: i64,
        query: &PageQuery,
    ) -> Result<Page<Interaction>> {
        self.get_query(
            &format!("api/v1/customers/{customer_id}/interactions"),
            query,
        )
        .await
    }

    pub async fn create_interaction(
        &self,
        customer_id: i64,
        interaction: &NewInteraction,
    ) -> Result<Interaction> {
        self.post(
            &format!("api/v1/customers/{customer_id}/interactions"),
            interaction,
        )
        .await
    }

    pub async fn timeline(
        &self,
        customer_id: i64,
        query: &TimelineQuery,
    ) -> Result<Page<TimelineEntry>> {
        self.get_query(&format!("api/v1/customers/{customer_id}/timeline"), query)
            .await
    }

    pub async fn disclosures(&self, customer_id: i64) -> Result<Vec<Disclosure>> {
        self.get(&format!("api/v1/customers/{customer_id}/disclosures"))
            .await
    }

    pub async fn create_disclosure(
        &self,
        customer_id: i64,
        disclosure: &NewDisclosure,
    ) -> Result<Disclosure> {
        self.post(
            &format!("api/v1/customers/{customer_id}/disclosures"),
            disclosure,
        )
        .await
    }

    // The cabinet.

    pub async fn issue_activation(&self, customer_id: i64) -> Result<ActivationCode> {
        self.send(self.request(
            Method::POST,
            &format!("api/v1/customers/{customer_id}/cabinet-activation"),
        )?)
        .await
    }

    pub async fn activate_cabinet(&self, request: &ActivateRequest) -> Result<TokenPair> {
        self.post("api/v1/cabinet/activate", request).await
    }

    pub async fn my_profile(&self) -> Result<Customer> {
        self.get("api/v1/me").await
    }

    pub async fn update_my_profile(&self, patch: &ProfilePatch) -> Result<Customer> {
        self.patch("api/v1/me", patch).await
    }

    pub async fn my_consents(&self) -> Result<Vec<Consent>> {
        self.get("api/v1/me/consents").await
    }

    pub async fn grant_my_consent(&self, consent: &GrantConsent) -> Result<Consent> {
        self.post("api/v1/me/consents", consent).await
    }

    pub async fn withdraw_my_consent(
        &self,
        consent_id: i64,
        withdrawal: &WithdrawConsent,
    ) -> Result<Consent> {
        self.post(
            &format!("api/v1/me/consents/{consent_id}/withdraw"),
            withdrawal,
        )
        .await
    }

    pub async fn my_interactions(&self, query: &PageQuery) -> Result<Page<MyContact>> {
        self.get_query("api/v1/me/interactions", query).await
    }

    // The price list.

    pub async fn tariffs(&self) -> Result<Vec<Tariff>> {
        self.get("api/v1/tariffs").await
    }

    pub async fn tariff(&self, id: i64) -> Result<Tariff> {
        self.get(&format!("api/v1/tariffs/{id}")).await
    }

    pub async fn create_tariff(&self, tariff: &NewTariff) -> Result<Tariff> {
        self.post("api/v1/tariffs", tariff).await
    }

    pub async fn update_tariff(&self, id: i64, patch: &TariffPatch) -> Result<Tariff> {
        self.patch(&format!("api/v1/tariffs/{id}"), patch).await
    }

    pub async fn tariff_versions(&self, id: i64) -> Result<Vec<TariffVersion>> {
        self.get(&format!("api/v1/tariffs/{id}/versions")).await
    }

    pub async fn publish_tariff_version(
        &self,
        id: i64,
        version: &NewTariffVersion,
    ) -> Result<TariffVersion> {
        self.post(&format!("api/v1/tariffs/{id}/versions"), version)
            .await
    }

    pub async fn products(&self) -> Result<Vec<Product>> {
        self.get("api/v1/products").await
    }

    pub async fn create_product(&self, product: &NewProduct) -> Result<Product> {
        self.post("api/v1/products", product).await
    }

    // Contracts.

    pub async fn contracts(&self, query: &ContractQuery) -> Result<Page<Contract>> {
        self.get_query("api/v1/contracts", query).await
    }

    pub async fn create_contract(&self, contract: &NewContract) -> Result<Contract> {
        self.post("api/v1/contracts", contract).await
    }

    pub async fn contract(&self, id: i64) -> Result<Contract> {
        self.get(&format!("api/v1/contracts/{id}")).await
    }

    pub async fn update_contract(&self, id: i64, patch: &ContractPatch) -> Result<Contract> {
        self.patch(&format!("api/v1/contracts/{id}"), patch).await
    }

    /// A lifecycle action: `sign`, `approve`, `reject`, `suspend`, `resume`, `terminate`,
    /// `withdraw`.
    pub async fn contract_action(
        &self,
        id: i64,
        action: okno_api_types::contracts::ContractAction,
        request: &TransitionRequest,
    ) -> Result<Contract> {
        // Paths spell the action with hyphens: `cancel_termination` is `cancel-termination`.
        let path = action.as_str().replace('_', "-");
        self.post(&format!("api/v1/contracts/{id}/{path}"), request)
            .await
    }

    pub async fn change_tariff(&self, id: i64, request: &TariffChangeRequest) -> Result<Contract> {
        self.post(&format!("api/v1/contracts/{id}/tariff-change"), request)
            .await
    }

    pub async fn change_terms(&self, id: i64, request: &TermsChangeRequest) -> Result<Contract> {
        self.post(&format!("api/v1/contracts/{id}/terms-change"), request)
            .await
    }

    pub async fn contract_events(&self, id: i64) -> Result<Vec<ContractEvent>> {
        self.get(&format!("api/v1/contracts/{id}/events")).await
    }

    pub async fn contract_documents(&self, id: i64) -> Result<Vec<Document>> {
        self.get(&format!("api/v1/contracts/{id}/documents")).await
    }

    pub async fn customer_documents(&self, customer_id: i64) -> Result<Vec<Document>> {
        self.get(&format!("api/v1/customers/{customer_id}/documents"))
            .await
    }

    /// The bytes of a PDF (a document's, an invoice's) from its `pdf_url`.
    pub async fn document_pdf(&self, pdf_url: &str) -> Result<Vec<u8>> {
        let response = self.request(Method::GET, pdf_url)?.send().await?;
        let status = response.status();
        if status.is_success() {
            return Ok(response.bytes().await?.to_vec());
        }
        let body = response.text().await?;
        Err(match serde_json::from_str::<Problem>(&body) {
            Ok(problem) => ClientError::Api(Box::new(problem)),
            Err(_) => ClientError::Unexpected {
                status: status.as_u16(),
                body,
            },
        })
    }

    pub async fn retention_worklist(&self, query: &RetentionQuery) -> Result<Vec<RetentionItem>> {
        self.get_query("api/v1/retention/worklist", query).await
    }

    pub async fn retention_contacts(&self, contract_id: i64) -> Result<Vec<RetentionContact>> {
        self.get(&format!(
            "api/v1/contracts/{contract_id}/retention-contacts"
        ))
        .await
    }

    pub async fn record_retention_contact(
        &self,
        contract_id: i64,
        contact: &NewRetentionContact,
    ) -> Result<RetentionContact> {
        self.post(
            &format!("api/v1/contracts/{contract_id}/retention-contacts"),
            contact,
        )
        .await
    }

    pub async fn contract_requests(&self, query: &RequestQuery) -> Result<Vec<ContractRequest>> {
        self.get_query("api/v1/contract-requests", query).await
    }

    pub async fn decide_request(
        &self,
        id: i64,
        decision: &RequestDecision,
    ) -> Result<ContractRequest> {
        self.post(&format!("api/v1/contract-requests/{id}/decision"), decision)
            .await
    }

    pub async fn benefits(&self, customer_id: i64) -> Result<Vec<Benefit>> {
        self.get(&format!("api/v1/customers/{customer_id}/benefits"))
            .await
    }

    pub async fn create_benefit(&self, customer_id: i64, benefit: &NewBenefit) -> Result<Benefit> {
        self.post(&format!("api/v1/customers/{customer_id}/benefits"), benefit)
            .await
    }

    pub async fn update_benefit(
        &self,
        customer_id: i64,
        benefit_id: i64,
        patch: &BenefitPatch,
    ) -> Result<Benefit> {
        self.patch(
            &format!("api/v1/customers/{customer_id}/benefits/{benefit_id}"),
            patch,
        )
        .await
    }

    pub async fn my_contracts(&self) -> Result<Vec<Contract>> {
        self.get("api/v1/me/contracts").await
    }

    pub async fn my_requests(&self) -> Result<Vec<ContractRequest>> {
        self.get("api/v1/me/requests").await
    }

    pub async fn create_my_request(&self, request: &NewContractRequest) -> Result<ContractRequest> {
        self.post("api/v1/me/requests", request).await
    }

    /// Register usage; idempotent by `external_id`.
    pub async fn post_usage(&self, batch: &UsageBatch) -> Result<UsageBatchResult> {
        self.post("api/v1/usage-events", batch).await
    }

    pub async fn meters(&self, customer_id: i64) -> Result<Vec<Meter>> {
        self.get_query("api/v1/meters", &MeterQuery { customer_id })
            .await
    }

    pub async fn create_meter(&self, meter: &NewMeter) -> Result<Meter> {
        self.post("api/v1/meters", meter).await
    }

    pub async fn meter_readings(&self, meter_id: i64) -> Result<Vec<MeterReading>> {
        self.get(&format!("api/v1/meters/{meter_id}/readings"))
            .await
    }

    pub async fn record_meter_reading(
        &self,
        meter_id: i64,
        reading: &NewMeterReading,
    ) -> Result<MeterReading> {
        self.post(&format!("api/v1/meters/{meter_id}/readings"), reading)
            .await
    }

    /// Start a month's billing run, or take it up again.
    pub async fn start_billing_run(&self, run: &NewBillingRun) -> Result<BillingRun> {
        self.post("api/v1/billing-runs", run).await
    }

    pub async fn billing_runs(&self) -> Result<Vec<BillingRun>> {
        self.get("api/v1/billing-runs").await
    }

    pub async fn billing_run(&self, id: i64) -> Result<BillingRun> {
        self.get(&format!("api/v1/billing-runs/{id}")).await
    }

    pub async fn invoices(&self, query: &InvoiceQuery) -> Result<Page<InvoiceSummary>> {
        self.get_query("api/v1/invoices", query).await
    }

    pub async fn invoice(&self, id: i64) -> Result<Invoice> {
        self.get(&format!("api/v1/invoices/{id}")).await
    }

    /// Issue a correction note of an invoice.
    pub async fn correct_invoice(&self, id: i64, correction: &NewCorrection) -> Result<Invoice> {
        self.post(&format!("api/v1/invoices/{id}/corrections"), correction)
            .await
    }

    /// Register a payment; with `idempotency_key`, safe to send again (R-31).
    pub async fn register_payment(
        &self,
        payment: &NewPayment,
        idempotency_key: Option<&str>,
    ) -> Result<Payment> {
        let mut builder = self.request(Method::POST, "api/v1/payments")?.json(payment);
        if let Some(key) = idempotency_key {
            builder = builder.header(IDEMPOTENCY_KEY_HEADER, key);
        }
        self.send(builder).await
    }

    /// Messages to customers, newest first (the outbox).
    pub async fn messages(&self, query: &MessageQuery) -> Result<Page<Message>> {
        self.get_query("api/v1/messages", query).await
    }

    pub async fn notification_preferences(
        &self,
        customer_id: i64,
    ) -> Result<Vec<NotificationPreference>> {
        self.get(&format!(
            "api/v1/customers/{customer_id}/notification-preferences"
        ))
        .await
    }

    /// Record a customer's choice of what they are told by which channel.
    pub async fn set_notification_preference(
        &self,
        customer_id: i64,
        change: &PreferenceChange,
    ) -> Result<Vec<NotificationPreference>> {
        self.put(
            &format!("api/v1/customers/{customer_id}/notification-preferences"),
            change,
        )
        .await
    }

    pub async fn my_notification_preferences(&self) -> Result<Vec<NotificationPreference>> {
        self.get("api/v1/me/notification-preferences").await
    }

    pub async fn set_my_notification_preference(
        &self,
        change: &PreferenceChange,
    ) -> Result<Vec<NotificationPreference>> {
        self.put("api/v1/me/notification-preferences", change).await
    }

    /// Send a failed message again.
    pub async fn complaints(&self, query: &ComplaintQuery) -> Result<Page<ComplaintSummary>> {
        self.get_query("api/v1/complaints", query).await
    }

    pub async fn register_complaint(&self, complaint: &NewComplaint) -> Result<Complaint> {
        self.post("api/v1/complaints", complaint).await
    }

    pub async fn complaint(&self, id: i64) -> Result<Complaint> {
        self.get(&format!("api/v1/complaints/{id}")).await
    }

    pub async fn acknowledge_complaint(&self, id: i64) -> Result<Complaint> {
        self.send(self.request(Method::POST, &format!("api/v1/complaints/{id}/acknowledge"))?)
            .await
    }

    pub async fn decide_complaint(&self, id: i64, decision: &DecideComplaint) -> Result<Complaint> {
        self.post(&format!("api/v1/complaints/{id}/decision"), decision)
            .await
    }

    pub async fn review_complaint_decision(
        &self,
        id: i64,
        review: &ReviewProposal,
    ) -> Result<Complaint> {
        self.post(&format!("api/v1/complaints/{id}/decision/review"), review)
            .await
    }

    pub async fn compensation_preview(
        &self,
        id: i64,
        query: &CompensationPreviewQuery,
    ) -> Result<CompensationPreview> {
        self.get_query(
            &format!("api/v1/complaints/{id}/compensation-preview"),
            query,
        )
        .await
    }

    /// The register as CSV text.
    pub async fn export_complaints(&self, query: &ComplaintExportQuery) -> Result<String> {
        let (_, body) = Self::exchange(
            self.request(Method::GET, "api/v1/complaints-export")?
                .query(query),
        )
        .await?;
        Ok(body)
    }

    pub async fn complaint_monitoring(
        &self,
        query: &MonitoringQuery,
    ) -> Result<ComplaintMonitoring> {
        self.get_query("api/v1/complaint-monitoring", query).await
    }

    pub async fn preventive_measures(&self) -> Result<Vec<PreventiveMeasure>> {
        self.get("api/v1/preventive-measures").await
    }

    pub async fn add_preventive_measure(
        &self,
        measure: &NewPreventiveMeasure,
    ) -> Result<PreventiveMeasure> {
        self.post("api/v1/preventive-measures", measure).await
    }

    pub async fn mark_preventive_measure(
        &self,
        id: i64,
        done: &MeasureDone,
    ) -> Result<PreventiveMeasure> {
        self.patch(&format!("api/v1/preventive-measures/{id}"), done)
            .await
    }

    pub async fn complaint_profile(&self) -> Result<ComplaintProfile> {
        self.get("api/v1/complaint-profile").await
    }

    pub async fn calendar_days(&self, query: &CalendarQuery) -> Result<CalendarListing> {
        self.get_query("api/v1/calendar-days", query).await
    }

    pub async fn load_calendar_year(
        &self,
        jurisdiction: Jurisdiction,
        year: i32,
        days: &CalendarYear,
    ) -> Result<CalendarListing> {
        self.put(&format!("api/v1/calendar-days/{jurisdiction}/{year}"), days)
            .await
    }

    pub async fn my_complaints(&self) -> Result<Vec<ComplaintSummary>> {
        self.get("api/v1/me/complaints").await
    }

    pub async fn file_my_complaint(&self, complaint: &CabinetComplaint) -> Result<Complaint> {
        self.post("api/v1/me/complaints", complaint).await
    }

    pub async fn my_complaint(&self, id: i64) -> Result<Complaint> {
        self.get(&format!("api/v1/me/complaints/{id}")).await
    }

    pub async fn resend_message(&self, id: i64) -> Result<Message> {
        self.send(self.request(Method::POST, &format!("api/v1/messages/{id}/resend"))?)
            .await
    }

    pub async fn email_bounces(&self, query: &EmailBounceQuery) -> Result<Vec<EmailBounce>> {
        self.get_query("api/v1/email-bounces", query).await
    }

    pub async fn report_email_bounce(&self, report: &NewEmailBounce) -> Result<EmailBounce> {
        self.post("api/v1/email-bounces", report).await
    }

    /// Clear the flag of an address the customer says works again.
    pub async fn clear_email_bounce(&self, address: &str) -> Result<()> {
        let mut url = self.url("api/v1/email-bounces")?;
        url.path_segments_mut()
            .map_err(|()| ClientError::Transport("the base URL cannot take a path".into()))?
            .push(address);
        self.send::<()>(self.request_to(Method::DELETE, url)).await
    }

    pub async fn message_templates(&self) -> Result<Vec<MessageTemplate>> {
        self.get("api/v1/message-templates").await
    }

    pub async fn save_message_template(
        &self,
        (event, channel, language): (NotificationEvent, MessageChannel, Language),
        change: &TemplateChange,
    ) -> Result<MessageTemplate> {
        self.put(
            &format!("api/v1/message-templates/{event}/{channel}/{language}"),
            change,
        )
        .await
    }

    /// Go back to the template Okno ships.
    pub async fn revert_message_template(
        &self,
        (event, channel, language): (NotificationEvent, MessageChannel, Language),
    ) -> Result<MessageTemplate> {
        self.send(self.request(
            Method::DELETE,
            &format!("api/v1/message-templates/{event}/{channel}/{language}"),
        )?)
        .await
    }

    pub async fn preview_message_template(
        &self,
        request: &TemplatePreviewRequest,
    ) -> Result<TemplatePreview> {
        self.post("api/v1/message-templates/preview", request).await
    }

    /// A subscriber who forgot the cabinet password asks for a one-time code.
    pub async fn request_password_reset(
        &self,
        request: &PasswordResetRequest,
    ) -> Result<PasswordResetAccepted> {
        self.post("api/v1/cabinet/password-reset", request).await
    }

    pub async fn payments(&self, query: &PaymentQuery) -> Result<Page<Payment>> {
        self.get_query("api/v1/payments", query).await
    }

    pub async fn payment(&self, id: i64) -> Result<Payment> {
        self.get(&format!("api/v1/payments/{id}")).await
    }

    /// Reverse a payment registered in error.
    pub async fn reverse_payment(&self, id: i64, reversal: &NewPaymentReversal) -> Result<Payment> {
        self.post(&format!("api/v1/payments/{id}/reversal"), reversal)
            .await
    }

    /// Open the caller's till with a float.
    pub async fn open_till(&self, till: &NewTill) -> Result<Till> {
        self.post("api/v1/tills", till).await
    }

    /// The caller's open till.
    pub async fn current_till(&self) -> Result<Till> {
        self.get("api/v1/tills/current").await
    }

    /// Close a till with the cash counted.
    pub async fn close_till(&self, id: i64, closing: &TillClosing) -> Result<Till> {
        self.post(&format!("api/v1/tills/{id}/close"), closing)
            .await
    }

    pub async fn tills(&self, query: &TillQuery) -> Result<Page<Till>> {
        self.get_query("api/v1/tills", query).await
    }

    pub async fn till(&self, id: i64) -> Result<Till> {
        self.get(&format!("api/v1/tills/{id}")).await
    }

    /// Import a bank statement; the same file again answers the first import.
    pub async fn import_statement(&self, import: &NewPaymentImport) -> Result<PaymentImport> {
        self.post("api/v1/payment-imports", import).await
    }

    pub async fn payment_imports(&self, query: &PageQuery) -> Result<Page<PaymentImport>> {
        self.get_query("api/v1/payment-imports", query).await
    }

    pub async fn payment_import(&self, id: i64) -> Result<PaymentImport> {
        self.get(&format!("api/v1/payment-imports/{id}")).await
    }

    pub async fn import_lines(&self, query: &ImportLineQuery) -> Result<Page<ImportLine>> {
        self.get_query("api/v1/payment-import-lines", query).await
    }

    /// Assign an unmatched statement line to its customer.
    pub async fn assign_import_line(
        &self,
        id: i64,
        assignment: &LineAssignment,
    ) -> Result<ImportLine> {
        self.post(
            &format!("api/v1/payment-import-lines/{id}/assignment"),
            assignment,
        )
        .await
    }

    pub async fn csv_mappings(&self) -> Result<Vec<BankCsvMapping>> {
        self.get("api/v1/bank-csv-mappings").await
    }

    pub async fn save_csv_mapping(
        &self,
        bank: &str,
        mapping: &CsvMapping,
    ) -> Result<BankCsvMapping> {
        self.put(&format!("api/v1/bank-csv-mappings/{bank}"), mapping)
            .await
    }

    /// Make a batch of prepaid cards; the codes come back this once.
    pub async fn create_card_batch(&self, batch: &NewCardBatch) -> Result<CreatedCardBatch> {
        self.post("api/v1/prepaid-card-batches", batch).await
    }

    pub async fn card_batches(&self) -> Result<Vec<CardBatch>> {
        self.get("api/v1/prepaid-card-batches").await
    }

    /// Redeem a prepaid card onto a customer's account (staff).
    pub async fn redeem_card(&self, redemption: &CardRedemption) -> Result<Payment> {
        self.post("api/v1/prepaid-cards/redemption", redemption)
            .await
    }

    /// The subscriber's own payments.
    pub async fn my_payments(&self, query: &PageQuery) -> Result<Page<Payment>> {
        self.get_query("api/v1/me/payments", query).await
    }

    /// Redeem a prepaid card onto the subscriber's own account.
    pub async fn redeem_my_card(&self, redemption: &MyCardRedemption) -> Result<Payment> {
        self.post("api/v1/me/prepaid-cards/redemption", redemption)
            .await
    }

    /// Pay online: an invoice of one's own or a top-up; send the subscriber to `checkout_url`.
    pub async fn start_my_online_payment(
        &self,
        request: &NewOnlinePayment,
    ) -> Result<OnlinePayment> {
        self.post("api/v1/me/online-payments", request).await
    }

    /// Whether online payments are offered, and the subscriber's latest.
    pub async fn my_online_payments(&self) -> Result<OnlinePayments> {
        self.get("api/v1/me/online-payments").await
    }

    /// One of the subscriber's online payments.
    pub async fn my_online_payment(&self, id: i64) -> Result<OnlinePayment> {
        self.get(&format!("api/v1/me/online-payments/{id}")).await
    }

    pub async fn customer_account(
        &self,
        customer_id: i64,
        query: &AccountQuery,
    ) -> Result<Account> {
        self.get_query(&format!("api/v1/customers/{customer_id}/account"), query)
            .await
    }

    pub async fn my_invoices(&self, query: &MyInvoiceQuery) -> Result<Page<InvoiceSummary>> {
        self.get_query("api/v1/me/invoices", query).await
    }

    pub async fn my_invoice(&self, id: i64) -> Result<Invoice> {
        self.get(&format!("api/v1/me/invoices/{id}")).await
    }

    pub async fn my_account(&self, query: &AccountQuery) -> Result<Account> {
        self.get_query("api/v1/me/account", query).await
    }

    pub async fn my_meters(&self) -> Result<Vec<Meter>> {
        self.get("api/v1/me/meters").await
    }

    pub async fn record_my_reading(&self, reading: &NewOwnMeterReading) -> Result<MeterReading> {
        self.post("api/v1/me/meter-readings", reading).await
    }

    /// The tariffs a subscriber may move to.
    pub async fn my_tariffs(&self) -> Result<Vec<Tariff>> {
        self.get("api/v1/me/tariffs").await
    }

    pub async fn my_documents(&self) -> Result<Vec<Document>> {
        self.get("api/v1/me/documents").await
    }

    // Audit.

    pub async fn audit_log(&self, query: &AuditQuery) -> Result<Page<AuditEntry>> {
        self.get_query("api/v1/audit-log", query).await
    }

    /// Check the invariants of money and numbering over the whole database.
    pub async fn ledger_check(&self) -> Result<LedgerCheck> {
        self.get("api/v1/ledger-check").await
    }
}

/// Whether a status is a success, for callers of [`Client::raw`].
pub fn is_success(status: u16) -> bool {
    StatusCode::from_u16(status).is_ok_and(|s| s.is_success())
}
