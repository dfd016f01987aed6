//! The contract lifecycle and the customer's right to withdraw.

use chrono::NaiveDate;

use crate::calendar::deadline_after;
use crate::contacts::Channel;

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
        Terminate,
        Withdraw,
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

    pub fn is_final(self) -> bool {
        matches!(self, Self::Terminated | Self::Withdrawn)
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
        .map(|day| deadline_after(day, WITHDRAWAL_DAYS));
    let changed = terms_changed.map(|day| deadline_after(day, WITHDRAWAL_DAYS));
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
