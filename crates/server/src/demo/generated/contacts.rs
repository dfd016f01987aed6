//! The generated customers' contacts over the year before the month: none to four each, two
//! on average, on the demo's topics, noted in the customer's language by the staff member who
//! would have taken them, as registering them through the API would store them.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use okno_api_types::{Channel, Department, Direction, Role};
use okno_db::DbConnection;
use okno_db::reference::TopicRecord;
use okno_db::users::UserRecord;
use okno_domain::customers::Language;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::bulk::Value;
use super::{operator, stamp};
use crate::demo::DEMO_USERS;
use crate::error::ApiResult;

/// Who records contacts: the demo's staff, as the API records a staff member.
pub struct Desk {
    topics: Vec<(i64, String)>,
    staff: Vec<Handler>,
}

struct Handler {
    role: Role,
    name: String,
    id: i64,
    sales_point_id: Option<i64>,
}

impl Desk {
    pub fn load(conn: &mut DbConnection) -> ApiResult<Self> {
        let topics = TopicRecord::list(conn)?
            .into_iter()
            .filter(|t| t.active)
            .map(|t| (t.id, t.code))
            .collect();
        let mut staff = Vec::new();
        for (username, ..) in DEMO_USERS {
            if let Some(user) = UserRecord::find_by_username(conn, username)? {
                staff.push(Handler {
                    role: user.role,
                    name: user.display_name,
                    id: user.id,
                    sales_point_id: user.sales_point_id,
                });
            }
        }
        Ok(Self { topics, staff })
    }

    /// Whoever of `roles` takes the contact; anyone when none of them is there.
    fn handler(&self, rng: &mut ChaCha8Rng, roles: &[Role]) -> Option<&Handler> {
        let fitting: Vec<&Handler> = self
            .staff
            .iter()
            .filter(|h| roles.contains(&h.role))
            .collect();
        if fitting.is_empty() {
            self.staff.get(rng.random_range(0..self.staff.len().max(1)))
        } else {
            fitting.get(rng.random_range(0..fitting.len())).copied()
        }
    }

    /// Customer `number`'s contacts in the year from `since`, as `interactions` rows without
    /// their id.
    pub fn contacts_of(&self, number: u64, since: NaiveDate) -> Vec<Vec<Value>> {
        let mut rng = operator::rng_for(number, 3);
        let language = operator::language_of(number);
        let count = rng.random_range(0..=4);
        (0..count)
            .filter_map(|_| self.contact(&mut rng, number, language, since))
            .collect()
    }

    fn contact(
        &self,
        rng: &mut ChaCha8Rng,
        number: u64,
        language: Language,
        since: NaiveDate,
    ) -> Option<Vec<Value>> {
        let at: NaiveDateTime = since.and_hms_opt(8, 0, 0)?
            + Duration::days(rng.random_range(0..365))
            + Duration::minutes(rng.random_range(0..600));
        let (topic_id, code) = self
            .topics
            .get(rng.random_range(0..self.topics.len().max(1)))?;
        let notes = note_for(code);
        let &(pl, ru, channel, settled) = notes.get(rng.random_range(0..notes.len().max(1)))?;
        let summary = if language == Language::Ru { ru } else { pl };
        let roles: &[Role] = match code.split('.').next() {
            Some("tech") => &[Role::Technician, Role::Operator],
            Some("billing") => &[Role::Cashier, Role::Operator, Role::Finance],
            _ if code == "contract.termination" => &[Role::Retention],
            _ => &[Role::Operator, Role::Agent],
        };
        let handler = self.handler(rng, roles)?;
        let outbound = rng.random_bool(0.15);
        let department = (!settled).then(|| {
            if code.starts_with("tech") {
                Department::TechnicalSupport
            } else {
                Department::SubscriberService
            }
        });
        let duration = (channel == Channel::Phone).then(|| rng.random_range(60..900_i64));
        Some(vec![
            Value::Null,
            Value::Int(i64::try_from(number).unwrap_or(i64::MAX)),
            stamp(at),
            channel.as_str().into(),
            if outbound {
                Direction::Outbound
            } else {
                Direction::Inbound
            }
            .as_str()
            .into(),
            Value::Int(*topic_id),
            summary.into(),
            Value::Null,
            Value::Bool(settled),
            department.map(|d| d.as_str()).into(),
            duration.into(),
            handler.name.as_str().into(),
            Value::Int(handler.id),
            handler.sales_point_id.into(),
            stamp(at),
        ])
    }
}

/// A numbered row: `contacts_of` leaves the id to the caller, who counts across customers.
pub fn numbered(mut row: Vec<Value>, id: Value) -> Vec<Value> {
    if let Some(first) = row.first_mut() {
        *first = id;
    }
    row
}

type Note = (&'static str, &'static str, Channel, bool);

/// What a contact on a topic was, as an operator would note it, in Polish and in Russian,
/// with the channel it came by and whether it was settled there and then.
fn note_for(topic: &str) -> &'static [Note] {
    match topic {
        "billing.invoice" => &[
            (
                "Pytanie o kwotę na fakturze; wyjaśniono naliczenie proporcjonalne.",
                "Вопрос по сумме в счёте; объяснили пропорциональное начисление.",
                Channel::Phone,
                true,
            ),
            (
                "Prośba o duplikat faktury; wysłano e-mailem.",
                "Просьба о дубликате счёта; отправлен по e-mail.",
                Channel::Email,
                true,
            ),
        ],
        "billing.payment" => &[
            (
                "Wpłata gotówkowa w punkcie, potwierdzenie wydane.",
                "Оплата наличными в пункте, квитанция выдана.",
                Channel::Visit,
                true,
            ),
            (
                "Brak zaksięgowania przelewu; przekazano do działu finansowego.",
                "Платёж не зачислен; передано в финансовый отдел.",
                Channel::Phone,
                false,
            ),
        ],
        "contract.new" => &[(
            "Zainteresowanie internetem 600 Mb/s; umówiono wizytę w punkcie.",
            "Интерес к интернету 600 Мбит/с; назначен визит в пункт.",
            Channel::Phone,
            true,
        )],
        "contract.change" => &[(
            "Prośba o zmianę taryfy od przyszłego miesiąca.",
            "Просьба сменить тариф со следующего месяца.",
            Channel::Web,
            true,
        )],
        "contract.termination" => &[(
            "Pytanie o warunki rozwiązania umowy; przedstawiono ofertę utrzymaniową.",
            "Вопрос об условиях расторжения; предложено удерживающее предложение.",
            Channel::Phone,
            false,
        )],
        "tech.no_service" => &[
            (
                "Brak internetu od rana; zdalny restart modemu pomógł.",
                "Нет интернета с утра; помог удалённый перезапуск модема.",
                Channel::Phone,
                true,
            ),
            (
                "Brak sygnału; zgłoszono do wsparcia technicznego, wizyta technika.",
                "Нет сигнала; передано в техподдержку, выезд техника.",
                Channel::Phone,
                false,
            ),
        ],
        "tech.slow" => &[(
            "Wolne połączenie wieczorami; zalecono zmianę kanału Wi-Fi.",
            "Медленный интернет по вечерам; посоветовали сменить канал Wi-Fi.",
            Channel::Phone,
            true,
        )],
        "tech.equipment" => &[(
            "Wymiana uszkodzonego routera w punkcie obsługi.",
            "Замена неисправного роутера в пункте обслуживания.",
            Channel::Visit,
            true,
        )],
        "complaint" => &[(
            "Reklamacja opłaty za przerwę w usłudze; przyjęto pisemnie.",
            "Жалоба на плату за перерыв в услуге; принята письменно.",
            Channel::Letter,
            false,
        )],
        "data.consents" => &[(
            "Zmiana zgód marketingowych.",
            "Изменение согласий на рассылку.",
            Channel::Visit,
            true,
        )],
        "meter.reading" => &[(
            "Odczyt licznika podany SMS-em.",
            "Показания счётчика переданы по SMS.",
            Channel::Sms,
            true,
        )],
        _ => &[(
            "Pytanie o godziny otwarcia punktu obsługi.",
            "Вопрос о часах работы пункта обслуживания.",
            Channel::Phone,
            true,
        )],
    }
}
