//! Names of the API's values and errors in the interface language. Every match is exhaustive,
//! so a new status, channel or error code does not compile until it has a name in all three
//! languages.

use okno_api_types::{
    AddressKind, Channel, ConsentPurpose, CustomerKind, CustomerStatus, Department, Direction,
    ErrorCode, FieldError, FieldErrorCode, Language, Permission, Role, Segment, TaxIdScheme,
};

use okno_api_types::billing::{EntryKind, InvoiceKind, Period, RunStatus, UsageUnit};
use okno_api_types::complaints::{
    ComplaintChannel, ComplaintOutcome, ComplaintStatus, DueFilter, Jurisdiction,
};
use okno_api_types::contracts::{
    BenefitKind, ContractAction, ContractStatus, DocumentKind, RequestKind, RequestStatus,
    RetentionOutcome, SuspensionReason,
};
use okno_api_types::customers::DuplicateReason;
use okno_api_types::notifications::{
    MessageChannel, MessageStatus, NotificationEvent, SuppressionReason,
};
use okno_api_types::payments::{ImportOutcome, PaymentMethod};
use okno_api_types::tariffs::ServiceKind;
use okno_api_types::tickets::{
    AreaScope, IncidentStatus, ScriptCheck, SlaClockState, SlaFlag, TicketCategory,
    TicketEventKind, TicketPriority, TicketSource, TicketStatus, VisitOutcome, VisitStatus,
};

use leptos::prelude::*;

use crate::api::Failure;
use crate::i18n::*;

/// A translated text in a view, following the language. Every text goes through this one
/// function, so the code that renders and updates a reactive text is generated once for the
/// whole app rather than once per text — most of what a view costs in wasm size.
pub fn tr(
    text: fn(Locale) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || text(i18n.get_locale())
}

/// A translated text as a signal, for a field's label and other props that take one.
pub fn label(text: fn(Locale) -> &'static str) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || text(i18n.get_locale()).to_owned())
}

pub fn role(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Admin => td_string!(locale, role.admin),
        Role::Operator => td_string!(locale, role.operator),
        Role::Agent => td_string!(locale, role.agent),
        Role::Retention => td_string!(locale, role.retention),
        Role::Cashier => td_string!(locale, role.cashier),
        Role::Manager => td_string!(locale, role.manager),
        Role::Technician => td_string!(locale, role.technician),
        Role::Finance => td_string!(locale, role.finance),
        Role::Subscriber => td_string!(locale, role.subscriber),
        Role::Integration => td_string!(locale, role.integration),
    }
}

pub fn status(locale: Locale, status: CustomerStatus) -> &'static str {
    match status {
        CustomerStatus::Prospect => td_string!(locale, status.prospect),
        CustomerStatus::Active => td_string!(locale, status.active),
        CustomerStatus::Suspended => td_string!(locale, status.suspended),
        CustomerStatus::Closed => td_string!(locale, status.closed),
    }
}

pub fn segment(locale: Locale, segment: Segment) -> &'static str {
    match segment {
        Segment::Household => td_string!(locale, segment.household),
        Segment::Business => td_string!(locale, segment.business),
        Segment::Vip => td_string!(locale, segment.vip),
    }
}

pub fn kind(locale: Locale, kind: CustomerKind) -> &'static str {
    match kind {
        CustomerKind::Person => td_string!(locale, kind.person),
        CustomerKind::Organisation => td_string!(locale, kind.organisation),
    }
}

pub fn tax_scheme(locale: Locale, scheme: TaxIdScheme) -> &'static str {
    match scheme {
        TaxIdScheme::PlNip => td_string!(locale, customers.scheme_pl_nip),
        TaxIdScheme::RuInn => td_string!(locale, customers.scheme_ru_inn),
        TaxIdScheme::Other => td_string!(locale, customers.scheme_other),
    }
}

pub fn language(locale: Locale, language: Language) -> &'static str {
    match language {
        Language::En => td_string!(locale, language.en),
        Language::Pl => td_string!(locale, language.pl),
        Language::Ru => td_string!(locale, language.ru),
    }
}

pub fn channel(locale: Locale, channel: Channel) -> &'static str {
    match channel {
        Channel::Phone => td_string!(locale, channel.phone),
        Channel::Email => td_string!(locale, channel.email),
        Channel::Visit => td_string!(locale, channel.visit),
        Channel::Letter => td_string!(locale, channel.letter),
        Channel::Fax => td_string!(locale, channel.fax),
        Channel::Web => td_string!(locale, channel.web),
        Channel::Sms => td_string!(locale, channel.sms),
    }
}

pub fn direction(locale: Locale, direction: Direction) -> &'static str {
    match direction {
        Direction::Inbound => td_string!(locale, direction.inbound),
        Direction::Outbound => td_string!(locale, direction.outbound),
    }
}

pub fn department(locale: Locale, department: Department) -> &'static str {
    match department {
        Department::CallCentre => td_string!(locale, department.call_centre),
        Department::SubscriberService => td_string!(locale, department.subscriber_service),
        Department::TechnicalSupport => td_string!(locale, department.technical_support),
        Department::Automation => td_string!(locale, department.automation),
        Department::Finance => td_string!(locale, department.finance),
        Department::Technical => td_string!(locale, department.technical),
        Department::Development => td_string!(locale, department.development),
    }
}

pub fn purpose(locale: Locale, purpose: ConsentPurpose) -> &'static str {
    match purpose {
        ConsentPurpose::Marketing => td_string!(locale, purpose.marketing),
        ConsentPurpose::ElectronicCorrespondence => {
            td_string!(locale, purpose.electronic_correspondence)
        }
    }
}

pub fn address_kind(locale: Locale, kind: AddressKind) -> &'static str {
    match kind {
        AddressKind::Residence => td_string!(locale, address_kind.residence),
        AddressKind::Correspondence => td_string!(locale, address_kind.correspondence),
        AddressKind::Service => td_string!(locale, address_kind.service),
    }
}

pub fn permission(locale: Locale, permission: Permission) -> &'static str {
    match permission {
        Permission::ReferenceRead => td_string!(locale, permission.reference_read),
        Permission::CustomersRead => td_string!(locale, permission.customers_read),
        Permission::CustomersWrite => td_string!(locale, permission.customers_write),
        Permission::ConsentsManage => td_string!(locale, permission.consents_manage),
        Permission::InteractionsWrite => td_string!(locale, permission.interactions_write),
        Permission::DisclosuresRead => td_string!(locale, permission.disclosures_read),
        Permission::DisclosuresWrite => td_string!(locale, permission.disclosures_write),
        Permission::CabinetAccessIssue => td_string!(locale, permission.cabinet_access_issue),
        Permission::AuditRead => td_string!(locale, permission.audit_read),
        Permission::UsersRead => td_string!(locale, permission.users_read),
        Permission::UsersManage => td_string!(locale, permission.users_manage),
        Permission::SalesPointsManage => td_string!(locale, permission.sales_points_manage),
        Permission::TopicsManage => td_string!(locale, permission.topics_manage),
        Permission::ApiKeysManage => td_string!(locale, permission.api_keys_manage),
        Permission::PriceListManage => td_string!(locale, permission.price_list_manage),
        Permission::ContractsRead => td_string!(locale, permission.contracts_read),
        Permission::ContractsWrite => td_string!(locale, permission.contracts_write),
        Permission::ContractsApprove => td_string!(locale, permission.contracts_approve),
        Permission::RetentionManage => td_string!(locale, permission.retention_manage),
        Permission::BenefitsManage => td_string!(locale, permission.benefits_manage),
        Permission::InvoicesRead => td_string!(locale, permission.invoices_read),
        Permission::InvoicesCorrect => td_string!(locale, permission.invoices_correct),
        Permission::BillingRun => td_string!(locale, permission.billing_run),
        Permission::UsageWrite => td_string!(locale, permission.usage_write),
        Permission::MeterReadingsWrite => td_string!(locale, permission.meter_readings_write),
        Permission::PaymentsRead => td_string!(locale, permission.payments_read),
        Permission::PaymentsRegister => td_string!(locale, permission.payments_register),
        Permission::PaymentsReverse => td_string!(locale, permission.payments_reverse),
        Permission::TillOperate => td_string!(locale, permission.till_operate),
        Permission::PaymentsImport => td_string!(locale, permission.payments_import),
        Permission::PrepaidCardsManage => td_string!(locale, permission.prepaid_cards_manage),
        Permission::MessagesManage => td_string!(locale, permission.messages_manage),
        Permission::TemplatesManage => td_string!(locale, permission.templates_manage),
        Permission::TillsRead => td_string!(locale, permission.tills_read),
        Permission::ComplaintsRead => td_string!(locale, permission.complaints_read),
        Permission::ComplaintsRegister => td_string!(locale, permission.complaints_register),
        Permission::ComplaintsDecide => td_string!(locale, permission.complaints_decide),
        Permission::ComplaintMeasuresManage => {
            td_string!(locale, permission.complaint_measures_manage)
        }
        Permission::CalendarManage => td_string!(locale, permission.calendar_manage),
        Permission::TicketsRead => td_string!(locale, permission.tickets_read),
        Permission::TicketsWrite => td_string!(locale, permission.tickets_write),
        Permission::TicketSettingsManage => td_string!(locale, permission.ticket_settings_manage),
        Permission::IncidentsManage => td_string!(locale, permission.incidents_manage),
        Permission::VisitsManage => td_string!(locale, permission.visits_manage),
        Permission::KnowledgeManage => td_string!(locale, permission.knowledge_manage),
        Permission::SelfService => td_string!(locale, permission.self_service),
    }
}

pub fn contract_status(locale: Locale, status: ContractStatus) -> &'static str {
    match status {
        ContractStatus::Draft => td_string!(locale, contract_status.draft),
        ContractStatus::Signed => td_string!(locale, contract_status.signed),
        ContractStatus::Approved => td_string!(locale, contract_status.approved),
        ContractStatus::Active => td_string!(locale, contract_status.active),
        ContractStatus::Suspended => td_string!(locale, contract_status.suspended),
        ContractStatus::Terminated => td_string!(locale, contract_status.terminated),
        ContractStatus::Withdrawn => td_string!(locale, contract_status.withdrawn),
        ContractStatus::Cancelled => td_string!(locale, contract_status.cancelled),
    }
}

pub fn contract_action(locale: Locale, action: ContractAction) -> &'static str {
    match action {
        ContractAction::Sign => td_string!(locale, contract_action.sign),
        ContractAction::Approve => td_string!(locale, contract_action.approve),
        ContractAction::Reject => td_string!(locale, contract_action.reject),
        ContractAction::Activate => td_string!(locale, contract_action.activate),
        ContractAction::Suspend => td_string!(locale, contract_action.suspend),
        ContractAction::Resume => td_string!(locale, contract_action.resume),
        ContractAction::Terminate => td_string!(locale, contract_action.terminate),
        ContractAction::Withdraw => td_string!(locale, contract_action.withdraw),
        ContractAction::CancelTermination => td_string!(locale, contract_action.cancel_termination),
        ContractAction::Cancel => td_string!(locale, contract_action.cancel),
    }
}

/// Names of the steps in a contract's history (`created`, `tariff_change`, an action).
pub fn contract_event(locale: Locale, action: &str) -> String {
    match action {
        "created" => td_string!(locale, contract_event.created).to_owned(),
        "edited" => td_string!(locale, contract_event.edited).to_owned(),
        "tariff_change" => td_string!(locale, contract_event.tariff_change).to_owned(),
        "terms_change" => td_string!(locale, contract_event.terms_change).to_owned(),
        "sign" => td_string!(locale, contract_event.sign).to_owned(),
        "approve" => td_string!(locale, contract_event.approve).to_owned(),
        "reject" => td_string!(locale, contract_event.reject).to_owned(),
        "activate" => td_string!(locale, contract_event.activate).to_owned(),
        "suspend" => td_string!(locale, contract_event.suspend).to_owned(),
        "resume" => td_string!(locale, contract_event.resume).to_owned(),
        "terminate" => td_string!(locale, contract_event.terminate).to_owned(),
        "withdraw" => td_string!(locale, contract_event.withdraw).to_owned(),
        "termination_notice" => td_string!(locale, contract_event.termination_notice).to_owned(),
        "cancel_termination" => td_string!(locale, contract_event.cancel_termination).to_owned(),
        "cancel" => td_string!(locale, contract_event.cancel).to_owned(),
        other => other.to_owned(),
    }
}

/// A phone's label in the interface language when it is one of the usual ones, typed in any
/// of the three (`komórka`, `mobile`, `мобильный`); as typed otherwise.
pub fn phone_label(locale: Locale, label: &str) -> String {
    let folded = okno_domain::search::fold(label.trim());
    match folded.as_str() {
        "komorka" | "tel. kom." | "mobile" | "cell" | "мобильный" | "сотовый" => {
            td_string!(locale, phone_label.mobile).to_owned()
        }
        "dom" | "domowy" | "home" | "домашний" => {
            td_string!(locale, phone_label.home).to_owned()
        }
        "praca" | "sluzbowy" | "work" | "office" | "рабочий" => {
            td_string!(locale, phone_label.work).to_owned()
        }
        _ => label.to_owned(),
    }
}

pub fn duplicate_reason(locale: Locale, reason: DuplicateReason) -> &'static str {
    match reason {
        DuplicateReason::TaxId => td_string!(locale, duplicate_reason.tax_id),
        DuplicateReason::Phone => td_string!(locale, duplicate_reason.phone),
        DuplicateReason::Email => td_string!(locale, duplicate_reason.email),
        DuplicateReason::NameAndAddress => td_string!(locale, duplicate_reason.name_and_address),
    }
}

pub fn suspension_reason(locale: Locale, reason: SuspensionReason) -> &'static str {
    match reason {
        SuspensionReason::CustomerRequest => td_string!(locale, suspension_reason.customer_request),
        SuspensionReason::Debt => td_string!(locale, suspension_reason.debt),
    }
}

pub fn service_kind(locale: Locale, kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::Internet => td_string!(locale, service_kind.internet),
        ServiceKind::Tv => td_string!(locale, service_kind.tv),
        ServiceKind::Phone => td_string!(locale, service_kind.phone),
        ServiceKind::Electricity => td_string!(locale, service_kind.electricity),
        ServiceKind::Gas => td_string!(locale, service_kind.gas),
        ServiceKind::Water => td_string!(locale, service_kind.water),
        ServiceKind::Other => td_string!(locale, service_kind.other),
    }
}

pub fn document_kind(locale: Locale, kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Contract => td_string!(locale, document_kind.contract),
        DocumentKind::WithdrawalStatement => td_string!(locale, document_kind.withdrawal_statement),
        DocumentKind::TermsChangeNotice => td_string!(locale, document_kind.terms_change_notice),
        DocumentKind::TerminationStatement => {
            td_string!(locale, document_kind.termination_statement)
        }
        DocumentKind::ComplaintAcknowledgement => {
            td_string!(locale, document_kind.complaint_acknowledgement)
        }
        DocumentKind::ComplaintAnswer => td_string!(locale, document_kind.complaint_answer),
    }
}

pub fn retention_outcome(locale: Locale, outcome: RetentionOutcome) -> &'static str {
    match outcome {
        RetentionOutcome::Renewed => td_string!(locale, retention_outcome.renewed),
        RetentionOutcome::OfferSent => td_string!(locale, retention_outcome.offer_sent),
        RetentionOutcome::Declined => td_string!(locale, retention_outcome.declined),
        RetentionOutcome::NoAnswer => td_string!(locale, retention_outcome.no_answer),
    }
}

pub fn request_kind(locale: Locale, kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::TariffChange => td_string!(locale, request_kind.tariff_change),
        RequestKind::Suspension => td_string!(locale, request_kind.suspension),
    }
}

pub fn request_status(locale: Locale, status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Pending => td_string!(locale, request_status.pending),
        RequestStatus::Accepted => td_string!(locale, request_status.accepted),
        RequestStatus::Declined => td_string!(locale, request_status.declined),
    }
}

pub fn benefit_kind(locale: Locale, kind: BenefitKind) -> &'static str {
    match kind {
        BenefitKind::Percent => td_string!(locale, benefit_kind.percent),
        BenefitKind::Fixed => td_string!(locale, benefit_kind.fixed),
    }
}

pub fn invoice_kind(locale: Locale, kind: InvoiceKind) -> &'static str {
    match kind {
        InvoiceKind::Invoice => td_string!(locale, invoice_kind.invoice),
        InvoiceKind::Correction => td_string!(locale, invoice_kind.correction),
    }
}

pub fn payment_method(locale: Locale, method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Cash => td_string!(locale, payment_method.cash),
        PaymentMethod::Transfer => td_string!(locale, payment_method.transfer),
        PaymentMethod::Card => td_string!(locale, payment_method.card),
        PaymentMethod::Online => td_string!(locale, payment_method.online),
        PaymentMethod::PrepaidCard => td_string!(locale, payment_method.prepaid_card),
    }
}

pub fn message_event(locale: Locale, event: NotificationEvent) -> &'static str {
    match event {
        NotificationEvent::InvoiceIssued => td_string!(locale, message_event.invoice_issued),
        NotificationEvent::PaymentReceived => td_string!(locale, message_event.payment_received),
        NotificationEvent::PrepaidLow => td_string!(locale, message_event.prepaid_low),
        NotificationEvent::PrepaidRunOut => td_string!(locale, message_event.prepaid_run_out),
        NotificationEvent::ContractEnding => td_string!(locale, message_event.contract_ending),
        NotificationEvent::CabinetActivation => {
            td_string!(locale, message_event.cabinet_activation)
        }
        NotificationEvent::PasswordReset => td_string!(locale, message_event.password_reset),
        NotificationEvent::ComplaintAcknowledged => {
            td_string!(locale, message_event.complaint_acknowledged)
        }
        NotificationEvent::ComplaintAnswered => {
            td_string!(locale, message_event.complaint_answered)
        }
        NotificationEvent::TicketUpdated => td_string!(locale, message_event.ticket_updated),
        NotificationEvent::VisitBooked => td_string!(locale, message_event.visit_booked),
        NotificationEvent::OutageDeclared => td_string!(locale, message_event.outage_declared),
        NotificationEvent::OutageResolved => td_string!(locale, message_event.outage_resolved),
    }
}

pub fn message_channel(locale: Locale, channel: MessageChannel) -> &'static str {
    match channel {
        MessageChannel::Email => td_string!(locale, message_channel.email),
        MessageChannel::Sms => td_string!(locale, message_channel.sms),
    }
}

pub fn message_status(locale: Locale, status: MessageStatus) -> &'static str {
    match status {
        MessageStatus::Pending => td_string!(locale, message_status.pending),
        MessageStatus::Sending => td_string!(locale, message_status.sending),
        MessageStatus::Sent => td_string!(locale, message_status.sent),
        MessageStatus::Failed => td_string!(locale, message_status.failed),
        MessageStatus::Suppressed => td_string!(locale, message_status.suppressed),
    }
}

pub fn suppression(locale: Locale, reason: SuppressionReason) -> &'static str {
    match reason {
        SuppressionReason::NoAddress => td_string!(locale, suppression.no_address),
        SuppressionReason::SwitchedOff => td_string!(locale, suppression.switched_off),
        SuppressionReason::NoElectronicConsent => {
            td_string!(locale, suppression.no_electronic_consent)
        }
        SuppressionReason::NoMarketingConsent => {
            td_string!(locale, suppression.no_marketing_consent)
        }
        SuppressionReason::ConsentWithdrawn => td_string!(locale, suppression.consent_withdrawn),
        SuppressionReason::AddressBounces => td_string!(locale, suppression.address_bounces),
    }
}

pub fn import_outcome(locale: Locale, outcome: ImportOutcome) -> &'static str {
    match outcome {
        ImportOutcome::Registered => td_string!(locale, import_outcome.registered),
        ImportOutcome::Unmatched => td_string!(locale, import_outcome.unmatched),
        ImportOutcome::Assigned => td_string!(locale, import_outcome.assigned),
        ImportOutcome::Duplicate => td_string!(locale, import_outcome.duplicate),
    }
}

pub fn entry_kind(locale: Locale, kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Invoice => td_string!(locale, entry_kind.invoice),
        EntryKind::Correction => td_string!(locale, entry_kind.correction),
        EntryKind::PrepaidCharge => td_string!(locale, entry_kind.prepaid_charge),
        EntryKind::OpeningBalance => td_string!(locale, entry_kind.opening_balance),
        EntryKind::Payment => td_string!(locale, entry_kind.payment),
        EntryKind::PaymentReversal => td_string!(locale, entry_kind.payment_reversal),
        EntryKind::Compensation => td_string!(locale, entry_kind.compensation),
    }
}

pub fn run_status(locale: Locale, status: RunStatus) -> &'static str {
    match status {
        RunStatus::Running => td_string!(locale, run_status.running),
        RunStatus::Completed => td_string!(locale, run_status.completed),
        RunStatus::CompletedWithFailures => td_string!(locale, run_status.completed_with_failures),
    }
}

pub fn complaint_channel(locale: Locale, channel: ComplaintChannel) -> &'static str {
    match channel {
        ComplaintChannel::Phone => td_string!(locale, complaint_channel.phone),
        ComplaintChannel::Email => td_string!(locale, complaint_channel.email),
        ComplaintChannel::Letter => td_string!(locale, complaint_channel.letter),
        ComplaintChannel::Fax => td_string!(locale, complaint_channel.fax),
        ComplaintChannel::InPerson => td_string!(locale, complaint_channel.in_person),
        ComplaintChannel::Cabinet => td_string!(locale, complaint_channel.cabinet),
        ComplaintChannel::Api => td_string!(locale, complaint_channel.api),
    }
}

pub fn complaint_status(locale: Locale, status: ComplaintStatus) -> &'static str {
    match status {
        ComplaintStatus::Registered => td_string!(locale, complaint_status.registered),
        ComplaintStatus::Acknowledged => td_string!(locale, complaint_status.acknowledged),
        ComplaintStatus::AwaitingApproval => td_string!(locale, complaint_status.awaiting_approval),
        ComplaintStatus::Decided => td_string!(locale, complaint_status.decided),
    }
}

pub fn complaint_outcome(locale: Locale, outcome: ComplaintOutcome) -> &'static str {
    match outcome {
        ComplaintOutcome::Accepted => td_string!(locale, complaint_outcome.accepted),
        ComplaintOutcome::PartlyAccepted => td_string!(locale, complaint_outcome.partly_accepted),
        ComplaintOutcome::Rejected => td_string!(locale, complaint_outcome.rejected),
        ComplaintOutcome::DeemedAccepted => td_string!(locale, complaint_outcome.deemed_accepted),
        ComplaintOutcome::TimeBarred => td_string!(locale, complaint_outcome.time_barred),
    }
}

pub fn due_filter(locale: Locale, due: DueFilter) -> &'static str {
    match due {
        DueFilter::Overdue => td_string!(locale, due_filter.overdue),
        DueFilter::Today => td_string!(locale, due_filter.today),
        DueFilter::Tomorrow => td_string!(locale, due_filter.tomorrow),
    }
}

/// Whose law a complaint's clock follows.
pub fn jurisdiction(locale: Locale, jurisdiction: Jurisdiction) -> &'static str {
    match jurisdiction {
        Jurisdiction::Pl => td_string!(locale, jurisdiction.pl),
        Jurisdiction::Ru => td_string!(locale, jurisdiction.ru),
    }
}

/// Names of the steps on a complaint's timeline (`registered`, `decided`, …); the server's
/// word for a step newer than this app.
pub fn complaint_event(locale: Locale, kind: &str) -> String {
    let text = match kind {
        "registered" => td_string!(locale, complaint_event.registered),
        "acknowledged" => td_string!(locale, complaint_event.acknowledged),
        "proposed" => td_string!(locale, complaint_event.proposed),
        "proposal_returned" => td_string!(locale, complaint_event.proposal_returned),
        "decided" => td_string!(locale, complaint_event.decided),
        "deemed_accepted" => td_string!(locale, complaint_event.deemed_accepted),
        "compensated" => td_string!(locale, complaint_event.compensated),
        "credited" => td_string!(locale, complaint_event.credited),
        "answer_sent" => td_string!(locale, complaint_event.answer_sent),
        "clock_failed" => td_string!(locale, complaint_event.clock_failed),
        other => return other.to_owned(),
    };
    text.to_owned()
}

pub fn ticket_category(locale: Locale, category: TicketCategory) -> &'static str {
    match category {
        TicketCategory::NoConnection => td_string!(locale, ticket_category.no_connection),
        TicketCategory::Slow => td_string!(locale, ticket_category.slow),
        TicketCategory::Tv => td_string!(locale, ticket_category.tv),
        TicketCategory::Phone => td_string!(locale, ticket_category.phone),
        TicketCategory::Equipment => td_string!(locale, ticket_category.equipment),
        TicketCategory::BillingTechnical => td_string!(locale, ticket_category.billing_technical),
        TicketCategory::Other => td_string!(locale, ticket_category.other),
    }
}

pub fn ticket_priority(locale: Locale, priority: TicketPriority) -> &'static str {
    match priority {
        TicketPriority::Low => td_string!(locale, ticket_priority.low),
        TicketPriority::Normal => td_string!(locale, ticket_priority.normal),
        TicketPriority::High => td_string!(locale, ticket_priority.high),
        TicketPriority::Critical => td_string!(locale, ticket_priority.critical),
    }
}

pub fn ticket_status(locale: Locale, status: TicketStatus) -> &'static str {
    match status {
        TicketStatus::New => td_string!(locale, ticket_status.newly_opened),
        TicketStatus::InProgress => td_string!(locale, ticket_status.in_progress),
        TicketStatus::WaitingForCustomer => td_string!(locale, ticket_status.waiting_for_customer),
        TicketStatus::WaitingForVisit => td_string!(locale, ticket_status.waiting_for_visit),
        TicketStatus::Resolved => td_string!(locale, ticket_status.resolved),
        TicketStatus::Closed => td_string!(locale, ticket_status.closed),
        TicketStatus::Reopened => td_string!(locale, ticket_status.reopened),
    }
}

pub fn ticket_source(locale: Locale, source: TicketSource) -> &'static str {
    match source {
        TicketSource::Console => td_string!(locale, ticket_source.console),
        TicketSource::Cabinet => td_string!(locale, ticket_source.cabinet),
        TicketSource::Api => td_string!(locale, ticket_source.api),
    }
}

pub fn ticket_event(locale: Locale, kind: TicketEventKind) -> &'static str {
    match kind {
        TicketEventKind::Opened => td_string!(locale, ticket_event.opened),
        TicketEventKind::StatusChanged => td_string!(locale, ticket_event.status_changed),
        TicketEventKind::Routed => td_string!(locale, ticket_event.routed),
        TicketEventKind::Assigned => td_string!(locale, ticket_event.assigned),
        TicketEventKind::PriorityChanged => td_string!(locale, ticket_event.priority_changed),
        TicketEventKind::Comment => td_string!(locale, ticket_event.comment),
        TicketEventKind::Attachment => td_string!(locale, ticket_event.attachment),
        TicketEventKind::VisitBooked => td_string!(locale, ticket_event.visit_booked),
        TicketEventKind::VisitDone => td_string!(locale, ticket_event.visit_done),
        TicketEventKind::VisitCancelled => td_string!(locale, ticket_event.visit_cancelled),
        TicketEventKind::IncidentLinked => td_string!(locale, ticket_event.incident_linked),
    }
}

pub fn sla_flag(locale: Locale, flag: SlaFlag) -> &'static str {
    match flag {
        SlaFlag::Ok => td_string!(locale, sla_flag.ok),
        SlaFlag::Near => td_string!(locale, sla_flag.near),
        SlaFlag::Breached => td_string!(locale, sla_flag.breached),
        SlaFlag::Paused => td_string!(locale, sla_flag.paused),
        SlaFlag::Met => td_string!(locale, sla_flag.met),
    }
}

pub fn sla_clock_state(locale: Locale, state: SlaClockState) -> &'static str {
    match state {
        SlaClockState::Running => td_string!(locale, sla_clock.running),
        SlaClockState::Paused => td_string!(locale, sla_clock.paused),
        SlaClockState::Met => td_string!(locale, sla_clock.met),
        SlaClockState::Breached => td_string!(locale, sla_clock.breached),
    }
}

pub fn script_check(locale: Locale, check: ScriptCheck) -> &'static str {
    match check {
        ScriptCheck::ServiceSuspendedForDebt => {
            td_string!(locale, script_check.service_suspended_for_debt)
        }
        ScriptCheck::OpenIncidentAtAddress => {
            td_string!(locale, script_check.open_incident_at_address)
        }
        ScriptCheck::HasOpenTicket => td_string!(locale, script_check.has_open_ticket),
    }
}

pub fn incident_status(locale: Locale, status: IncidentStatus) -> &'static str {
    match status {
        IncidentStatus::Proposed => td_string!(locale, incident_status.proposed),
        IncidentStatus::Open => td_string!(locale, incident_status.open),
        IncidentStatus::Resolved => td_string!(locale, incident_status.resolved),
        IncidentStatus::Dismissed => td_string!(locale, incident_status.dismissed),
    }
}

pub fn area_scope(locale: Locale, scope: AreaScope) -> &'static str {
    match scope {
        AreaScope::Building => td_string!(locale, area_scope.building),
        AreaScope::Street => td_string!(locale, area_scope.street),
        AreaScope::Postcode => td_string!(locale, area_scope.postcode),
        AreaScope::NetworkNode => td_string!(locale, area_scope.network_node),
    }
}

pub fn visit_status(locale: Locale, status: VisitStatus) -> &'static str {
    match status {
        VisitStatus::Booked => td_string!(locale, visit_status.booked),
        VisitStatus::Done => td_string!(locale, visit_status.done),
        VisitStatus::NoAccess => td_string!(locale, visit_status.no_access),
        VisitStatus::Cancelled => td_string!(locale, visit_status.cancelled),
    }
}

pub fn visit_outcome(locale: Locale, outcome: VisitOutcome) -> &'static str {
    match outcome {
        VisitOutcome::Resolved => td_string!(locale, visit_outcome.resolved),
        VisitOutcome::Routed => td_string!(locale, visit_outcome.routed),
        VisitOutcome::NoAccess => td_string!(locale, visit_outcome.no_access),
    }
}

/// The grammatical form a count takes: English `1 day`, `2 days`; Polish `1 dzień`, `2 dni`,
/// `5 dni`; Russian `1 день`, `2 дня`, `5 дней` (CLDR's one / few / many).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountForm {
    One,
    Few,
    Many,
}

pub fn count_form(locale: Locale, n: i64) -> CountForm {
    let n = n.unsigned_abs();
    let (last, last_two) = (n % 10, n % 100);
    let few = (2..=4).contains(&last) && !(12..=14).contains(&last_two);
    match locale {
        Locale::en if n == 1 => CountForm::One,
        Locale::en => CountForm::Many,
        Locale::pl if n == 1 => CountForm::One,
        Locale::pl if few => CountForm::Few,
        Locale::pl => CountForm::Many,
        Locale::ru if last == 1 && last_two != 11 => CountForm::One,
        Locale::ru if few => CountForm::Few,
        Locale::ru => CountForm::Many,
    }
}

/// The symbol of a usage unit, the same in every language.
pub fn unit(unit: UsageUnit) -> &'static str {
    match unit {
        UsageUnit::Gb => "GB",
        UsageUnit::Minute => "min",
        UsageUnit::Sms => "SMS",
        UsageUnit::Kwh => "kWh",
        UsageUnit::M3 => "m³",
    }
}

/// `November 2026`, `listopad 2026`, `ноябрь 2026`.
pub fn month(locale: Locale, period: Period) -> String {
    okno_domain::format::month(period.year(), period.month(), crate::time::language(locale))
}

/// What went wrong, for a toast or a form banner.
pub fn failure(locale: Locale, failure: &Failure) -> String {
    let Some(problem) = failure.problem() else {
        return td_string!(locale, error.offline).to_owned();
    };
    let text = match problem.code {
        ErrorCode::ValidationFailed => td_string!(locale, error.validation_failed),
        ErrorCode::MalformedRequest
        | ErrorCode::UnsupportedMediaType
        | ErrorCode::PayloadTooLarge
        | ErrorCode::MethodNotAllowed => {
            td_string!(locale, error.malformed_request)
        }
        ErrorCode::Unauthorized | ErrorCode::InvalidToken | ErrorCode::TokenExpired => {
            td_string!(locale, error.signed_out)
        }
        ErrorCode::Forbidden => td_string!(locale, error.forbidden),
        ErrorCode::InvalidCredentials => td_string!(locale, error.invalid_credentials),
        ErrorCode::LoginLocked => td_string!(locale, error.login_locked),
        ErrorCode::TooManyRequests => td_string!(locale, error.too_many_requests),
        ErrorCode::InvalidRefreshToken | ErrorCode::RefreshTokenReused => {
            td_string!(locale, error.signed_out)
        }
        ErrorCode::VersionConflict => td_string!(locale, error.version_conflict),
        ErrorCode::UsernameTaken => td_string!(locale, error.username_taken),
        ErrorCode::SalesPointCodeTaken
        | ErrorCode::TopicCodeTaken
        | ErrorCode::DepartmentCodeTaken => {
            td_string!(locale, error.code_taken)
        }
        ErrorCode::ConsentAlreadyGranted => td_string!(locale, error.consent_already_granted),
        ErrorCode::ConsentAlreadyWithdrawn => td_string!(locale, error.consent_already_withdrawn),
        ErrorCode::ApiKeyAlreadyRevoked => td_string!(locale, error.api_key_already_revoked),
        ErrorCode::InvalidActivationCode => td_string!(locale, error.invalid_activation_code),
        ErrorCode::CabinetAlreadyActive => td_string!(locale, error.cabinet_already_active),
        ErrorCode::CustomerNotFound
        | ErrorCode::UserNotFound
        | ErrorCode::SalesPointNotFound
        | ErrorCode::TopicNotFound
        | ErrorCode::ConsentNotFound
        | ErrorCode::ApiKeyNotFound
        | ErrorCode::MessageNotFound
        | ErrorCode::TemplateNotFound
        | ErrorCode::EmailBounceNotFound
        | ErrorCode::RecordNotFound
        | ErrorCode::RouteNotFound => td_string!(locale, error.not_found),
        ErrorCode::ServiceUnavailable => td_string!(locale, error.unavailable),
        ErrorCode::InternalError | ErrorCode::Unknown => td_string!(locale, error.internal),
        ErrorCode::TariffCodeTaken | ErrorCode::ProductCodeTaken => {
            td_string!(locale, error.code_taken)
        }
        ErrorCode::IllegalTransition => td_string!(locale, error.illegal_transition),
        ErrorCode::WithdrawalNotAllowed => td_string!(locale, error.withdrawal_not_allowed),
        ErrorCode::RequestAlreadyDecided => td_string!(locale, error.request_already_decided),
        ErrorCode::ComplaintAlreadyDecided => td_string!(locale, error.complaint_already_decided),
        ErrorCode::SlotTaken => td_string!(locale, error.slot_taken),
        ErrorCode::IncidentClosed => td_string!(locale, error.incident_closed),
        ErrorCode::ScriptRunFinished => td_string!(locale, error.script_run_finished),
        ErrorCode::UsageTooOld => td_string!(locale, error.usage_too_old),
        ErrorCode::PossibleDuplicate => td_string!(locale, error.possible_duplicate),
        ErrorCode::PaymentAlreadyRegistered => td_string!(locale, error.payment_already_registered),
        ErrorCode::IdempotencyKeyReused => td_string!(locale, error.idempotency_key_reused),
        ErrorCode::PaymentAlreadyReversed => td_string!(locale, error.payment_already_reversed),
        ErrorCode::TillNotOpen => td_string!(locale, error.till_not_open),
        ErrorCode::TillAlreadyOpen => td_string!(locale, error.till_already_open),
        ErrorCode::TillAlreadyClosed => td_string!(locale, error.till_already_closed),
        ErrorCode::StatementMalformed => td_string!(locale, error.statement_malformed),
        ErrorCode::LineAlreadyAssigned => td_string!(locale, error.line_already_assigned),
        ErrorCode::InvalidCardCode => td_string!(locale, error.invalid_card_code),
        ErrorCode::CardAlreadyRedeemed => td_string!(locale, error.card_already_redeemed),
        ErrorCode::CardExpired => td_string!(locale, error.card_expired),
        ErrorCode::OnlinePaymentsOff => td_string!(locale, error.online_payments_off),
        ErrorCode::NothingToPay => td_string!(locale, error.nothing_to_pay),
        ErrorCode::GatewayUnavailable => td_string!(locale, error.gateway_unavailable),
        // The server's refusal of a notification, which no screen sends.
        ErrorCode::InvalidSignature => td_string!(locale, error.malformed_request),
        ErrorCode::OnlinePaymentNotFound
        | ErrorCode::TariffNotFound
        | ErrorCode::ContractNotFound
        | ErrorCode::SubscriptionNotFound
        | ErrorCode::DocumentNotFound
        | ErrorCode::BenefitNotFound
        | ErrorCode::RequestNotFound
        | ErrorCode::InvoiceNotFound
        | ErrorCode::PaymentNotFound
        | ErrorCode::TillNotFound
        | ErrorCode::PaymentImportNotFound
        | ErrorCode::ImportLineNotFound
        | ErrorCode::MeterNotFound
        | ErrorCode::ComplaintNotFound
        | ErrorCode::MeasureNotFound
        | ErrorCode::BillingRunNotFound
        | ErrorCode::TicketNotFound
        | ErrorCode::AttachmentNotFound
        | ErrorCode::DepartmentNotFound
        | ErrorCode::ScriptNotFound
        | ErrorCode::ScriptRunNotFound
        | ErrorCode::IncidentNotFound
        | ErrorCode::SlotNotFound
        | ErrorCode::VisitNotFound
        | ErrorCode::ArticleNotFound => td_string!(locale, error.not_found),
    };
    text.to_owned()
}

/// The message of a field error in the interface language; the server's English text for a
/// code newer than this app.
pub fn field_error(locale: Locale, error: &FieldError) -> String {
    let text = match error.code {
        FieldErrorCode::Required => td_string!(locale, field_error.required),
        FieldErrorCode::TooLong => td_string!(locale, field_error.too_long),
        FieldErrorCode::TooMany => td_string!(locale, field_error.too_many),
        FieldErrorCode::InvalidValue => td_string!(locale, field_error.invalid_value),
        FieldErrorCode::InvalidType => td_string!(locale, field_error.invalid_type),
        FieldErrorCode::UnknownField => td_string!(locale, field_error.unknown_field),
        FieldErrorCode::InvalidEmail => td_string!(locale, field_error.invalid_email),
        FieldErrorCode::InvalidPhone => td_string!(locale, field_error.invalid_phone),
        FieldErrorCode::InvalidPostalCode => td_string!(locale, field_error.invalid_postal_code),
        FieldErrorCode::NipInvalid => td_string!(locale, field_error.nip_invalid),
        FieldErrorCode::InnInvalid => td_string!(locale, field_error.inn_invalid),
        FieldErrorCode::WeakPassword => td_string!(locale, field_error.weak_password),
        FieldErrorCode::WrongPassword => td_string!(locale, field_error.wrong_password),
        FieldErrorCode::Taken => td_string!(locale, field_error.taken),
        FieldErrorCode::Duplicate => td_string!(locale, field_error.duplicate),
        FieldErrorCode::InFuture => td_string!(locale, field_error.in_future),
        FieldErrorCode::InPast => td_string!(locale, field_error.in_past),
        FieldErrorCode::UnknownReference => td_string!(locale, field_error.unknown_reference),
        FieldErrorCode::Inactive => td_string!(locale, field_error.inactive),
        FieldErrorCode::SelfLockout => td_string!(locale, field_error.self_lockout),
        FieldErrorCode::NotGrantable => td_string!(locale, field_error.not_grantable),
        FieldErrorCode::NotAllowed => td_string!(locale, field_error.not_allowed),
        FieldErrorCode::NotFirstOfMonth => td_string!(locale, field_error.not_first_of_month),
        FieldErrorCode::NotInForce => td_string!(locale, field_error.not_in_force),
        FieldErrorCode::Unchanged => td_string!(locale, field_error.unchanged),
        FieldErrorCode::NotOver => td_string!(locale, field_error.not_over),
        FieldErrorCode::TooOld => td_string!(locale, field_error.too_old),
        FieldErrorCode::LowerThanLast => td_string!(locale, field_error.lower_than_last),
        FieldErrorCode::OutOfRange => td_string!(locale, field_error.out_of_range),
        FieldErrorCode::Implausible => td_string!(locale, field_error.implausible),
        FieldErrorCode::InvalidSearch => td_string!(locale, field_error.invalid_search),
        FieldErrorCode::InvalidRange => td_string!(locale, field_error.invalid_range),
        FieldErrorCode::Unknown => return error.message.clone(),
    };
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    fn error(code: &str) -> FieldError {
        serde_json::from_value(serde_json::json!({
            "field": "q",
            "code": code,
            "message": "The server's words."
        }))
        .expect("a field error")
    }

    #[wasm_bindgen_test]
    fn field_errors_are_translated() {
        assert_eq!(
            field_error(Locale::pl, &error("invalid_search")),
            "Nie można tak wyszukać: za krótko lub za dużo słów."
        );
        assert_eq!(
            field_error(Locale::ru, &error("unknown_field")),
            "Такого поля нет в форме."
        );
        assert_eq!(field_error(Locale::en, &error("required")), "Required.");
    }

    #[wasm_bindgen_test]
    fn counts_take_each_languages_form() {
        let forms = |locale| [1, 2, 5, 11, 12, 21, 22, 25, 101, 111].map(|n| count_form(locale, n));
        use CountForm::{Few, Many, One};
        assert_eq!(
            forms(Locale::en),
            [One, Many, Many, Many, Many, Many, Many, Many, Many, Many]
        );
        assert_eq!(
            forms(Locale::pl),
            [One, Few, Many, Many, Many, Many, Few, Many, Many, Many]
        );
        assert_eq!(
            forms(Locale::ru),
            [One, Few, Many, Many, Many, One, Few, Many, One, Many]
        );
        assert_eq!(count_form(Locale::ru, -3), Few);
    }

    #[wasm_bindgen_test]
    fn a_code_newer_than_the_app_shows_the_servers_message() {
        let newer = error("a_rule_from_next_year");
        assert_eq!(newer.code, FieldErrorCode::Unknown);
        assert_eq!(field_error(Locale::pl, &newer), "The server's words.");
    }
}
