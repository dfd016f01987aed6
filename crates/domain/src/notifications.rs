//! Notifications: what the operator tells a customer, by which channel, and
//! when a message is not sent. A message is decided when the event happens (the outbox), so
//! these rules are plain functions over what is known then; delivery retries and quiet hours
//! are decided here too.
//!
//! Adding an event: a variant of [`NotificationEvent`], its [`rules`] (necessity, channels,
//! variables) and its default templates in the server's `notifications::templates`.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::contacts::ConsentPurpose;

wire_enum! {
    /// What happened that a customer is told about.
    pub enum NotificationEvent {
        /// An invoice was issued to the customer (the first rung of the dunning ladder).
        InvoiceIssued,
        /// A payment of the customer's was registered.
        PaymentReceived,
        /// A prepaid balance will run out within days.
        PrepaidLow,
        /// A prepaid balance ran out: the prepaid services are paused.
        PrepaidRunOut,
        /// A contract ends within days.
        ContractEnding,
        /// The code that activates the subscriber's cabinet.
        CabinetActivation,
        /// A link or code to set a new cabinet password.
        PasswordReset,
        /// A complaint's receipt is confirmed; the e-mail carries the confirmation.
        ComplaintAcknowledged,
        /// A complaint is answered; the e-mail carries the answer.
        ComplaintAnswered,
        /// A ticket moved on (resolved, waiting for the customer) or staff wrote to the
        /// customer on it.
        TicketUpdated,
        /// A technician's visit was booked for a ticket.
        VisitBooked,
        /// A known outage covers the customer's service address.
        OutageDeclared,
        /// The outage is over.
        OutageResolved,
    }
}

wire_enum! {
    /// How a message reaches the customer.
    pub enum MessageChannel {
        Email,
        Sms,
    }
}

wire_enum! {
    /// Where a message stands in the outbox.
    pub enum MessageStatus {
        /// Waiting for a worker (or for the end of the quiet hours, or a retry).
        Pending,
        /// Claimed by a worker, which recorded its attempt before handing it to the provider.
        Sending,
        /// The provider accepted it.
        Sent,
        /// Refused for good (a bad address, or the provider failed every attempt).
        Failed,
        /// Not sent, and never will be: the reason says why.
        Suppressed,
    }
}

wire_enum! {
    /// Why a message was not sent.
    pub enum SuppressionReason {
        /// The customer has no e-mail address, or no phone number, on the record.
        NoAddress,
        /// The customer switched this event off for this channel.
        SwitchedOff,
        /// E-mail correspondence needs the electronic-correspondence consent.
        NoElectronicConsent,
        /// Marketing needs the marketing consent.
        NoMarketingConsent,
        /// The consent the message needed was withdrawn before it went.
        ConsentWithdrawn,
        /// The address was found to bounce.
        AddressBounces,
    }
}

/// Whether a customer may switch a kind of message off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Necessity {
    /// The customer chooses, per channel.
    Optional,
    /// The law requires it (a complaint answer, a demand for payment) or the customer asked for
    /// it (an activation code, a password reset): it goes by every channel the customer allows.
    Required,
}

/// A value a template of an event may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variable {
    pub name: &'static str,
    pub description: &'static str,
}

/// What is true of an event's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventRules {
    pub necessity: Necessity,
    /// A marketing message needs the marketing consent.
    pub marketing: bool,
    /// On for a customer who has not chosen, per channel.
    pub email_by_default: bool,
    pub sms_by_default: bool,
    /// The variables its templates may use, beyond [`COMMON_VARIABLES`].
    pub variables: &'static [Variable],
}

/// Variables every template may use.
pub const COMMON_VARIABLES: &[Variable] = &[
    Variable {
        name: "customer_name",
        description: "The customer's name as on invoices",
    },
    Variable {
        name: "account_number",
        description: "The customer's account number",
    },
    Variable {
        name: "operator_name",
        description: "The operator's name",
    },
];

const INVOICE_ISSUED: &[Variable] = &[
    Variable {
        name: "invoice_number",
        description: "The invoice's number",
    },
    Variable {
        name: "amount",
        description: "The invoice's gross amount with its currency",
    },
    Variable {
        name: "due_date",
        description: "The day payment is due",
    },
    Variable {
        name: "period",
        description: "The month billed",
    },
    Variable {
        name: "pay_to",
        description: "The bank account to pay to, when the operator gives one",
    },
];

const PAYMENT_RECEIVED: &[Variable] = &[
    Variable {
        name: "amount",
        description: "The amount paid with its currency",
    },
    Variable {
        name: "received_on",
        description: "The day the payment was received",
    },
    Variable {
        name: "method",
        description: "How it was paid (cash, transfer, card, …)",
    },
];

const PREPAID_LOW: &[Variable] = &[
    Variable {
        name: "balance",
        description: "What is left on the account",
    },
    Variable {
        name: "runs_out_on",
        description: "The last day the balance pays for",
    },
    Variable {
        name: "pay_to",
        description: "The bank account to pay to, when the operator gives one",
    },
];

const PREPAID_RUN_OUT: &[Variable] = &[
    Variable {
        name: "balance",
        description: "What is left on the account",
    },
    Variable {
        name: "pay_to",
        description: "The bank account to pay to, when the operator gives one",
    },
];

const CONTRACT_ENDING: &[Variable] = &[
    Variable {
        name: "contract_number",
        description: "The contract's number",
    },
    Variable {
        name: "ends_on",
        description: "The contract's last day",
    },
];

const CABINET_ACTIVATION: &[Variable] = &[
    Variable {
        name: "code",
        description: "The activation code",
    },
    Variable {
        name: "link",
        description: "The cabinet's activation page with the code filled in",
    },
    Variable {
        name: "valid_until",
        description: "When the code stops working",
    },
];

const PASSWORD_RESET: &[Variable] = &[
    Variable {
        name: "code",
        description: "The one-time reset code",
    },
    Variable {
        name: "link",
        description: "The reset link (e-mail only)",
    },
    Variable {
        name: "valid_until",
        description: "When the code and the link stop working",
    },
];

const COMPLAINT_ACKNOWLEDGED: &[Variable] = &[
    Variable {
        name: "complaint_number",
        description: "The complaint's number",
    },
    Variable {
        name: "received_on",
        description: "The day the complaint was received",
    },
    Variable {
        name: "decide_by",
        description: "The day it is answered by at the latest",
    },
];

const COMPLAINT_ANSWERED: &[Variable] = &[
    Variable {
        name: "complaint_number",
        description: "The complaint's number",
    },
    Variable {
        name: "outcome",
        description: "How it was decided (accepted, partly accepted, rejected, …)",
    },
    Variable {
        name: "granted",
        description: "What was granted, with its currency",
    },
];

const TICKET_UPDATED: &[Variable] = &[
    Variable {
        name: "ticket_number",
        description: "The ticket's number",
    },
    Variable {
        name: "status",
        description: "Where the ticket stands now",
    },
    Variable {
        name: "note",
        description: "What staff wrote to the customer (may be empty)",
    },
];

const VISIT_BOOKED: &[Variable] = &[
    Variable {
        name: "ticket_number",
        description: "The ticket's number",
    },
    Variable {
        name: "visit_at",
        description: "When the technician comes (date and time)",
    },
];

const OUTAGE_DECLARED: &[Variable] = &[
    Variable {
        name: "area",
        description: "Where the outage is (an address, a street)",
    },
    Variable {
        name: "since",
        description: "When it was noticed (date and time)",
    },
];

const OUTAGE_RESOLVED: &[Variable] = &[
    Variable {
        name: "area",
        description: "Where the outage was",
    },
    Variable {
        name: "note",
        description: "What was done",
    },
];

/// The rules of an event's messages.
pub fn rules(event: NotificationEvent) -> EventRules {
    let optional = |variables, sms_by_default| EventRules {
        necessity: Necessity::Optional,
        marketing: false,
        email_by_default: true,
        sms_by_default,
        variables,
    };
    let required = |variables| EventRules {
        necessity: Necessity::Required,
        marketing: false,
        email_by_default: true,
        sms_by_default: true,
        variables,
    };
    match event {
        NotificationEvent::InvoiceIssued => optional(INVOICE_ISSUED, false),
        NotificationEvent::PaymentReceived => optional(PAYMENT_RECEIVED, false),
        NotificationEvent::PrepaidLow => optional(PREPAID_LOW, true),
        NotificationEvent::PrepaidRunOut => optional(PREPAID_RUN_OUT, true),
        NotificationEvent::ContractEnding => optional(CONTRACT_ENDING, false),
        NotificationEvent::CabinetActivation => required(CABINET_ACTIVATION),
        NotificationEvent::PasswordReset => required(PASSWORD_RESET),
        // The law wants the confirmation and the answer in writing.
        NotificationEvent::ComplaintAcknowledged => required(COMPLAINT_ACKNOWLEDGED),
        NotificationEvent::ComplaintAnswered => required(COMPLAINT_ANSWERED),
        NotificationEvent::TicketUpdated => optional(TICKET_UPDATED, false),
        NotificationEvent::VisitBooked => optional(VISIT_BOOKED, true),
        NotificationEvent::OutageDeclared => optional(OUTAGE_DECLARED, true),
        NotificationEvent::OutageResolved => optional(OUTAGE_RESOLVED, true),
    }
}

/// Whether a template of `event` may use `name`.
pub fn is_variable_of(event: NotificationEvent, name: &str) -> bool {
    COMMON_VARIABLES
        .iter()
        .chain(rules(event).variables)
        .any(|v| v.name == name)
}

/// What the outbox knows of a customer when it decides whether a message goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Recipient<'a> {
    pub has_email: bool,
    pub has_phone: bool,
    pub email_bounces: bool,
    /// The consents in force.
    pub consents: &'a [ConsentPurpose],
    /// The customer's own choice for this event and channel, if they made one.
    pub chosen: Option<bool>,
}

/// Whether a message of `event` goes to `recipient` by `channel`, or why not. The customer's
/// own choice is asked first: a message they do not want is not even written down, while one
/// they want but cannot get (no address, no consent) is kept, suppressed, to show why.
///
/// E-mail is electronic correspondence: it needs the consent to it, except what the
/// customer asked for themselves (an activation code, a password reset), which answers their
/// own request. SMS notices are part of the service; marketing needs its consent by any
/// channel. A required message cannot be switched off.
pub fn decide(
    event: NotificationEvent,
    channel: MessageChannel,
    recipient: &Recipient<'_>,
) -> Result<(), SuppressionReason> {
    let rules = rules(event);
    if rules.necessity == Necessity::Optional {
        let by_default = match channel {
            MessageChannel::Email => rules.email_by_default,
            MessageChannel::Sms => rules.sms_by_default,
        };
        if !recipient.chosen.unwrap_or(by_default) {
            return Err(SuppressionReason::SwitchedOff);
        }
    }
    let has_address = match channel {
        MessageChannel::Email => recipient.has_email,
        MessageChannel::Sms => recipient.has_phone,
    };
    if !has_address {
        return Err(SuppressionReason::NoAddress);
    }
    if channel == MessageChannel::Email && recipient.email_bounces {
        return Err(SuppressionReason::AddressBounces);
    }
    if rules.marketing && !recipient.consents.contains(&ConsentPurpose::Marketing) {
        return Err(SuppressionReason::NoMarketingConsent);
    }
    let asked_for = matches!(
        event,
        NotificationEvent::CabinetActivation | NotificationEvent::PasswordReset
    );
    if channel == MessageChannel::Email
        && !asked_for
        && !recipient
            .consents
            .contains(&ConsentPurpose::ElectronicCorrespondence)
    {
        return Err(SuppressionReason::NoElectronicConsent);
    }
    Ok(())
}

/// The consent a message needs to go out, if any: withdrawing it stops the message while
/// it is still pending.
pub fn consent_needed(event: NotificationEvent, channel: MessageChannel) -> Option<ConsentPurpose> {
    let recipient = Recipient {
        has_email: true,
        has_phone: true,
        consents: &[],
        chosen: Some(true),
        ..Recipient::default()
    };
    match decide(event, channel, &recipient) {
        Err(SuppressionReason::NoElectronicConsent) => {
            Some(ConsentPurpose::ElectronicCorrespondence)
        }
        Err(SuppressionReason::NoMarketingConsent) => Some(ConsentPurpose::Marketing),
        _ => None,
    }
}

/// The variables of an event that carry a secret (a one-time code, a link holding it): the
/// stored copy of a message keeps them only until it is delivered or given up, and staff
/// never read them.
pub fn secret_variables(event: NotificationEvent) -> &'static [&'static str] {
    match event {
        NotificationEvent::CabinetActivation | NotificationEvent::PasswordReset => {
            &["code", "link"]
        }
        _ => &[],
    }
}

/// Whether a mail server's permanent refusal is of the address itself, so that the address
/// is flagged as bouncing (RFC 5321 §4.2.3): 550 mailbox unavailable, 551 user not local,
/// 553 mailbox name not allowed. Other refusals (a message too large, 554 policy) fail the
/// message only.
pub fn address_refused(smtp_code: u16) -> bool {
    matches!(smtp_code, 550 | 551 | 553)
}

/// What a secret variable reads as where staff see the message.
pub const HIDDEN_SECRET: &str = "••••••••";

/// Whether the customer is warned that a prepaid balance runs out: its last paid day
/// (`last_paid`, followed from tomorrow; none when it does not pay for tomorrow) falls less
/// than `warn_days` days after `today`. Returns the day to name in the warning: the last
/// one the balance pays for.
pub fn prepaid_warning(
    today: NaiveDate,
    last_paid: Option<NaiveDate>,
    warn_days: u32,
) -> Option<NaiveDate> {
    let last = last_paid.unwrap_or(today).max(today);
    (last < today + Duration::days(i64::from(warn_days))).then_some(last)
}

/// Whether a contract whose last day of service is `last_day` is announced as ending: from
/// `warn_days` days before that day until the day itself. The European Electronic
/// Communications Code (art. 105(3) of Directive 2018/1972), and the national acts that carry
/// it, ask the operator to tell a consumer of a fixed-term contract's end
/// and what follows it, in good time.
pub fn contract_ending_soon(today: NaiveDate, last_day: NaiveDate, warn_days: u32) -> bool {
    today <= last_day && last_day <= today + Duration::days(i64::from(warn_days))
}

/// Hours in which SMS are not sent (local time); `from` after `until` spans midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub from: NaiveTime,
    pub until: NaiveTime,
}

impl QuietHours {
    /// 21:00 to 8:00.
    pub fn default_hours() -> Self {
        Self {
            from: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or(NaiveTime::MIN),
            until: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }

    pub fn contains(&self, time: NaiveTime) -> bool {
        if self.from <= self.until {
            self.from <= time && time < self.until
        } else {
            time >= self.from || time < self.until
        }
    }

    /// The earliest local moment at or after `local` outside the quiet hours.
    pub fn release_at(&self, local: NaiveDateTime) -> NaiveDateTime {
        if !self.contains(local.time()) {
            return local;
        }
        let same_day = local.date().and_time(self.until);
        if same_day > local {
            same_day
        } else {
            same_day + Duration::days(1)
        }
    }
}

impl std::str::FromStr for QuietHours {
    type Err = String;

    /// `21:00-08:00`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (from, until) = text
            .split_once('-')
            .ok_or_else(|| format!("quiet hours are written 21:00-08:00, not {text:?}"))?;
        let time = |t: &str| {
            NaiveTime::parse_from_str(t.trim(), "%H:%M")
                .map_err(|_| format!("{t:?} is not a time of day (HH:MM)"))
        };
        Ok(Self {
            from: time(from)?,
            until: time(until)?,
        })
    }
}

/// How many times a message is tried before it is failed for good.
pub const MAX_ATTEMPTS: u32 = 6;
/// The first retry waits about this long; each next one twice as long.
const FIRST_RETRY_SECONDS: i64 = 60;
/// No retry waits longer than this.
const LONGEST_RETRY_SECONDS: i64 = 6 * 60 * 60;

/// How long to wait before trying a message again after `attempts` failed attempts:
/// exponential backoff with "equal jitter" (half the delay fixed, half random) so that a
/// provider coming back is not hit by every message at once. `jitter` is a random number of
/// thousandths, 0 to 1000.
pub fn retry_after(attempts: u32, jitter: u16) -> Duration {
    let doubling = attempts.saturating_sub(1).min(20);
    let full = FIRST_RETRY_SECONDS
        .saturating_mul(1_i64 << doubling)
        .min(LONGEST_RETRY_SECONDS);
    let half = full / 2;
    let random = half.saturating_mul(i64::from(jitter.min(1_000))) / 1_000;
    Duration::seconds(half + random)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 5)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .unwrap_or_default()
    }

    fn with(consents: &[ConsentPurpose], chosen: Option<bool>) -> Recipient<'_> {
        Recipient {
            has_email: true,
            has_phone: true,
            email_bounces: false,
            consents,
            chosen,
        }
    }

    #[test]
    fn an_invoice_is_emailed_only_with_the_electronic_correspondence_consent() {
        let e = NotificationEvent::InvoiceIssued;
        assert_eq!(
            decide(e, MessageChannel::Email, &with(&[], None)),
            Err(SuppressionReason::NoElectronicConsent)
        );
        assert_eq!(
            decide(
                e,
                MessageChannel::Email,
                &with(&[ConsentPurpose::ElectronicCorrespondence], None)
            ),
            Ok(())
        );
        assert_eq!(
            consent_needed(e, MessageChannel::Email),
            Some(ConsentPurpose::ElectronicCorrespondence)
        );
        assert_eq!(consent_needed(e, MessageChannel::Sms), None);
    }

    #[test]
    fn the_customers_choice_counts_for_optional_messages_only() {
        let consents = [ConsentPurpose::ElectronicCorrespondence];
        assert_eq!(
            decide(
                NotificationEvent::InvoiceIssued,
                MessageChannel::Sms,
                &with(&consents, None)
            ),
            Err(SuppressionReason::SwitchedOff),
            "invoice SMS are off until chosen"
        );
        assert_eq!(
            decide(
                NotificationEvent::PrepaidLow,
                MessageChannel::Sms,
                &with(&consents, Some(false))
            ),
            Err(SuppressionReason::SwitchedOff)
        );
        assert_eq!(
            decide(
                NotificationEvent::PasswordReset,
                MessageChannel::Email,
                &with(&[], Some(false))
            ),
            Ok(()),
            "a reset the customer asked for goes, consent or not"
        );
    }

    #[test]
    fn no_address_or_a_bouncing_one_sends_nothing() {
        let consents = [ConsentPurpose::ElectronicCorrespondence];
        let mut recipient = with(&consents, Some(true));
        recipient.has_phone = false;
        assert_eq!(
            decide(
                NotificationEvent::PrepaidLow,
                MessageChannel::Sms,
                &recipient
            ),
            Err(SuppressionReason::NoAddress)
        );
        recipient.email_bounces = true;
        assert_eq!(
            decide(
                NotificationEvent::PasswordReset,
                MessageChannel::Email,
                &recipient
            ),
            Err(SuppressionReason::AddressBounces)
        );
    }

    #[test]
    fn variables_are_the_events_own_and_the_common_ones() {
        assert!(is_variable_of(NotificationEvent::InvoiceIssued, "due_date"));
        assert!(is_variable_of(
            NotificationEvent::PaymentReceived,
            "customer_name"
        ));
        assert!(!is_variable_of(
            NotificationEvent::PaymentReceived,
            "due_date"
        ));
        assert!(!is_variable_of(
            NotificationEvent::InvoiceIssued,
            "password"
        ));
    }

    #[test]
    fn quiet_hours_span_midnight_and_release_at_their_end() {
        let quiet = QuietHours::default_hours();
        assert_eq!(quiet.release_at(at(20, 59)), at(20, 59));
        assert_eq!(quiet.release_at(at(21, 0)), at(8, 0) + Duration::days(1));
        assert_eq!(quiet.release_at(at(23, 30)), at(8, 0) + Duration::days(1));
        assert_eq!(quiet.release_at(at(3, 15)), at(8, 0));
        assert_eq!(quiet.release_at(at(8, 0)), at(8, 0));
        let afternoon = QuietHours {
            from: NaiveTime::from_hms_opt(13, 0, 0).unwrap_or_default(),
            until: NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default(),
        };
        assert_eq!(afternoon.release_at(at(13, 30)), at(14, 0));
        assert_eq!(afternoon.release_at(at(12, 0)), at(12, 0));
    }

    #[test]
    fn quiet_hours_read_as_written() {
        assert_eq!(
            "21:00-08:00".parse::<QuietHours>(),
            Ok(QuietHours::default_hours())
        );
        assert!("21:00".parse::<QuietHours>().is_err());
        assert!("25:00-08:00".parse::<QuietHours>().is_err());
    }

    #[test]
    fn retries_double_up_to_six_hours() {
        assert_eq!(retry_after(1, 0), Duration::seconds(30));
        assert_eq!(retry_after(1, 999), Duration::seconds(59));
        assert_eq!(retry_after(1, 1_000), Duration::seconds(60));
        assert_eq!(retry_after(2, 0), Duration::seconds(60));
        assert_eq!(retry_after(30, 0), Duration::seconds(3 * 60 * 60));
        assert_eq!(retry_after(30, u16::MAX), Duration::seconds(6 * 60 * 60));
        assert_eq!(retry_after(0, 0), Duration::seconds(30));
    }

    #[test]
    fn a_prepaid_balance_is_warned_of_in_its_last_days() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap_or_default();
        let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default();
        assert_eq!(prepaid_warning(today, Some(day(7)), 3), Some(day(7)));
        assert_eq!(prepaid_warning(today, Some(day(8)), 3), None);
        assert_eq!(prepaid_warning(today, None, 3), Some(today));
        assert_eq!(prepaid_warning(today, Some(day(20)), 0), None);
        assert!(contract_ending_soon(today, day(5), 30));
        assert!(contract_ending_soon(today, today + Duration::days(30), 30));
        assert!(!contract_ending_soon(today, today + Duration::days(31), 30));
        assert!(!contract_ending_soon(today, day(4), 30));
    }

    #[test]
    fn only_a_refused_mailbox_flags_the_address() {
        assert!(address_refused(550));
        assert!(address_refused(553));
        assert!(!address_refused(552));
        assert!(!address_refused(554));
        assert!(!address_refused(450));
    }

    #[test]
    fn only_codes_are_secret() {
        assert_eq!(
            secret_variables(NotificationEvent::PasswordReset),
            &["code", "link"]
        );
        assert!(secret_variables(NotificationEvent::InvoiceIssued).is_empty());
        for event in NotificationEvent::all() {
            for secret in secret_variables(event) {
                assert!(is_variable_of(event, secret), "{event}: {secret}");
            }
        }
    }

    proptest! {
        #[test]
        fn a_released_message_is_never_in_the_quiet_hours_nor_early(
            minutes in 0_i64..(3 * 24 * 60),
            from in 0_u32..24,
            until in 0_u32..24,
        ) {
            let quiet = QuietHours {
                from: NaiveTime::from_hms_opt(from, 0, 0).unwrap_or_default(),
                until: NaiveTime::from_hms_opt(until, 0, 0).unwrap_or_default(),
            };
            prop_assume!(from != until);
            let local = at(0, 0) + Duration::minutes(minutes);
            let released = quiet.release_at(local);
            prop_assert!(released >= local);
            prop_assert!(!quiet.contains(released.time()));
            prop_assert!(released - local <= Duration::hours(24));
        }

        #[test]
        fn a_retry_waits_between_half_and_all_of_its_step(attempts in 0_u32..100, jitter in 0_u16..=1_000) {
            let wait = retry_after(attempts, jitter).num_seconds();
            let step = retry_after(attempts, 0).num_seconds() * 2;
            prop_assert!(wait >= step / 2 && wait <= step);
            prop_assert!(wait <= LONGEST_RETRY_SECONDS);
            prop_assert!(retry_after(attempts + 1, 0) >= retry_after(attempts, 0));
        }
    }
}
