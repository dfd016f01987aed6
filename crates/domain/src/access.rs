//! Who may do what: roles, permissions and the one table that joins them (R-80..R-82).
//!
//! Every endpoint declares the [`Permission`] it needs; a principal holds the permissions of its
//! role (staff), of its scopes (API keys) or the self-service permission (subscribers). The
//! role-matrix test walks every endpoint against this table.

use chrono::{DateTime, Utc};

use crate::validation::{FieldErrorCode, Validator};

wire_enum! {
    /// The role of a principal. Staff users hold one of the staff roles; subscribers and
    /// integrations are principals of their own kind.
    pub enum Role {
        /// Administrator and data-security officer: users, roles, keys, audit.
        Admin,
        /// Call-centre operator (first line).
        Operator,
        /// Customer-service agent at a sales point.
        Agent,
        /// Retention agent: contracts ending soon.
        Retention,
        /// Cashier at a sales point.
        Cashier,
        /// Manager of a sales point.
        Manager,
        /// Technical-support engineer.
        Technician,
        /// Finance and billing staff.
        Finance,
        /// A customer using the self-service cabinet.
        Subscriber,
        /// A third-party system using an API key.
        Integration,
    }
}

impl Role {
    /// Roles a staff user account may hold.
    pub const STAFF: [Role; 8] = [
        Role::Admin,
        Role::Operator,
        Role::Agent,
        Role::Retention,
        Role::Cashier,
        Role::Manager,
        Role::Technician,
        Role::Finance,
    ];

    pub fn is_staff(self) -> bool {
        Self::STAFF.contains(&self)
    }
}

wire_enum! {
    /// A capability an endpoint requires.
    pub enum Permission {
        /// Read sales points and the contact-topic classification (every staff member needs them).
        ReferenceRead,
        /// Find customers and read the customer card, consents, contacts and timeline.
        CustomersRead,
        /// Create customers and change their data.
        CustomersWrite,
        /// Record and withdraw consents.
        ConsentsManage,
        /// Register contacts with customers.
        InteractionsWrite,
        /// Read the register of disclosures to third parties.
        DisclosuresRead,
        /// Register a disclosure to a third party.
        DisclosuresWrite,
        /// Issue cabinet activation codes to customers.
        CabinetAccessIssue,
        /// Read the audit log of personal-data access.
        AuditRead,
        /// List staff users.
        UsersRead,
        /// Create and change staff users and their roles.
        UsersManage,
        /// Create and change sales points.
        SalesPointsManage,
        /// Maintain the classification of contact topics.
        TopicsManage,
        /// Create and revoke API keys for integrations.
        ApiKeysManage,
        /// Publish tariff versions and products.
        PriceListManage,
        /// Read contracts, subscriptions and issued documents.
        ContractsRead,
        /// Prepare, sign, suspend, resume, terminate contracts; tariff and terms changes;
        /// handle subscribers' requests.
        ContractsWrite,
        /// Approve or reject signed contracts.
        ContractsApprove,
        /// Work the retention list.
        RetentionManage,
        /// Grant and end statutory benefits.
        BenefitsManage,
        /// Read invoices, correction notes and customer accounts.
        InvoicesRead,
        /// Issue correction notes.
        InvoicesCorrect,
        /// Start billing runs and follow them.
        BillingRun,
        /// Register usage from network and call records.
        UsageWrite,
        /// Register meters and their readings.
        MeterReadingsWrite,
        /// Read payments and what they paid (R-30..R-32).
        PaymentsRead,
        /// Register payments received.
        PaymentsRegister,
        /// Reverse a payment registered in error: the opposite entry is booked and what it
        /// paid is open again.
        PaymentsReverse,
        /// Import bank statements, work the unmatched lines, keep the banks' CSV mappings.
        PaymentsImport,
        /// Make batches of prepaid express-payment cards and read them.
        PrepaidCardsManage,
        /// Open and close one's own till and take cash into it.
        TillOperate,
        /// Read the tills and their reports: a manager those of their own sales point.
        TillsRead,
        /// Send a failed message to a customer again, and clear an e-mail address flagged
        /// as bouncing once the customer says it works.
        MessagesManage,
        /// Edit the templates of the messages to customers.
        TemplatesManage,
        /// Read complaints, their documents and the complaint monitoring (R-40..R-46).
        ComplaintsRead,
        /// Register complaints from any channel and confirm their receipt.
        ComplaintsRegister,
        /// Decide complaints, and approve another person's decision above the four-eyes
        /// amount.
        ComplaintsDecide,
        /// Record preventive measures against complaint topics.
        ComplaintMeasuresManage,
        /// Load the calendar of public holidays and moved working days that deadlines count on.
        CalendarManage,
        /// Read tickets, their queues, incidents, technicians' slots and visits, diagnostic
        /// scripts and the knowledge base (R-50..R-53, R-60).
        TicketsRead,
        /// Open tickets, comment, change their status, route and assign them; walk
        /// diagnostic scripts with a customer; book technician visits.
        TicketsWrite,
        /// Keep the departments, the SLA targets and opening hours, and the diagnostic
        /// scripts.
        TicketSettingsManage,
        /// Confirm, dismiss, declare and resolve outages.
        IncidentsManage,
        /// Publish technicians' working slots and report what a visit did.
        VisitsManage,
        /// Write the knowledge base and the public FAQ.
        KnowledgeManage,
        /// A subscriber's access to their own records in the cabinet.
        SelfService,
    }
}

/// The permissions of each role. This is the only place where roles meet permissions.
pub fn role_permissions(role: Role) -> &'static [Permission] {
    use Permission as P;
    match role {
        Role::Admin => &[
            P::ReferenceRead,
            P::CustomersRead,
            P::CustomersWrite,
            P::ConsentsManage,
            P::InteractionsWrite,
            P::DisclosuresRead,
            P::DisclosuresWrite,
            P::CabinetAccessIssue,
            P::AuditRead,
            P::UsersRead,
            P::UsersManage,
            P::SalesPointsManage,
            P::TopicsManage,
            P::ApiKeysManage,
            P::PriceListManage,
            P::ContractsRead,
            P::ContractsWrite,
            P::ContractsApprove,
            P::RetentionManage,
            P::BenefitsManage,
            P::InvoicesRead,
            P::InvoicesCorrect,
            P::BillingRun,
            P::UsageWrite,
            P::MeterReadingsWrite,
            P::PaymentsRead,
            P::PaymentsRegister,
            P::PaymentsReverse,
            P::TillOperate,
            P::TillsRead,
            P::PaymentsImport,
            P::PrepaidCardsManage,
            P::MessagesManage,
            P::TemplatesManage,
            P::ComplaintsRead,
            P::ComplaintsRegister,
            P::ComplaintsDecide,
            P::ComplaintMeasuresManage,
            P::CalendarManage,
            P::TicketsRead,
            P::TicketsWrite,
            P::TicketSettingsManage,
            P::IncidentsManage,
            P::VisitsManage,
            P::KnowledgeManage,
        ],
        Role::Operator => &[
            P::ReferenceRead,
            P::CustomersRead,
            P::CustomersWrite,
            P::ConsentsManage,
            P::InteractionsWrite,
            P::CabinetAccessIssue,
            P::ContractsRead,
            P::ContractsWrite,
            P::InvoicesRead,
            P::MeterReadingsWrite,
            P::PaymentsRead,
            P::MessagesManage,
            P::ComplaintsRead,
            P::ComplaintsRegister,
            P::TicketsRead,
            P::TicketsWrite,
        ],
        Role::Agent => &[
            P::ReferenceRead,
            P::CustomersRead,
            P::CustomersWrite,
            P::ConsentsManage,
            P::InteractionsWrite,
            P::CabinetAccessIssue,
            P::ContractsRead,
            P::ContractsWrite,
            P::BenefitsManage,
            P::InvoicesRead,
            P::MeterReadingsWrite,
            P::PaymentsRead,
            P::MessagesManage,
            P::ComplaintsRead,
            P::ComplaintsRegister,
            P::TicketsRead,
            P::TicketsWrite,
        ],
        Role::Retention => &[
            P::ReferenceRead,
            P::CustomersRead,
            P::InteractionsWrite,
            P::ContractsRead,
            P::RetentionManage,
            P::InvoicesRead,
            P::ComplaintsRead,
            P::TicketsRead,
        ],
        Role::Technician => &[
            P::ReferenceRead,
            P::CustomersRead,
            P::InteractionsWrite,
            P::ContractsRead,
            P::MeterReadingsWrite,
            P::TicketsRead,
            P::TicketsWrite,
            P::IncidentsManage,
            P::VisitsManage,
            P::KnowledgeManage,
        ],
        Role::Cashier => &[
            P::ReferenceRead,
            P::CustomersRead,
            P::InteractionsWrite,
            P::ContractsRead,
            P::InvoicesRead,
            P::PaymentsRead,
            P::PaymentsRegister,
            P::TillOperate,
            P::ComplaintsRead,
            P::ComplaintsRegister,
            P::TicketsRead,
            P::TicketsWrite,
        ],
        Role::Finance => &[
            P::ReferenceRead,
            P::CustomersRead,
            P::InteractionsWrite,
            P::ContractsRead,
            P::InvoicesRead,
            P::InvoicesCorrect,
            P::BillingRun,
            P::UsageWrite,
            P::PaymentsRead,
            P::PaymentsRegister,
            P::PaymentsReverse,
            P::TillsRead,
            P::PaymentsImport,
            P::PrepaidCardsManage,
            P::ComplaintsRead,
            P::ComplaintsDecide,
            P::TicketsRead,
            P::TicketsWrite,
        ],
        Role::Manager => &[
            P::ReferenceRead,
            P::CustomersRead,
            P::CustomersWrite,
            P::ConsentsManage,
            P::InteractionsWrite,
            P::DisclosuresRead,
            P::DisclosuresWrite,
            P::CabinetAccessIssue,
            P::UsersRead,
            P::PriceListManage,
            P::ContractsRead,
            P::ContractsWrite,
            P::ContractsApprove,
            P::RetentionManage,
            P::BenefitsManage,
            P::InvoicesRead,
            P::PaymentsRead,
            P::TillsRead,
            P::MessagesManage,
            P::TemplatesManage,
            P::ComplaintsRead,
            P::ComplaintsRegister,
            P::ComplaintsDecide,
            P::ComplaintMeasuresManage,
            P::TicketsRead,
            P::TicketsWrite,
            P::TicketSettingsManage,
            P::IncidentsManage,
            P::VisitsManage,
            P::KnowledgeManage,
        ],
        Role::Subscriber => &[P::SelfService],
        // An integration holds exactly the scopes of its key; see `integration_grantable`.
        Role::Integration => &[],
    }
}

pub fn role_has(role: Role, permission: Permission) -> bool {
    role_permissions(role).contains(&permission)
}

/// Scopes an administrator may put on an API key. Managing people, keys and the audit log stays
/// with humans, as does the cabinet, which belongs to subscribers. So do the acts a person
/// answers for: issuing cabinet access (its answer is the activation code, a way into any
/// subscriber's cabinet), approving contracts (four eyes are two people's), reversing a
/// payment (money taken back is a person's decision) and deciding a complaint (the answer is
/// signed by a person; only the clock decides without one); a till is a person's drawer.
pub fn integration_grantable(permission: Permission) -> bool {
    !matches!(
        permission,
        Permission::UsersManage
            | Permission::ApiKeysManage
            | Permission::AuditRead
            | Permission::SelfService
            | Permission::CabinetAccessIssue
            | Permission::ContractsApprove
            | Permission::PaymentsReverse
            | Permission::TillOperate
            | Permission::ComplaintsDecide
    )
}

/// The longest an API key may be made to last.
pub const MAX_API_KEY_YEARS: i32 = 5;

/// The rules of a new API key: at least one scope, each one a key may carry, and an expiry,
/// if any, after `now` and within [`MAX_API_KEY_YEARS`].
pub fn check_api_key(
    v: &mut Validator,
    scopes: &[Permission],
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) {
    if scopes.is_empty() {
        v.fail(
            "scopes",
            FieldErrorCode::Required,
            "name at least one permission",
        );
    }
    for (index, scope) in scopes.iter().enumerate() {
        if !integration_grantable(*scope) {
            v.fail(
                format!("scopes[{index}]"),
                FieldErrorCode::NotGrantable,
                format!("{scope} cannot be given to an integration"),
            );
        }
    }
    let Some(expires_at) = expires_at else {
        return;
    };
    if expires_at <= now {
        v.fail(
            "expires_at",
            FieldErrorCode::InPast,
            "a key expires later than now",
        );
    } else if now
        .checked_add_months(chrono::Months::new(12 * MAX_API_KEY_YEARS.unsigned_abs()))
        .is_some_and(|latest| expires_at > latest)
    {
        v.fail(
            "expires_at",
            FieldErrorCode::OutOfRange,
            format!("a key lasts at most {MAX_API_KEY_YEARS} years"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_expires_after_now_and_within_five_years() {
        let now = DateTime::parse_from_rfc3339("2026-12-02T10:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default();
        let refused = |scopes: &[Permission], expires: Option<&str>| {
            let mut v = Validator::new();
            let expires = expires.and_then(|t| DateTime::parse_from_rfc3339(t).ok());
            check_api_key(&mut v, scopes, expires.map(|t| t.with_timezone(&Utc)), now);
            v.finish()
                .err()
                .map(|e| {
                    e.0.into_iter()
                        .map(|e| (e.field, e.code))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        };
        let usage = [Permission::UsageWrite];
        assert_eq!(refused(&usage, None), []);
        assert_eq!(refused(&usage, Some("2026-12-02T10:00:01Z")), []);
        assert_eq!(refused(&usage, Some("2031-12-02T10:00:00Z")), []);
        assert_eq!(
            refused(&usage, Some("2026-12-02T10:00:00Z")),
            [("expires_at".into(), FieldErrorCode::InPast)]
        );
        assert_eq!(
            refused(&usage, Some("2031-12-02T10:00:01Z")),
            [("expires_at".into(), FieldErrorCode::OutOfRange)]
        );
        assert_eq!(
            refused(&[], None),
            [("scopes".into(), FieldErrorCode::Required)]
        );
        assert_eq!(
            refused(
                &[Permission::UsageWrite, Permission::ContractsApprove],
                None
            ),
            [("scopes[1]".into(), FieldErrorCode::NotGrantable)]
        );
    }

    #[test]
    fn keys_never_act_as_a_person() {
        for withheld in [
            Permission::UsersManage,
            Permission::ApiKeysManage,
            Permission::AuditRead,
            Permission::SelfService,
            Permission::CabinetAccessIssue,
            Permission::ContractsApprove,
        ] {
            assert!(!integration_grantable(withheld), "{withheld}");
        }
        assert!(integration_grantable(Permission::UsageWrite));
        assert!(integration_grantable(Permission::CustomersRead));
    }

    #[test]
    fn only_admin_manages_users_and_keys_and_reads_audit() {
        for role in Role::all() {
            let expected = role == Role::Admin;
            assert_eq!(role_has(role, Permission::UsersManage), expected, "{role}");
            assert_eq!(
                role_has(role, Permission::ApiKeysManage),
                expected,
                "{role}"
            );
            assert_eq!(role_has(role, Permission::AuditRead), expected, "{role}");
        }
    }

    #[test]
    fn every_staff_role_can_find_customers_and_read_reference_data() {
        for role in Role::STAFF {
            assert!(role_has(role, Permission::CustomersRead), "{role}");
            assert!(role_has(role, Permission::ReferenceRead), "{role}");
        }
        assert!(!role_has(Role::Subscriber, Permission::CustomersRead));
    }

    #[test]
    fn wire_names_are_snake_case_and_round_trip() {
        assert_eq!(Permission::CustomersRead.as_str(), "customers_read");
        for permission in Permission::all() {
            assert_eq!(
                permission.as_str().parse::<Permission>().ok(),
                Some(permission)
            );
        }
        assert!(!Role::Subscriber.is_staff());
        assert!(Role::Cashier.is_staff());
    }
}

/// Slows down password guessing: after `max_failures` failed logins in a row for one login
/// name, that name is locked for `lockout`. Failures further apart than `lockout` do not add
/// up, so a user who mistypes now and then is never locked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottlePolicy {
    pub max_failures: u32,
    pub lockout: chrono::Duration,
}

/// Failed logins of one login name so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailures {
    pub failures: u32,
    pub last_failure_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
}

impl LoginThrottlePolicy {
    /// How long the name stays locked, if it is locked now.
    pub fn locked_for(
        &self,
        state: Option<&LoginFailures>,
        now: DateTime<Utc>,
    ) -> Option<chrono::Duration> {
        state
            .and_then(|s| s.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
    }

    /// The state after one more failed attempt at `now`.
    pub fn after_failure(&self, state: Option<LoginFailures>, now: DateTime<Utc>) -> LoginFailures {
        // A failure while locked (from an address allowed to try) keeps the lock as it is.
        if let Some(until) = state
            .and_then(|s| s.locked_until)
            .filter(|until| *until > now)
        {
            return LoginFailures {
                failures: 0,
                last_failure_at: now,
                locked_until: Some(until),
            };
        }
        let earlier = state
            .filter(|s| now - s.last_failure_at <= self.lockout)
            .map_or(0, |s| s.failures);
        let failures = earlier + 1;
        if failures >= self.max_failures {
            LoginFailures {
                failures: 0,
                last_failure_at: now,
                locked_until: Some(now + self.lockout),
            }
        } else {
            LoginFailures {
                failures,
                last_failure_at: now,
                locked_until: None,
            }
        }
    }
}

impl LoginFailures {
    /// Whether these failures are recent or a lock holds: the source tried and failed lately.
    fn recent(&self, policy: &LoginThrottlePolicy, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|until| until > now)
            || (self.failures > 0 && now - self.last_failure_at <= policy.lockout)
    }
}

/// Where guesses of a password come from, and the limits on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInLimits {
    /// Failures of one account (a staff name, a customer, a password change).
    pub account: LoginThrottlePolicy,
    /// Failures from one client address, whatever the account.
    pub address: LoginThrottlePolicy,
}

/// Requests for a cabinet password reset: three an hour per account (more would only flood
/// the customer's inbox) and ten an hour per client address (one guesser walking accounts).
pub fn password_reset_limits() -> SignInLimits {
    SignInLimits {
        account: LoginThrottlePolicy {
            max_failures: 3,
            lockout: chrono::Duration::hours(1),
        },
        address: LoginThrottlePolicy {
            max_failures: 10,
            lockout: chrono::Duration::hours(1),
        },
    }
}

impl SignInLimits {
    /// Whether a password may be tried now, or for how long not. An address locked after its
    /// failures is refused. A locked account is refused to addresses that failed lately, but
    /// not to one without failures: so the owner signs in while someone else guesses, and each
    /// guessing address gets one more try per lockout at most.
    pub fn may_try(
        &self,
        account: Option<&LoginFailures>,
        address: Option<&LoginFailures>,
        now: DateTime<Utc>,
    ) -> Result<(), chrono::Duration> {
        if let Some(wait) = self.address.locked_for(address, now) {
            return Err(wait);
        }
        let clean_address = !address.is_some_and(|a| a.recent(&self.address, now));
        match self.account.locked_for(account, now) {
            Some(wait) if !clean_address => Err(wait),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod throttle_tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};

    #[test]
    fn the_owner_signs_in_from_a_clean_address_while_the_account_is_locked() {
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
        let limits = SignInLimits {
            account: policy(),
            address: LoginThrottlePolicy {
                max_failures: 10,
                lockout: Duration::minutes(15),
            },
        };
        let locked = limits.account.after_failure(
            Some(
                limits
                    .account
                    .after_failure(Some(limits.account.after_failure(None, now)), now),
            ),
            now,
        );
        assert!(locked.locked_until.is_some());
        // The guesser's address failed just now: refused, with the lock's time left.
        let guesser = limits.address.after_failure(None, now);
        assert_eq!(
            limits.may_try(Some(&locked), Some(&guesser), now + Duration::minutes(1)),
            Err(Duration::minutes(14))
        );
        // The owner's address has no failures: allowed.
        assert_eq!(
            limits.may_try(Some(&locked), None, now + Duration::minutes(1)),
            Ok(())
        );
        // That address failing too leaves the account locked as it was.
        let still = limits
            .account
            .after_failure(Some(locked), now + Duration::minutes(1));
        assert_eq!(still.locked_until, locked.locked_until);
        // An address that failed long ago is clean again.
        let long_ago = limits.address.after_failure(None, now - Duration::hours(2));
        assert_eq!(limits.may_try(Some(&locked), Some(&long_ago), now), Ok(()));
        // An address locked after many failures is refused for every account.
        let mut flood = None;
        for _ in 0..10 {
            flood = Some(limits.address.after_failure(flood, now));
        }
        assert_eq!(
            limits.may_try(None, flood.as_ref(), now),
            Err(Duration::minutes(15))
        );
    }

    fn policy() -> LoginThrottlePolicy {
        LoginThrottlePolicy {
            max_failures: 3,
            lockout: Duration::minutes(15),
        }
    }

    #[test]
    fn locks_after_the_configured_failures_and_unlocks_after_the_lockout() {
        let start = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let policy = policy();
        let first = policy.after_failure(None, start);
        let second = policy.after_failure(Some(first), start + Duration::seconds(10));
        assert_eq!(
            policy.locked_for(Some(&second), start + Duration::seconds(11)),
            None
        );
        let third = policy.after_failure(Some(second), start + Duration::seconds(20));
        let locked_at = start + Duration::seconds(20);
        assert_eq!(
            policy.locked_for(Some(&third), locked_at),
            Some(Duration::minutes(15))
        );
        assert_eq!(
            policy.locked_for(Some(&third), locked_at + Duration::minutes(15)),
            None
        );
    }

    #[test]
    fn failures_far_apart_do_not_add_up() {
        let start = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let policy = policy();
        let mut state = None;
        for hour in 0..10 {
            let next = policy.after_failure(state, start + Duration::hours(hour));
            assert_eq!(next.failures, 1);
            assert_eq!(next.locked_until, None);
            state = Some(next);
        }
    }
}
