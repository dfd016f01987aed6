//! The demo's price list and contracts: tariffs for internet, television, phone and energy
//! with their versions, products, and contracts in every state a working operator has.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use okno_api_types::customers::Address;
use okno_api_types::{Channel, CustomerStatus, Role};
use okno_db::DbConnection;
use okno_db::contracts::{
    ContractChanges, ContractRecord, NewContractRow, NewSubscriptionTariffRow, SubscriptionRecord,
    SubscriptionTariffRecord, SuspensionRecord,
};
use okno_db::tariffs::{NewTariffVersionRow, ProductRecord, TariffRecord, TariffVersionRecord};
use okno_domain::contracts::{ContractAction, ContractStatus, DocumentKind, SuspensionReason};
use okno_domain::tariffs::{FeeKind, OneOffFee, ServiceKind, Tier, UsageRate, UsageUnit};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::auth::Principal;
use crate::config::OperatorDetails;
use crate::contracts::Actor;
use crate::contracts::lifecycle::{ContractEvent, give_notice, pause, record_change, transition};
use crate::contracts::papers::{keep, paper};
use crate::documents;
use crate::error::ApiResult;
use crate::stored_json::{decode, encode};
use crate::time::to_db;

fn fee(kind: FeeKind, name: &str, amount_minor: i64) -> OneOffFee {
    OneOffFee {
        kind,
        name: name.into(),
        amount_minor,
    }
}

fn flat(unit: UsageUnit, price_e4: i64, free_allowance_milli: i64) -> UsageRate {
    UsageRate {
        unit,
        price_e4,
        free_allowance_milli,
        tiers: vec![],
    }
}

struct DemoTariff {
    code: &'static str,
    name: &'static str,
    kind: ServiceKind,
    fee_minor: i64,
    prepaid: bool,
    fees: Vec<OneOffFee>,
    rates: Vec<UsageRate>,
    /// A raise published for the first of next month.
    raise_to: Option<i64>,
}

fn tariffs() -> Vec<DemoTariff> {
    let installation = || {
        vec![
            fee(FeeKind::Installation, "Instalacja", 9_900),
            fee(FeeKind::Activation, "Aktywacja", 4_900),
        ]
    };
    vec![
        DemoTariff {
            code: "internet-300",
            name: "Światłowód 300",
            kind: ServiceKind::Internet,
            fee_minor: 5_999,
            prepaid: false,
            fees: installation(),
            rates: vec![],
            raise_to: None,
        },
        DemoTariff {
            code: "internet-600",
            name: "Światłowód 600",
            kind: ServiceKind::Internet,
            fee_minor: 7_999,
            prepaid: false,
            fees: installation(),
            rates: vec![],
            raise_to: None,
        },
        DemoTariff {
            code: "internet-1000",
            name: "Światłowód 1 Gb/s",
            kind: ServiceKind::Internet,
            fee_minor: 9_999,
            prepaid: false,
            fees: installation(),
            rates: vec![],
            raise_to: Some(10_499),
        },
        DemoTariff {
            code: "tv-start",
            name: "Telewizja Start",
            kind: ServiceKind::Tv,
            fee_minor: 2_999,
            prepaid: false,
            fees: vec![fee(FeeKind::Activation, "Aktywacja dekodera", 2_900)],
            rates: vec![],
            raise_to: None,
        },
        DemoTariff {
            code: "phone-100",
            name: "Telefon 100",
            kind: ServiceKind::Phone,
            fee_minor: 1_999,
            prepaid: false,
            fees: vec![],
            rates: vec![
                flat(UsageUnit::Minute, 1_900, 100_000),
                flat(UsageUnit::Sms, 900, 0),
            ],
            raise_to: None,
        },
        DemoTariff {
            code: "energy-g11",
            name: "Energia G11",
            kind: ServiceKind::Electricity,
            fee_minor: 1_250,
            prepaid: false,
            fees: vec![],
            rates: vec![UsageRate {
                unit: UsageUnit::Kwh,
                price_e4: 0,
                free_allowance_milli: 0,
                tiers: vec![
                    Tier {
                        up_to_milli: Some(2_000_000),
                        price_e4: 6_543,
                    },
                    Tier {
                        up_to_milli: None,
                        price_e4: 8_912,
                    },
                ],
            }],
            raise_to: None,
        },
        DemoTariff {
            code: "internet-prepaid",
            name: "Internet na kartę 100",
            kind: ServiceKind::Internet,
            fee_minor: 3_999,
            prepaid: true,
            fees: vec![],
            rates: vec![flat(UsageUnit::Gb, 2_0000, 100_000)],
            raise_to: None,
        },
    ]
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), day.month(), 1).unwrap_or(day)
}

/// The price list: versions in force for two years, and a raise announced for next month.
pub fn seed_price_list(conn: &mut DbConnection, now: DateTime<Utc>) -> ApiResult<()> {
    let since = first_of_month(now.date_naive() - Duration::days(730));
    for t in tariffs() {
        let tariff = TariffRecord::insert(
            conn,
            t.code,
            t.name,
            t.kind,
            None,
            to_db(now - Duration::days(730)),
        )?;
        let mut publish = |number: i32, from: NaiveDate, fee_minor: i64| -> ApiResult<()> {
            TariffVersionRecord::publish(
                conn,
                &NewTariffVersionRow {
                    tariff_id: tariff.id,
                    version_no: number,
                    effective_from: from,
                    monthly_fee_minor: fee_minor,
                    currency: "PLN".into(),
                    vat_rate_bp: 2300,
                    prepaid: t.prepaid,
                    one_off_fees: encode(&t.fees)?,
                    usage_rates: encode(&t.rates)?,
                    published_by: "Joanna Lewandowska".into(),
                    published_at: to_db(now - Duration::days(740)),
                },
            )?;
            Ok(())
        };
        publish(1, since, t.fee_minor)?;
        if let Some(raised) = t.raise_to {
            publish(
                2,
                okno_domain::calendar::first_of_next_month(now.date_naive()),
                raised,
            )?;
        }
    }
    for (code, name, price) in [
        ("ROUTER-AX", "Router Wi-Fi 6", 24_900),
        ("STB-4K", "Dekoder 4K", 19_900),
        ("CABLE-5M", "Kabel Ethernet 5 m", 1_999),
    ] {
        ProductRecord::insert(
            conn,
            code,
            name,
            price,
            "PLN",
            2300,
            to_db(now - Duration::days(700)),
        )?;
    }
    Ok(())
}

/// What state a demo customer's contract is in.
#[derive(Debug, Clone, Copy)]
pub enum DemoContract {
    /// In force since `months_ago`, fixed-term `end_in_days` from today when given.
    Active {
        months_ago: i64,
        end_in_days: Option<i64>,
    },
    Suspended,
    /// Signed today at the sales point, waiting for the manager.
    AwaitingApproval,
    /// In force for months, paused from the 11th to the 20th of last month: its last invoice
    /// charges the days around the pause.
    PausedLastMonth,
    /// In force for months, under a notice of termination ending on the last day of this
    /// month: still active, on the retention worklist, and the notice can be withdrawn.
    UnderNotice,
}

/// A contract for a demo customer, with its services, history and (for the first customers)
/// its PDF, as if it had gone through the console.
#[expect(clippy::too_many_arguments, reason = "the demo's context")]
pub fn seed_contract(
    conn: &mut DbConnection,
    operator: &OperatorDetails,
    rng: &mut ChaCha8Rng,
    agent: &Principal,
    manager: &Principal,
    customer_id: i64,
    address: &Address,
    kind: DemoContract,
    with_pdf: bool,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    seed_contract_of(
        conn,
        operator,
        rng,
        agent,
        manager,
        customer_id,
        address,
        kind,
        with_pdf,
        None,
        None,
        now,
    )
}

/// Like [`seed_contract`], with the tariffs (by code) and the meter number given.
#[expect(clippy::too_many_arguments, reason = "the demo's context")]
pub fn seed_contract_of(
    conn: &mut DbConnection,
    operator: &OperatorDetails,
    rng: &mut ChaCha8Rng,
    agent: &Principal,
    manager: &Principal,
    customer_id: i64,
    address: &Address,
    kind: DemoContract,
    with_pdf: bool,
    services: Option<&[&str]>,
    meter: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let today = now.date_naive();
    let (start, end, signed_at) = match kind {
        DemoContract::Active {
            months_ago,
            end_in_days,
        } => {
            let start = first_of_month(today - Duration::days(30 * months_ago))
                + Duration::days(rng.random_range(0..20));
            (
                start,
                end_in_days.map(|d| today + Duration::days(d)),
                now - Duration::days((today - start).num_days() + 3),
            )
        }
        DemoContract::PausedLastMonth | DemoContract::UnderNotice => {
            let start = first_of_month(today - Duration::days(30 * 8));
            (
                start,
                None,
                now - Duration::days((today - start).num_days() + 3),
            )
        }
        DemoContract::Suspended => (
            first_of_month(today - Duration::days(300)),
            None,
            now - Duration::days(305),
        ),
        DemoContract::AwaitingApproval => (
            today + Duration::days(3),
            Some(today + Duration::days(3 + 730)),
            now - Duration::hours(2),
        ),
    };
    let by = agent.recorded_by();
    let channel = if rng.random_bool(0.3) {
        Channel::Phone
    } else {
        Channel::Visit
    };
    let contract = ContractRecord::create(
        conn,
        NewContractRow {
            customer_id,
            sales_point_id: agent.sales_point_id,
            channel,
            status: ContractStatus::Draft,
            start_date: start,
            end_date: end,
            created_by: by.label.clone(),
            created_by_user_id: by.user_id,
            created_at: to_db(signed_at - Duration::minutes(20)),
            updated_at: to_db(signed_at),
            version: 1,
        },
        signed_at.year(),
    )?;
    let codes: &[&str] = match services {
        Some(codes) => codes,
        None => match rng.random_range(0..4) {
            0 => &["internet-300"],
            1 => &["internet-600", "tv-start"],
            2 => &["internet-1000", "phone-100"],
            _ => &["internet-300", "tv-start"],
        },
    };
    let all_tariffs = TariffRecord::list(conn)?;
    for code in codes {
        let Some(tariff) = all_tariffs.iter().find(|t| t.code == *code) else {
            continue;
        };
        let subscription = SubscriptionRecord::insert(
            conn,
            &contract,
            &encode(address)?,
            meter.as_deref(),
            to_db(signed_at),
        )?;
        SubscriptionTariffRecord::record(
            conn,
            &NewSubscriptionTariffRow {
                subscription_id: subscription.id,
                tariff_id: tariff.id,
                effective_from: start,
                early: false,
                recorded_by: by.label.clone(),
                recorded_at: to_db(signed_at),
            },
        )?;
    }
    record_change(
        conn,
        Actor::Principal(agent),
        &contract,
        ContractEvent::Created,
        None,
        None,
        signed_at - Duration::minutes(20),
    )?;
    let mut current = contract;
    let signing = ContractChanges {
        signed_on: Some(Some(signed_at.date_naive())),
        ..Default::default()
    };
    step(
        conn,
        &mut current,
        ContractAction::Sign,
        signing,
        agent,
        signed_at,
    )?;
    if with_pdf {
        let printed = paper(conn, operator, &current, current.start_date)?;
        keep(
            conn,
            &current,
            &printed,
            DocumentKind::Contract,
            documents::contract(&printed)?,
            &by.label,
            signed_at,
        )?;
    }
    if matches!(kind, DemoContract::AwaitingApproval) {
        return Ok(());
    }
    let approved_at = signed_at + Duration::hours(5);
    let approval = ContractChanges {
        approved_at: Some(Some(to_db(approved_at))),
        approved_by: Some(Some(manager.recorded_by().label)),
        ..Default::default()
    };
    step(
        conn,
        &mut current,
        ContractAction::Approve,
        approval,
        manager,
        approved_at,
    )?;
    let activation = ContractChanges {
        activated_on: Some(Some(start)),
        ..Default::default()
    };
    let started = start
        .and_hms_opt(8, 0, 0)
        .map_or(approved_at, |d| d.and_utc())
        .max(approved_at);
    step(
        conn,
        &mut current,
        ContractAction::Activate,
        activation,
        manager,
        started,
    )?;
    match kind {
        DemoContract::PausedLastMonth => paused_last_month(conn, &current, agent, today)?,
        DemoContract::UnderNotice => under_notice(conn, &current, agent, today, now)?,
        _ => {}
    }
    if matches!(kind, DemoContract::Suspended) {
        let from = today - Duration::days(12);
        pause(
            conn,
            Actor::System,
            &current,
            SuspensionReason::Debt,
            from,
            None,
            Some("Zaległość powyżej 60 dni".into()),
            None,
            now - Duration::days(12),
        )?;
    }
    Ok(())
}

/// A pause from the 11th to the 20th of last month, asked for by the customer and ended by the
/// scheduled job.
fn paused_last_month(
    conn: &mut DbConnection,
    contract: &ContractRecord,
    agent: &Principal,
    today: NaiveDate,
) -> ApiResult<()> {
    let last_month = first_of_month(first_of_month(today) - Duration::days(1));
    let (from, until) = (
        last_month + Duration::days(10),
        last_month + Duration::days(19),
    );
    let at = |day: NaiveDate, hour| {
        day.and_hms_opt(hour, 0, 0)
            .map_or_else(Utc::now, |d| d.and_utc())
    };
    let paused = pause(
        conn,
        Actor::Principal(agent),
        contract,
        SuspensionReason::CustomerRequest,
        from,
        Some(until),
        Some("Wyjazd na urlop".into()),
        None,
        at(from - Duration::days(2), 10),
    )?;
    // The scheduled job's own step, as it ran the day after the pause.
    for suspension in SuspensionRecord::of_contracts(conn, &[paused.id])? {
        crate::jobs::resume_after_pause(conn, &suspension, at(until + Duration::days(1), 0))?;
    }
    Ok(())
}

/// A notice of termination given a week ago, ending on the last day of this month.
fn under_notice(
    conn: &mut DbConnection,
    contract: &ContractRecord,
    agent: &Principal,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let last_day = first_of_month(first_of_month(today) + Duration::days(31)) - Duration::days(1);
    give_notice(
        conn,
        Actor::Principal(agent),
        contract,
        last_day,
        Some("Przeprowadzka za granicę".into()),
        None,
        now - Duration::days(7),
    )?;
    Ok(())
}

/// One step of a demo contract's history, with its event.
fn step(
    conn: &mut DbConnection,
    current: &mut ContractRecord,
    action: ContractAction,
    changes: ContractChanges,
    who: &Principal,
    when: DateTime<Utc>,
) -> ApiResult<()> {
    *current = transition(
        conn,
        Actor::Principal(who),
        current,
        action,
        None,
        None,
        changes,
        when,
    )?;
    Ok(())
}

/// The contract a demo customer gets, by their status and place in the list.
pub fn contract_for(status: CustomerStatus, index: usize) -> Option<DemoContract> {
    match status {
        CustomerStatus::Active if index % 9 == 4 => Some(DemoContract::Active {
            months_ago: 23,
            end_in_days: Some(7 + (index as i64 % 20)),
        }),
        CustomerStatus::Active if index % 11 == 2 => Some(DemoContract::AwaitingApproval),
        CustomerStatus::Active if index % 13 == 6 => Some(DemoContract::PausedLastMonth),
        CustomerStatus::Active if index % 17 == 8 => Some(DemoContract::UnderNotice),
        CustomerStatus::Active => Some(DemoContract::Active {
            months_ago: 3 + (index as i64 % 18),
            end_in_days: index.is_multiple_of(3).then_some(200 + index as i64 * 9),
        }),
        CustomerStatus::Suspended => Some(DemoContract::Suspended),
        CustomerStatus::Prospect | CustomerStatus::Closed => None,
    }
}

/// The residence address of a demo customer, for their service.
pub fn residence(addresses_json: &str) -> ApiResult<Option<Address>> {
    let addresses: Vec<Address> = decode(addresses_json)?;
    Ok(addresses.into_iter().next())
}

/// Demo staff who sign and approve: the agent and the manager of WAW-1.
pub fn signers(staff: &[Principal]) -> Option<(&Principal, &Principal)> {
    let agent = staff.iter().find(|p| p.role == Role::Agent)?;
    let manager = staff.iter().find(|p| p.role == Role::Manager)?;
    Some((agent, manager))
}
