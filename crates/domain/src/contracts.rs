//! The contract lifecycle and the customer's right to withdraw.

use chrono::{Datelike, NaiveDate};

use crate::access::Role;
use crate::calendar::{deadline_after, first_of_next_month};
use crate::contacts::Channel;
use crate::tariffs::ServiceKind;
use crate::validation::{FieldErrorCode, Validator};

wire_enum! {
    /// Where a contract is in its life.
    pub enum ContractStatus {
        /// Being prepared; editable.
        Draft,
        /// Signed by the customer; waits for the manager.
        Signed,
        /// Approved by the manager; service starts on the start date.
        Approved,
        Active,
        /// Paused at the customer's request or for debt.
        Suspended,
        Terminated,
        /// Withdrawn from by the customer.
        Withdrawn,
        /// A draft dropped before the customer signed it; it never bound anyone.
        Cancelled,
    }
}

wire_enum! {
    /// What can happen to a contract.
    pub enum ContractAction {
        Sign,
        Approve,
        /// The manager sends it back to its author with the reason.
        Reject,
        /// Service starts: on approval when the start date has come, later otherwise.
        Activate,
        Suspend,
        Resume,
        /// Ends service after a last day: at once when that day is today, otherwise as a
        /// notice that leaves the contract in force until then.
        Terminate,
        Withdraw,
        /// The customer withdraws a notice of termination before its last day: the contract
        /// stays in force (retention's best moment, seed 002).
        CancelTermination,
        /// A draft is dropped: the customer decided against it before signing.
        Cancel,
    }
}

wire_enum! {
    /// Why a contract is paused.
    pub enum SuspensionReason {
        CustomerRequest,
        Debt,
    }
}

impl ContractAction {
    /// "signed", "withdrawn": for messages.
    pub fn past_participle(self) -> &'static str {
        match self {
            Self::Sign => "signed",
            Self::Approve => "approved",
            Self::Reject => "rejected",
            Self::Activate => "activated",
            Self::Suspend => "suspended",
            Self::Resume => "resumed",
            Self::Terminate => "terminated",
            Self::Withdraw => "withdrawn",
            Self::CancelTermination => "kept in force",
            Self::Cancel => "cancelled",
        }
    }
}

wire_enum! {
    /// What an issued document is.
    pub enum DocumentKind {
        Contract,
        /// The customer's statement of withdrawal.
        WithdrawalStatement,
        /// The operator's notice of changed terms, which opens a withdrawal window.
        TermsChangeNotice,
        TerminationStatement,
        /// The confirmation that a complaint was received.
        ComplaintAcknowledgement,
        /// The written answer to a complaint.
        ComplaintAnswer,
    }
}

wire_enum! {
    /// The result of a retention call or e-mail.
    pub enum RetentionOutcome {
        Renewed,
        OfferSent,
        Declined,
        NoAnswer,
    }
}

wire_enum! {
    /// What a subscriber asks for from the cabinet.
    pub enum RequestKind {
        TariffChange,
        Suspension,
    }
}

wire_enum! {
    pub enum RequestStatus {
        Pending,
        Accepted,
        Declined,
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// An action that the contract's state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{} {current} contract cannot be {}", article(.current.as_str()), .action.past_participle())]
pub struct IllegalTransition {
    pub current: ContractStatus,
    pub action: ContractAction,
}

impl ContractStatus {
    /// The state after `action`, if the action is allowed in this state.
    pub fn after(self, action: ContractAction) -> Result<Self, IllegalTransition> {
        use ContractAction as A;
        use ContractStatus as S;
        let next = match (self, action) {
            (S::Draft, A::Sign) => S::Signed,
            (S::Signed, A::Approve) => S::Approved,
            (S::Signed, A::Reject) => S::Draft,
            (S::Approved, A::Activate) => S::Active,
            (S::Active, A::Suspend) => S::Suspended,
            (S::Suspended, A::Resume) => S::Active,
            (S::Active | S::Suspended | S::Approved, A::Terminate) => S::Terminated,
            (S::Signed | S::Approved | S::Active | S::Suspended, A::Withdraw) => S::Withdrawn,
            (status @ (S::Approved | S::Active | S::Suspended), A::CancelTermination) => status,
            (S::Draft, A::Cancel) => S::Cancelled,
            (current, action) => return Err(IllegalTransition { current, action }),
        };
        Ok(next)
    }

    /// Whether the contract binds the parties now or will (signed and later, not ended).
    pub fn is_in_force(self) -> bool {
        matches!(
            self,
            Self::Signed | Self::Approved | Self::Active | Self::Suspended
        )
    }

    /// Whether `change` may be made to a contract in this state; it leaves the state as it is.
    pub fn allows(self, change: ContractChange) -> Result<(), ChangeRefused> {
        let allowed = match change {
            ContractChange::EditDraft => self == Self::Draft,
            ContractChange::Tariff => {
                matches!(self, Self::Approved | Self::Active | Self::Suspended)
            }
            ContractChange::Terms => self.is_in_force(),
        };
        if allowed {
            return Ok(());
        }
        let current = self;
        Err(match change {
            ContractChange::EditDraft => ChangeRefused::EditDraft { current },
            ContractChange::Tariff => ChangeRefused::Tariff { current },
            ContractChange::Terms => ChangeRefused::Terms { current },
        })
    }
}

/// A change to a contract that keeps its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractChange {
    /// Its dates, channel or services, while it is a draft.
    EditDraft,
    /// a service moves to another tariff; from approval until the contract ends.
    Tariff,
    /// the operator changes the terms of a contract in force.
    Terms,
}

/// A change that the contract's state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChangeRefused {
    #[error("{} {current} contract cannot be edited; only drafts can", article(.current.as_str()))]
    EditDraft { current: ContractStatus },
    #[error("the tariff of {} {current} contract cannot be changed", article(.current.as_str()))]
    Tariff { current: ContractStatus },
    #[error("the terms of {} {current} contract cannot change", article(.current.as_str()))]
    Terms { current: ContractStatus },
}

/// Who decides on a signed contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decider {
    pub role: Role,
    /// The staff user, if a person decides.
    pub user_id: Option<i64>,
    pub sales_point: Option<i64>,
}

/// R-13, four eyes (seed 002: the agent prepares, the manager approves): nobody decides on a
/// contract they drafted; a manager decides on the contracts of their own sales point only,
/// and both must have one. Administrators decide on any other.
pub fn may_decide_approval(
    decider: Decider,
    author: Option<i64>,
    contract_sales_point: Option<i64>,
) -> Result<(), DecisionRefused> {
    if decider.user_id.is_some() && decider.user_id == author {
        return Err(DecisionRefused::OwnContract);
    }
    if decider.role == Role::Manager {
        match (decider.sales_point, contract_sales_point) {
            (Some(own), Some(contract)) if own == contract => {}
            (None, _) | (_, None) => return Err(DecisionRefused::NoSalesPoint),
            _ => return Err(DecisionRefused::NotOwnSalesPoint),
        }
    }
    Ok(())
}

/// Why someone may not decide on a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecisionRefused {
    #[error("the author of a contract does not decide on it: another person must")]
    OwnContract,
    #[error("a manager decides on the contracts of their own sales point")]
    NotOwnSalesPoint,
    #[error("a manager and the contract both belong to a sales point for a decision")]
    NoSalesPoint,
}

/// a contract starts today or later, and a fixed term ends after it starts.
pub fn check_term(v: &mut Validator, start: NaiveDate, end: Option<NaiveDate>, today: NaiveDate) {
    if start < today {
        v.fail(
            "start_date",
            FieldErrorCode::InPast,
            "a contract starts today or later",
        );
    }
    if end.is_some_and(|end| end <= start) {
        v.fail(
            "end_date",
            FieldErrorCode::InvalidValue,
            "a fixed term ends after it starts",
        );
    }
}

/// a pause starts today or later (`date`) and ends on or after it starts (`until`).
pub fn check_pause(v: &mut Validator, from: NaiveDate, until: Option<NaiveDate>, today: NaiveDate) {
    if from < today {
        v.fail(
            "date",
            FieldErrorCode::InPast,
            "a pause starts today or later",
        );
    }
    if until.is_some_and(|until| until < from) {
        v.fail(
            "until",
            FieldErrorCode::InvalidValue,
            "a pause ends on or after it starts",
        );
    }
}

/// a paused service resumes today or later.
pub fn check_resumption(v: &mut Validator, on: NaiveDate, today: NaiveDate) {
    if on < today {
        v.fail(
            "date",
            FieldErrorCode::InPast,
            "service resumes today or later",
        );
    }
}

/// the last day of service of a terminated contract is today or later.
pub fn check_last_day(v: &mut Validator, last_day: NaiveDate, today: NaiveDate) {
    if last_day < today {
        v.fail(
            "date",
            FieldErrorCode::InPast,
            "the last day of service is today or later",
        );
    }
}

/// What a termination with its last day does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    /// The last day is today: the contract ends now.
    Now,
    /// The last day is later: a notice is recorded and the contract stays in force until the
    /// scheduled job ends it after that day. The notice can be withdrawn until then.
    Notice { last_day: NaiveDate },
}

/// a termination whose last day is today ends the contract now; one with a later last
/// day is a notice, and the contract stays in force until then.
pub fn termination(last_day: NaiveDate, today: NaiveDate) -> Termination {
    if last_day > today {
        Termination::Notice { last_day }
    } else {
        Termination::Now
    }
}

/// The last day of service of a contract: for one in force, the last day of its notice of
/// termination or else of its fixed term; for a terminated one, the day it ended.
pub fn ends_on(
    status: ContractStatus,
    terminated_on: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
) -> Option<NaiveDate> {
    match status {
        ContractStatus::Terminated => terminated_on.or(end_date),
        status if status.is_in_force() => match (terminated_on, end_date) {
            (Some(notice), Some(term)) => Some(notice.min(term)),
            (notice, term) => notice.or(term),
        },
        _ => None,
    }
}

/// A contract in force without a notice of termination: nothing to withdraw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the contract has no notice of termination to withdraw")]
pub struct NoNotice;

/// a notice of termination can be withdrawn while the contract is in force, up to its
/// last day; returns that day.
pub fn notice_to_withdraw(
    status: ContractStatus,
    terminated_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, NoNotice> {
    terminated_on
        .filter(|last_day| status.is_in_force() && *last_day >= today)
        .ok_or(NoNotice)
}

/// a notice of termination ends a fixed-term contract no later than its term.
pub fn check_notice_within_term(
    v: &mut Validator,
    last_day: NaiveDate,
    end_date: Option<NaiveDate>,
) {
    if end_date.is_some_and(|end| last_day > end) {
        v.fail(
            "date",
            FieldErrorCode::InvalidValue,
            "the fixed term ends before this day; the contract ends with its term",
        );
    }
}

/// Most services one contract may carry.
pub const MAX_SERVICES: usize = 10;
/// Longest meter number, in characters.
pub const METER_NUMBER_MAX_CHARS: usize = 40;

/// A contract carries one to [`MAX_SERVICES`] services (`subscriptions`).
pub fn check_service_count(v: &mut Validator, count: usize) {
    if count == 0 {
        v.fail(
            "subscriptions",
            FieldErrorCode::Required,
            "a contract has at least one service",
        );
    } else if count > MAX_SERVICES {
        v.fail(
            "subscriptions",
            FieldErrorCode::TooMany,
            format!("at most {MAX_SERVICES} services"),
        );
    }
}

/// a service measured by a meter names the meter; `field` is where the number goes.
pub fn check_meter(v: &mut Validator, field: &str, kind: ServiceKind, meter_number: Option<&str>) {
    if kind.is_metered() && meter_number.is_none() {
        v.fail(
            field,
            FieldErrorCode::Required,
            "a metered service needs the meter's number",
        );
    }
}

/// A subscriber's request from the cabinet names what it needs: a tariff change its service
/// and tariff, a pause an end on or after its start; a day asked for is today or later.
pub fn check_request(
    v: &mut Validator,
    kind: RequestKind,
    tariff_id: Option<i64>,
    subscription_id: Option<i64>,
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
    today: NaiveDate,
) {
    match kind {
        RequestKind::TariffChange => {
            if tariff_id.is_none() {
                v.fail("tariff_id", FieldErrorCode::Required, "which tariff");
            }
            if subscription_id.is_none() {
                v.fail("subscription_id", FieldErrorCode::Required, "which service");
            }
        }
        RequestKind::Suspension => {
            if until.is_some_and(|until| until < from.unwrap_or(today)) {
                v.fail(
                    "until_date",
                    FieldErrorCode::InvalidValue,
                    "a pause ends on or after it starts",
                );
            }
        }
    }
    if from.is_some_and(|d| d < today) {
        v.fail("from_date", FieldErrorCode::InPast, "today or later");
    }
}

/// The day a tariff change takes effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TariffChangeDay {
    pub effective_from: NaiveDate,
    /// Not on the first of a month: the customer asked for it, and it is recorded as such.
    pub early: bool,
}

/// a tariff changes on the first day of next month unless another day is asked for;
/// a day other than the first of a month needs `early`. No change takes effect in the past
/// or before the contract starts.
pub fn tariff_change_day(
    v: &mut Validator,
    requested: Option<NaiveDate>,
    early: bool,
    today: NaiveDate,
    contract_start: NaiveDate,
) -> TariffChangeDay {
    let effective_from = requested.unwrap_or_else(|| first_of_next_month(today));
    if effective_from < today.max(contract_start) {
        v.fail(
            "effective_from",
            FieldErrorCode::InPast,
            "a change takes effect today or later, and not before the contract starts",
        );
    } else if effective_from.day() != 1 && !early {
        v.fail(
            "effective_from",
            FieldErrorCode::NotFirstOfMonth,
            "a tariff changes on the first day of a month; set early to change on another day",
        );
    }
    TariffChangeDay {
        effective_from,
        early: effective_from.day() != 1,
    }
}

/// Days a consumer has to withdraw from a distance contract (law: art. 27 of the Polish
/// consumer rights act), and from a contract whose terms the operator changed.
pub const WITHDRAWAL_DAYS: i64 = 14;

/// Whether a contract was concluded at a distance (phone or web), which gives a consumer the
/// right to withdraw; contracts signed at a sales point do not.
pub fn is_distance_channel(channel: Channel) -> bool {
    matches!(
        channel,
        Channel::Phone
            | Channel::Web
            | Channel::Email
            | Channel::Letter
            | Channel::Fax
            | Channel::Sms
    )
}

/// the last day to withdraw after `event` (a conclusion, a notice of changed terms):
/// 14 days counted from the day after, moved off a weekend or holiday.
pub fn withdrawal_deadline(event: NaiveDate) -> NaiveDate {
    deadline_after(event, WITHDRAWAL_DAYS)
}

/// the operator's change of terms takes effect today or later.
pub fn check_terms_change(v: &mut Validator, effective_from: NaiveDate, today: NaiveDate) {
    if effective_from < today {
        v.fail(
            "effective_from",
            FieldErrorCode::InPast,
            "a change takes effect today or later",
        );
    }
}

/// Why a customer may withdraw now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithdrawalGround {
    /// A distance contract, within 14 days of its conclusion.
    DistanceContract { deadline: NaiveDate },
    /// The operator changed the contract's terms; within 14 days of the notice.
    ChangedTerms { deadline: NaiveDate },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WithdrawalRefused {
    #[error("only consumers may withdraw from a contract")]
    NotAConsumer,
    #[error("the contract was concluded at a sales point and its terms have not changed")]
    NoGround,
    #[error("the withdrawal period ended on {0}")]
    Expired(NaiveDate),
}

/// may a consumer withdraw on `today`? `concluded` is the day the contract was
/// concluded (signed), `terms_changed` the day the operator notified a change of terms. The
/// period is 14 days counted from the day after, ending on a working day.
pub fn withdrawal_ground(
    consumer: bool,
    channel: Channel,
    concluded: Option<NaiveDate>,
    terms_changed: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<WithdrawalGround, WithdrawalRefused> {
    if !consumer {
        return Err(WithdrawalRefused::NotAConsumer);
    }
    let distance = concluded
        .filter(|_| is_distance_channel(channel))
        .map(withdrawal_deadline);
    let changed = terms_changed.map(withdrawal_deadline);
    if let Some(deadline) = changed.filter(|d| today <= *d) {
        return Ok(WithdrawalGround::ChangedTerms { deadline });
    }
    if let Some(deadline) = distance.filter(|d| today <= *d) {
        return Ok(WithdrawalGround::DistanceContract { deadline });
    }
    match distance.into_iter().chain(changed).max() {
        Some(expired) => Err(WithdrawalRefused::Expired(expired)),
        None => Err(WithdrawalRefused::NoGround),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn every_transition_is_allowed_or_refused_exactly() {
        use ContractAction as A;
        use ContractStatus as S;
        let allowed = [
            (S::Draft, A::Sign, S::Signed),
            (S::Signed, A::Approve, S::Approved),
            (S::Signed, A::Reject, S::Draft),
            (S::Approved, A::Activate, S::Active),
            (S::Active, A::Suspend, S::Suspended),
            (S::Suspended, A::Resume, S::Active),
            (S::Approved, A::Terminate, S::Terminated),
            (S::Active, A::Terminate, S::Terminated),
            (S::Suspended, A::Terminate, S::Terminated),
            (S::Signed, A::Withdraw, S::Withdrawn),
            (S::Approved, A::Withdraw, S::Withdrawn),
            (S::Active, A::Withdraw, S::Withdrawn),
            (S::Suspended, A::Withdraw, S::Withdrawn),
            (S::Approved, A::CancelTermination, S::Approved),
            (S::Active, A::CancelTermination, S::Active),
            (S::Suspended, A::CancelTermination, S::Suspended),
            (S::Draft, A::Cancel, S::Cancelled),
        ];
        for status in S::all() {
            for action in A::all() {
                let expected = allowed
                    .iter()
                    .find(|(s, a, _)| *s == status && *a == action)
                    .map(|(_, _, next)| *next);
                match expected {
                    Some(next) => assert_eq!(status.after(action), Ok(next), "{status} + {action}"),
                    None => assert_eq!(
                        status.after(action),
                        Err(IllegalTransition {
                            current: status,
                            action
                        }),
                        "{status} + {action}"
                    ),
                }
            }
        }
        assert_eq!(
            IllegalTransition {
                current: S::Terminated,
                action: A::Resume
            }
            .to_string(),
            "a terminated contract cannot be resumed"
        );
    }

    #[test]
    fn a_later_last_day_is_a_notice_and_today_ends_the_contract() {
        let today = day(2026, 11, 11);
        assert_eq!(termination(today, today), Termination::Now);
        assert_eq!(
            termination(day(2026, 11, 30), today),
            Termination::Notice {
                last_day: day(2026, 11, 30)
            }
        );
    }

    #[test]
    fn a_contract_ends_on_its_notice_or_its_term_whichever_comes_first() {
        use ContractStatus as S;
        let (notice, term) = (Some(day(2026, 11, 30)), Some(day(2027, 6, 30)));
        assert_eq!(ends_on(S::Active, None, None), None);
        assert_eq!(ends_on(S::Active, None, term), term);
        assert_eq!(ends_on(S::Suspended, notice, None), notice);
        assert_eq!(ends_on(S::Approved, notice, term), notice);
        assert_eq!(ends_on(S::Active, Some(day(2027, 9, 1)), term), term);
        assert_eq!(ends_on(S::Terminated, notice, term), notice);
        assert_eq!(ends_on(S::Terminated, None, term), term);
        assert_eq!(ends_on(S::Withdrawn, notice, term), None);
        assert_eq!(ends_on(S::Draft, None, term), None);
    }

    #[test]
    fn only_a_contract_in_force_under_notice_has_one_to_withdraw() {
        use ContractStatus as S;
        let last = day(2026, 11, 30);
        let today = day(2026, 11, 11);
        assert_eq!(notice_to_withdraw(S::Active, Some(last), today), Ok(last));
        assert_eq!(
            notice_to_withdraw(S::Suspended, Some(last), last),
            Ok(last),
            "on the last day still"
        );
        assert_eq!(
            notice_to_withdraw(S::Active, Some(last), day(2026, 12, 1)),
            Err(NoNotice),
            "after it, the job's turn"
        );
        assert_eq!(notice_to_withdraw(S::Active, None, today), Err(NoNotice));
        assert_eq!(
            notice_to_withdraw(S::Terminated, Some(last), today),
            Err(NoNotice)
        );
    }

    #[test]
    fn a_distance_contract_may_be_withdrawn_until_the_fourteenth_day() {
        let concluded = day(2026, 11, 2);
        let ok = withdrawal_ground(
            true,
            Channel::Phone,
            Some(concluded),
            None,
            day(2026, 11, 16),
        );
        assert_eq!(
            ok,
            Ok(WithdrawalGround::DistanceContract {
                deadline: day(2026, 11, 16)
            })
        );
        assert_eq!(
            withdrawal_ground(
                true,
                Channel::Phone,
                Some(concluded),
                None,
                day(2026, 11, 17)
            ),
            Err(WithdrawalRefused::Expired(day(2026, 11, 16)))
        );
        // Concluded on the last day of January; the 14th day is 14 February.
        assert_eq!(
            withdrawal_ground(
                true,
                Channel::Web,
                Some(day(2028, 1, 31)),
                None,
                day(2028, 2, 14)
            ),
            Ok(WithdrawalGround::DistanceContract {
                deadline: day(2028, 2, 14)
            })
        );
        // Ending on Independence Day moves to the next day.
        assert!(
            withdrawal_ground(
                true,
                Channel::Web,
                Some(day(2026, 10, 28)),
                None,
                day(2026, 11, 12)
            )
            .is_ok()
        );
        assert!(
            withdrawal_ground(
                true,
                Channel::Web,
                Some(day(2026, 10, 28)),
                None,
                day(2026, 11, 13)
            )
            .is_err()
        );
    }

    #[test]
    fn a_contract_signed_at_the_desk_is_withdrawable_only_after_changed_terms() {
        let signed = day(2026, 3, 2);
        assert_eq!(
            withdrawal_ground(true, Channel::Visit, Some(signed), None, day(2026, 3, 3)),
            Err(WithdrawalRefused::NoGround)
        );
        let changed = day(2026, 9, 1);
        assert_eq!(
            withdrawal_ground(
                true,
                Channel::Visit,
                Some(signed),
                Some(changed),
                day(2026, 9, 15)
            ),
            Ok(WithdrawalGround::ChangedTerms {
                deadline: day(2026, 9, 15)
            })
        );
        assert_eq!(
            withdrawal_ground(
                true,
                Channel::Visit,
                Some(signed),
                Some(changed),
                day(2026, 9, 16)
            ),
            Err(WithdrawalRefused::Expired(day(2026, 9, 15)))
        );
        assert_eq!(
            withdrawal_ground(false, Channel::Web, Some(signed), None, signed),
            Err(WithdrawalRefused::NotAConsumer)
        );
    }

    fn codes(v: Validator) -> Vec<(String, FieldErrorCode)> {
        match v.finish() {
            Ok(()) => Vec::new(),
            Err(crate::validation::Invalid(errors)) => {
                errors.into_iter().map(|e| (e.field, e.code)).collect()
            }
        }
    }

    #[test]
    fn changes_that_keep_the_status_are_allowed_in_their_states_only() {
        use ContractChange as C;
        use ContractStatus as S;
        for status in S::all() {
            assert_eq!(
                status.allows(C::EditDraft).is_ok(),
                status == S::Draft,
                "{status}"
            );
            assert_eq!(
                status.allows(C::Tariff).is_ok(),
                matches!(status, S::Approved | S::Active | S::Suspended),
                "{status}"
            );
            assert_eq!(
                status.allows(C::Terms).is_ok(),
                status.is_in_force(),
                "{status}"
            );
        }
        assert_eq!(
            S::Active.allows(C::EditDraft).map_err(|e| e.to_string()),
            Err("an active contract cannot be edited; only drafts can".to_owned())
        );
        assert_eq!(
            S::Draft.allows(C::Tariff).map_err(|e| e.to_string()),
            Err("the tariff of a draft contract cannot be changed".to_owned())
        );
    }

    #[test]
    fn a_contract_has_one_to_ten_services_and_metered_ones_name_their_meter() {
        let mut v = Validator::new();
        check_service_count(&mut v, 1);
        check_service_count(&mut v, MAX_SERVICES);
        check_meter(&mut v, "m", ServiceKind::Internet, None);
        check_meter(&mut v, "m", ServiceKind::Gas, Some("G-1"));
        assert_eq!(codes(v), []);
        let mut v = Validator::new();
        check_service_count(&mut v, 0);
        check_service_count(&mut v, MAX_SERVICES + 1);
        check_meter(
            &mut v,
            "subscriptions[0].meter_number",
            ServiceKind::Electricity,
            None,
        );
        assert_eq!(
            codes(v),
            [
                ("subscriptions".to_owned(), FieldErrorCode::Required),
                ("subscriptions".to_owned(), FieldErrorCode::TooMany),
                (
                    "subscriptions[0].meter_number".to_owned(),
                    FieldErrorCode::Required
                ),
            ]
        );
    }

    #[test]
    fn a_request_names_what_it_needs() {
        let today = day(2026, 12, 2);
        let mut v = Validator::new();
        check_request(
            &mut v,
            RequestKind::TariffChange,
            Some(1),
            Some(2),
            None,
            None,
            today,
        );
        check_request(
            &mut v,
            RequestKind::Suspension,
            None,
            None,
            Some(today),
            Some(today),
            today,
        );
        assert_eq!(codes(v), []);
        let mut v = Validator::new();
        check_request(
            &mut v,
            RequestKind::TariffChange,
            None,
            None,
            Some(day(2026, 12, 1)),
            None,
            today,
        );
        check_request(
            &mut v,
            RequestKind::Suspension,
            None,
            None,
            None,
            Some(day(2026, 12, 1)),
            today,
        );
        assert_eq!(
            codes(v),
            [
                ("tariff_id".to_owned(), FieldErrorCode::Required),
                ("subscription_id".to_owned(), FieldErrorCode::Required),
                ("from_date".to_owned(), FieldErrorCode::InPast),
                ("until_date".to_owned(), FieldErrorCode::InvalidValue),
            ]
        );
    }

    #[test]
    fn four_eyes_decide_on_a_contract() {
        let manager = |sales_point| Decider {
            role: Role::Manager,
            user_id: Some(7),
            sales_point,
        };
        let admin = Decider {
            role: Role::Admin,
            user_id: Some(1),
            sales_point: None,
        };
        assert_eq!(
            may_decide_approval(manager(Some(1)), Some(3), Some(1)),
            Ok(())
        );
        assert_eq!(
            may_decide_approval(manager(Some(1)), Some(3), Some(2)),
            Err(DecisionRefused::NotOwnSalesPoint)
        );
        assert_eq!(
            may_decide_approval(manager(Some(1)), Some(3), None),
            Err(DecisionRefused::NoSalesPoint)
        );
        assert_eq!(
            may_decide_approval(manager(None), Some(3), None),
            Err(DecisionRefused::NoSalesPoint)
        );
        assert_eq!(
            may_decide_approval(manager(Some(1)), Some(7), Some(1)),
            Err(DecisionRefused::OwnContract)
        );
        assert_eq!(may_decide_approval(admin, Some(3), Some(2)), Ok(()));
        assert_eq!(
            may_decide_approval(admin, Some(1), Some(2)),
            Err(DecisionRefused::OwnContract)
        );
    }

    #[test]
    fn a_tariff_changes_on_the_first_of_next_month_unless_early() {
        let today = day(2026, 12, 31);
        let mut v = Validator::new();
        let default = tariff_change_day(&mut v, None, false, today, day(2026, 1, 1));
        assert_eq!(
            default,
            TariffChangeDay {
                effective_from: day(2027, 1, 1),
                early: false
            }
        );
        assert_eq!(codes(v), []);

        let mut v = Validator::new();
        let mid_month = tariff_change_day(
            &mut v,
            Some(day(2027, 1, 15)),
            false,
            today,
            day(2026, 1, 1),
        );
        assert!(mid_month.early);
        assert_eq!(
            codes(v),
            [("effective_from".to_owned(), FieldErrorCode::NotFirstOfMonth)]
        );

        let mut v = Validator::new();
        tariff_change_day(&mut v, Some(day(2027, 1, 15)), true, today, day(2026, 1, 1));
        assert_eq!(codes(v), []);

        // Not before the contract starts, even on the first of a month.
        let mut v = Validator::new();
        tariff_change_day(
            &mut v,
            Some(day(2027, 2, 1)),
            false,
            today,
            day(2027, 2, 10),
        );
        assert_eq!(
            codes(v),
            [("effective_from".to_owned(), FieldErrorCode::InPast)]
        );
    }

    #[test]
    fn dates_of_a_contract_are_today_or_later() {
        let today = day(2026, 12, 2);
        let mut v = Validator::new();
        check_term(&mut v, today, Some(today), today);
        check_pause(&mut v, day(2026, 12, 1), None, today);
        check_pause(&mut v, day(2026, 12, 10), Some(day(2026, 12, 9)), today);
        check_resumption(&mut v, day(2026, 12, 1), today);
        check_last_day(&mut v, today, today);
        assert_eq!(
            codes(v),
            [
                ("end_date".to_owned(), FieldErrorCode::InvalidValue),
                ("date".to_owned(), FieldErrorCode::InPast),
                ("until".to_owned(), FieldErrorCode::InvalidValue),
                ("date".to_owned(), FieldErrorCode::InPast),
            ]
        );
        let mut v = Validator::new();
        check_term(&mut v, day(2026, 12, 1), None, today);
        assert_eq!(
            codes(v),
            [("start_date".to_owned(), FieldErrorCode::InPast)]
        );
    }

    proptest! {
        #[test]
        fn a_default_tariff_change_lands_on_the_first_of_a_month_after_today(offset in 0i64..4000) {
            let today = day(2025, 1, 1) + chrono::Duration::days(offset);
            let mut v = Validator::new();
            let change = tariff_change_day(&mut v, None, false, today, day(2025, 1, 1));
            prop_assert!(v.is_valid());
            prop_assert_eq!(change.effective_from.day(), 1);
            prop_assert!(change.effective_from > today);
            prop_assert!((change.effective_from - today).num_days() <= 31);
            prop_assert!(!change.early);
        }
    }

    proptest! {
        #[test]
        fn withdrawal_is_possible_exactly_up_to_the_deadline(offset in 0i64..2000, after in 0i64..40) {
            let concluded = day(2025, 1, 1) + chrono::Duration::days(offset);
            let today = concluded + chrono::Duration::days(after);
            let deadline = deadline_after(concluded, WITHDRAWAL_DAYS);
            let result = withdrawal_ground(true, Channel::Web, Some(concluded), None, today);
            prop_assert_eq!(result.is_ok(), today <= deadline);
        }
    }
}
