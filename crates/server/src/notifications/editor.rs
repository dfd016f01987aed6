//! The template editor: administrators word each event's message per channel and
//! language, try it on a real customer, and save it only when it parses and uses no value its
//! event does not have. Going back to Okno's wording is removing one's own.

use chrono::{DateTime, Datelike, Duration, Utc};
use okno_api_types::notifications::{
    MessageTemplate, TemplateChange, TemplatePreview, TemplatePreviewRequest, TemplateVariable,
};
use okno_db::DbConnection;
use okno_db::notifications::TemplateRecord;
use okno_domain::customers::Language;
use okno_domain::notifications::{
    COMMON_VARIABLES, MessageChannel, Necessity, NotificationEvent, rules,
};
use okno_domain::payments::PaymentMethod;
use okno_domain::validation::{FieldErrorCode, Validator};

use super::templates::{Book, TemplateError, TemplateSource, Variables, check, render};
use super::{Sender, Value, common_values};
use crate::audit;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::time::{from_db, to_db};

/// The longest subject line.
pub const MAX_SUBJECT: usize = 200;
/// The longest body: an e-mail of a few screens; an SMS of six parts.
pub const MAX_EMAIL_BODY: usize = 20_000;
pub const MAX_SMS_BODY: usize = 918;

fn variables_of(event: NotificationEvent) -> Vec<TemplateVariable> {
    COMMON_VARIABLES
        .iter()
        .chain(rules(event).variables)
        .map(|v| TemplateVariable {
            name: v.name.to_owned(),
            description: v.description.to_owned(),
        })
        .collect()
}

fn template_view(
    book: &Book,
    event: NotificationEvent,
    channel: MessageChannel,
    language: Language,
) -> MessageTemplate {
    let source = book.source(event, channel, language);
    let own = book.own(event, channel, language);
    MessageTemplate {
        event,
        channel,
        language,
        subject: source.subject.map(str::to_owned),
        body: source.body.to_owned(),
        customized: own.is_some(),
        updated_at: own.map(|t| from_db(t.updated_at)),
        updated_by: own.map(|t| t.updated_by.clone()),
        variables: variables_of(event),
        required: rules(event).necessity == Necessity::Required,
    }
}

/// Every template: each event by each channel in each language.
pub fn all(conn: &mut DbConnection) -> ApiResult<Vec<MessageTemplate>> {
    let book = Book::load(conn)?;
    let mut all = Vec::new();
    for event in NotificationEvent::all() {
        for channel in MessageChannel::all() {
            for language in Language::all() {
                all.push(template_view(&book, event, channel, language));
            }
        }
    }
    Ok(all)
}

/// The template's parts, checked for length and presence: a subject for an e-mail and none
/// for an SMS, a body.
fn checked_parts(
    v: &mut Validator,
    channel: MessageChannel,
    subject: Option<&str>,
    body: &str,
) -> (Option<String>, String) {
    let subject = match (channel, subject) {
        (MessageChannel::Email, subject) => {
            Some(v.text("subject", subject.unwrap_or(""), MAX_SUBJECT))
        }
        (MessageChannel::Sms, Some(_)) => {
            v.fail(
                "subject",
                FieldErrorCode::InvalidValue,
                "an SMS has no subject",
            );
            None
        }
        (MessageChannel::Sms, None) => None,
    };
    let longest = match channel {
        MessageChannel::Email => MAX_EMAIL_BODY,
        MessageChannel::Sms => MAX_SMS_BODY,
    };
    let body = v.text("body", body, longest);
    (subject, body)
}

/// A template that does not parse or names an unknown value, as a 422 on its part.
fn refused(error: &TemplateError) -> ApiError {
    let (part, code) = match error {
        TemplateError::Syntax { part, .. } | TemplateError::Render { part, .. } => {
            (*part, FieldErrorCode::InvalidValue)
        }
        TemplateError::UnknownVariables { part, .. } => (*part, FieldErrorCode::UnknownReference),
    };
    ApiError::field(part, code, error)
}

/// Saves an administrator's wording, audited; refused with the part and the reason when it
/// does not parse, uses a value its event lacks, or fails on the example values.
pub fn save(
    conn: &mut DbConnection,
    principal: &Principal,
    (event, channel, language): (NotificationEvent, MessageChannel, Language),
    change: &TemplateChange,
    now: DateTime<Utc>,
) -> ApiResult<MessageTemplate> {
    let mut v = Validator::new();
    let (subject, body) = checked_parts(&mut v, channel, change.subject.as_deref(), &change.body);
    v.finish()?;
    let source = TemplateSource {
        subject: subject.as_deref(),
        body: &body,
    };
    check(event, channel, source).map_err(|e| refused(&e))?;
    // Every value present, as a real message has them: a filter or a loop that fails on
    // them is refused now, not in the customer's inbox.
    render(channel, source, &examples(event, language, now)).map_err(|e| refused(&e))?;
    okno_db::write_transaction(conn, |conn| {
        TemplateRecord::save(
            conn,
            TemplateRecord {
                event,
                channel,
                language,
                subject: subject.clone(),
                body: body.clone(),
                updated_at: to_db(now),
                updated_by: principal.recorded_by().label,
            },
        )?;
        audit::record(
            conn,
            principal,
            "message_template.save",
            None,
            Some(format!("{event} by {channel} in {language}")),
            now,
        )?;
        Ok(template_view(&Book::load(conn)?, event, channel, language))
    })
}

/// Goes back to Okno's wording, audited; answered with it.
pub fn revert(
    conn: &mut DbConnection,
    principal: &Principal,
    (event, channel, language): (NotificationEvent, MessageChannel, Language),
    now: DateTime<Utc>,
) -> ApiResult<MessageTemplate> {
    okno_db::write_transaction(conn, |conn| {
        if TemplateRecord::remove(conn, event, channel, language)? {
            audit::record(
                conn,
                principal,
                "message_template.revert",
                None,
                Some(format!("{event} by {channel} in {language}")),
                now,
            )?;
        }
        Ok(template_view(&Book::load(conn)?, event, channel, language))
    })
}

/// The message a wording makes for a real customer: their name, account and language, with
/// examples of the event's own values. Nothing is saved or sent.
pub fn preview(
    conn: &mut DbConnection,
    sender: &Sender,
    request: &TemplatePreviewRequest,
    now: DateTime<Utc>,
) -> ApiResult<TemplatePreview> {
    let mut v = Validator::new();
    let (subject, body) = checked_parts(
        &mut v,
        request.channel,
        request.subject.as_deref(),
        &request.body,
    );
    v.finish()?;
    let customer = crate::customers::find(conn, request.customer_id)?;
    let language = request.language.unwrap_or(customer.preferred_language);
    let source = TemplateSource {
        subject: subject.as_deref(),
        body: &body,
    };
    check(request.event, request.channel, source).map_err(|e| refused(&e))?;
    let mut values = examples(request.event, language, now);
    common_values(&mut values, sender, &customer);
    let rendered = render(request.channel, source, &values).map_err(|e| refused(&e))?;
    Ok(TemplatePreview {
        language,
        subject: rendered.subject,
        body: rendered.body,
    })
}

/// Example values of an event's own variables, written in `language`, and stand-ins for
/// the values every message has.
fn examples(event: NotificationEvent, language: Language, now: DateTime<Utc>) -> Variables {
    let today = now.date_naive();
    let currency = match language {
        Language::Ru => "RUB",
        Language::En | Language::Pl => "PLN",
    };
    let money = |minor| Value::Money {
        minor,
        currency: currency.to_owned(),
    };
    let last_month = today.with_day(1).unwrap_or(today) - Duration::days(1);
    let own: Vec<(&'static str, Value)> = match event {
        NotificationEvent::InvoiceIssued => vec![
            (
                "invoice_number",
                Value::Text(format!("FV/{}/{:02}/000123", today.year(), today.month())),
            ),
            ("amount", money(6_149)),
            ("due_date", Value::Date(today + Duration::days(14))),
            (
                "period",
                Value::Month {
                    year: last_month.year(),
                    month: last_month.month(),
                },
            ),
        ],
        NotificationEvent::PaymentReceived => vec![
            ("amount", money(6_149)),
            ("received_on", Value::Date(today)),
            ("method", Value::Method(PaymentMethod::Transfer)),
        ],
        NotificationEvent::PrepaidLow => vec![
            ("balance", money(450)),
            ("runs_out_on", Value::Date(today + Duration::days(2))),
        ],
        NotificationEvent::PrepaidRunOut => vec![("balance", money(0))],
        NotificationEvent::ContractEnding => vec![
            (
                "contract_number",
                Value::Text(format!("UM/{}/000042", today.year())),
            ),
            ("ends_on", Value::Date(today + Duration::days(30))),
        ],
        NotificationEvent::ComplaintAcknowledged => vec![
            (
                "complaint_number",
                Value::Text(format!("RK/{}/000007", today.year())),
            ),
            ("received_on", Value::Date(today)),
            ("decide_by", Value::Date(today + Duration::days(30))),
        ],
        NotificationEvent::ComplaintAnswered => vec![
            (
                "complaint_number",
                Value::Text(format!("RK/{}/000007", today.year())),
            ),
            (
                "outcome",
                Value::Outcome(okno_domain::complaints::ComplaintOutcome::PartlyAccepted),
            ),
            ("granted", money(2_500)),
        ],
        NotificationEvent::TicketUpdated => vec![
            (
                "ticket_number",
                Value::Text(format!("TK/{}/000012", today.year())),
            ),
            (
                "status",
                Value::TicketStatus(okno_domain::tickets::TicketStatus::Resolved),
            ),
            ("note", Value::Text("The router was replaced.".into())),
        ],
        NotificationEvent::VisitBooked => vec![
            (
                "ticket_number",
                Value::Text(format!("TK/{}/000012", today.year())),
            ),
            (
                "visit_at",
                Value::Moment(
                    (today + Duration::days(2))
                        .and_time(chrono::NaiveTime::MIN + Duration::hours(10)),
                ),
            ),
        ],
        NotificationEvent::OutageDeclared => vec![
            ("area", Value::Text("ul. Długa 5, 00-950 Warszawa".into())),
            (
                "since",
                Value::Moment(today.and_time(chrono::NaiveTime::MIN + Duration::hours(9))),
            ),
        ],
        NotificationEvent::OutageResolved => vec![
            ("area", Value::Text("ul. Długa 5, 00-950 Warszawa".into())),
            (
                "note",
                Value::Text("The switch in the basement was replaced.".into()),
            ),
        ],
        NotificationEvent::CabinetActivation | NotificationEvent::PasswordReset => vec![
            ("code", Value::Text("K7MP-3QXD".into())),
            (
                "link",
                Value::Text("https://ebok.example.pl/cabinet/activate".into()),
            ),
            (
                "valid_until",
                Value::Moment((now + Duration::hours(1)).naive_utc()),
            ),
        ],
    };
    let mut values: Variables = own
        .into_iter()
        .map(|(name, value)| (name, value.written(language)))
        .collect();
    for (name, example) in [
        ("customer_name", "Anna Kowalska"),
        ("account_number", "100000017"),
        ("operator_name", "Okno Telecom"),
        ("pay_to", "PL61 1090 1014 0000 0712 1981 2874"),
    ] {
        values.insert(name, example.to_owned());
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_an_example_of_each_of_its_variables() {
        let now = DateTime::UNIX_EPOCH + Duration::days(20_000);
        for event in NotificationEvent::all() {
            for language in Language::all() {
                let values = examples(event, language, now);
                for variable in variables_of(event) {
                    assert!(
                        values.contains_key(variable.name.as_str()),
                        "{event}: {}",
                        variable.name
                    );
                }
            }
        }
    }
}
