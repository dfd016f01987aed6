//! Message templates: per event, channel and language, in MiniJinja (Jinja2's
//! syntax, a well-kept engine with no dependencies of its own). E-mail bodies are HTML and
//! every value put into them is escaped; SMS are plain text. A template may use only the
//! variables its event documents (`okno_domain::notifications::rules`), so a typo is refused
//! when the template is saved, not discovered in a customer's inbox.

use std::collections::{BTreeMap, HashMap};

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use okno_db::DbConnection;
use okno_db::notifications::TemplateRecord;
use okno_domain::customers::Language;
use okno_domain::notifications::{MessageChannel, NotificationEvent, is_variable_of};

use crate::error::ApiResult;

/// A template's source: the subject (e-mail only) and the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateSource<'a> {
    pub subject: Option<&'a str>,
    pub body: &'a str,
}

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: Option<String>,
    pub body: String,
}

/// Why a template cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("the {part} does not parse: {reason}")]
    Syntax { part: &'static str, reason: String },
    #[error("the {part} uses {names:?}, which {event} does not have")]
    UnknownVariables {
        part: &'static str,
        event: NotificationEvent,
        names: Vec<String>,
    },
    #[error("the {part} could not be rendered: {reason}")]
    Render { part: &'static str, reason: String },
}

/// The values of a message's variables, as text already formatted for its language.
pub type Variables = BTreeMap<&'static str, String>;

fn environment<'s>(channel: MessageChannel) -> Environment<'s> {
    let mut env = Environment::new();
    // A missing value is an error, never an empty gap in a message to a customer.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let escape = match channel {
        MessageChannel::Email => AutoEscape::Html,
        MessageChannel::Sms => AutoEscape::None,
    };
    env.set_auto_escape_callback(move |_| escape);
    env.set_keep_trailing_newline(false);
    env
}

/// Checks a template of `event` for `channel`: it parses and uses no variable its event
/// does not have.
pub fn check(
    event: NotificationEvent,
    channel: MessageChannel,
    source: TemplateSource<'_>,
) -> Result<(), TemplateError> {
    let env = environment(channel);
    for (part, text) in parts(source) {
        let template = env
            .template_from_str(text)
            .map_err(|e| TemplateError::Syntax {
                part,
                reason: e.to_string(),
            })?;
        let mut names: Vec<String> = template
            .undeclared_variables(false)
            .into_iter()
            .filter(|name| !is_variable_of(event, name))
            .collect();
        if !names.is_empty() {
            names.sort();
            return Err(TemplateError::UnknownVariables { part, event, names });
        }
    }
    Ok(())
}

fn parts(source: TemplateSource<'_>) -> impl Iterator<Item = (&'static str, &str)> {
    source
        .subject
        .map(|s| ("subject", s))
        .into_iter()
        .chain(std::iter::once(("body", source.body)))
}

/// Renders a template with the message's values.
pub fn render(
    channel: MessageChannel,
    source: TemplateSource<'_>,
    variables: &Variables,
) -> Result<Rendered, TemplateError> {
    let env = environment(channel);
    let render = |part: &'static str, text: &str| {
        env.render_str(text, variables)
            .map(|s| s.trim().to_owned())
            .map_err(|e| TemplateError::Render {
                part,
                reason: e.to_string(),
            })
    };
    // A subject is a header line: never escaped as HTML, never more than one line.
    let subject = match source.subject {
        Some(text) => Some(
            environment(MessageChannel::Sms)
                .render_str(text, variables)
                .map_err(|e| TemplateError::Render {
                    part: "subject",
                    reason: e.to_string(),
                })?
                .split(['\r', '\n'])
                .map(|line| line.trim_matches([' ', '\t']))
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        None => None,
    };
    Ok(Rendered {
        subject,
        body: render("body", source.body)?,
    })
}

/// The templates in force: the operator's own wordings, Okno's where there is none.
#[derive(Debug, Default)]
pub struct Book {
    own: HashMap<(NotificationEvent, MessageChannel, Language), TemplateRecord>,
}

impl Book {
    pub fn load(conn: &mut DbConnection) -> ApiResult<Self> {
        Ok(Self {
            own: TemplateRecord::all(conn)?
                .into_iter()
                .map(|t| ((t.event, t.channel, t.language), t))
                .collect(),
        })
    }

    /// The operator's wording, if they saved one.
    pub fn own(
        &self,
        event: NotificationEvent,
        channel: MessageChannel,
        language: Language,
    ) -> Option<&TemplateRecord> {
        self.own.get(&(event, channel, language))
    }

    pub fn source(
        &self,
        event: NotificationEvent,
        channel: MessageChannel,
        language: Language,
    ) -> TemplateSource<'_> {
        match self.own(event, channel, language) {
            Some(own) => TemplateSource {
                subject: own.subject.as_deref(),
                body: &own.body,
            },
            None => default_template(event, channel, language),
        }
    }
}

/// The template Okno ships for an event, channel and language.
pub fn default_template(
    event: NotificationEvent,
    channel: MessageChannel,
    language: Language,
) -> TemplateSource<'static> {
    use Language::{En, Pl, Ru};
    use MessageChannel::{Email, Sms};
    use NotificationEvent as E;
    let (subject, body) = match (event, channel, language) {
        (E::InvoiceIssued, Email, En) => (
            "Invoice {{ invoice_number }} for {{ period }}",
            "<p>Dear {{ customer_name }},</p>\
             <p>your invoice {{ invoice_number }} for {{ period }} is {{ amount }}, due on {{ due_date }}.\
             {% if pay_to %} Please pay to {{ pay_to }}, with {{ account_number }} in the title.{% endif %}</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::InvoiceIssued, Email, Pl) => (
            "Faktura {{ invoice_number }} za {{ period }}",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>faktura {{ invoice_number }} za {{ period }} na kwotę {{ amount }} jest płatna do {{ due_date }}.\
             {% if pay_to %} Prosimy o wpłatę na rachunek {{ pay_to }}, w tytule: {{ account_number }}.{% endif %}</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::InvoiceIssued, Email, Ru) => (
            "Счёт {{ invoice_number }} за {{ period }}",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>счёт {{ invoice_number }} за {{ period }} на сумму {{ amount }} подлежит оплате до {{ due_date }}.\
             {% if pay_to %} Реквизиты для оплаты: {{ pay_to }}, в назначении платежа укажите {{ account_number }}.{% endif %}</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::InvoiceIssued, Sms, En) => (
            "",
            "{{ operator_name }}: invoice {{ invoice_number }}, {{ amount }}, due {{ due_date }}.",
        ),
        (E::InvoiceIssued, Sms, Pl) => (
            "",
            "{{ operator_name }}: faktura {{ invoice_number }}, {{ amount }}, termin {{ due_date }}.",
        ),
        (E::InvoiceIssued, Sms, Ru) => (
            "",
            "{{ operator_name }}: счёт {{ invoice_number }}, {{ amount }}, оплатить до {{ due_date }}.",
        ),
        (E::PaymentReceived, Email, En) => (
            "Payment received: {{ amount }}",
            "<p>Dear {{ customer_name }},</p>\
             <p>we received your payment of {{ amount }} on {{ received_on }} ({{ method }}). Thank you.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::PaymentReceived, Email, Pl) => (
            "Otrzymaliśmy wpłatę: {{ amount }}",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>dnia {{ received_on }} zaksięgowaliśmy wpłatę {{ amount }} ({{ method }}). Dziękujemy.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::PaymentReceived, Email, Ru) => (
            "Платёж получен: {{ amount }}",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>{{ received_on }} мы получили ваш платёж {{ amount }} ({{ method }}). Спасибо.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::PaymentReceived, Sms, En) => (
            "",
            "{{ operator_name }}: payment of {{ amount }} received on {{ received_on }}. Thank you.",
        ),
        (E::PaymentReceived, Sms, Pl) => (
            "",
            "{{ operator_name }}: wpłata {{ amount }} z dnia {{ received_on }} zaksięgowana. Dziękujemy.",
        ),
        (E::PaymentReceived, Sms, Ru) => (
            "",
            "{{ operator_name }}: платёж {{ amount }} от {{ received_on }} получен. Спасибо.",
        ),
        (E::PrepaidLow, Email, En) => (
            "Your balance runs out on {{ runs_out_on }}",
            "<p>Dear {{ customer_name }},</p>\
             <p>{{ balance }} is left on account {{ account_number }}: it pays for your services until {{ runs_out_on }}.\
             {% if pay_to %} Top it up at {{ pay_to }}.{% endif %}</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::PrepaidLow, Email, Pl) => (
            "Środki na koncie wystarczą do {{ runs_out_on }}",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>na koncie {{ account_number }} pozostało {{ balance }}, co wystarczy do {{ runs_out_on }}.\
             {% if pay_to %} Konto można zasilić wpłatą na rachunek {{ pay_to }}.{% endif %}</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::PrepaidLow, Email, Ru) => (
            "Средств на счёте хватит до {{ runs_out_on }}",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>на лицевом счёте {{ account_number }} осталось {{ balance }} — этого хватит до {{ runs_out_on }}.\
             {% if pay_to %} Пополнить счёт можно по реквизитам {{ pay_to }}.{% endif %}</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::PrepaidLow, Sms, En) => (
            "",
            "{{ operator_name }}: {{ balance }} left, enough until {{ runs_out_on }}. Please top up.",
        ),
        (E::PrepaidLow, Sms, Pl) => (
            "",
            "{{ operator_name }}: na koncie {{ balance }}, wystarczy do {{ runs_out_on }}. Prosimy o doładowanie.",
        ),
        (E::PrepaidLow, Sms, Ru) => (
            "",
            "{{ operator_name }}: на счёте {{ balance }}, хватит до {{ runs_out_on }}. Пополните счёт.",
        ),
        (E::PrepaidRunOut, Email, En) => (
            "Your prepaid services are paused",
            "<p>Dear {{ customer_name }},</p>\
             <p>the balance of account {{ account_number }} ran out ({{ balance }}), so your prepaid services are paused.\
             They start again when the account is topped up{% if pay_to %} at {{ pay_to }}{% endif %}.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::PrepaidRunOut, Email, Pl) => (
            "Usługi przedpłacone zostały wstrzymane",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>środki na koncie {{ account_number }} wyczerpały się ({{ balance }}), dlatego usługi przedpłacone zostały wstrzymane.\
             Wznowimy je po zasileniu konta{% if pay_to %} wpłatą na rachunek {{ pay_to }}{% endif %}.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::PrepaidRunOut, Email, Ru) => (
            "Предоплаченные услуги приостановлены",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>средства на лицевом счёте {{ account_number }} закончились ({{ balance }}), предоплаченные услуги приостановлены.\
             Они возобновятся после пополнения счёта{% if pay_to %} по реквизитам {{ pay_to }}{% endif %}.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::PrepaidRunOut, Sms, En) => (
            "",
            "{{ operator_name }}: your balance ran out and prepaid services are paused until you top up.",
        ),
        (E::PrepaidRunOut, Sms, Pl) => (
            "",
            "{{ operator_name }}: środki się wyczerpały, usługi wstrzymane do czasu doładowania konta.",
        ),
        (E::PrepaidRunOut, Sms, Ru) => (
            "",
            "{{ operator_name }}: средства закончились, услуги приостановлены до пополнения счёта.",
        ),
        (E::ContractEnding, Email, En) => (
            "Your contract {{ contract_number }} ends on {{ ends_on }}",
            "<p>Dear {{ customer_name }},</p>\
             <p>your contract {{ contract_number }} ends on {{ ends_on }}. Contact us to keep your services.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::ContractEnding, Email, Pl) => (
            "Umowa {{ contract_number }} kończy się {{ ends_on }}",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>umowa {{ contract_number }} kończy się {{ ends_on }}. Zapraszamy do kontaktu, aby zachować usługi.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::ContractEnding, Email, Ru) => (
            "Договор {{ contract_number }} заканчивается {{ ends_on }}",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>срок действия договора {{ contract_number }} заканчивается {{ ends_on }}. Свяжитесь с нами, чтобы сохранить услуги.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::ContractEnding, Sms, En) => (
            "",
            "{{ operator_name }}: contract {{ contract_number }} ends on {{ ends_on }}.",
        ),
        (E::ContractEnding, Sms, Pl) => (
            "",
            "{{ operator_name }}: umowa {{ contract_number }} kończy się {{ ends_on }}.",
        ),
        (E::ContractEnding, Sms, Ru) => (
            "",
            "{{ operator_name }}: договор {{ contract_number }} заканчивается {{ ends_on }}.",
        ),
        (E::CabinetActivation, Email, En) => (
            "Your cabinet activation code",
            "<p>Dear {{ customer_name }},</p>\
             <p>your code to activate the cabinet of account {{ account_number }} is <strong>{{ code }}</strong>. It works until {{ valid_until }}; <a href=\"{{ link }}\">{{ link }}</a> opens the activation with the code filled in.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::CabinetActivation, Email, Pl) => (
            "Kod aktywacji e-BOK",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>kod aktywacji e-BOK dla konta {{ account_number }}: <strong>{{ code }}</strong>. Kod jest ważny do {{ valid_until }}; link <a href=\"{{ link }}\">{{ link }}</a> otwiera aktywację z wpisanym kodem.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::CabinetActivation, Email, Ru) => (
            "Код активации личного кабинета",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>код активации личного кабинета для лицевого счёта {{ account_number }}: <strong>{{ code }}</strong>. Код действует до {{ valid_until }}; ссылка <a href=\"{{ link }}\">{{ link }}</a> открывает активацию с уже введённым кодом.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::CabinetActivation, Sms, En) => (
            "",
            "{{ operator_name }}: cabinet activation code {{ code }}, valid until {{ valid_until }}.",
        ),
        (E::CabinetActivation, Sms, Pl) => (
            "",
            "{{ operator_name }}: kod aktywacji e-BOK {{ code }}, ważny do {{ valid_until }}.",
        ),
        (E::CabinetActivation, Sms, Ru) => (
            "",
            "{{ operator_name }}: код активации кабинета {{ code }}, действует до {{ valid_until }}.",
        ),
        (E::ComplaintAcknowledged, Email, En) => (
            "We received your complaint {{ complaint_number }}",
            "<p>Dear {{ customer_name }},</p>\
             <p>we confirm that we received your complaint {{ complaint_number }} on {{ received_on }}. We will answer it by {{ decide_by }} at the latest. The confirmation is attached.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::ComplaintAcknowledged, Email, Pl) => (
            "Potwierdzenie przyjęcia reklamacji {{ complaint_number }}",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>potwierdzamy przyjęcie reklamacji {{ complaint_number }} w dniu {{ received_on }}. Odpowiedź wyślemy najpóźniej {{ decide_by }}. Potwierdzenie w załączniku.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::ComplaintAcknowledged, Email, Ru) => (
            "Претензия {{ complaint_number }} получена",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>подтверждаем получение претензии {{ complaint_number }} {{ received_on }}. Ответ будет направлен не позднее {{ decide_by }}. Подтверждение во вложении.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::ComplaintAcknowledged, Sms, En) => (
            "",
            "{{ operator_name }}: complaint {{ complaint_number }} received; answer by {{ decide_by }}.",
        ),
        (E::ComplaintAcknowledged, Sms, Pl) => (
            "",
            "{{ operator_name }}: reklamacja {{ complaint_number }} przyjęta; odpowiedź do {{ decide_by }}.",
        ),
        (E::ComplaintAcknowledged, Sms, Ru) => (
            "",
            "{{ operator_name }}: претензия {{ complaint_number }} получена; ответ до {{ decide_by }}.",
        ),
        (E::ComplaintAnswered, Email, En) => (
            "The answer to your complaint {{ complaint_number }}",
            "<p>Dear {{ customer_name }},</p>\
             <p>your complaint {{ complaint_number }} is decided: {{ outcome }}. Granted: {{ granted }}. The answer with its reasons and your rights is attached.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::ComplaintAnswered, Email, Pl) => (
            "Odpowiedź na reklamację {{ complaint_number }}",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>reklamacja {{ complaint_number }} została rozpatrzona: {{ outcome }}. Przyznano: {{ granted }}. Odpowiedź z uzasadnieniem i pouczeniem w załączniku.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::ComplaintAnswered, Email, Ru) => (
            "Ответ на претензию {{ complaint_number }}",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>претензия {{ complaint_number }} рассмотрена: {{ outcome }}. Признано: {{ granted }}. Ответ с обоснованием и разъяснением ваших прав во вложении.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::ComplaintAnswered, Sms, En) => (
            "",
            "{{ operator_name }}: complaint {{ complaint_number }} decided: {{ outcome }}. The answer is in your cabinet.",
        ),
        (E::ComplaintAnswered, Sms, Pl) => (
            "",
            "{{ operator_name }}: reklamacja {{ complaint_number }} rozpatrzona: {{ outcome }}. Odpowiedź w e-BOK.",
        ),
        (E::ComplaintAnswered, Sms, Ru) => (
            "",
            "{{ operator_name }}: претензия {{ complaint_number }} рассмотрена: {{ outcome }}. Ответ в личном кабинете.",
        ),
        (E::PasswordReset, Email, En) => (
            "Set a new cabinet password",
            "<p>Dear {{ customer_name }},</p>\
             <p>to set a new password for your cabinet, open <a href=\"{{ link }}\">{{ link }}</a> or type the code <strong>{{ code }}</strong>. Both work once, until {{ valid_until }}.\
             If you did not ask for this, ignore this message.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::PasswordReset, Email, Pl) => (
            "Ustaw nowe hasło do e-BOK",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>aby ustawić nowe hasło do e-BOK, otwórz <a href=\"{{ link }}\">{{ link }}</a> albo wpisz kod <strong>{{ code }}</strong>. Link i kod działają raz, do {{ valid_until }}.\
             Jeśli to nie Państwo prosili o zmianę, prosimy zignorować tę wiadomość.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::PasswordReset, Email, Ru) => (
            "Новый пароль личного кабинета",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>чтобы задать новый пароль личного кабинета, откройте <a href=\"{{ link }}\">{{ link }}</a> или введите код <strong>{{ code }}</strong>. Ссылка и код действуют один раз, до {{ valid_until }}.\
             Если вы не запрашивали смену пароля, просто проигнорируйте это письмо.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::PasswordReset, Sms, En) => (
            "",
            "{{ operator_name }}: your password reset code is {{ code }}, valid until {{ valid_until }}.",
        ),
        (E::PasswordReset, Sms, Pl) => (
            "",
            "{{ operator_name }}: kod do zmiany hasła e-BOK: {{ code }}, ważny do {{ valid_until }}.",
        ),
        (E::PasswordReset, Sms, Ru) => (
            "",
            "{{ operator_name }}: код для смены пароля {{ code }}, действует до {{ valid_until }}.",
        ),
        (E::TicketUpdated, Email, En) => (
            "Your ticket {{ ticket_number }}: {{ status }}",
            "<p>Dear {{ customer_name }},</p>\
             <p>your ticket {{ ticket_number }} is now: {{ status }}.</p>\
             {% if note %}<p>{{ note }}</p>{% endif %}\
             <p>You can follow it in your cabinet.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::TicketUpdated, Email, Pl) => (
            "Zgłoszenie {{ ticket_number }}: {{ status }}",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>status zgłoszenia {{ ticket_number }}: {{ status }}.</p>\
             {% if note %}<p>{{ note }}</p>{% endif %}\
             <p>Zgłoszenie można śledzić w e-BOK.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::TicketUpdated, Email, Ru) => (
            "Заявка {{ ticket_number }}: {{ status }}",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>статус заявки {{ ticket_number }}: {{ status }}.</p>\
             {% if note %}<p>{{ note }}</p>{% endif %}\
             <p>Следить за заявкой можно в личном кабинете.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::TicketUpdated, Sms, En) => (
            "",
            "{{ operator_name }}: ticket {{ ticket_number }}: {{ status }}.",
        ),
        (E::TicketUpdated, Sms, Pl) => (
            "",
            "{{ operator_name }}: zgłoszenie {{ ticket_number }}: {{ status }}.",
        ),
        (E::TicketUpdated, Sms, Ru) => (
            "",
            "{{ operator_name }}: заявка {{ ticket_number }}: {{ status }}.",
        ),
        (E::VisitBooked, Email, En) => (
            "A technician comes on {{ visit_at }}",
            "<p>Dear {{ customer_name }},</p>\
             <p>for your ticket {{ ticket_number }} a technician comes on {{ visit_at }}. Please make sure someone can let them in.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::VisitBooked, Email, Pl) => (
            "Wizyta technika: {{ visit_at }}",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>w sprawie zgłoszenia {{ ticket_number }} technik przyjdzie {{ visit_at }}. Prosimy o zapewnienie dostępu do lokalu.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::VisitBooked, Email, Ru) => (
            "Визит техника: {{ visit_at }}",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>по заявке {{ ticket_number }} техник придёт {{ visit_at }}. Пожалуйста, обеспечьте доступ в помещение.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::VisitBooked, Sms, En) => (
            "",
            "{{ operator_name }}: technician visit {{ visit_at }} (ticket {{ ticket_number }}).",
        ),
        (E::VisitBooked, Sms, Pl) => (
            "",
            "{{ operator_name }}: wizyta technika {{ visit_at }} (zgłoszenie {{ ticket_number }}).",
        ),
        (E::VisitBooked, Sms, Ru) => (
            "",
            "{{ operator_name }}: визит техника {{ visit_at }} (заявка {{ ticket_number }}).",
        ),
        (E::OutageDeclared, Email, En) => (
            "Service outage at {{ area }}",
            "<p>Dear {{ customer_name }},</p>\
             <p>since {{ since }} there is an outage at {{ area }}. We are working on it and will tell you when it is fixed; there is no need to report it.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::OutageDeclared, Email, Pl) => (
            "Awaria: {{ area }}",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>od {{ since }} trwa awaria pod adresem {{ area }}. Usuwamy ją i poinformujemy o jej usunięciu; nie trzeba jej zgłaszać.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::OutageDeclared, Email, Ru) => (
            "Авария: {{ area }}",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>с {{ since }} по адресу {{ area }} авария. Мы её устраняем и сообщим, когда всё заработает; сообщать о ней не нужно.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::OutageDeclared, Sms, En) => (
            "",
            "{{ operator_name }}: outage at {{ area }} since {{ since }}; we are fixing it.",
        ),
        (E::OutageDeclared, Sms, Pl) => (
            "",
            "{{ operator_name }}: awaria {{ area }} od {{ since }}; usuwamy ją.",
        ),
        (E::OutageDeclared, Sms, Ru) => (
            "",
            "{{ operator_name }}: авария {{ area }} с {{ since }}; устраняем.",
        ),
        (E::OutageResolved, Email, En) => (
            "The outage at {{ area }} is over",
            "<p>Dear {{ customer_name }},</p>\
             <p>the outage at {{ area }} is fixed: {{ note }}</p>\
             <p>If your service still does not work, restart your device or contact us.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::OutageResolved, Email, Pl) => (
            "Awaria usunięta: {{ area }}",
            "<p>Szanowni Państwo, {{ customer_name }},</p>\
             <p>awaria pod adresem {{ area }} została usunięta: {{ note }}</p>\
             <p>Jeśli usługa nadal nie działa, prosimy zrestartować urządzenie lub skontaktować się z nami.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::OutageResolved, Email, Ru) => (
            "Авария устранена: {{ area }}",
            "<p>Уважаемый(ая) {{ customer_name }},</p>\
             <p>авария по адресу {{ area }} устранена: {{ note }}</p>\
             <p>Если услуга всё ещё не работает, перезагрузите устройство или свяжитесь с нами.</p>\
             <p>{{ operator_name }}</p>",
        ),
        (E::OutageResolved, Sms, En) => (
            "",
            "{{ operator_name }}: the outage at {{ area }} is fixed.",
        ),
        (E::OutageResolved, Sms, Pl) => ("", "{{ operator_name }}: awaria {{ area }} usunięta."),
        (E::OutageResolved, Sms, Ru) => ("", "{{ operator_name }}: авария {{ area }} устранена."),
    };
    TemplateSource {
        subject: (channel == Email).then_some(subject),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoice_values() -> Variables {
        [
            ("customer_name", "Zażółć <Gęślą> Jaźń"),
            ("account_number", "0000123"),
            ("operator_name", "Okno Telecom"),
            ("invoice_number", "FV/2026/11/0001"),
            ("amount", "61,49 zł"),
            ("due_date", "16.12.2026"),
            ("period", "listopad 2026"),
            ("pay_to", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .collect()
    }

    #[test]
    fn every_default_template_parses_and_uses_only_its_events_variables() {
        for event in NotificationEvent::all() {
            for channel in MessageChannel::all() {
                for language in Language::all() {
                    let source = default_template(event, channel, language);
                    assert_eq!(
                        check(event, channel, source),
                        Ok(()),
                        "{event} {channel} {language}"
                    );
                    assert_eq!(source.subject.is_some(), channel == MessageChannel::Email);
                }
            }
        }
    }

    #[test]
    fn an_email_escapes_its_values_and_an_sms_does_not() {
        let values = invoice_values();
        let email = render(
            MessageChannel::Email,
            default_template(
                NotificationEvent::InvoiceIssued,
                MessageChannel::Email,
                Language::Pl,
            ),
            &values,
        );
        let email = email.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            email.subject.as_deref(),
            Some("Faktura FV/2026/11/0001 za listopad 2026")
        );
        assert!(email.body.contains("Zażółć &lt;Gęślą&gt; Jaźń"));
        assert!(email.body.contains("61,49 zł"));
        assert!(
            !email.body.contains("rachunek"),
            "no account to pay to given"
        );
        let sms = render(
            MessageChannel::Sms,
            TemplateSource {
                subject: None,
                body: "{{ customer_name }}",
            },
            &values,
        );
        assert_eq!(sms.map(|r| r.body), Ok("Zażółć <Gęślą> Jaźń".to_owned()));
    }

    #[test]
    fn an_unknown_variable_or_a_broken_template_is_refused_by_name() {
        let unknown = check(
            NotificationEvent::PaymentReceived,
            MessageChannel::Sms,
            TemplateSource {
                subject: None,
                body: "{{ amount }} by {{ due_date }} {{ passwrod }}",
            },
        );
        assert_eq!(
            unknown,
            Err(TemplateError::UnknownVariables {
                part: "body",
                event: NotificationEvent::PaymentReceived,
                names: vec!["due_date".into(), "passwrod".into()],
            })
        );
        let broken = check(
            NotificationEvent::PaymentReceived,
            MessageChannel::Email,
            TemplateSource {
                subject: Some("{% if amount %}"),
                body: "",
            },
        );
        assert!(matches!(
            broken,
            Err(TemplateError::Syntax {
                part: "subject",
                ..
            })
        ));
    }

    #[test]
    fn a_missing_value_fails_the_render_rather_than_leaving_a_gap() {
        let result = render(
            MessageChannel::Sms,
            default_template(
                NotificationEvent::PaymentReceived,
                MessageChannel::Sms,
                Language::Ru,
            ),
            &Variables::new(),
        );
        assert!(matches!(result, Err(TemplateError::Render { .. })));
    }
}
