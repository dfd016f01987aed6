//! The demo's knowledge base: three articles in each language, the public ones in the
//! cabinet's FAQ, the internal ones for the call centre, most on a contact topic so that the
//! card suggests them while a contact on it is logged.

use chrono::{DateTime, Utc};
use okno_api_types::tickets::ArticleInput;
use okno_db::DbConnection;
use okno_db::reference::TopicRecord;
use okno_domain::access::Role;
use okno_domain::customers::Language;

use super::staff::DemoStaff;
use crate::error::ApiResult;
use crate::knowledge;

struct DemoArticle {
    language: Language,
    topic: Option<&'static str>,
    public: bool,
    title: &'static str,
    body: &'static str,
}

const ARTICLES: [DemoArticle; 9] = [
    DemoArticle {
        language: Language::Pl,
        topic: Some("tech.no_service"),
        public: true,
        title: "Restart modemu",
        body: "Jeśli internet przestał działać, wyłącz modem z gniazdka, odczekaj 30 sekund i \
               włącz go ponownie. Po około dwóch minutach dioda „Internet” powinna świecić \
               na zielono. Jeśli nadal miga na czerwono, sprawdź, czy kabel od gniazdka w \
               ścianie jest dobrze podłączony, i zadzwoń do nas.",
    },
    DemoArticle {
        language: Language::Pl,
        topic: Some("billing.invoice"),
        public: true,
        title: "Jak czytać fakturę",
        body: "Na fakturze znajdziesz okres rozliczeniowy, abonament naliczony z góry za \
               bieżący miesiąc oraz opłaty za usługi dodatkowe. Jeśli umowa zaczęła się w \
               trakcie miesiąca, pierwsza faktura obejmuje tylko dni od jej początku \
               (naliczenie proporcjonalne). Numer konta do wpłat jest Twoim indywidualnym \
               numerem: przelew na niego księguje się automatycznie.",
    },
    DemoArticle {
        language: Language::Pl,
        topic: Some("tech.slow"),
        public: false,
        title: "Wolny internet wieczorem: kanał Wi-Fi",
        body: "Dla konsultanta: zapytaj, czy prędkość spada tylko przez Wi-Fi, czy także po \
               kablu. Jeśli tylko przez Wi-Fi, zaloguj się zdalnie do routera i zmień kanał \
               2,4 GHz na 1, 6 lub 11, albo zaproponuj pasmo 5 GHz. Jeśli po kablu też jest \
               wolno, uruchom test linii i w razie potrzeby otwórz zgłoszenie techniczne.",
    },
    DemoArticle {
        language: Language::En,
        topic: Some("tech.no_service"),
        public: true,
        title: "Restart the modem",
        body: "If your internet stopped working, unplug the modem from the socket, wait 30 \
               seconds and plug it in again. After about two minutes the \"Internet\" light \
               should be steady green. If it keeps flashing red, check that the cable from \
               the wall socket is firmly connected, then call us.",
    },
    DemoArticle {
        language: Language::En,
        topic: Some("tech.no_service"),
        public: false,
        title: "No internet: what to check",
        body: "For operators: first look for an outage in the customer's area. Then ask which \
               lights the modem shows, whether other devices are offline too, and whether the \
               modem was restarted. Check the account: a service suspended for debt shows the \
               payment page instead. If the line test fails, open a technical ticket with the \
               results.",
    },
    DemoArticle {
        language: Language::En,
        topic: Some("billing.invoice"),
        public: true,
        title: "How to read your invoice",
        body: "Your invoice shows the billing period, the subscription charged in advance for \
               the current month, and any additional services. If your contract started in the \
               middle of a month, the first invoice covers only the days since it started. \
               Pay to the account number printed on the invoice: it is yours alone, so the \
               payment is booked automatically.",
    },
    DemoArticle {
        language: Language::Ru,
        topic: Some("tech.no_service"),
        public: true,
        title: "Перезагрузка роутера",
        body: "Если интернет перестал работать, выключите роутер из розетки, подождите 30 \
               секунд и включите его снова. Примерно через две минуты индикатор «Интернет» \
               должен гореть зелёным. Если он мигает красным, проверьте, плотно ли подключён \
               кабель от стены, и позвоните нам.",
    },
    DemoArticle {
        language: Language::Ru,
        topic: Some("billing.payment"),
        public: true,
        title: "Как оплатить счёт",
        body: "Оплатить счёт можно банковским переводом на индивидуальный номер счёта, \
               указанный в счёте, картой в личном кабинете или наличными в пункте \
               обслуживания. Перевод на ваш номер счёта зачисляется автоматически в течение \
               одного рабочего дня.",
    },
    DemoArticle {
        language: Language::Ru,
        topic: Some("tech.equipment"),
        public: false,
        title: "Замена неисправного оборудования",
        body: "Для сотрудников: если роутер или приставка не включаются после перезагрузки, \
               оформите замену в пункте обслуживания. Проверьте, не повреждено ли устройство \
               по вине абонента: в этом случае замена платная по прейскуранту.",
    },
];

/// Writes the articles as the demo's technician, who keeps the knowledge base.
pub fn seed_articles(
    conn: &mut DbConnection,
    staff: &DemoStaff,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let Some(author) = staff
        .principals
        .iter()
        .find(|p| p.role == Role::Technician)
        .or_else(|| staff.principals.first())
    else {
        return Ok(());
    };
    let topics = TopicRecord::list(conn)?;
    for article in &ARTICLES {
        let topic_id = article
            .topic
            .and_then(|code| topics.iter().find(|t| t.code == code))
            .map(|t| t.id);
        let input = ArticleInput {
            title: article.title.into(),
            body: article.body.into(),
            language: article.language,
            topic_id,
            public: article.public,
        };
        knowledge::create(conn, author, &input, now)?;
    }
    Ok(())
}
