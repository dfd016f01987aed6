//! The demo's consents and months of contact history, recorded by the staff who would have
//! handled each topic.

use chrono::{DateTime, Duration, Utc};
use okno_api_types::interactions::NewInteraction;
use okno_api_types::{Channel, ConsentPurpose, Department, Direction, Role};
use okno_db::DbConnection;
use okno_db::customers::ConsentRecord;
use okno_db::reference::TopicRecord;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use super::staff::DemoStaff;
use crate::customers::interactions;
use crate::error::ApiResult;
use crate::time::to_db;

pub(super) fn seed_consents(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    staff: &DemoStaff,
    customer_id: i64,
    registered: DateTime<Utc>,
    index: usize,
) -> ApiResult<()> {
    for purpose in [
        ConsentPurpose::ElectronicCorrespondence,
        ConsentPurpose::Marketing,
    ] {
        // The first customer has both consents, so the guide can show withdrawing one.
        if index != 0 && !rng.random_bool(0.6) {
            continue;
        }
        let by = staff
            .pick(rng, &[Role::Agent, Role::Operator])
            .recorded_by();
        let granted = registered + Duration::minutes(5);
        let consent = ConsentRecord::grant(
            conn,
            customer_id,
            purpose,
            Channel::Visit,
            &by,
            None,
            to_db(granted),
        )?;
        if index != 0 && rng.random_bool(0.15) {
            let withdrawn = granted + Duration::days(rng.random_range(10..120));
            ConsentRecord::withdraw(
                conn,
                consent.id,
                Channel::Phone,
                &by,
                None,
                to_db(withdrawn),
            )?;
        }
    }
    Ok(())
}

/// Summaries of contacts, by topic, as an operator would type them.
fn summary_for(topic: &str, rng: &mut ChaCha8Rng) -> (&'static str, Channel, bool) {
    let options: &[(&str, Channel, bool)] = match topic {
        "billing.invoice" => &[
            (
                "Klient pyta o kwotę na fakturze za ostatni miesiąc; wyjaśniono naliczenie proporcjonalne.",
                Channel::Phone,
                true,
            ),
            (
                "Prośba o duplikat faktury; wysłano e-mailem.",
                Channel::Email,
                true,
            ),
        ],
        "billing.payment" => &[
            (
                "Wpłata gotówkowa w punkcie, potwierdzenie wydane.",
                Channel::Visit,
                true,
            ),
            (
                "Klient zgłasza brak zaksięgowania przelewu; przekazano do działu finansowego.",
                Channel::Phone,
                false,
            ),
        ],
        "contract.new" => &[(
            "Klient zainteresowany ofertą internetu 300 Mb/s; umówiono wizytę w punkcie.",
            Channel::Phone,
            true,
        )],
        "contract.change" => &[(
            "Prośba o zmianę taryfy od przyszłego miesiąca.",
            Channel::Web,
            true,
        )],
        "contract.termination" => &[(
            "Zapytanie o warunki rozwiązania umowy; przekazano ofertę utrzymaniową.",
            Channel::Phone,
            false,
        )],
        "tech.no_service" => &[
            (
                "Brak internetu od rana; zdalny restart modemu pomógł.",
                Channel::Phone,
                true,
            ),
            (
                "Brak sygnału TV; zgłoszono do wsparcia technicznego, wizyta technika.",
                Channel::Phone,
                false,
            ),
        ],
        "tech.slow" => &[(
            "Wolne połączenie wieczorami; zalecono zmianę kanału Wi-Fi.",
            Channel::Phone,
            true,
        )],
        "tech.equipment" => &[(
            "Wymiana uszkodzonego routera w punkcie obsługi.",
            Channel::Visit,
            true,
        )],
        "complaint" => &[(
            "Reklamacja naliczenia opłaty za przerwę w usłudze; przyjęto pisemnie.",
            Channel::Letter,
            false,
        )],
        "data.consents" => &[("Klient zmienia zgody marketingowe.", Channel::Visit, true)],
        "meter.reading" => &[("Podany odczyt licznika przez SMS.", Channel::Sms, true)],
        _ => &[(
            "Informacja o godzinach otwarcia punktu obsługi.",
            Channel::Phone,
            true,
        )],
    };
    *options
        .choose(rng)
        .unwrap_or(&("Kontakt ogólny.", Channel::Phone, true))
}

pub(super) fn seed_interactions(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    staff: &DemoStaff,
    topics: &[TopicRecord],
    customer_id: i64,
    now: DateTime<Utc>,
    index: usize,
) -> ApiResult<usize> {
    let count = if index == 0 {
        8
    } else {
        rng.random_range(2..10)
    };
    for _ in 0..count {
        let Some(topic) = topics.choose(rng) else {
            break;
        };
        let (summary, channel, settled) = summary_for(&topic.code, rng);
        let roles: &[Role] = match topic.code.split('.').next() {
            Some("tech") => &[Role::Technician, Role::Operator],
            Some("billing") => &[Role::Cashier, Role::Operator, Role::Finance],
            _ => &[Role::Operator, Role::Agent],
        };
        let handler = staff.pick(rng, roles);
        let occurred_at = now
            - Duration::days(rng.random_range(1..120))
            - Duration::minutes(rng.random_range(0..600));
        let input = NewInteraction {
            channel,
            direction: Some(if rng.random_bool(0.85) {
                Direction::Inbound
            } else {
                Direction::Outbound
            }),
            topic_id: Some(topic.id),
            summary: summary.into(),
            outcome: None,
            settled_in_contact: settled,
            department: (!settled).then(|| {
                if topic.code.starts_with("tech") {
                    Department::TechnicalSupport
                } else {
                    Department::SubscriberService
                }
            }),
            duration_seconds: (channel == Channel::Phone).then(|| rng.random_range(60..900)),
            occurred_at: Some(occurred_at),
        };
        interactions::register(conn, handler, customer_id, &input, now)?;
    }
    Ok(count)
}
