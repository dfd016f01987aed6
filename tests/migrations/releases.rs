//! What each release's fixture wrote, as the current code reads it after the upgrade, and
//! what the current code writes next to it. Loaders are the data layer's own; the JSON
//! columns are read through the server's views, which is where a stored value that no longer
//! decodes would break a card, a contract or an invoice.
//!
//! Later fixtures only add rows, so each release's checks hold whichever releases follow.

use chrono::{NaiveDate, NaiveDateTime};
use okno_db::audit::{AuditFilter, AuditRecord};
use okno_db::auth::{
    ApiKeyRecord, CabinetAccountRecord, LoginThrottleRecord, NewApiKeyRow, RefreshTokenRecord,
    SessionRecord,
};
use okno_db::benefits::BenefitRecord;
use okno_db::billing::{BillingRunRecord, NewBillingRunRow};
use okno_db::contracts::{
    ContractEventRecord, ContractFilter, ContractRecord, ContractRequestRecord, NewContractRow,
    RetentionContactRecord, SubscriptionRecord, SubscriptionTariffRecord,
};
use okno_db::customers::{
    ConsentRecord, CustomerColumns, CustomerFilter, CustomerRecord, DisclosureRecord,
    NewCustomerRow, RecordedBy,
};
use okno_db::documents::DocumentRecord;
use okno_db::interactions::{self, InteractionRecord, TimelineBound, TimelineItem};
use okno_db::invoices::{
    AccountEntryRecord, InvoiceFacts, InvoiceFilter, InvoiceRecord, NewAccountEntryRow,
};
use okno_db::reference::{NewSalesPointRow, SalesPointRecord, TopicRecord};
use okno_db::tariffs::{ProductRecord, TariffRecord};
use okno_db::usage::{MeterReadingRecord, MeterRecord, NewUsageRow, UsageEvents};
use okno_db::users::{UserFilter, UserRecord};
use okno_db::{DbConnection, DbError, sequences, write_transaction};
use okno_domain::access::{Permission, Role};
use okno_domain::benefits::BenefitKind;
use okno_domain::billing::{EntryKind, InvoiceKind, LineKind, RunStatus};
use okno_domain::contacts::{Channel, ConsentPurpose, Department};
use okno_domain::contracts::{
    ContractStatus, DocumentKind, RequestKind, RequestStatus, RetentionOutcome, SuspensionReason,
};
use okno_domain::customers::{
    AddressKind, CustomerKind, CustomerStatus, Language, Segment, TaxIdScheme,
};
use okno_domain::tariffs::{FeeKind, ServiceKind, UsageUnit};

const FOUNDATION: &str = "2026-11-23-000001_foundation";
const CONTRACTS: &str = "2026-11-24-000001_contracts";
const BILLING: &str = "2026-11-25-000001_billing";
const API_KEY_EXPIRY: &str = "2026-12-02-000001_api_key_expiry";
const LATE_USAGE: &str = "2026-12-04-000001_late_usage";
const SEARCH_AT_SCALE: &str = "2026-12-05-000001_search_at_scale";
const PAYMENTS: &str = "2026-12-06-000001_payments";
const ONLINE_PAYMENTS: &str = "2026-12-07-000001_online_payments";
const NOTIFICATIONS: &str = "2026-12-08-000001_notifications";
const COMPLAINTS: &str = "2026-12-09-000001_complaints";
const TICKETS: &str = "2026-12-16-000001_tickets";

/// The day the checks read as today: after every fixture's rows.
fn today() -> NaiveDate {
    day("2026-12-02")
}

fn now() -> NaiveDateTime {
    at("2026-12-02 12:00:00")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
}

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("a time")
}

fn one<'a, T: std::fmt::Debug>(items: &'a [T], what: &str, matches: impl Fn(&T) -> bool) -> &'a T {
    items
        .iter()
        .find(|item| matches(item))
        .unwrap_or_else(|| panic!("no {what} among {items:#?}"))
}

/// Checks the rows of every release in `loaded`; `from` names the release upgraded from.
pub fn check(conn: &mut DbConnection, loaded: &[&str], from: &str) {
    eprintln!("checking the data of {loaded:?} after upgrading from {from}");
    for release in loaded {
        match *release {
            FOUNDATION => foundation(conn),
            CONTRACTS => contracts(conn),
            BILLING => billing(conn),
            API_KEY_EXPIRY => api_key_expiry(conn),
            LATE_USAGE => late_usage(conn),
            SEARCH_AT_SCALE => search_at_scale(conn),
            PAYMENTS => payments(conn),
            ONLINE_PAYMENTS => online_payments(conn),
            NOTIFICATIONS => notifications(conn),
            COMPLAINTS => complaints(conn),
            TICKETS => tickets(conn),
            other => panic!(
                "migration {other} has no checks: add what its fixture wrote, read through \
                 the current code, to tests/migrations/releases.rs"
            ),
        }
    }
}

/// Writes through the current code next to every release's rows: ids, numbers and unique
/// rules carry on where the old data left them.
pub fn write_after_upgrade(conn: &mut DbConnection, loaded: &[&str], from: &str) {
    eprintln!("writing after upgrading from {from}");
    for release in loaded {
        match *release {
            FOUNDATION => write_foundation(conn),
            CONTRACTS => write_contracts(conn),
            BILLING => write_billing(conn),
            // Its rows are API keys, which the foundation's writes cover with an expiry.
            API_KEY_EXPIRY => {}
            // Its rows are usage records, which the billing writes cover.
            LATE_USAGE => {}
            // It adds indexes; the foundation's and billing's writes go through them.
            SEARCH_AT_SCALE => {}
            PAYMENTS => write_payments(conn),
            ONLINE_PAYMENTS => write_online_payments(conn),
            NOTIFICATIONS => write_notifications(conn),
            COMPLAINTS => write_complaints(conn),
            TICKETS => write_tickets(conn),
            other => panic!("migration {other} has no writes in tests/migrations/releases.rs"),
        }
    }
}

fn foundation(conn: &mut DbConnection) {
    let points = SalesPointRecord::list(conn).unwrap();
    let head_office = one(&points, "head office", |p| p.code == "HQ");
    assert_eq!(head_office.name, "Centrala Okno Telecom");
    assert_eq!(head_office.phone.as_deref(), Some("+48 22 100 00 00"));
    let branch = one(&points, "branch", |p| p.code == "WAW-1");
    assert_eq!(
        (branch.parent_id, branch.phone.as_deref(), branch.active),
        (Some(1), None, false)
    );

    let users = UserRecord::list(conn, &UserFilter::default(), None, 100).unwrap();
    let agent = one(&users, "agent", |u| u.username == "agent");
    assert_eq!(
        (
            agent.role,
            agent.sales_point_id,
            agent.active,
            agent.version
        ),
        (Role::Agent, Some(2), true, 3)
    );
    let former = one(&users, "former cashier", |u| u.username == "ex.cashier");
    assert_eq!(
        (former.role, former.sales_point_id, former.active),
        (Role::Cashier, None, false)
    );

    let anna = CustomerRecord::find(conn, 1).unwrap();
    assert_eq!(anna.display_name, "Kowalska Anna");
    assert_eq!(anna.account_number, "100000017");
    assert_eq!(
        (anna.kind, anna.tax_id_scheme, anna.segment, anna.status),
        (
            CustomerKind::Person,
            None,
            Segment::Household,
            CustomerStatus::Active
        )
    );
    let card = okno_server::customers::to_card(anna, true).unwrap();
    assert_eq!(
        card.emails.first().map(|e| e.value.as_str()),
        Some("anna.kowalska@example.pl")
    );
    assert_eq!(
        card.phones.first().and_then(|p| p.label.as_deref()),
        Some("komórka")
    );
    assert_eq!(
        card.addresses.first().and_then(|a| a.apartment.as_deref()),
        Some("3")
    );

    let bakery = CustomerRecord::find(conn, 2).unwrap();
    assert_eq!(
        (
            bakery.kind,
            bakery.tax_id_scheme,
            bakery.preferred_language,
            bakery.sales_point_id
        ),
        (
            CustomerKind::Organisation,
            Some(TaxIdScheme::PlNip),
            Language::En,
            None
        )
    );
    let card = okno_server::customers::to_card(bakery, false).unwrap();
    assert_eq!(card.tax_id.map(|t| t.value).as_deref(), Some("5260001246"));
    assert_eq!(card.emails.get(1).map(|e| e.label.clone()), Some(None));
    let correspondence = one(&card.addresses, "correspondence address", |a| {
        a.kind == AddressKind::Correspondence
    });
    assert_eq!(correspondence.city, "Łódź");
    assert_eq!(correspondence.apartment.as_deref(), Some("12B"));
    let found = CustomerRecord::list(
        conn,
        &CustomerFilter {
            terms: vec!["lodz".into()],
            ..CustomerFilter::default()
        },
        None,
        10,
    )
    .unwrap();
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [2]);

    let cabinet = CabinetAccountRecord::find(conn, 1).unwrap().unwrap();
    assert!(cabinet.active && cabinet.password_hash.is_some());
    let pending = CabinetAccountRecord::find(conn, 2).unwrap().unwrap();
    assert_eq!(
        (
            pending.active,
            pending.password_hash,
            pending.activation_expires_at
        ),
        (false, None, Some(at("2026-11-27 10:00:00")))
    );

    let staff_session = SessionRecord::find(conn, 1).unwrap();
    assert!(staff_session.is_open(now()));
    let ended = SessionRecord::find(conn, 2).unwrap();
    assert_eq!(ended.revoked_reason.as_deref(), Some("logged out"));
    assert!(!ended.is_open(now()));
    let token = RefreshTokenRecord::find_by_hash(
        conn,
        "7b2bc28ebaa80f19c1221b6d02e659c93ef78be995cbbc3ed91b44f20ee42d3f",
    )
    .unwrap()
    .unwrap();
    assert_eq!((token.session_id, token.spent_at), (1, None));
    let spent = RefreshTokenRecord::find_by_hash(
        conn,
        "f24bf07e7b1a3deda6b43d78967e1aba8c465828655004eebad0e4cd645d6c09",
    )
    .unwrap()
    .unwrap();
    assert_eq!(spent.spent_at, Some(at("2026-11-18 19:20:00")));

    let counting = LoginThrottleRecord::find(conn, "staff:agent")
        .unwrap()
        .unwrap();
    assert_eq!((counting.failures, counting.locked_until), (2, None));
    let locked = LoginThrottleRecord::find(conn, "subscriber:100000025")
        .unwrap()
        .unwrap();
    assert_eq!(locked.locked_until, Some(at("2026-11-20 08:14:30")));

    // Keys from before expiry dates existed never expire.
    let payments = ApiKeyRecord::find(conn, 1).unwrap();
    assert_eq!(payments.expires_at, None);
    assert_eq!(payments.last_used_at, Some(at("2026-12-01 23:59:00")));
    let scopes: Vec<Permission> = serde_json::from_str(&payments.scopes).unwrap();
    assert_eq!(
        scopes,
        [Permission::CustomersRead, Permission::InvoicesRead]
    );
    let export = ApiKeyRecord::find(conn, 2).unwrap();
    assert_eq!(
        (export.revoked_at, export.expires_at),
        (Some(at("2026-06-30 16:00:00")), None)
    );

    let topics = TopicRecord::list(conn).unwrap();
    let invoice_topic = one(&topics, "invoice topic", |t| t.code == "billing.invoice");
    assert_eq!(invoice_topic.name_ru.as_deref(), Some("Вопрос по счёту"));
    let retired = one(&topics, "retired topic", |t| {
        t.code == "contract.termination"
    });
    assert_eq!((retired.name_pl.as_deref(), retired.active), (None, false));

    let consents = ConsentRecord::of_customer(conn, 1).unwrap();
    assert_eq!(consents.len(), 2);
    let withdrawn = one(&consents, "withdrawn marketing consent", |c| {
        c.purpose == ConsentPurpose::Marketing
    });
    assert_eq!(withdrawn.withdrawn_channel, Some(Channel::Phone));
    let in_force = one(&consents, "consent in force", |c| {
        c.purpose == ConsentPurpose::ElectronicCorrespondence
    });
    assert_eq!(in_force.withdrawn_at, None);
    let by_customer = ConsentRecord::of_customer(conn, 2).unwrap();
    assert_eq!(
        by_customer
            .first()
            .map(|c| (c.granted_channel, c.granted_by_user_id)),
        Some((Channel::Web, None))
    );

    let disclosures = DisclosureRecord::of_customer(conn, 1).unwrap();
    assert_eq!(
        disclosures.first().map(|d| d.protocol_reference.as_str()),
        Some("KSP-2026/11/0042")
    );

    let contacts = InteractionRecord::of_customer(conn, 1, TimelineBound::Unbounded, 10).unwrap();
    let (call, topic) = contacts.first().expect("Anna's call");
    assert_eq!(topic.as_deref(), Some("billing.invoice"));
    assert_eq!(
        (call.channel, call.duration_seconds),
        (Channel::Phone, Some(151))
    );
    let letters = InteractionRecord::of_customer(conn, 2, TimelineBound::Unbounded, 10).unwrap();
    let (letter, topic) = letters.first().expect("the bakery's letter");
    assert_eq!(topic, &None);
    assert_eq!(
        (
            letter.department,
            letter.settled_in_contact,
            letter.sales_point_id
        ),
        (Some(Department::SubscriberService), false, None)
    );
    let timeline = interactions::timeline(conn, 2, None, 50).unwrap();
    assert!(
        timeline
            .iter()
            .any(|item| matches!(item, TimelineItem::CustomerCreated { customer_id: 2, .. })),
        "{timeline:#?}"
    );
    assert!(
        timeline.iter().any(
            |item| matches!(item, TimelineItem::Disclosure(d) if d.recorded_by_user_id.is_none())
        ),
        "{timeline:#?}"
    );

    let of_anna = AuditRecord::list(
        conn,
        &AuditFilter {
            customer_id: Some(1),
            ..AuditFilter::default()
        },
        None,
        10,
    )
    .unwrap();
    assert!(of_anna.iter().any(|e| e.action == "customer.create"));
    let all = AuditRecord::list(conn, &AuditFilter::default(), None, 100).unwrap();
    let system = one(&all, "system entry", |e| e.action == "user.create");
    assert_eq!(
        (system.actor_id, system.request_id.as_deref()),
        (None, None)
    );

    let counters = sequences::all(conn).unwrap();
    assert!(counters.contains(&("customer_account_number".to_owned(), 3)));
}

fn contracts(conn: &mut DbConnection) {
    let price_list = okno_server::tariffs::price_list(conn, today()).unwrap();
    let fibre = one(&price_list, "internet-1000", |t| t.code == "internet-1000");
    let current = fibre.current.as_ref().expect("a version in force");
    assert_eq!(current.monthly_fee_minor, 9999);
    assert_eq!(
        current
            .one_off_fees
            .first()
            .map(|f| (f.kind, f.amount_minor)),
        Some((FeeKind::Installation, 9900))
    );
    assert_eq!(
        fibre
            .upcoming
            .as_ref()
            .map(|v| (v.effective_from, v.monthly_fee_minor)),
        Some((day("2027-01-01"), 10499))
    );
    let energy = one(&price_list, "energy-g11", |t| t.code == "energy-g11");
    assert_eq!(energy.service_kind, ServiceKind::Electricity);
    let rate = energy
        .current
        .as_ref()
        .and_then(|v| v.usage_rates.first())
        .expect("the energy rate");
    assert_eq!(rate.unit, UsageUnit::Kwh);
    assert_eq!(
        rate.tiers.iter().map(|t| t.up_to_milli).collect::<Vec<_>>(),
        [Some(2_000_000), None]
    );
    let prepaid = one(&price_list, "internet-prepaid", |t| {
        t.code == "internet-prepaid"
    });
    assert!(prepaid.current.as_ref().is_some_and(|v| v.prepaid));
    let retired = TariffRecord::find(conn, 1).unwrap();
    assert_eq!((retired.active, retired.description), (false, None));

    let products = ProductRecord::list(conn).unwrap();
    let cable = one(&products, "cable", |p| p.code == "CABLE-5M");
    assert_eq!((cable.vat_rate_bp, cable.active), (800, false));

    let listed = ContractRecord::list(conn, &ContractFilter::default(), None, 100).unwrap();
    let (first, name) = one(&listed, "contract 1", |(c, _)| c.id == 1);
    assert_eq!(
        (first.number.as_str(), name.as_str()),
        ("UM/2026/000001", "Kowalska Anna")
    );

    let anna = okno_server::contracts::load_contract(conn, 1, today()).unwrap();
    assert_eq!(anna.status, ContractStatus::Active);
    assert_eq!(anna.end_date, Some(day("2027-06-20")));
    assert_eq!(anna.subscriptions.len(), 2);
    let internet = one(&anna.subscriptions, "internet", |s| s.id == 1);
    assert_eq!(internet.service_address.apartment.as_deref(), Some("3"));
    assert_eq!(
        internet
            .tariffs
            .iter()
            .map(|t| (t.tariff_code.as_str(), t.early))
            .collect::<Vec<_>>(),
        [("internet-300", false), ("internet-1000", true)]
    );
    assert_eq!(
        anna.suspensions
            .iter()
            .map(|s| (s.reason, s.resumed_on))
            .collect::<Vec<_>>(),
        [(SuspensionReason::CustomerRequest, Some(day("2026-10-15")))]
    );

    let ended = okno_server::contracts::load_contract(conn, 2, today()).unwrap();
    assert_eq!(
        (
            ended.status,
            ended.terminated_on,
            ended.termination_reason.as_deref(),
            ended.sales_point_id
        ),
        (
            ContractStatus::Terminated,
            Some(day("2026-10-31")),
            Some("Przeniesienie działalności"),
            None
        )
    );
    let energy = ended
        .subscriptions
        .first()
        .expect("the energy subscription");
    assert_eq!(energy.meter_number.as_deref(), Some("E-482100"));
    assert_eq!(energy.service_address.kind, AddressKind::Service);
    assert_eq!(
        ended.suspensions.first().map(|s| (s.reason, s.until_date)),
        Some((SuspensionReason::Debt, None))
    );
    let online = okno_server::contracts::load_contract(conn, 3, today()).unwrap();
    assert_eq!(
        (online.channel, online.created_by.as_str()),
        (Channel::Web, "integration: crm")
    );

    let history = SubscriptionTariffRecord::of_subscriptions(conn, &[1, 2]).unwrap();
    assert_eq!(history.len(), 3);

    let events = ContractEventRecord::of_contract(conn, 1).unwrap();
    let created = events.first().expect("the creation");
    assert_eq!(
        (created.from_status, created.to_status),
        (None, ContractStatus::Draft)
    );
    let change = one(&events, "tariff change", |e| e.action == "tariff_change");
    assert_eq!(
        change.detail.as_deref(),
        Some("Światłowód 300 → Światłowód 1 Gb/s from 2026-11-17")
    );

    let senior = BenefitRecord::of_customer(conn, 1).unwrap();
    assert_eq!(
        senior
            .first()
            .map(|b| (b.kind, b.percent_bp, b.amount_minor, b.valid_to)),
        Some((BenefitKind::Percent, Some(1500), None, None))
    );
    let loyalty = BenefitRecord::of_customer(conn, 2).unwrap();
    assert_eq!(
        loyalty
            .first()
            .map(|b| (b.kind, b.amount_minor, b.currency.as_deref())),
        Some((BenefitKind::Fixed, Some(1000), Some("PLN")))
    );

    let papers = DocumentRecord::of_customer(conn, 1).unwrap();
    let paper = one(&papers, "Anna's contract", |d| {
        d.kind == DocumentKind::Contract
    });
    assert_eq!(
        (paper.kind, paper.title.as_str(), paper.language),
        (DocumentKind::Contract, "Umowa UM/2026/000001", Language::Pl)
    );
    let content = DocumentRecord::content(conn, paper.id).unwrap();
    assert!(content.starts_with(b"%PDF-1.7"), "{content:?}");
    let notices = DocumentRecord::of_customer(conn, 2).unwrap();
    assert_eq!(
        notices.first().map(|d| (d.kind, d.contract_id)),
        Some((DocumentKind::TermsChangeNotice, None))
    );

    let retention = RetentionContactRecord::of_contract(conn, 1).unwrap();
    let mut outcomes: Vec<RetentionOutcome> = retention.iter().map(|r| r.outcome).collect();
    outcomes.sort();
    assert_eq!(
        outcomes,
        [RetentionOutcome::OfferSent, RetentionOutcome::NoAnswer]
    );

    let requests = ContractRequestRecord::list(conn, None, None).unwrap();
    let (open, customer, number) = one(&requests, "pending request", |(r, _, _)| {
        r.status == RequestStatus::Pending
    });
    assert_eq!(
        (
            open.kind,
            open.tariff_id,
            customer.as_str(),
            number.as_str()
        ),
        (
            RequestKind::TariffChange,
            Some(1),
            "Kowalska Anna",
            "UM/2026/000001"
        )
    );
    let (declined, _, _) = one(&requests, "declined request", |(r, _, _)| {
        r.status == RequestStatus::Declined
    });
    assert_eq!(
        (declined.kind, declined.subscription_id, declined.until_date),
        (RequestKind::Suspension, None, Some(day("2026-07-31")))
    );
}

fn billing(conn: &mut DbConnection) {
    let usage = UsageEvents::of_customers(conn, &[1, 2], "2026-10").unwrap();
    let kwh = one(&usage, "energy usage", |u| u.unit == UsageUnit::Kwh);
    assert_eq!((kwh.subscription_id, kwh.quantity_milli), (3, 307_116));
    // October was invoiced before usage named its invoice: the upgrade says which billed it,
    // so November's run does not bill it again as late usage (R-22).
    let billed_by: Vec<(i64, Option<i64>)> = usage
        .iter()
        .filter(|u| u.id <= 2)
        .map(|u| (u.id, u.invoice_id))
        .collect();
    assert_eq!(billed_by, [(1, Some(1)), (2, Some(2))]);
    let to_bill = UsageEvents::to_bill(conn, &[1, 2], "2026-11", "2025-11").unwrap();
    assert!(to_bill.iter().all(|u| u.id > 2), "{to_bill:?}");

    let meters = MeterRecord::of_customer(conn, 2).unwrap();
    assert_eq!(
        meters.iter().map(|m| m.number.as_str()).collect::<Vec<_>>(),
        ["E-482100", "E-990017"]
    );
    let latest = MeterReadingRecord::latest(conn, 1).unwrap().unwrap();
    assert_eq!(
        (latest.value_milli, latest.usage_event_id, latest.channel),
        (21_985_652, Some(2), Channel::Sms)
    );
    let replaced = MeterReadingRecord::of_meter(conn, 2).unwrap();
    assert!(replaced.first().is_some_and(|r| r.replacement));

    let october = BillingRunRecord::find_by_period(conn, "2026-10")
        .unwrap()
        .unwrap();
    assert_eq!(october.status, RunStatus::Completed);
    assert_eq!(
        BillingRunRecord::counts(conn, october.id).unwrap().invoiced,
        2
    );
    let november = BillingRunRecord::find_by_period(conn, "2026-11")
        .unwrap()
        .unwrap();
    assert_eq!(
        (november.status, november.finished_at),
        (RunStatus::Running, None)
    );
    let counts = BillingRunRecord::counts(conn, november.id).unwrap();
    assert_eq!((counts.pending, counts.failed), (1, 1));
    assert_eq!(
        BillingRunRecord::failures(conn, november.id, 10).unwrap(),
        [(2, "tariff 5 has no price in force on 2026-11-01".to_owned())]
    );
    assert_eq!(
        BillingRunRecord::finished_with_open_items(conn).unwrap(),
        []
    );

    // The ledger's invariants: lines sum to their invoice, each booked once for its gross.
    let invoices = InvoiceFacts::all(conn).unwrap();
    let first = one(&invoices, "FV/2026/11/000001", |i| i.id == 1);
    assert_eq!(
        (first.number.as_str(), first.gross_minor),
        ("FV/2026/11/000001", 5862)
    );
    let note = one(&invoices, "the correction note", |i| i.id == 3);
    assert_eq!(
        (note.kind, note.period.as_deref(), note.gross_minor),
        (InvoiceKind::Correction, None, -467)
    );
    let lines = InvoiceFacts::line_amounts(conn).unwrap();
    let bookings = InvoiceFacts::bookings(conn).unwrap();
    for invoice in &invoices {
        let summed = lines
            .iter()
            .filter(|(id, ..)| *id == invoice.id)
            .fold((0, 0, 0), |(n, v, g), (_, net, vat, gross)| {
                (n + net, v + vat, g + gross)
            });
        assert_eq!(
            summed,
            (invoice.net_minor, invoice.vat_minor, invoice.gross_minor),
            "{}",
            invoice.number
        );
        let booked: Vec<i64> = bookings
            .iter()
            .filter(|(id, _)| *id == invoice.id)
            .map(|(_, amount)| *amount)
            .collect();
        assert_eq!(booked, [-invoice.gross_minor], "{}", invoice.number);
    }

    let record = InvoiceRecord::find(conn, 1).unwrap();
    let view = okno_server::billing::view::invoice_view(
        conn,
        record,
        "/api/v1/invoices/1/pdf".into(),
        today(),
    )
    .unwrap();
    assert_eq!(view.lines.len(), 3);
    assert_eq!(
        view.seller.bank_account.as_deref(),
        Some("PL61 1090 1014 0000 0712 1981 2874")
    );
    assert_eq!(view.buyer.account_number.as_deref(), Some("100000017"));
    assert_eq!(
        view.corrections
            .iter()
            .map(|c| c.number.as_str())
            .collect::<Vec<_>>(),
        ["FK/2026/000001"]
    );
    let usage_line = one(&view.lines, "usage line", |l| l.kind == LineKind::Usage);
    assert_eq!(
        (usage_line.unit, usage_line.quantity_milli, usage_line.days),
        (Some(UsageUnit::Minute), Some(120_000), None)
    );

    let record = InvoiceRecord::find(conn, 2).unwrap();
    let english = okno_server::billing::view::invoice_view(
        conn,
        record,
        "/api/v1/invoices/2/pdf".into(),
        today(),
    )
    .unwrap();
    assert_eq!(english.language, Language::En);
    assert_eq!(english.buyer.tax_id.as_deref(), Some("5260001246"));
    let discount = one(&english.lines, "discount", |l| l.kind == LineKind::Discount);
    assert_eq!(
        (discount.net_minor, discount.subscription_id),
        (-1000, None)
    );

    let record = InvoiceRecord::find(conn, 3).unwrap();
    let correction = okno_server::billing::view::invoice_view(
        conn,
        record,
        "/api/v1/invoices/3/pdf".into(),
        today(),
    )
    .unwrap();
    assert_eq!(
        correction.corrects.map(|c| c.number).as_deref(),
        Some("FV/2026/11/000001")
    );
    assert_eq!(
        correction.lines.first().map(|l| (
            l.corrects_line_id,
            l.net_before_minor,
            l.net_after_minor
        )),
        Some((Some(3), Some(380), Some(0)))
    );

    let of_anna = InvoiceRecord::list(
        conn,
        &InvoiceFilter {
            customer_id: Some(1),
            ..InvoiceFilter::default()
        },
        None,
        10,
    )
    .unwrap();
    assert_eq!(of_anna.len(), 2);

    // Payments of later releases (customer 1's, from the payments fixture) come on top.
    let paid = |conn: &mut DbConnection, customer: i64| -> i64 {
        AccountEntryRecord::of_customer(conn, customer, None, 100)
            .unwrap()
            .iter()
            .filter(|e| e.kind == EntryKind::Payment)
            .map(|e| e.amount_minor)
            .sum()
    };
    let (anna_paid, bakery_paid) = (paid(conn, 1), paid(conn, 2));
    assert_eq!(
        AccountEntryRecord::balances(conn, &[1, 2]).unwrap(),
        [
            (1, -5862 + 467 + anna_paid),
            (2, -25025 + 10000 - 164 - 164 + bakery_paid)
        ]
    );
    let bakery = AccountEntryRecord::of_customer(conn, 2, None, 10).unwrap();
    let charged = one(&bakery, "prepaid charge", |e| {
        e.dedupe_key.as_deref() == Some("prepaid:4:2026-11-01")
    });
    assert_eq!(
        (charged.kind, charged.subscription_id, charged.invoice_id),
        (EntryKind::PrepaidCharge, Some(4), None)
    );

    let counters = sequences::all(conn).unwrap();
    assert!(counters.contains(&("invoice:FV:2026".to_owned(), 3)));
    assert!(counters.contains(&("invoice:FK:2026".to_owned(), 2)));
}

fn late_usage(conn: &mut DbConnection) {
    // November's run bills the call of November, not September's record, which October's
    // invoice billed.
    let to_bill = UsageEvents::to_bill(conn, &[1, 2], "2026-11", "2025-11").unwrap();
    let ids: Vec<(i64, Option<i64>)> = to_bill.iter().map(|u| (u.id, u.invoice_id)).collect();
    assert_eq!(ids, [(11, None)]);
    let september = UsageEvents::of_customers(conn, &[2], "2026-09").unwrap();
    assert_eq!(
        september
            .iter()
            .map(|u| (u.id, u.invoice_id))
            .collect::<Vec<_>>(),
        [(10, Some(2))]
    );
}

fn search_at_scale(conn: &mut DbConnection) {
    let ids = |filter: CustomerFilter, conn: &mut DbConnection| -> Vec<i64> {
        CustomerRecord::list(conn, &filter, None, 10)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    let everyone = ids(CustomerFilter::default(), conn);
    assert_eq!(everyone.get(..2), Some(&[1, 2][..]), "in name order");
    let by_terms = CustomerFilter {
        terms: vec!["kowalska".into(), "600".into()],
        ..CustomerFilter::default()
    };
    assert_eq!(ids(by_terms, conn), [1]);

    let numbers = |prefix: &str, conn: &mut DbConnection| -> Vec<String> {
        let filter = InvoiceFilter {
            number_prefix: Some(prefix.into()),
            ..InvoiceFilter::default()
        };
        InvoiceRecord::list(conn, &filter, None, 10)
            .unwrap()
            .into_iter()
            .map(|i| i.number)
            .collect()
    };
    assert_eq!(numbers("FV/2026/11/000001", conn), ["FV/2026/11/000001"]);
    let november = numbers("FV/2026/11", conn);
    assert!(!november.is_empty() && november.iter().all(|n| n.starts_with("FV/2026/11/")));
    assert!(
        numbers("fv/2026/11", conn).is_empty(),
        "numbers match as written, on both backends"
    );
}

fn payments(conn: &mut DbConnection) {
    use okno_db::payments::{PaymentRecord, open_of_invoices};
    use okno_domain::payments::{PaymentMethod, PaymentStatus};

    // The upgrade settles what was booked before allocation: Anna's credit note pays the
    // invoice it corrects (862 - 467 = 395 still to pay); the bakery's balance carried over
    // pays its two prepaid days, then 96,72 of its invoice, and its 20,00 in cash and the 50,00
    // of a prepaid card pay 70,00 more.
    let settled = okno_server::payments::allocation::settle_all(conn, now().and_utc()).unwrap();
    assert!(settled <= 2, "{settled} customers settled");
    let mut open = open_of_invoices(conn, &[1, 2, 3]).unwrap();
    open.sort_unstable();
    assert_eq!(
        open,
        [
            (1, 395),
            (2, 25_025 - (10_000 - 2 * 164) - 2_000 - 5_000),
            (3, 0)
        ]
    );
    let invoice = InvoiceRecord::find(conn, 1).unwrap();
    let view =
        okno_server::billing::view::invoice_view(conn, invoice, String::new(), today()).unwrap();
    assert_eq!(
        (view.payment_status, view.to_pay_minor),
        (PaymentStatus::Overdue, 395)
    );
    assert_eq!(
        okno_server::payments::allocation::settle_all(conn, now().and_utc()).unwrap(),
        0,
        "settled once"
    );

    let payment = PaymentRecord::find(conn, 1).unwrap();
    assert_eq!(
        (payment.method, payment.amount_minor, payment.received_at),
        (PaymentMethod::Transfer, 5_000, at("2026-12-01 09:00:00"))
    );
    let view = okno_server::payments::payment_view(conn, payment).unwrap();
    assert_eq!(
        view.allocations
            .iter()
            .map(|a| (
                a.invoice.as_ref().map(|i| i.number.as_str()),
                a.amount_minor
            ))
            .collect::<Vec<_>>(),
        [(Some("FV/2026/11/000001"), 5_000)]
    );
    assert_eq!(
        (view.credit_minor, view.account_number.as_str()),
        (0, "100000017")
    );
    assert!(
        PaymentRecord::find_by_key(conn, "fixture-key-1")
            .unwrap()
            .is_some()
    );

    let till = okno_db::tills::TillRecord::find(conn, 1).unwrap();
    assert_eq!(
        (
            till.float_minor,
            till.difference_minor,
            till.closing_note.as_deref()
        ),
        (10_000, Some(-100), Some("Brak 1 zł"))
    );
    let takings = okno_db::tills::TillRecord::takings(conn, 1).unwrap();
    assert_eq!(
        takings
            .iter()
            .map(|t| (t.method, t.amount_minor))
            .collect::<Vec<_>>(),
        [(PaymentMethod::Cash, 2_000)]
    );

    use okno_db::payment_imports::{CsvMappingRecord, ImportLineRecord};
    assert!(ImportLineRecord::reference_taken(conn, "PKO-20261201-0001").unwrap());
    let queue = ImportLineRecord::with_outcome(
        conn,
        okno_domain::payments::ImportOutcome::Unmatched,
        None,
        10,
    )
    .unwrap();
    assert_eq!(
        queue
            .iter()
            .map(|l| (l.id, l.amount_minor))
            .collect::<Vec<_>>(),
        [(2, 12_000)]
    );
    use okno_db::prepaid_cards::{CardBatchRecord, CardRecord};
    let sha = |code: &str| okno_server::auth::tokens::hash_secret(code);
    let used = CardRecord::find_by_hash(conn, &sha("4000000000000002"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (used.serial.as_str(), used.payment_id),
        ("00001-00001", Some(3))
    );
    let unused = CardRecord::find_by_hash(conn, &sha("4000000000000010"))
        .unwrap()
        .unwrap();
    assert_eq!(unused.redeemed_at, None);
    let batches = CardBatchRecord::list(conn, 10).unwrap();
    assert_eq!(
        batches
            .iter()
            .map(|(b, used)| (b.id, b.value_minor, *used))
            .collect::<Vec<_>>(),
        [(1, 5_000, 1)]
    );
    let ing = CsvMappingRecord::find(conn, "ING").unwrap().unwrap();
    let mapping: okno_api_types::payments::CsvMapping = serde_json::from_str(&ing.mapping).unwrap();
    assert_eq!((mapping.columns.amount, mapping.decimal_comma), (5, true));
}

fn write_payments(conn: &mut DbConnection) {
    use okno_db::payments::{NewPaymentRow, PaymentRecord};
    use okno_domain::payments::PaymentMethod;

    let row = |key: &str, reference: &str| NewPaymentRow {
        customer_id: 1,
        amount_minor: 395,
        currency: "PLN".into(),
        method: PaymentMethod::Transfer,
        payer_reference: None,
        external_reference: Some(reference.into()),
        idempotency_key: Some(key.into()),
        request_digest: None,
        received_at: now(),
        registered_by: "test".into(),
        created_at: now(),
        till_id: None,
        invoice_id: None,
    };
    // The release's key and bank reference are taken; new ones are not.
    assert_eq!(
        PaymentRecord::insert_new(conn, row("fixture-key-1", "PKO-20261202-0001")).unwrap(),
        None
    );
    assert_eq!(
        PaymentRecord::insert_new(conn, row("another-key", "PKO-20261201-0001")).unwrap(),
        None
    );
    let new = PaymentRecord::insert_new(conn, row("another-key", "PKO-20261202-0001"))
        .unwrap()
        .expect("a new payment");
    assert!(new.id > 2);

    // The agent's till is closed: they may open another; while it is open, not a second.
    let open = |conn: &mut DbConnection| {
        okno_db::tills::TillRecord::open(
            conn,
            okno_db::tills::NewTillRow {
                sales_point_id: 2,
                cashier_id: 2,
                currency: "PLN".into(),
                opened_at: now(),
                float_minor: 0,
            },
        )
        .unwrap()
    };
    assert!(open(conn).is_some_and(|t| t.id > 1));
    assert_eq!(open(conn), None);
}

fn api_key_expiry(conn: &mut DbConnection) {
    let meters = ApiKeyRecord::find(conn, 3).unwrap();
    assert_eq!(meters.expires_at, Some(at("2027-03-31 23:59:59")));
    let scopes: Vec<Permission> = serde_json::from_str(&meters.scopes).unwrap();
    assert_eq!(
        scopes,
        [Permission::UsageWrite, Permission::MeterReadingsWrite]
    );
    let reports = ApiKeyRecord::find(conn, 4).unwrap();
    assert_eq!(reports.expires_at, None);
    let keys = ApiKeyRecord::list(conn).unwrap();
    assert!(keys.iter().any(|k| k.id == 1 && k.expires_at.is_none()));
}

fn write_foundation(conn: &mut DbConnection) {
    let point = SalesPointRecord::insert(
        conn,
        &NewSalesPointRow {
            code: "GDA-1",
            name: "Punkt Obsługi Klienta Gdańsk",
            kind: "sales_point",
            parent_id: Some(1),
            address: "ul. Długa 1, 80-827 Gdańsk",
            phone: None,
            active: true,
            created_at: now(),
        },
    )
    .unwrap();
    assert_eq!(point.id, 3, "sales point ids carry on after the fixture's");

    let customer = write_transaction(conn, |c| {
        CustomerRecord::create(
            c,
            NewCustomerRow {
                kind: CustomerKind::Person,
                columns: CustomerColumns {
                    first_name: Some("Jan".into()),
                    last_name: Some("Nowak".into()),
                    organisation_name: None,
                    display_name: "Nowak Jan".into(),
                    tax_id_scheme: None,
                    tax_id: None,
                    segment: Segment::Household,
                    preferred_language: Language::Pl,
                    status: CustomerStatus::Prospect,
                    sales_point_id: Some(point.id),
                    emails: r#"[{"value":"jan.nowak@example.pl"}]"#.into(),
                    phones: "[]".into(),
                    addresses: "[]".into(),
                    notes: None,
                    search_text: "jan | nowak | jan.nowak@example.pl".into(),
                },
                created_by: "Piotr Zieliński".into(),
                created_at: now(),
                updated_at: now(),
                version: 1,
            },
        )
    })
    .unwrap();
    assert_eq!(
        (customer.id, customer.account_number.as_str()),
        (3, "100000033"),
        "the account number counter carries on"
    );

    let staff = RecordedBy {
        label: "Piotr Zieliński".into(),
        user_id: Some(2),
    };
    let twice = ConsentRecord::grant(
        conn,
        1,
        ConsentPurpose::ElectronicCorrespondence,
        Channel::Phone,
        &staff,
        None,
        now(),
    );
    assert!(
        matches!(twice, Err(DbError::Duplicate("purpose"))),
        "R-02: one consent in force per purpose, still after the upgrade: {twice:?}"
    );
    let granted = ConsentRecord::grant(
        conn,
        customer.id,
        ConsentPurpose::Marketing,
        Channel::Visit,
        &staff,
        None,
        now(),
    )
    .unwrap();
    // PostgreSQL spends a sequence value on the refused grant above.
    assert!(
        granted.id > 3,
        "consent ids carry on after the fixture's: {granted:?}"
    );

    let last_key = ApiKeyRecord::list(conn)
        .unwrap()
        .iter()
        .map(|k| k.id)
        .max()
        .unwrap_or(0);
    let key = ApiKeyRecord::insert(
        conn,
        &NewApiKeyRow {
            name: "Klucz po aktualizacji",
            prefix: "q2w3e4r5t6",
            secret_hash: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
            scopes: r#"["customers_read"]"#,
            created_by: 1,
            created_at: now(),
            expires_at: Some(at("2027-12-31 23:59:59")),
        },
    )
    .unwrap();
    assert_eq!(key.id, last_key + 1);
    assert_eq!(
        ApiKeyRecord::find(conn, key.id).unwrap().expires_at,
        Some(at("2027-12-31 23:59:59"))
    );
}

fn write_contracts(conn: &mut DbConnection) {
    let contract = write_transaction(conn, |c| {
        ContractRecord::create(
            c,
            NewContractRow {
                customer_id: 1,
                sales_point_id: Some(2),
                channel: Channel::Visit,
                status: ContractStatus::Draft,
                start_date: day("2027-01-01"),
                end_date: None,
                created_by: "Piotr Zieliński".into(),
                created_by_user_id: Some(2),
                created_at: now(),
                updated_at: now(),
                version: 1,
            },
            2026,
        )
    })
    .unwrap();
    assert_eq!(
        (contract.id, contract.number.as_str()),
        (4, "UM/2026/000004"),
        "contract ids and numbers carry on"
    );
    let subscription = SubscriptionRecord::insert(
        conn,
        &contract,
        r#"{"kind":"residence","street":"ul. Długa","building":"5","apartment":"3","postal_code":"00-238","city":"Warszawa","country":"PL"}"#,
        None,
        now(),
    )
    .unwrap();
    assert_eq!(subscription.id, 5);
    let tariff = TariffRecord::insert(
        conn,
        "tv-start",
        "Telewizja Start",
        ServiceKind::Tv,
        None,
        now(),
    )
    .unwrap();
    assert_eq!(tariff.id, 6);
}

fn write_billing(conn: &mut DbConnection) {
    let usage = UsageEvents::insert_one(
        conn,
        NewUsageRow {
            external_id: "cdr:2026-12-01:48600100200:0001".into(),
            customer_id: 1,
            subscription_id: 2,
            unit: UsageUnit::Sms,
            quantity_milli: 1000,
            occurred_at: at("2026-12-01 09:00:00"),
            occurred_on: day("2026-12-01"),
            period: "2026-12".into(),
            source: "cdr".into(),
            recorded_at: now(),
        },
    )
    .unwrap();
    // Past the billing fixture's ids, and those of later fixtures (10 and 11) when loaded.
    assert!(usage == 3 || usage == 12, "usage id {usage}");

    let charge = |on: &str| NewAccountEntryRow {
        booked_on: day(on),
        subscription_id: Some(4),
        dedupe_key: Some(format!("prepaid:4:{on}")),
        ..NewAccountEntryRow::new(
            2,
            EntryKind::PrepaidCharge,
            now(),
            -164,
            "PLN".into(),
            format!("Internet na kartę 100: {on}"),
        )
    };
    assert!(
        !AccountEntryRecord::insert_once(conn, charge("2026-11-01")).unwrap(),
        "a day charged before the upgrade is not charged again"
    );
    assert!(AccountEntryRecord::insert_once(conn, charge("2026-11-03")).unwrap());

    let (run, created) = BillingRunRecord::create_or_get(
        conn,
        NewBillingRunRow {
            period: "2026-12".into(),
            status: RunStatus::Running,
            issue_date: day("2027-01-01"),
            started_at: now(),
            started_by: "admin".into(),
        },
    )
    .unwrap();
    assert_eq!((run.id, created), (3, true));
    let (again, created) = BillingRunRecord::create_or_get(
        conn,
        NewBillingRunRow {
            period: "2026-10".into(),
            status: RunStatus::Running,
            issue_date: day("2026-11-01"),
            started_at: now(),
            started_by: "admin".into(),
        },
    )
    .unwrap();
    assert_eq!((again.id, created), (1, false), "one run per period");
}

fn online_payments(conn: &mut DbConnection) {
    use okno_db::online_payments::{CheckoutRecord, GatewayEventRecord};
    use okno_domain::payments::online::{CheckoutPurpose, CheckoutStatus};

    let checkout = CheckoutRecord::find_by_session(conn, "stripe", "cs_test_fixture_1")
        .unwrap()
        .expect("the release's checkout");
    let view = okno_server::payments::online::view(conn, checkout).unwrap();
    assert_eq!(
        (view.id, view.purpose, view.status, view.amount_minor),
        (1, CheckoutPurpose::TopUp, CheckoutStatus::Expired, 10_000)
    );
    // An expired checkout offers no page to pay at.
    assert_eq!(view.checkout_url, None);
    let event = GatewayEventRecord::find(conn, "stripe", "evt_fixture_1")
        .unwrap()
        .expect("the release's event");
    assert_eq!(
        (event.checkout_id, event.outcome.as_str()),
        (Some(1), "updated")
    );
}

fn write_online_payments(conn: &mut DbConnection) {
    use okno_db::online_payments::{
        CheckoutRecord, GatewayEventRecord, NewCheckoutRow, NewGatewayEventRow,
    };
    use okno_domain::payments::online::{CheckoutPurpose, CheckoutStatus};

    let event = |id: &str| NewGatewayEventRow {
        gateway: "stripe".into(),
        event_id: id.into(),
        event_type: "checkout.session.completed".into(),
        received_at: now(),
        checkout_id: None,
        outcome: "taken".into(),
    };
    // The release's event is a replay now; a new one is taken.
    assert!(!GatewayEventRecord::take(conn, event("evt_fixture_1")).unwrap());
    assert!(GatewayEventRecord::take(conn, event("evt_after_upgrade")).unwrap());
    let checkout = CheckoutRecord::insert(
        conn,
        NewCheckoutRow {
            customer_id: 1,
            purpose: CheckoutPurpose::Invoice,
            invoice_id: Some(1),
            amount_minor: 395,
            currency: "PLN".into(),
            gateway: "stripe".into(),
            status: CheckoutStatus::Open,
            created_at: now(),
            expires_at: now(),
        },
    )
    .unwrap();
    assert!(checkout.id > 1);
    CheckoutRecord::started(conn, checkout.id, "cs_test_after_upgrade", "https://x").unwrap();
    // The session id is the release's already: the unique rule holds across the upgrade.
    assert!(CheckoutRecord::started(conn, checkout.id, "cs_test_fixture_1", "https://x").is_err());
}

fn notifications(conn: &mut DbConnection) {
    use okno_db::notifications::{
        BounceRecord, MessageFilter, MessageRecord, PreferenceRecord, TemplateRecord,
    };
    use okno_domain::notifications::{
        MessageChannel, MessageStatus, NotificationEvent, SuppressionReason,
    };

    let filter = MessageFilter {
        customer_id: Some(1),
        ..MessageFilter::default()
    };
    let messages = MessageRecord::list(conn, &filter, 10).unwrap();
    let email = one(&messages, "the invoice e-mail", |m| m.id == 1);
    let view = okno_server::notifications::outbox::view(email.clone());
    assert_eq!(
        (view.event, view.channel, view.language, view.status),
        (
            NotificationEvent::InvoiceIssued,
            MessageChannel::Email,
            Language::Pl,
            MessageStatus::Pending
        )
    );
    assert_eq!(
        email.consent_needed,
        Some(ConsentPurpose::ElectronicCorrespondence)
    );
    let sms = one(&messages, "the invoice SMS", |m| m.id == 2);
    assert_eq!(
        (sms.status, sms.suppressed_reason),
        (
            MessageStatus::Suppressed,
            Some(SuppressionReason::NoAddress)
        )
    );
    // A code is read hidden, and kept only until the message is done with.
    let reset = one(&messages, "the reset SMS", |m| m.id == 3);
    assert_eq!(
        okno_server::notifications::outbox::view(reset.clone()).body,
        "Okno: kod ••••••••"
    );
    let templates = TemplateRecord::all(conn).unwrap();
    assert_eq!(
        templates
            .iter()
            .map(|t| (t.event, t.channel, t.language, t.body.as_str()))
            .collect::<Vec<_>>(),
        [(
            NotificationEvent::PaymentReceived,
            MessageChannel::Sms,
            Language::Pl,
            "{{ operator_name }}: dziękujemy za {{ amount }}"
        )]
    );
    assert_eq!(
        BounceRecord::among(
            conn,
            &["Anna.Old@example.pl".into(), "anna@example.pl".into()]
        )
        .unwrap(),
        ["anna.old@example.pl"]
    );
    let choices = PreferenceRecord::of_customers(conn, &[1]).unwrap();
    assert_eq!(
        choices
            .iter()
            .map(|c| (c.event, c.channel, c.enabled))
            .collect::<Vec<_>>(),
        [(
            NotificationEvent::PaymentReceived,
            MessageChannel::Sms,
            false
        )]
    );
}

fn write_notifications(conn: &mut DbConnection) {
    use okno_db::notifications::{
        BounceRecord, MessageRecord, NewMessageRow, PreferenceRecord, TemplateRecord,
    };
    use okno_domain::notifications::{MessageChannel, MessageStatus, NotificationEvent};

    let row = |key: &str| NewMessageRow {
        customer_id: 1,
        event: NotificationEvent::PaymentReceived,
        channel: MessageChannel::Email,
        language: Language::Pl,
        recipient: Some("anna.kowalska@example.pl".into()),
        subject: Some("Otrzymaliśmy wpłatę".into()),
        body: "<p>...</p>".into(),
        status: MessageStatus::Pending,
        suppressed_reason: None,
        consent_needed: Some(ConsentPurpose::ElectronicCorrespondence),
        invoice_id: None,
        dedup_key: key.into(),
        last_error: None,
        redacted_body: None,
        next_attempt_at: now(),
        created_at: now(),
        document_id: None,
    };
    // The release's key is taken: the same event is not written twice across the upgrade.
    assert_eq!(
        MessageRecord::insert_new(
            conn,
            vec![
                row("invoice_issued:1:email"),
                row("payment_received:9:email")
            ]
        )
        .unwrap(),
        1
    );
    // Withdrawing the consent stops the release's pending e-mail with the new one.
    assert_eq!(
        MessageRecord::suppress_needing(conn, 1, ConsentPurpose::ElectronicCorrespondence).unwrap(),
        2
    );
    PreferenceRecord::set(
        conn,
        PreferenceRecord {
            customer_id: 1,
            event: NotificationEvent::PaymentReceived,
            channel: MessageChannel::Sms,
            enabled: true,
            updated_at: now(),
            updated_by: "after the upgrade".into(),
        },
    )
    .unwrap();
    let choices = PreferenceRecord::of_customers(conn, &[1]).unwrap();
    assert_eq!(
        choices.iter().map(|c| c.enabled).collect::<Vec<_>>(),
        [true]
    );
    // The release's code is forgotten once its message is done with.
    let claimed =
        MessageRecord::claim(conn, "upgrade", &[MessageChannel::Sms], 10, now(), now()).unwrap();
    let reset = one(&claimed, "the reset SMS", |m| m.id == 3);
    assert_eq!(reset.body, "Okno: kod K7MP3QXD");
    assert!(
        MessageRecord::finish(
            conn,
            3,
            "upgrade",
            &okno_db::notifications::Delivery::Failed {
                error: "refused".into()
            }
        )
        .unwrap()
    );
    let done = MessageRecord::find(conn, 3).unwrap();
    assert_eq!(
        (done.body.as_str(), done.redacted_body),
        ("Okno: kod ••••••••", None)
    );
    assert!(
        TemplateRecord::remove(
            conn,
            NotificationEvent::PaymentReceived,
            MessageChannel::Sms,
            Language::Pl
        )
        .unwrap()
    );
    assert!(BounceRecord::clear(conn, "ANNA.OLD@example.pl").unwrap());
}

fn complaints(conn: &mut DbConnection) {
    use okno_db::complaints::{
        CalendarDayRecord, ComplaintEventRecord, ComplaintRecord, MeasureRecord, invoices_of,
    };
    use okno_db::documents::DocumentRecord;
    use okno_db::notifications::MessageRecord;
    use okno_domain::complaints::{
        CalendarDayKind, ComplaintChannel, ComplaintOutcome, ComplaintStatus, Jurisdiction,
    };
    use okno_domain::notifications::MessageStatus;

    let first = ComplaintRecord::find(conn, 1).unwrap();
    assert_eq!(
        (
            first.number.as_str(),
            first.channel,
            first.status,
            first.jurisdiction
        ),
        (
            "RK/2026/000001",
            ComplaintChannel::Phone,
            ComplaintStatus::Acknowledged,
            Jurisdiction::Pl
        )
    );
    assert_eq!(
        (
            first.decide_by,
            first.claim_until,
            first.amount_claimed_minor
        ),
        (day("2026-12-31"), Some(day("2027-11-02")), Some(1_500))
    );
    assert_eq!(invoices_of(conn, 1).unwrap(), [1]);
    let events = ComplaintEventRecord::of_complaint(conn, 1).unwrap();
    assert_eq!(
        events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        ["registered", "acknowledged"]
    );
    let documents = DocumentRecord::of_complaint(conn, 1).unwrap();
    assert_eq!(documents.len(), 1);
    let confirmation = one(&documents, "the confirmation", |d| d.id == 10);
    assert_eq!(confirmation.complaint_id, Some(1));
    assert_eq!(
        MessageRecord::emails_of_documents(conn, &[confirmation.id]).unwrap(),
        [(10, MessageStatus::Sent)]
    );
    let second = ComplaintRecord::find(conn, 2).unwrap();
    assert_eq!(
        (second.status, second.repeat_of),
        (ComplaintStatus::AwaitingApproval, Some(1))
    );
    let proposal = ComplaintRecord::proposal(conn, 2).unwrap().unwrap();
    assert_eq!(
        (proposal.outcome, proposal.granted_minor),
        (ComplaintOutcome::Accepted, 9_000)
    );
    let measures = MeasureRecord::list(conn).unwrap();
    assert_eq!(
        measures
            .iter()
            .map(|m| (m.id, m.due_on))
            .collect::<Vec<_>>(),
        [(1, day("2026-12-20"))]
    );
    let holidays = CalendarDayRecord::of(conn, Jurisdiction::Ru).unwrap();
    assert_eq!(
        holidays.iter().map(|d| (d.day, d.kind)).collect::<Vec<_>>(),
        [(day("2026-12-31"), CalendarDayKind::Holiday)]
    );
    // The release's documents of contracts have no complaint.
    assert!(
        DocumentRecord::of_customer(conn, 1)
            .unwrap()
            .iter()
            .filter(|d| d.id != 10)
            .all(|d| d.complaint_id.is_none())
    );
}

fn write_complaints(conn: &mut DbConnection) {
    use okno_db::complaints::{ComplaintRecord, DecisionRow, MeasureRecord};
    use okno_domain::complaints::{ComplaintOutcome, ComplaintStatus};

    // The waiting proposal is approved after the upgrade; the next number follows the release's.
    assert!(ComplaintRecord::drop_proposal(conn, 2, false).unwrap());
    assert!(
        ComplaintRecord::decide(
            conn,
            2,
            &DecisionRow {
                outcome: ComplaintOutcome::Accepted,
                granted_minor: 9_000,
                reasoning: String::new(),
                decided_at: now(),
                decided_by: "Maria Menedżer".into(),
                approved_by: Some("Adam Admin".into()),
            }
        )
        .unwrap()
    );
    assert_eq!(
        ComplaintRecord::find(conn, 2).unwrap().status,
        ComplaintStatus::Decided
    );
    assert_eq!(sequences::take_next(conn, "complaint:2026").unwrap(), 3);
    let done = MeasureRecord::set_done(conn, 1, Some(today())).unwrap();
    assert_eq!(done.done_on, Some(today()));
}

fn tickets(conn: &mut DbConnection) {
    use okno_db::knowledge::{ArticleFilter, ArticleOrder, ArticleRecord};
    use okno_db::tickets::{
        AttachmentRecord, DepartmentRecord, IncidentRecord, ScriptRecord, ScriptRunRecord,
        ScriptVersionRecord, SlotRecord, TicketEventRecord, TicketRecord, VisitRecord,
        sla_settings,
    };
    use okno_domain::tickets::scripts::{PathStep, ScriptBody};
    use okno_domain::tickets::{TicketEventKind, TicketPriority, TicketStatus, VisitStatus};

    let departments = DepartmentRecord::all(conn).unwrap();
    assert_eq!(departments.len(), 8);
    let network = one(&departments, "the added department", |d| {
        d.code == "network"
    });
    assert!(!network.active);
    assert_eq!(
        DepartmentRecord::active_codes(conn)
            .unwrap()
            .first()
            .map(String::as_str),
        Some("call_centre")
    );
    let (policies, hours) = sla_settings(conn).unwrap();
    let normal = one(&policies, "normal targets", |p| {
        p.priority == TicketPriority::Normal
    });
    assert_eq!(normal.resolution_minutes, 1200);
    let saturday = one(&hours, "Saturday", |d| d.weekday == 6);
    assert_eq!(
        (saturday.opens.as_deref(), saturday.closes.as_deref()),
        (Some("09:00"), Some("13:00"))
    );

    let ticket = TicketRecord::find(conn, 1).unwrap();
    assert_eq!(
        (
            ticket.number.as_str(),
            ticket.status,
            ticket.incident_id,
            ticket.department.as_str()
        ),
        (
            "TK/2026/000001",
            TicketStatus::WaitingForVisit,
            Some(1),
            "technical_support"
        )
    );
    let events = TicketEventRecord::of_ticket(conn, 1).unwrap();
    assert_eq!(
        events.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [
            TicketEventKind::Opened,
            TicketEventKind::Routed,
            TicketEventKind::IncidentLinked,
            TicketEventKind::StatusChanged
        ]
    );
    let (file, bytes) = AttachmentRecord::content(conn, 1, 1).unwrap();
    assert_eq!(
        (file.file_name.as_str(), bytes.as_slice()),
        ("modem.txt", b"photo".as_slice())
    );

    let script = ScriptRecord::find(conn, 1).unwrap();
    let version = ScriptVersionRecord::of_script(conn, 1, script.current_version).unwrap();
    let body: ScriptBody = serde_json::from_str(&version.body).unwrap();
    assert_eq!((body.start.as_str(), body.nodes.len()), ("q", 3));
    let run = ScriptRunRecord::of_ticket(conn, 1).unwrap().unwrap();
    let path: Vec<PathStep> = serde_json::from_str(&run.path).unwrap();
    assert_eq!(path.first().and_then(|p| p.answer.as_deref()), Some("Nie"));

    let incidents = IncidentRecord::active(conn).unwrap();
    assert_eq!(
        incidents
            .iter()
            .map(|i| i.number.as_str())
            .collect::<Vec<_>>(),
        ["AW/2026/000001"]
    );
    assert_eq!(SlotRecord::find(conn, 2).unwrap().technician_id, 1);
    let booked = VisitRecord::in_slots(conn, &[1, 2]).unwrap();
    assert_eq!(booked.get(&1).map(|v| v.status), Some(VisitStatus::Booked));
    assert!(!booked.contains_key(&2));

    let found = ArticleRecord::list(
        conn,
        &ArticleFilter {
            terms: vec!["modemu".into()],
            ..ArticleFilter::default()
        },
        ArticleOrder::Newest,
        10,
    )
    .unwrap();
    assert_eq!(found.iter().map(|a| a.id).collect::<Vec<_>>(), [1]);
}

fn write_tickets(conn: &mut DbConnection) {
    use okno_db::tickets::{
        IncidentRecord, NewIncidentRow, NewTicketRow, NewVisitRow, TicketRecord, VisitRecord,
    };
    use okno_domain::tickets::outages::{AreaScope, IncidentStatus};
    use okno_domain::tickets::{
        TicketCategory, TicketPriority, TicketSource, TicketStatus, VisitStatus,
    };

    // Numbers and ids go on from the release's.
    assert_eq!(sequences::take_next(conn, "ticket:2026").unwrap(), 2);
    let second = TicketRecord::insert(
        conn,
        NewTicketRow {
            number: "TK/2026/000002".into(),
            customer_id: 1,
            subscription_id: None,
            category: TicketCategory::Tv,
            priority: TicketPriority::Normal,
            department: "technical_support".into(),
            assignee_id: None,
            status: TicketStatus::New,
            title: "Brak TV".into(),
            description: "Czarny ekran.".into(),
            source: TicketSource::Cabinet,
            service_address: None,
            area_building: None,
            area_street: None,
            area_postcode: None,
            network_node: None,
            interaction_id: None,
            opened_by: "customer (cabinet)".into(),
            opened_by_user_id: None,
            opened_at: now(),
        },
    )
    .unwrap();
    assert_eq!(second.id, 2);
    // The booked slot takes no second visit; the free one does.
    let visit = |slot_id| NewVisitRow {
        slot_id,
        ticket_id: 2,
        customer_id: 1,
        status: VisitStatus::Booked,
        note: None,
        booked_by: "Olga Operator".into(),
        booked_at: now(),
    };
    let taken = write_transaction(conn, |conn| VisitRecord::insert(conn, visit(1)));
    assert!(taken.is_err_and(|e: DbError| e.is_unique_violation()));
    let booked = VisitRecord::insert(conn, visit(2)).unwrap();
    assert_eq!((booked.slot_id, booked.status), (2, VisitStatus::Booked));
    // One active incident per category and area.
    let again = |number: &str| NewIncidentRow {
        number: number.into(),
        category: TicketCategory::NoConnection,
        scope: AreaScope::Building,
        area_key: "00238|warszawa|ul. dluga|5".into(),
        area: "ul. Długa 5, 00-238 Warszawa".into(),
        status: IncidentStatus::Proposed,
        detected: true,
        detected_at: now(),
        opened_at: None,
        opened_by: None,
    };
    let twice = write_transaction(conn, |conn| {
        IncidentRecord::insert(conn, again("AW/2026/000002"))
    });
    assert!(twice.is_err_and(|e: DbError| e.is_unique_violation()));
    assert!(
        IncidentRecord::move_status(
            conn,
            1,
            &[IncidentStatus::Open],
            IncidentStatus::Resolved,
            "Tomasz Technik",
            now(),
            Some("Naprawione".into()),
        )
        .unwrap()
    );
    // (PostgreSQL's id sequence kept the refused insert's id: ids may have gaps, numbers not.)
    let second = IncidentRecord::insert(conn, again("AW/2026/000002")).unwrap();
    assert!(second.id > 1);
    assert_eq!(second.status, IncidentStatus::Proposed);
}
