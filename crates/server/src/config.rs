//! Server settings: where to listen, which database, token lifetimes, password policy.
//!
//! The CLI fills them from flags and `OKNO_*` environment variables; tests build them directly.

use std::path::{Path, PathBuf};

use chrono::Duration;
use okno_domain::billing::{MIN_PAYMENT_TERM_DAYS, NumberFormat};

/// Cost of argon2id password hashes. The defaults follow the OWASP recommendation
/// (19 MiB, 2 passes); tests lower them, because hashes keep their own parameters and
/// verification reads them from the stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordHashing {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordHashing {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl PasswordHashing {
    /// Cheap parameters for test suites; never for real passwords.
    pub fn for_tests() -> Self {
        Self {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
        }
    }
}

/// The operator as it appears on documents and invoices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorDetails {
    pub name: String,
    pub address: String,
    /// NIP.
    pub tax_id: String,
    /// The account customers pay to (IBAN).
    pub bank_account: String,
}

impl Default for OperatorDetails {
    fn default() -> Self {
        Self {
            name: "Okno Telecom Sp. z o.o.".into(),
            address: "ul. Marszałkowska 100, 00-026 Warszawa".into(),
            tax_id: "5250001233".into(),
            bank_account: "PL61 1090 1014 0000 0712 1981 2874".into(),
        }
    }
}

/// How invoices are numbered, when they are due and how billing runs share their work.
#[derive(Debug, Clone)]
pub struct BillingSettings {
    pub invoice_series: String,
    pub invoice_format: NumberFormat,
    pub correction_series: String,
    pub correction_format: NumberFormat,
    /// Days from issue to the due date; never fewer than 14.
    pub payment_term_days: u32,
    /// Customers a worker takes at a time; each batch is one transaction.
    pub batch_size: usize,
    /// Workers one server runs for a billing run.
    pub workers: usize,
    /// After this long, customers a worker claimed and did not finish are taken over by
    /// another worker (the first one died or hangs).
    pub claim_timeout: Duration,
    /// The day of the month the scheduler bills the month before (R-26: invoices go out
    /// within days of the period's end); `None` leaves billing to people and the CLI.
    pub scheduled_on_day: Option<u32>,
    /// The most one meter reading may add to the last, and how many days after it happened
    /// usage is accepted.
    pub usage: okno_domain::billing::readings::UsageRules,
    /// Each customer's own account at the operator's bank, when the bank gives them: printed
    /// on their invoices instead of the operator's account, and telling a transfer's customer
    /// by where it was sent.
    pub virtual_accounts: Option<okno_domain::payments::virtual_account::VirtualAccounts>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillingSettingsError {
    #[error("the payment term is at least {MIN_PAYMENT_TERM_DAYS} days (R-25)")]
    PaymentTerm,
    #[error("invoice numbers: {0}")]
    Format(#[from] okno_domain::billing::NumberFormatError),
    #[error("the series of invoices and of correction notes must differ")]
    SameSeries,
    #[error("the billing day is 1 to 28")]
    Day,
}

impl BillingSettings {
    /// Checks the settings people may change.
    pub fn new(
        invoice_series: &str,
        invoice_format: &str,
        correction_series: &str,
        correction_format: &str,
        payment_term_days: u32,
        scheduled_on_day: Option<u32>,
    ) -> Result<Self, BillingSettingsError> {
        if payment_term_days < MIN_PAYMENT_TERM_DAYS {
            return Err(BillingSettingsError::PaymentTerm);
        }
        if invoice_series == correction_series {
            return Err(BillingSettingsError::SameSeries);
        }
        if scheduled_on_day.is_some_and(|d| !(1..=28).contains(&d)) {
            return Err(BillingSettingsError::Day);
        }
        let expand = |format: &str, series: &str| format.replace("{SERIES}", series);
        Ok(Self {
            invoice_series: invoice_series.to_owned(),
            invoice_format: NumberFormat::new(&expand(invoice_format, invoice_series))?,
            correction_series: correction_series.to_owned(),
            correction_format: NumberFormat::new(&expand(correction_format, correction_series))?,
            payment_term_days,
            batch_size: 1_000,
            workers: 2,
            claim_timeout: Duration::minutes(10),
            scheduled_on_day,
            usage: Default::default(),
            virtual_accounts: None,
        })
    }

    /// The account the customer with `account_number` pays to: their virtual account, else
    /// the operator's `bank_account`.
    pub fn pay_to(&self, bank_account: &str, account_number: &str) -> String {
        okno_domain::payments::virtual_account::pay_to(
            self.virtual_accounts.as_ref(),
            bank_account,
            account_number,
        )
    }
}

impl Default for BillingSettings {
    fn default() -> Self {
        Self::new(
            "FV",
            DEFAULT_INVOICE_FORMAT,
            "FK",
            DEFAULT_CORRECTION_FORMAT,
            MIN_PAYMENT_TERM_DAYS,
            Some(1),
        )
        .unwrap_or_else(|_| unreachable_defaults())
    }
}

pub const DEFAULT_INVOICE_FORMAT: &str = "{SERIES}/{YYYY}/{MM}/{NNNNNN}";
pub const DEFAULT_CORRECTION_FORMAT: &str = "{SERIES}/{YYYY}/{NNNNNN}";

#[expect(clippy::panic, reason = "the default settings are checked by a test")]
fn unreachable_defaults() -> BillingSettings {
    panic!("the default billing settings are invalid")
}

pub const DEFAULT_COMPLAINT_FORMAT: &str = "RK/{YYYY}/{NNNNNN}";

#[expect(clippy::panic, reason = "the default settings are checked by a test")]
fn unreachable_complaint_format() -> NumberFormat {
    panic!("the default complaint number format is invalid")
}

/// The payment gateway that takes online payments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Gateway {
    /// No online payments: the cabinet offers none.
    #[default]
    Off,
    /// Stripe Checkout: sessions created with the secret key, `checkout.session.*` events
    /// signed with the webhook endpoint's secret.
    Stripe {
        secret_key: String,
        webhook_secret: String,
        /// `https://api.stripe.com` but for tests.
        api_base: String,
    },
    /// A stand-in for Stripe served by this server under `/fake-gateway/`, for the demo and
    /// tests: the same API and signed events, a page with a "pay" button, no money.
    Fake { webhook_secret: String },
}

/// Online payments: the gateway and how the server is reached from outside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlinePaymentSettings {
    pub gateway: Gateway,
    /// The address subscribers reach the server at (`https://ebok.example.pl`), for the
    /// gateway's return links; the address of the request when absent.
    pub public_url: Option<String>,
    /// How far a notification's signed time may be from now (Stripe's libraries: 300 s).
    pub signature_tolerance_seconds: i64,
}

impl Default for OnlinePaymentSettings {
    fn default() -> Self {
        Self {
            gateway: Gateway::Off,
            public_url: None,
            signature_tolerance_seconds: 300,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// Address to listen on, `127.0.0.1:8080` by default; port 0 picks a free port.
    pub listen: String,
    pub database_url: String,
    pub database_pool_size: u32,
    /// Where the generated token secret and, by default, the SQLite file live.
    pub data_dir: PathBuf,
    /// Secret for signing access tokens. When absent, one is generated into `data_dir` on first
    /// start. Servers sharing a database must share it.
    pub jwt_secret: Option<String>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_token_ttl: Duration,
    /// Idle limit: a refresh token not used within this time expires.
    pub refresh_token_ttl: Duration,
    /// Absolute limit of a session, however often it is refreshed.
    pub session_max_age: Duration,
    /// Failed logins in a row that lock a username.
    pub login_max_failures: u32,
    pub login_lockout: Duration,
    /// Failed sign-ins, activations and password changes from one client address, of any
    /// account, that lock the address for `login_lockout`.
    pub address_max_failures: u32,
    /// Proxies whose `X-Forwarded-For` and `X-Request-Id` are believed; none by default.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Passwords hashed or checked at once; more wait their turn (a hash takes 19 MiB and
    /// tens of milliseconds of a core).
    pub concurrent_password_checks: usize,
    /// How long a staff session checked in the database is trusted without checking again
    /// (see `auth::session_cache`); zero checks every request.
    pub session_check_lifetime: std::time::Duration,
    pub password_min_length: usize,
    /// passwords older than this are flagged for change; `None` never.
    pub password_max_age: Option<Duration>,
    pub password_hashing: PasswordHashing,
    pub activation_code_ttl: Duration,
    /// How long a code sent to a subscriber who forgot the cabinet password works.
    pub password_reset_ttl: Duration,
    /// Largest accepted JSON body.
    pub max_body_bytes: usize,
    /// Built single-page app to serve at `/`; the API alone when absent.
    pub web_dir: Option<PathBuf>,
    /// Bearer token required by `/metrics`; without one the metrics are off (404).
    pub metrics_token: Option<String>,
    /// HTTP worker threads; the number of cores when absent.
    pub workers: Option<usize>,
    /// Who the operator is, for documents and invoices.
    pub operator: OperatorDetails,
    /// How often scheduled work runs (contracts starting, pauses ending); never when absent.
    pub jobs_every: Option<std::time::Duration>,
    pub billing: BillingSettings,
    pub online_payments: OnlinePaymentSettings,
    pub notifications: NotificationSettings,
    pub complaints: ComplaintSettings,
    pub tickets: TicketSettings,
}

/// Technical problems (R-50..R-53): when faults make an outage, and whether one detected is
/// opened at once (telling the affected customers) or proposed for a person to confirm.
#[derive(Debug, Clone, Default)]
pub struct TicketSettings {
    pub outage_rule: okno_domain::tickets::outages::ClusterRule,
    pub open_detected_outages: bool,
}

/// The complaint clock (R-40..R-46): the law followed, with the operator's own figures, and
/// how complaints are numbered.
#[derive(Debug, Clone)]
pub struct ComplaintSettings {
    pub profile: okno_domain::complaints::Profile,
    /// Gapless per year; `{YYYY}` and `{NNNNNN}` as in invoice numbers.
    pub number_format: NumberFormat,
}

impl ComplaintSettings {
    /// The sequence a complaint received on `day` takes its number from.
    pub fn sequence(&self, day: chrono::NaiveDate) -> String {
        format!("complaint:{}", chrono::Datelike::year(&day))
    }
}

impl Default for ComplaintSettings {
    fn default() -> Self {
        Self {
            profile: okno_domain::complaints::Profile::law(
                okno_domain::complaints::Jurisdiction::Pl,
            ),
            number_format: NumberFormat::new(DEFAULT_COMPLAINT_FORMAT)
                .unwrap_or_else(|_| unreachable_complaint_format()),
        }
    }
}

/// How messages to customers are delivered.
#[derive(Debug, Clone)]
pub struct NotificationSettings {
    /// The SMTP server as a URL (`smtp://user:password@host:587?tls=required`,
    /// `smtps://user:password@host`); without one e-mails are written to the log, not sent.
    pub smtp_url: Option<String>,
    /// The `From` of e-mails to customers.
    pub mail_from: String,
    pub sms: SmsSettings,
    /// When SMS wait, in `time_zone`.
    pub quiet_hours: okno_domain::notifications::QuietHours,
    pub time_zone: chrono_tz::Tz,
    /// How often delivery looks for messages due; never when absent.
    pub deliver_every: Option<std::time::Duration>,
    /// A message a worker claimed this long ago and did not finish is taken up again (the
    /// worker died); sent again with the same Message-ID or SMS idx.
    pub claim_timeout: Duration,
    /// A contract is announced as ending this many days before its last day.
    pub contract_ending_days: u32,
    /// A prepaid balance is warned of when it pays for fewer days than this.
    pub prepaid_low_days: u32,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        Self {
            smtp_url: None,
            mail_from: "Okno Telecom <noreply@okno.example>".into(),
            sms: SmsSettings::Log,
            quiet_hours: okno_domain::notifications::QuietHours::default_hours(),
            time_zone: chrono_tz::Europe::Warsaw,
            deliver_every: Some(std::time::Duration::from_secs(15)),
            claim_timeout: Duration::minutes(10),
            contract_ending_days: 30,
            prepaid_low_days: 3,
        }
    }
}

impl NotificationSettings {
    /// A time zone by its IANA name (`Europe/Warsaw`).
    pub fn time_zone_named(name: &str) -> Result<chrono_tz::Tz, String> {
        name.trim()
            .parse()
            .map_err(|_| format!("{name:?} is not a time zone (e.g. Europe/Warsaw)"))
    }
}

/// Where SMS go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsSettings {
    /// Written to the log only (the demo, and operators without an SMS contract).
    Log,
    /// SMSAPI.pl's HTTP API (`/sms.do`), with an OAuth token.
    Smsapi {
        token: String,
        /// A sender name registered with SMSAPI; their default when absent.
        sender: Option<String>,
        api_base: String,
    },
}

impl Settings {
    /// The account the customer with `account_number` pays to: their virtual account where the
    /// operator has them, else the operator's.
    pub fn pay_to(&self, account_number: &str) -> String {
        self.billing
            .pay_to(&self.operator.bank_account, account_number)
    }
}

/// Database connections for a server on this machine: two per core, at least four. More
/// connections than PostgreSQL has cores to run them only queue inside it: on two cores, 16
/// connections gave the card the same throughput as 4 with four times its p99 (docs/performance.md).
pub fn default_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    u32::try_from(cores * 2).unwrap_or(u32::MAX).max(4)
}

impl Settings {
    /// Defaults for a server with its data in `data_dir` and the embedded SQLite database.
    pub fn new(data_dir: impl AsRef<Path>) -> Self {
        let data_dir = data_dir.as_ref().to_path_buf();
        let database_url = format!("sqlite://{}", data_dir.join("okno.db").display());
        Self {
            listen: "127.0.0.1:8080".into(),
            database_url,
            database_pool_size: default_pool_size(),
            data_dir,
            jwt_secret: None,
            jwt_issuer: "okno".into(),
            jwt_audience: "okno-api".into(),
            access_token_ttl: Duration::minutes(15),
            refresh_token_ttl: Duration::days(7),
            session_max_age: Duration::days(30),
            login_max_failures: 5,
            login_lockout: Duration::minutes(15),
            address_max_failures: 20,
            trusted_proxies: Vec::new(),
            concurrent_password_checks: std::thread::available_parallelism().map_or(2, usize::from),
            session_check_lifetime: std::time::Duration::from_secs(5),
            password_min_length: 8,
            password_max_age: None,
            password_hashing: PasswordHashing::default(),
            activation_code_ttl: Duration::days(14),
            password_reset_ttl: Duration::hours(1),
            max_body_bytes: 1024 * 1024,
            web_dir: None,
            metrics_token: None,
            workers: None,
            operator: OperatorDetails::default(),
            jobs_every: Some(std::time::Duration::from_secs(600)),
            billing: BillingSettings::default(),
            online_payments: OnlinePaymentSettings::default(),
            notifications: NotificationSettings::default(),
            complaints: ComplaintSettings::default(),
            tickets: TicketSettings::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billing_settings_keep_the_law() {
        let defaults = BillingSettings::default();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(
            defaults.invoice_format.format(day, 123),
            "FV/2026/11/000123"
        );
        assert_eq!(defaults.correction_format.format(day, 7), "FK/2026/000007");
        assert_eq!(
            BillingSettings::new(
                "FV",
                DEFAULT_INVOICE_FORMAT,
                "FK",
                DEFAULT_CORRECTION_FORMAT,
                13,
                None
            )
            .err(),
            Some(BillingSettingsError::PaymentTerm)
        );
        assert_eq!(
            BillingSettings::new(
                "FV",
                DEFAULT_INVOICE_FORMAT,
                "FV",
                DEFAULT_CORRECTION_FORMAT,
                14,
                None
            )
            .err(),
            Some(BillingSettingsError::SameSeries)
        );
        assert!(
            BillingSettings::new(
                "FV",
                "{SERIES}/{NNNN}",
                "FK",
                DEFAULT_CORRECTION_FORMAT,
                14,
                None
            )
            .is_err()
        );
    }
}
