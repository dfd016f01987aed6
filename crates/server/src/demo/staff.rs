//! The demo's organisation: a head office with two sales points, one staff user per role
//! (password `demo`), the contact topics in three languages, and the price list.

use chrono::{DateTime, Duration, Utc};
use okno_api_types::Role;
use okno_db::reference::{NewSalesPointRow, NewTopicRow, SalesPointRecord, TopicRecord};
use okno_db::users::{NewUserRow, UserRecord};
use okno_db::{DbConnection, write_transaction};
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use super::commercial;
use crate::auth::Principal;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::time::to_db;

pub const DEMO_PASSWORD: &str = "demo";

/// Demo logins, in the order the start-up banner lists them.
pub const DEMO_USERS: [(&str, Role, &str, &str); 8] = [
    ("admin", Role::Admin, "Administrator Systemu", "HQ"),
    ("operator", Role::Operator, "Ewa Nowicka", "HQ"),
    ("agent", Role::Agent, "Piotr Zieliński", "WAW-1"),
    ("retention", Role::Retention, "Katarzyna Wójcik", "WAW-1"),
    ("cashier", Role::Cashier, "Marek Kamiński", "WAW-1"),
    ("manager", Role::Manager, "Joanna Lewandowska", "WAW-1"),
    ("technician", Role::Technician, "Tomasz Dąbrowski", "HQ"),
    ("finance", Role::Finance, "Agnieszka Szymańska", "HQ"),
];

const TOPICS: [(&str, &str, &str, &str); 12] = [
    (
        "billing.invoice",
        "Invoice question",
        "Pytanie o fakturę",
        "Вопрос по счёту",
    ),
    ("billing.payment", "Payment", "Płatność", "Оплата"),
    (
        "contract.new",
        "New contract",
        "Nowa umowa",
        "Новый договор",
    ),
    (
        "contract.change",
        "Tariff change",
        "Zmiana taryfy",
        "Смена тарифа",
    ),
    (
        "contract.termination",
        "Termination",
        "Rozwiązanie umowy",
        "Расторжение договора",
    ),
    ("tech.no_service", "No service", "Brak usługi", "Нет услуги"),
    (
        "tech.slow",
        "Slow connection",
        "Wolne połączenie",
        "Медленное соединение",
    ),
    ("tech.equipment", "Equipment", "Sprzęt", "Оборудование"),
    ("complaint", "Complaint", "Reklamacja", "Жалоба"),
    (
        "info.general",
        "General information",
        "Informacja ogólna",
        "Общая информация",
    ),
    (
        "data.consents",
        "Consents and personal data",
        "Zgody i dane osobowe",
        "Согласия и персональные данные",
    ),
    (
        "meter.reading",
        "Meter reading",
        "Odczyt licznika",
        "Показания счётчика",
    ),
];

/// Sales points, one user per role, the topics and the price list, in one transaction;
/// nothing if they exist already.
pub fn seed_staff(state: &AppState, conn: &mut DbConnection) -> ApiResult<bool> {
    if SalesPointRecord::find_by_code(conn, "HQ")?.is_some() {
        return Ok(false);
    }
    let password_hash = state.passwords.hash(DEMO_PASSWORD)?;
    let now = state.now();
    write_transaction(conn, |conn| seed_organisation(conn, &password_hash, now))?;
    Ok(true)
}

/// The sales points, users, topics and price list, inside the caller's transaction. The
/// password hash is made beforehand: it is slow on purpose.
pub(super) fn seed_organisation(
    conn: &mut DbConnection,
    password_hash: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let created_at = to_db(now - Duration::days(400));
    let hq = SalesPointRecord::insert(
        conn,
        &NewSalesPointRow {
            code: "HQ",
            name: "Centrala Okno Telecom",
            kind: "head_office",
            parent_id: None,
            address: "ul. Marszałkowska 100, 00-026 Warszawa",
            phone: Some("+48 22 100 00 00"),
            active: true,
            created_at,
        },
    )?;
    for (code, name, address, phone) in [
        (
            "WAW-1",
            "Punkt Obsługi Klienta Mokotów",
            "ul. Puławska 45, 02-508 Warszawa",
            "+48 22 200 10 10",
        ),
        (
            "KRK-1",
            "Punkt Obsługi Klienta Kraków",
            "ul. Długa 12, 31-147 Kraków",
            "+48 12 300 20 20",
        ),
    ] {
        SalesPointRecord::insert(
            conn,
            &NewSalesPointRow {
                code,
                name,
                kind: "sales_point",
                parent_id: Some(hq.id),
                address,
                phone: Some(phone),
                active: true,
                created_at,
            },
        )?;
    }
    for (username, role, display_name, point) in DEMO_USERS {
        let sales_point = SalesPointRecord::find_by_code(conn, point)?.map(|p| p.id);
        UserRecord::insert(
            conn,
            &NewUserRow {
                username,
                display_name,
                role: role.as_str(),
                sales_point_id: sales_point,
                password_hash,
                active: true,
                created_at,
                password_changed_at: to_db(now),
                version: 1,
            },
        )?;
    }
    for (code, en, pl, ru) in TOPICS {
        TopicRecord::insert(
            conn,
            &NewTopicRow {
                code,
                name_en: en,
                name_pl: Some(pl),
                name_ru: Some(ru),
                active: true,
                created_at,
            },
        )?;
    }
    commercial::seed_price_list(conn, now)?;
    Ok(())
}

/// The demo staff as principals, to act in their name.
pub(super) struct DemoStaff {
    pub(super) principals: Vec<Principal>,
}

impl DemoStaff {
    pub(super) fn load(conn: &mut DbConnection) -> ApiResult<Self> {
        let mut principals = Vec::new();
        for (username, ..) in DEMO_USERS {
            if let Some(user) = UserRecord::find_by_username(conn, username)? {
                principals.push(Principal::staff(&user, None));
            }
        }
        Ok(Self { principals })
    }

    pub(super) fn pick(&self, rng: &mut ChaCha8Rng, roles: &[Role]) -> &Principal {
        let candidates: Vec<&Principal> = self
            .principals
            .iter()
            .filter(|p| roles.contains(&p.role))
            .collect();
        candidates
            .choose(rng)
            .copied()
            .or_else(|| self.principals.first())
            .unwrap_or_else(|| unreachable_staff())
    }
}

#[expect(
    clippy::panic,
    reason = "seed_staff creates the demo users before anyone is picked"
)]
fn unreachable_staff() -> &'static Principal {
    panic!("demo staff missing")
}
