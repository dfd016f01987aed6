//! `okno`: one binary for serving, migrating, seeding, managing users and printing the API.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use okno_domain::access::Role;
use okno_domain::clock::SystemClock;
use okno_server::demo::{self, DEMO_PASSWORD, DEMO_USERS, SeedOutcome};
use okno_server::{AppState, Application, Settings};
use tracing_subscriber::EnvFilter;

/// glibc's allocator kept the Argon2 buffers of sign-ins (19 MiB each) in its arenas: a minute
/// of sign-ins left the server at 1.4 GiB. mimalloc gives large blocks back to the system.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "okno",
    version,
    about = "Okno: customer service for local operators"
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct GlobalArgs {
    /// Database URL: postgres://… or sqlite://path; SQLite in the data folder by default.
    #[arg(long, env = "OKNO_DATABASE_URL", global = true)]
    database: Option<String>,
    /// Folder for the SQLite database and the generated token secret.
    #[arg(long, env = "OKNO_DATA_DIR", default_value = "./data", global = true)]
    data_dir: PathBuf,
    /// Log as JSON lines instead of text.
    #[arg(long, env = "OKNO_LOG_JSON", global = true)]
    log_json: bool,
}

/// What the commands that issue documents or bill need: who the operator is and how invoices
/// are numbered and billed. Only those commands take these options.
#[derive(Debug, Args)]
struct BusinessArgs {
    #[command(flatten)]
    operator: OperatorArgs,
    #[command(flatten)]
    billing: BillingArgs,
    #[command(flatten)]
    complaints: ComplaintArgs,
    #[command(flatten)]
    outages: OutageArgs,
}

/// When faults make an outage: this many open tickets of one category from one area
/// within the window.
#[derive(Debug, Args)]
struct OutageArgs {
    #[arg(long, env = "OKNO_OUTAGE_THRESHOLD", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(2..=1000))]
    outage_threshold: u32,
    #[arg(long, env = "OKNO_OUTAGE_WINDOW_MINUTES", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=10_080))]
    outage_window_minutes: u32,
    /// building, street, postcode or network_node.
    #[arg(long, env = "OKNO_OUTAGE_SCOPE", default_value = "building")]
    outage_scope: okno_domain::tickets::outages::AreaScope,
    /// Open a detected outage at once, telling the affected customers, instead of proposing
    /// it for a person to confirm.
    #[arg(long, env = "OKNO_OUTAGE_AUTO_OPEN")]
    outage_auto_open: bool,
}

impl OutageArgs {
    fn settings(&self) -> okno_server::config::TicketSettings {
        okno_server::config::TicketSettings {
            outage_rule: okno_domain::tickets::outages::ClusterRule {
                threshold: self.outage_threshold,
                window_minutes: self.outage_window_minutes,
                scope: self.outage_scope,
            },
            open_detected_outages: self.outage_auto_open,
        }
    }
}

/// The complaint clock (R-40..R-46): the law it follows, and figures an operator may tighten.
/// A figure looser than the law is accepted with a warning; the law still binds.
#[derive(Debug, Args)]
struct ComplaintArgs {
    /// pl (Polish telecommunications law) or ru (Russian communications and consumer law).
    #[arg(long, env = "OKNO_COMPLAINT_JURISDICTION", default_value = "pl")]
    complaint_jurisdiction: okno_domain::complaints::Jurisdiction,
    /// Days to confirm receipt (the law's when absent: pl 14, ru 1 working day).
    #[arg(long, env = "OKNO_COMPLAINT_ACKNOWLEDGE_DAYS",
          value_parser = clap::value_parser!(u32).range(0..=90))]
    complaint_acknowledge_days: Option<u32>,
    /// Days to answer (the law's when absent: 30).
    #[arg(long, env = "OKNO_COMPLAINT_ANSWER_DAYS",
          value_parser = clap::value_parser!(u32).range(1..=180))]
    complaint_answer_days: Option<u32>,
    /// Days to answer a demand to refund money (the law's when absent: pl 30, ru 10).
    #[arg(long, env = "OKNO_COMPLAINT_REFUND_ANSWER_DAYS",
          value_parser = clap::value_parser!(u32).range(1..=180))]
    complaint_refund_answer_days: Option<u32>,
    /// Months after the event a claim may be made (the law's when absent: pl 12, ru 6).
    #[arg(long, env = "OKNO_COMPLAINT_CLAIM_MONTHS",
          value_parser = clap::value_parser!(u32).range(1..=120))]
    complaint_claim_months: Option<u32>,
    /// A decision granting more than this (minor units) needs a second person's approval.
    #[arg(long, env = "OKNO_COMPLAINT_FOUR_EYES_ABOVE_MINOR",
          value_parser = clap::value_parser!(i64).range(0..=10_000_000_000))]
    complaint_four_eyes_above_minor: Option<i64>,
    /// {YYYY} and {NNNNNN}: complaint numbers, gapless per year.
    #[arg(long, env = "OKNO_COMPLAINT_NUMBER_FORMAT", default_value = okno_server::config::DEFAULT_COMPLAINT_FORMAT)]
    complaint_number_format: String,
}

impl ComplaintArgs {
    fn settings(&self) -> Result<okno_server::config::ComplaintSettings, String> {
        let mut profile = okno_domain::complaints::Profile::law(self.complaint_jurisdiction);
        for (given, field) in [
            (
                self.complaint_acknowledge_days,
                &mut profile.acknowledge_days,
            ),
            (self.complaint_answer_days, &mut profile.answer_days),
            (
                self.complaint_refund_answer_days,
                &mut profile.refund_answer_days,
            ),
            (self.complaint_claim_months, &mut profile.claim_months),
        ] {
            if let Some(value) = given {
                *field = value;
            }
        }
        profile.four_eyes_above_minor = self.complaint_four_eyes_above_minor;
        for looser in profile.looser_than_law() {
            tracing::warn!(
                setting = looser.setting,
                value = looser.value,
                law = looser.law,
                "a complaint setting is looser than the law; the law's figure still binds the operator"
            );
        }
        Ok(okno_server::config::ComplaintSettings {
            profile,
            number_format: okno_domain::billing::NumberFormat::new(&self.complaint_number_format)
                .map_err(|e| format!("OKNO_COMPLAINT_NUMBER_FORMAT: {e}"))?,
        })
    }
}

/// Who the operator is, as printed on contracts and invoices.
#[derive(Debug, Args)]
struct OperatorArgs {
    #[arg(long, env = "OKNO_OPERATOR_NAME")]
    operator_name: Option<String>,
    #[arg(long, env = "OKNO_OPERATOR_ADDRESS")]
    operator_address: Option<String>,
    /// The operator's NIP.
    #[arg(long, env = "OKNO_OPERATOR_TAX_ID")]
    operator_tax_id: Option<String>,
    /// The account customers pay to (IBAN), printed on every invoice.
    #[arg(long, env = "OKNO_OPERATOR_BANK_ACCOUNT")]
    operator_bank_account: Option<String>,
}

/// Invoice numbers, payment terms and the billing schedule.
#[derive(Debug, Args)]
struct BillingArgs {
    #[arg(long, env = "OKNO_INVOICE_SERIES", default_value = "FV")]
    invoice_series: String,
    /// {SERIES}, {YYYY}, {MM} and {NNNNNN} (the sequence number, zero-padded to as many digits).
    #[arg(long, env = "OKNO_INVOICE_NUMBER_FORMAT", default_value = okno_server::config::DEFAULT_INVOICE_FORMAT)]
    invoice_number_format: String,
    #[arg(long, env = "OKNO_CORRECTION_SERIES", default_value = "FK")]
    correction_series: String,
    #[arg(long, env = "OKNO_CORRECTION_NUMBER_FORMAT", default_value = okno_server::config::DEFAULT_CORRECTION_FORMAT)]
    correction_number_format: String,
    /// Days from issue to due date; at least 14.
    #[arg(long, env = "OKNO_PAYMENT_TERM_DAYS", default_value_t = 14)]
    payment_term_days: u32,
    /// The day of the month the server bills the month before by itself; 0 turns it off.
    #[arg(long, env = "OKNO_BILLING_DAY", default_value_t = 1)]
    billing_day: u32,
    /// Customers a billing worker takes at a time (one transaction each).
    #[arg(long, env = "OKNO_BILLING_BATCH", default_value_t = 1000)]
    billing_batch: usize,
    /// Billing workers per server (default: one per core).
    #[arg(long, env = "OKNO_BILLING_WORKERS")]
    billing_workers: Option<usize>,
    /// Seconds after which customers a billing worker took and did not finish are taken over
    /// by another (the first one crashed); longer than any batch takes.
    #[arg(
        long,
        env = "OKNO_BILLING_CLAIM_TIMEOUT_SECONDS",
        default_value_t = 600,
        value_parser = clap::value_parser!(i64).range(5..=86_400)
    )]
    billing_claim_timeout_seconds: i64,
    /// The most kWh one electricity meter reading may add to the last; more is refused as a
    /// likely typo.
    #[arg(long, env = "OKNO_READING_CEILING_KWH", default_value_t = 50_000)]
    reading_ceiling_kwh: i64,
    /// The most m³ one gas or water meter reading may add to the last.
    #[arg(long, env = "OKNO_READING_CEILING_M3", default_value_t = 10_000)]
    reading_ceiling_m3: i64,
    /// Days after it happened that usage (records, meter readings) is still accepted; it goes
    /// on the customer's next invoice when its month is invoiced already. Older is refused.
    #[arg(
        long,
        env = "OKNO_LATE_USAGE_DAYS",
        default_value_t = 90,
        value_parser = clap::value_parser!(u32).range(1..=i64::from(okno_domain::billing::readings::LateUsageWindow::MAX_DAYS))
    )]
    late_usage_days: u32,
    /// Customers' virtual accounts: the digits the bank gave the operator after the IBAN's
    /// check digits (its 8-digit sort code and the operator's code, 8 to 15 digits). Each
    /// customer's account is these and their account number; invoices name it, and a transfer
    /// sent to it is theirs. None when absent.
    #[arg(long, env = "OKNO_VIRTUAL_ACCOUNT_PREFIX")]
    virtual_account_prefix: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the server: the API, its documentation and the web app.
    Serve(Box<ServeArgs>),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load data into the database.
    Seed {
        /// The demo data: sales points, a user per role (password `demo`), customers, contacts.
        #[arg(long, conflicts_with = "generate")]
        demo: bool,
        /// Generated load instead: an operator of this many customers (persons and
        /// organisations, Polish and Russian names, clustered addresses, phones, e-mails,
        /// contacts over the past year), each with internet and one in four with a phone line,
        /// ready to bill; for benchmarks and for trying a release on realistic volumes. Into a
        /// database without customers only.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=2_000_000))]
        generate: Option<u32>,
        /// The month the generated load is billable for (last month when absent).
        #[arg(long, requires = "generate")]
        period: Option<okno_domain::billing::Period>,
        #[command(flatten)]
        business: BusinessArgs,
    },
    /// Import data from files.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Manage staff users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Bill a month that has ended: every customer's invoice, once, with a progress bar. Safe
    /// to run again, and alongside servers billing the same month.
    Bill {
        /// The month, YYYY-MM.
        #[arg(long)]
        period: okno_domain::billing::Period,
        /// The issue date of the invoices (today when absent).
        #[arg(long)]
        issue_date: Option<chrono::NaiveDate>,
        #[command(flatten)]
        business: BusinessArgs,
    },
    /// Check the ledger: invoice numbers without gaps or repeats, invoices that add up and are
    /// booked once, one invoice per customer and month, finished billing runs complete. Exits
    /// with 1 when anything is out of line. Reads only; safe while servers run.
    Check {
        #[command(flatten)]
        business: BusinessArgs,
    },
    /// Complaints' legal clock.
    Complaints {
        #[command(subcommand)]
        command: ComplaintCommand,
    },
    /// Copy an SQLite database to a new file, consistently, while servers run (PostgreSQL:
    /// pg_dump, see docs/operations.md).
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        to: PathBuf,
    },
    /// Replace an SQLite database with a backup: checks the backup, brings it up to this
    /// release's schema, keeps the replaced database beside it, then checks the ledger. Stop
    /// the servers first.
    Restore {
        /// The backup to restore.
        #[arg(long)]
        from: PathBuf,
        #[command(flatten)]
        business: BusinessArgs,
    },
}

#[derive(Debug, Subcommand)]
enum ComplaintCommand {
    /// Decide what the clock decides: complaints not answered by their decide-by day
    /// are deemed accepted, dated the day after, with their compensation, answer and
    /// messages; time-barred ones are answered as such. For cron where no server runs the
    /// jobs; safe alongside servers, and to run again. Exits with 1 when a complaint could
    /// not be decided.
    Check {
        #[command(flatten)]
        business: BusinessArgs,
        #[command(flatten)]
        notifications: NotificationArgs,
    },
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    business: BusinessArgs,
    /// Address to listen on.
    #[arg(long, env = "OKNO_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Seed the demo data if the database is empty.
    #[arg(long, env = "OKNO_DEMO")]
    demo: bool,
    /// The built web apps: the console served at `/`, the cabinet in its `cabinet/` folder at
    /// `/cabinet` (`frontend/dist` when it exists).
    #[arg(long, env = "OKNO_WEB_DIR")]
    web_dir: Option<PathBuf>,
    /// Secret for signing tokens; generated into the data folder when absent. Servers sharing
    /// a database must share it.
    #[arg(long, env = "OKNO_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
    /// Bearer token for /metrics; without one, /metrics is off.
    #[arg(long, env = "OKNO_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Addresses of reverse proxies in front of the server, comma-separated: their
    /// X-Forwarded-For names the client (for the sign-in limits) and their X-Request-Id is
    /// kept. Nobody else's is believed.
    #[arg(long, env = "OKNO_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Failed sign-ins, activations and password changes from one address that lock it for
    /// the lockout (15 minutes).
    #[arg(long, env = "OKNO_ADDRESS_MAX_FAILURES", default_value_t = 20)]
    address_max_failures: u32,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "OKNO_WORKERS")]
    workers: Option<usize>,
    /// Database connections in the pool (default: two per core, at least four).
    #[arg(long, env = "OKNO_DATABASE_POOL_SIZE")]
    pool_size: Option<u32>,
    /// Seconds a staff session checked in the database is trusted before it is checked again
    /// (signing out, deactivations and role changes on this server take effect at once; on
    /// another server of the same database after at most this long). 0 checks every request.
    #[arg(long, env = "OKNO_SESSION_CHECK_SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(0..=60))]
    session_check_seconds: u64,
    /// Access token lifetime in minutes.
    #[arg(long, env = "OKNO_ACCESS_TOKEN_MINUTES", default_value_t = 15)]
    access_token_minutes: i64,
    /// Flag passwords older than this many days for change; never when absent.
    #[arg(long, env = "OKNO_PASSWORD_MAX_AGE_DAYS")]
    password_max_age_days: Option<i64>,
    /// Run the scheduled work (contracts starting, pauses and terms ending) every this many
    /// minutes; 0 leaves it to another server.
    #[arg(long, env = "OKNO_JOBS_EVERY_MINUTES", default_value_t = 10)]
    jobs_every_minutes: u64,
    #[command(flatten)]
    online: OnlinePaymentArgs,
    #[command(flatten)]
    notifications: NotificationArgs,
}

/// Messages to customers: e-mail by SMTP, SMS through SMSAPI.pl.
#[derive(Debug, Args)]
struct NotificationArgs {
    /// The SMTP server (`smtp://user:password@host:587?tls=required` for STARTTLS,
    /// `smtps://user:password@host` for TLS). E-mails are written to the log when absent.
    #[arg(long, env = "OKNO_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender of e-mails to customers.
    #[arg(
        long,
        env = "OKNO_MAIL_FROM",
        default_value = "Okno Telecom <noreply@okno.example>"
    )]
    mail_from: String,
    /// Where SMS go: log (written to the log only) or smsapi (SMSAPI.pl).
    #[arg(long, env = "OKNO_SMS", default_value = "log")]
    sms: SmsChoice,
    /// SMSAPI's OAuth token.
    #[arg(long, env = "OKNO_SMSAPI_TOKEN", hide_env_values = true)]
    smsapi_token: Option<String>,
    /// A sender name registered with SMSAPI; SMSAPI's default when absent.
    #[arg(long, env = "OKNO_SMSAPI_SENDER")]
    smsapi_sender: Option<String>,
    /// SMSAPI's address (api.smsapi.com outside Poland).
    #[arg(long, env = "OKNO_SMSAPI_URL", default_value = "https://api.smsapi.pl")]
    smsapi_url: String,
    /// When SMS wait for the morning, local time.
    #[arg(long, env = "OKNO_QUIET_HOURS", default_value = "21:00-08:00")]
    quiet_hours: String,
    /// The operator's time zone, for quiet hours and the times in messages.
    #[arg(long, env = "OKNO_TIME_ZONE", default_value = "Europe/Warsaw")]
    time_zone: String,
    /// How many days before its last day a contract is announced as ending (at most 365).
    #[arg(long, env = "OKNO_CONTRACT_ENDING_DAYS", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(0..=365))]
    contract_ending_days: u32,
    /// A prepaid balance that pays for fewer days than this is warned of (at most 60).
    #[arg(long, env = "OKNO_PREPAID_LOW_DAYS", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(0..=60))]
    prepaid_low_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SmsChoice {
    Log,
    Smsapi,
}

impl NotificationArgs {
    fn settings(&self) -> Result<okno_server::config::NotificationSettings, String> {
        use okno_server::config::{NotificationSettings, SmsSettings};
        let sms = match self.sms {
            SmsChoice::Log => SmsSettings::Log,
            SmsChoice::Smsapi => SmsSettings::Smsapi {
                token: given(&self.smsapi_token).ok_or("--sms smsapi needs OKNO_SMSAPI_TOKEN")?,
                sender: given(&self.smsapi_sender),
                api_base: self.smsapi_url.clone(),
            },
        };
        Ok(NotificationSettings {
            smtp_url: given(&self.smtp_url),
            mail_from: self.mail_from.clone(),
            sms,
            quiet_hours: self
                .quiet_hours
                .parse()
                .map_err(|e| format!("OKNO_QUIET_HOURS: {e}"))?,
            time_zone: NotificationSettings::time_zone_named(&self.time_zone)
                .map_err(|e| format!("OKNO_TIME_ZONE: {e}"))?,
            contract_ending_days: self.contract_ending_days,
            prepaid_low_days: self.prepaid_low_days,
            ..NotificationSettings::default()
        })
    }
}

/// Online payments from the cabinet.
#[derive(Debug, Args)]
struct OnlinePaymentArgs {
    /// The payment gateway: off, stripe (Stripe Checkout), or fake (a stand-in for Stripe
    /// served by this server: no money moves). Fake with --demo, off otherwise.
    #[arg(long, env = "OKNO_GATEWAY")]
    gateway: Option<GatewayChoice>,
    /// Stripe's secret API key (`sk_live_…`, `sk_test_…`).
    #[arg(long, env = "OKNO_STRIPE_SECRET_KEY", hide_env_values = true)]
    stripe_secret_key: Option<String>,
    /// The signing secret of the webhook endpoint set up in Stripe (`whsec_…`).
    #[arg(long, env = "OKNO_STRIPE_WEBHOOK_SECRET", hide_env_values = true)]
    stripe_webhook_secret: Option<String>,
    /// Stripe's API address.
    #[arg(long, env = "OKNO_STRIPE_API_BASE", default_value = okno_server::payments::online::stripe::API_BASE)]
    stripe_api_base: String,
    /// The address subscribers reach the server at (`https://ebok.example.pl`): where the
    /// gateway sends them back, and the address of the links in activation and password-reset
    /// messages. Else the gateway uses the address of the request, and the links the address
    /// the server listens at.
    #[arg(long, env = "OKNO_PUBLIC_URL")]
    public_url: Option<String>,
}

/// A setting given a value: an empty variable (as compose passes an unset one) is none.
fn given(value: &Option<String>) -> Option<String> {
    value.clone().filter(|v| !v.trim().is_empty())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GatewayChoice {
    Off,
    Stripe,
    Fake,
}

impl OnlinePaymentArgs {
    fn settings(&self, demo: bool) -> Result<okno_server::config::OnlinePaymentSettings, String> {
        use okno_server::config::Gateway;
        let choice = self.gateway.unwrap_or(if demo {
            GatewayChoice::Fake
        } else {
            GatewayChoice::Off
        });
        let gateway = match choice {
            GatewayChoice::Off => Gateway::Off,
            GatewayChoice::Fake => Gateway::Fake {
                // The stand-in signs its events for this server alone: a secret per start.
                webhook_secret: format!("whsec_{}", hex::encode(rand::random::<[u8; 24]>())),
            },
            GatewayChoice::Stripe => Gateway::Stripe {
                secret_key: given(&self.stripe_secret_key)
                    .ok_or("--gateway stripe needs OKNO_STRIPE_SECRET_KEY")?,
                webhook_secret: given(&self.stripe_webhook_secret)
                    .ok_or("--gateway stripe needs OKNO_STRIPE_WEBHOOK_SECRET")?,
                api_base: self.stripe_api_base.clone(),
            },
        };
        let public_url = match given(&self.public_url) {
            Some(url) => {
                let parsed = url::Url::parse(&url)
                    .map_err(|e| format!("OKNO_PUBLIC_URL {url:?} is not an address: {e}"))?;
                if !matches!(parsed.scheme(), "http" | "https") {
                    return Err(format!("OKNO_PUBLIC_URL {url:?} is not http(s)"));
                }
                Some(url.trim_end_matches('/').to_owned())
            }
            None => None,
        };
        Ok(okno_server::config::OnlinePaymentSettings {
            gateway,
            public_url,
            ..Default::default()
        })
    }
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// A bank statement (camt.053, MT940, or CSV by the bank's saved mapping): each credit
    /// line matched by the account or invoice number in its title and registered, or left
    /// unmatched for staff, or skipped as a duplicate. A file that cannot be read imports
    /// nothing; the same file twice changes nothing.
    Payments {
        /// The statement file.
        file: PathBuf,
        /// The bank whose CSV mapping reads the file (CSV only).
        #[arg(long)]
        bank: Option<String>,
        #[command(flatten)]
        business: BusinessArgs,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a staff user; the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        /// One of: admin, operator, agent, retention, cashier, manager, technician, finance.
        #[arg(long)]
        role: Role,
        /// Sales point id or code.
        #[arg(long)]
        sales_point: Option<String>,
        /// The name shown in the interface (the username when absent).
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from standard input (required, so it never lands in shell history).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

fn settings(global: &GlobalArgs) -> Settings {
    let mut settings = Settings::new(&global.data_dir);
    if let Some(url) = &global.database {
        settings.database_url = url.clone();
    }
    settings
}

/// `settings` with the operator's details and the billing settings given.
fn business_settings(global: &GlobalArgs, business: &BusinessArgs) -> Result<Settings, String> {
    let mut settings = settings(global);
    let operator = &business.operator;
    let details = &mut settings.operator;
    for (value, field) in [
        (&operator.operator_name, &mut details.name),
        (&operator.operator_address, &mut details.address),
        (&operator.operator_tax_id, &mut details.tax_id),
        (&operator.operator_bank_account, &mut details.bank_account),
    ] {
        if let Some(value) = value {
            *field = value.clone();
        }
    }
    let billing = &business.billing;
    let mut checked = okno_server::config::BillingSettings::new(
        &billing.invoice_series,
        &billing.invoice_number_format,
        &billing.correction_series,
        &billing.correction_number_format,
        billing.payment_term_days,
        (billing.billing_day > 0).then_some(billing.billing_day),
    )
    .map_err(|e| e.to_string())?;
    checked.batch_size = billing.billing_batch.clamp(1, 5_000);
    checked.workers = billing
        .billing_workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from))
        .max(1);
    checked.claim_timeout = chrono::Duration::seconds(billing.billing_claim_timeout_seconds);
    checked.usage = okno_domain::billing::readings::UsageRules {
        ceiling: okno_domain::billing::readings::ConsumptionCeiling {
            kwh: billing.reading_ceiling_kwh.max(1),
            m3: billing.reading_ceiling_m3.max(1),
        },
        late: okno_domain::billing::readings::LateUsageWindow {
            days: billing.late_usage_days,
        },
    };
    checked.virtual_accounts = given(&billing.virtual_account_prefix)
        .map(|prefix| {
            okno_domain::payments::virtual_account::VirtualAccounts::new(&prefix)
                .map_err(|e| format!("OKNO_VIRTUAL_ACCOUNT_PREFIX {prefix:?}: {e}"))
        })
        .transpose()?;
    settings.billing = checked;
    settings.complaints = business.complaints.settings()?;
    settings.tickets = business.outages.settings();
    Ok(settings)
}

/// Text logs are coloured only on a terminal: a file or a pipe gets plain text (and JSON
/// lines never carry colour codes).
fn init_logging(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,actix_server=warn"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(!json && std::io::stdout().is_terminal());
    if json {
        logs.json().init();
    } else {
        logs.init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.global.log_json);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("okno: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let global = &cli.global;
    match cli.command {
        Command::Serve(args) => serve(business_settings(global, &args.business)?, *args).await,
        Command::Migrate => {
            let db = okno_db::Database::connect(&settings(global).database_url, 1)
                .map_err(|e| e.to_string())?;
            let applied = db.migrate().map_err(|e| e.to_string())?;
            println!(
                "applied {applied} migration(s) to the {} database",
                db.backend().name()
            );
            Ok(())
        }
        Command::Seed {
            demo,
            generate,
            period,
            business,
        } => {
            let settings = business_settings(global, &business)?;
            match (demo, generate) {
                (true, _) => seed(&prepare(settings)?, true).await,
                (false, Some(customers)) => {
                    seed_generated(&prepare(settings)?, customers, period).await
                }
                (false, None) => Err("say what to seed: --demo or --generate N".into()),
            }
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    role,
                    sales_point,
                    display_name,
                    password_stdin: _,
                },
        } => {
            let state = prepare(settings(global))?;
            add_user(&state, username, role, sales_point, display_name).await
        }
        Command::Openapi => {
            print!("{}", okno_server::openapi::spec_json());
            Ok(())
        }
        Command::Bill {
            period,
            issue_date,
            business,
        } => {
            let state = prepare(business_settings(global, &business)?)?;
            bill(&state, period, issue_date).await
        }
        Command::Import {
            command:
                ImportCommand::Payments {
                    file,
                    bank,
                    business,
                },
        } => {
            let state = prepare(business_settings(global, &business)?)?;
            import_payments(&state, file, bank).await
        }
        Command::Check { business } => {
            check(&prepare(business_settings(global, &business)?)?).await
        }
        Command::Complaints {
            command:
                ComplaintCommand::Check {
                    business,
                    notifications,
                },
        } => {
            let mut settings = business_settings(global, &business)?;
            settings.notifications = notifications.settings()?;
            complaints_check(&prepare(settings)?).await
        }
        Command::Backup { to } => {
            let url = settings(global).database_url;
            let target = to.clone();
            blocking(move || okno_db::backup::backup(&url, &target)).await?;
            let bytes = std::fs::metadata(&to).map(|m| m.len()).unwrap_or(0);
            println!("backed up to {} ({bytes} bytes), checked", to.display());
            Ok(())
        }
        Command::Restore { from, business } => {
            restore(business_settings(global, &business)?, from).await
        }
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, okno_db::DbError> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

/// Runs the complaint clock once and prints what it did.
async fn complaints_check(state: &AppState) -> Result<(), String> {
    let desk = okno_server::complaints::Desk::of(state);
    let now = state.now();
    let report = state
        .run(move |conn| okno_server::complaints::clock::decide_overdue(conn, &desk, now))
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "complaints deemed accepted: {}, answered as time-barred: {}",
        report.deemed_accepted, report.time_barred
    );
    for failure in &report.failed {
        println!("  not decided: {failure}");
    }
    if report.failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} complaints could not be decided",
            report.failed.len()
        ))
    }
}

/// Checks the ledger and prints what it found; any finding is a failure.
async fn check(state: &AppState) -> Result<(), String> {
    let settings = state.settings.billing.clone();
    let now = state.now();
    let report = state
        .run(move |conn| okno_server::billing::check::check(conn, &settings, now))
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "checked {} invoices and {} number sequences",
        report.invoices, report.sequences
    );
    for finding in &report.findings {
        println!("  {}: {}", finding.invariant, finding.detail);
    }
    match report.findings.len() {
        0 => {
            println!("the ledger is in order");
            Ok(())
        }
        n => Err(format!("{n} thing(s) out of line in the ledger")),
    }
}

async fn restore(settings: Settings, from: PathBuf) -> Result<(), String> {
    let url = settings.database_url.clone();
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let source = from.clone();
    let restored = blocking(move || okno_db::backup::restore(&url, &source, &stamp)).await?;
    println!(
        "restored {} ({} migration(s) applied to bring it up to this release)",
        from.display(),
        restored.migrations_applied
    );
    if let Some(previous) = restored.previous {
        println!("the database it replaced is kept as {}", previous.display());
    }
    check(&prepare(settings)?).await
}

/// Runs a billing run here, in this process, with a progress bar, until every customer of
/// the month is done.
async fn import_payments(
    state: &AppState,
    file: PathBuf,
    bank: Option<String>,
) -> Result<(), String> {
    let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let principal = okno_server::auth::Principal::command_line(
        "okno import",
        vec![
            okno_api_types::Permission::PaymentsImport,
            okno_api_types::Permission::PaymentsRegister,
        ],
    );
    let (settings, now, shown) = (state.settings.clone(), state.now(), name.clone());
    let imported = state
        .run(move |conn| {
            okno_server::payments::imports::import(
                conn,
                &principal,
                &settings,
                &name,
                &bytes,
                bank.as_deref(),
                now,
            )
        })
        .await
        .map_err(|e| format!("{shown}: {e}"))?;
    let (import, again) = match imported {
        okno_server::payments::imports::Imported::New(import) => (import, false),
        okno_server::payments::imports::Imported::Again(import) => (import, true),
    };
    if again {
        println!(
            "{shown} was imported before (import {}, {}); nothing changed",
            import.id, import.imported_at
        );
    }
    println!(
        "{shown}: {} registered, {} unmatched, {} duplicates, {} debits skipped (import {})",
        import.registered, import.unmatched, import.duplicates, import.debits_skipped, import.id
    );
    Ok(())
}

async fn bill(
    state: &AppState,
    period: okno_domain::billing::Period,
    issue_date: Option<chrono::NaiveDate>,
) -> Result<(), String> {
    let now = state.now();
    let run = state
        .write(move |conn| okno_server::billing::start(conn, period, issue_date, "okno bill", now))
        .await
        .map_err(|e| e.to_string())?
        .0;
    let run_id = run.id;
    let started = std::time::Instant::now();
    let progress = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {msg} [{bar:40}] {pos}/{len} customers, {per_sec}, ETA {eta}",
        )
        .map_err(|e| e.to_string())?
        .progress_chars("=> "),
    );
    progress.set_message(format!("billing {period}"));
    let (db, settings, operator, clock) = (
        state.db.clone(),
        state.settings.billing.clone(),
        state.settings.operator.clone(),
        state.clock.clone(),
    );
    let billing = std::thread::spawn(move || {
        let name = format!("okno-bill:{}", std::process::id());
        okno_server::billing::finish(&db, run_id, &name, &settings, &operator, &clock)
    });
    let (mut position, mut moved) = (0, std::time::Instant::now());
    let view = loop {
        let finished = billing.is_finished();
        let view = state
            .run(move |conn| {
                let run = okno_db::billing::BillingRunRecord::find(conn, run_id)?;
                okno_server::billing::view(conn, run)
            })
            .await
            .map_err(|e| e.to_string())?;
        let done = u64::try_from(view.customers - view.open).unwrap_or(0);
        progress.set_length(u64::try_from(view.customers).unwrap_or(0));
        progress.set_position(done);
        if done != position {
            (position, moved) = (done, std::time::Instant::now());
            progress.set_message(format!("billing {period}"));
        } else if moved.elapsed() > std::time::Duration::from_secs(5) {
            progress.set_message(format!(
                "billing {period}: waiting for customers another worker holds (taken over after {} s if it stopped)",
                state.settings.billing.claim_timeout.num_seconds()
            ));
        }
        if finished {
            break view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    progress.finish_and_clear();
    match billing.join() {
        Ok(Ok(_)) => {}
        Ok(Err(error)) => return Err(format!("billing stopped: {error}")),
        Err(_) => return Err("billing crashed".into()),
    }
    println!(
        "{period}: {} customers, {} invoiced, {} with nothing to bill, {} failed, {} still open ({:.1} s)",
        view.customers,
        view.invoiced,
        view.skipped,
        view.failed,
        view.open,
        started.elapsed().as_secs_f64()
    );
    for failure in &view.failures {
        println!("  customer {}: {}", failure.customer_id, failure.reason);
    }
    if view.failed > 0 {
        return Err(format!("{} customers could not be billed", view.failed));
    }
    Ok(())
}

fn prepare(settings: Settings) -> Result<AppState, String> {
    okno_server::prepare(settings, Arc::new(SystemClock)).map_err(|e| e.to_string())
}

/// Seeds the demo; `strict` makes a database with other data an error rather than a note.
async fn seed(state: &AppState, strict: bool) -> Result<(), String> {
    let st = state.clone();
    let outcome = state
        .run(move |conn| demo::seed_demo(&st, conn))
        .await
        .map_err(|e| e.to_string())?;
    match outcome {
        SeedOutcome::Seeded {
            customers,
            interactions,
        } => {
            println!(
                "seeded the demo: {customers} customers, {interactions} contacts, {} users",
                DEMO_USERS.len()
            );
        }
        SeedOutcome::AlreadySeeded => println!("the demo data is there already; nothing to do"),
        SeedOutcome::NotEmpty if strict => {
            return Err(
                "the database holds other data; demo data goes into an empty database only".into(),
            );
        }
        SeedOutcome::NotEmpty => {
            println!("the database holds other data, so no demo data was added")
        }
    }
    Ok(())
}

async fn seed_generated(
    state: &AppState,
    customers: u32,
    period: Option<okno_domain::billing::Period>,
) -> Result<(), String> {
    let period = period
        .unwrap_or_else(|| okno_domain::billing::Period::of(state.now().date_naive()).previous());
    let st = state.clone();
    let started = std::time::Instant::now();
    let steps = demo::generated::STEPS;
    let bar = indicatif::ProgressBar::new(u64::from(customers));
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:30}] {pos}/{len} customers · {msg}",
        )
        .map_err(|e| e.to_string())?
        .progress_chars("=> "),
    );
    let shown = bar.clone();
    let generated = state
        .run(move |conn| {
            demo::generated::seed_generated(
                &st,
                conn,
                period,
                usize::try_from(customers).unwrap_or(usize::MAX),
                &mut |step, done| {
                    shown.set_position(done);
                    shown.set_message(format!(
                        "step {}/{}: {}",
                        step + 1,
                        steps.len(),
                        steps.get(step).copied().unwrap_or_default()
                    ));
                },
            )
        })
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the database has customers already; generated load goes into one without")?;
    bar.finish_and_clear();
    println!(
        "generated {} customers with {} subscriptions, {} calls and {} contacts, billable for {period} ({:.1} s)",
        generated.customers,
        generated.subscriptions,
        generated.usage_events,
        generated.interactions,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn add_user(
    state: &AppState,
    username: String,
    role: Role,
    sales_point: Option<String>,
    display_name: Option<String>,
) -> Result<(), String> {
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(|e| format!("reading the password: {e}"))?;
    let password = password.trim_end_matches(['\n', '\r']).to_owned();
    let st = state.clone();
    let user = state
        .run(move |conn| {
            let sales_point_id = match sales_point {
                None => None,
                Some(id_or_code) => match id_or_code.parse::<i64>() {
                    Ok(id) => Some(id),
                    Err(_) => Some(
                        okno_db::reference::SalesPointRecord::find_by_code(
                            conn,
                            &id_or_code.to_uppercase(),
                        )?
                        .ok_or_else(|| {
                            okno_server::error::ApiError::field(
                                "sales_point",
                                okno_api_types::FieldErrorCode::UnknownReference,
                                format!("no sales point {id_or_code}"),
                            )
                        })?
                        .id,
                    ),
                },
            };
            let input = okno_api_types::users::NewUser {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                role,
                sales_point_id,
                password,
            };
            okno_server::users::add(&st, conn, &input, None)
        })
        .await
        .map_err(|e| match e {
            okno_server::error::ApiError::Validation(errors) => errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        })?;
    println!(
        "added user {} (id {}, role {})",
        user.username, user.id, user.role
    );
    Ok(())
}

async fn serve(mut settings: Settings, args: ServeArgs) -> Result<(), String> {
    settings.listen = args.listen;
    settings.jwt_secret = args.jwt_secret;
    settings.metrics_token = args.metrics_token;
    settings.trusted_proxies = args.trusted_proxies;
    settings.address_max_failures = args.address_max_failures.max(1);
    settings.workers = args.workers;
    if let Some(pool_size) = args.pool_size {
        settings.database_pool_size = pool_size;
    }
    settings.session_check_lifetime = std::time::Duration::from_secs(args.session_check_seconds);
    settings.access_token_ttl =
        chrono::Duration::minutes(args.access_token_minutes.clamp(1, 24 * 60));
    settings.password_max_age = args.password_max_age_days.map(chrono::Duration::days);
    settings.jobs_every = (args.jobs_every_minutes > 0)
        .then(|| std::time::Duration::from_secs(args.jobs_every_minutes.saturating_mul(60)));
    settings.online_payments = args.online.settings(args.demo)?;
    settings.notifications = args.notifications.settings()?;
    settings.web_dir = args.web_dir.or_else(|| {
        let default = PathBuf::from("frontend/dist");
        default.join("index.html").is_file().then_some(default)
    });
    let web_dir = settings.web_dir.clone();
    let state = prepare(settings)?;
    if args.demo {
        seed(&state, false).await?;
    }
    let has_users = state
        .run(|conn| {
            Ok(okno_db::users::UserRecord::list(conn, &Default::default(), None, 1)?.is_empty())
        })
        .await
        .map(|empty| !empty)
        .unwrap_or(true);
    let app = Application::serve(state).map_err(|e| e.to_string())?;
    let listen = app.state().settings.listen.clone();
    let host = listen
        .rsplit_once(':')
        .map_or("127.0.0.1", |(host, _)| host);
    let host = if host == "0.0.0.0" { "127.0.0.1" } else { host };
    let url = format!("http://{host}:{}", app.port());
    println!();
    println!("  Okno is running at {url}/");
    println!("  API documentation: {url}/api/docs/");
    if let okno_server::config::Gateway::Fake { .. } = app.state().settings.online_payments.gateway
    {
        println!("  Online payments: the fake gateway (no money moves) at {url}/fake-gateway/");
    }
    match web_dir {
        Some(dir) => println!("  Web app served from {}", dir.display()),
        None => println!(
            "  Web app not built: run ./scripts/run to build it (the API works without it)"
        ),
    }
    if args.demo {
        let logins: Vec<&str> = DEMO_USERS.iter().map(|(username, ..)| *username).collect();
        println!(
            "  Demo logins (password \"{DEMO_PASSWORD}\"): {}",
            logins.join(", ")
        );
        println!(
            "  Cabinet: issue an activation code from a customer's card, then activate at {url}/cabinet/activate"
        );
    } else if !has_users {
        println!(
            "  No users yet: add one with  echo 'a-strong-password' | okno user add --username admin --role admin --password-stdin"
        );
    }
    println!();
    app.run().await.map_err(|e| e.to_string())
}
