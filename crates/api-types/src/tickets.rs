//! Technical problems (R-50..R-53, R-60): tickets with their SLA clocks, departments,
//! diagnostic scripts and their walks, incidents found in clusters of faults, technician
//! visits, and the knowledge base.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use okno_domain::tickets::outages::{AreaScope, IncidentStatus};
pub use okno_domain::tickets::scripts::{
    PathStep, ScriptAnswer, ScriptBody, ScriptCheck, ScriptNode, ScriptOutcome, ScriptStep,
};
pub use okno_domain::tickets::sla::{SlaClockState, SlaFlag};
pub use okno_domain::tickets::{
    TicketCategory, TicketEventKind, TicketPriority, TicketSource, TicketStatus, VisitOutcome,
    VisitStatus,
};

use crate::Language;
use crate::reference::LocalizedName;

// ---------------------------------------------------------------------------------------
// Departments and the SLA

/// A department tickets are routed to (R-53): the first line and the ones behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DepartmentEntry {
    pub code: String,
    pub name: LocalizedName,
    /// Inactive departments keep their tickets but take no new ones.
    pub active: bool,
    pub position: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDepartment {
    /// 1 to 40 letters, digits, `-`, `_` or `.`; never changes.
    #[schema(min_length = 1, max_length = 40)]
    pub code: String,
    pub name: LocalizedName,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentChange {
    pub name: LocalizedName,
    pub active: bool,
    #[schema(minimum = 0, maximum = 1000)]
    pub position: i32,
}

/// The targets of one priority, in minutes counted on the business calendar (or around the
/// clock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicy {
    pub priority: TicketPriority,
    #[schema(minimum = 1, maximum = 525_600)]
    pub first_response_minutes: u32,
    #[schema(minimum = 1, maximum = 525_600)]
    pub next_update_minutes: u32,
    #[schema(minimum = 1, maximum = 525_600)]
    pub resolution_minutes: u32,
    pub around_the_clock: bool,
}

/// When the office works on one weekday; both times absent when closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningDay {
    /// 1 is Monday, 7 Sunday.
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: u8,
    /// `HH:MM`, local time.
    #[serde(default)]
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub opens: Option<String>,
    /// `HH:MM`, after `opens`.
    #[serde(default)]
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub closes: Option<String>,
}

/// The SLA targets per priority and the opening hours they count on. The days off are the
/// holiday calendar of the complaint clock's jurisdiction (`/calendar-days`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaSettings {
    /// One per priority.
    #[schema(min_items = 4, max_items = 4)]
    pub policies: Vec<SlaPolicy>,
    /// One per weekday.
    #[schema(min_items = 7, max_items = 7)]
    pub opening_hours: Vec<OpeningDay>,
}

// ---------------------------------------------------------------------------------------
// Tickets

/// A ticket opened by staff or by another system (network monitoring).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    pub customer_id: i64,
    pub category: TicketCategory,
    /// `normal` when absent.
    #[serde(default)]
    pub priority: Option<TicketPriority>,
    /// An active department's code; `technical_support` when absent.
    #[serde(default)]
    #[schema(max_length = 40)]
    pub department: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(min_length = 1, max_length = 4000)]
    pub description: String,
    /// The customer's subscription concerned; its service address places the fault.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub subscription_id: Option<i64>,
    /// The network node serving the customer, as the monitoring system names it.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub network_node: Option<String>,
    /// The contact being logged when the ticket was opened.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub interaction_id: Option<i64>,
    /// The script walk that led here; its path is kept on the ticket.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub script_run_id: Option<i64>,
    /// A staff user to work it.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub assignee_id: Option<i64>,
}

/// A fault reported by the customer in the cabinet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CabinetTicket {
    pub category: TicketCategory,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(min_length = 1, max_length = 4000)]
    pub description: String,
    /// One of the customer's subscriptions.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub subscription_id: Option<i64>,
}

/// One SLA clock of a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SlaClockView {
    pub target_minutes: u32,
    pub used_minutes: i64,
    /// Negative when breached.
    pub left_minutes: i64,
    pub state: SlaClockState,
    /// 80 % of the target used.
    pub near: bool,
    /// When a running clock reaches its target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
}

/// A ticket's SLA, computed from its history now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TicketSla {
    pub flag: SlaFlag,
    pub first_response: SlaClockView,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_update: Option<SlaClockView>,
    pub resolution: SlaClockView,
    /// Updates given later than their target.
    pub late_updates: u32,
}

/// A ticket as the queues list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TicketSummary {
    pub id: i64,
    /// `TK/2026/000001`.
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub category: TicketCategory,
    pub priority: TicketPriority,
    pub department: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_name: Option<String>,
    pub status: TicketStatus,
    pub title: String,
    /// The service address on one line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_id: Option<i64>,
    pub source: TicketSource,
    pub opened_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<DateTime<Utc>>,
    pub sla: TicketSla,
}

/// An entry of a ticket's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TicketEvent {
    pub id: i64,
    pub kind: TicketEventKind,
    pub at: DateTime<Utc>,
    /// A staff member's name, the customer's, or `system`.
    pub by: String,
    pub by_customer: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_status: Option<TicketStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_status: Option<TicketStatus>,
    /// Routed to, or the department a ticket was opened for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<i64>,
    /// The comment, the routing reason, the note of a change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Shown to the customer in the cabinet.
    pub visible_to_customer: bool,
}

/// A file attached to a ticket (its content is read on its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Attachment {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by: String,
    pub visible_to_customer: bool,
    pub at: DateTime<Utc>,
}

/// A ticket with its history, attachments, visits and the script walk that led to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Ticket {
    #[serde(flatten)]
    pub summary: TicketSummary,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_node: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction_id: Option<i64>,
    pub events: Vec<TicketEvent>,
    pub attachments: Vec<Attachment>,
    pub visits: Vec<Visit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script_run: Option<ScriptRun>,
}

/// A queue: the tickets in SLA order (the most urgent first) and how many are breached or near.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TicketList {
    pub items: Vec<TicketSummary>,
    /// All tickets matching, even beyond `limit`.
    pub total: i64,
    pub breached: i64,
    pub near: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TicketQuery {
    /// A department's code.
    pub department: Option<String>,
    pub status: Option<TicketStatus>,
    /// Only open tickets (the default), only resolved and closed ones (`false`).
    pub open: Option<bool>,
    pub assignee_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub category: Option<TicketCategory>,
    pub priority: Option<TicketPriority>,
    pub flag: Option<SlaFlag>,
    pub incident_id: Option<i64>,
    /// One ticket by its number.
    pub number: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketStatusChange {
    pub status: TicketStatus,
    /// Why; shown to the customer with the new status when `visible_to_customer`.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: Option<String>,
    #[serde(default)]
    pub visible_to_customer: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketRouting {
    /// An active department's code, not the ticket's own.
    #[schema(min_length = 1, max_length = 40)]
    pub department: String,
    #[schema(min_length = 1, max_length = 4000)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TicketAssignment {
    /// A staff user; absent to leave the ticket unassigned.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub assignee_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicketComment {
    #[schema(min_length = 1, max_length = 4000)]
    pub body: String,
    /// Shown to the customer (and sent); internal when false.
    pub visible_to_customer: bool,
}

/// A comment from the customer in the cabinet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CabinetComment {
    #[schema(min_length = 1, max_length = 4000)]
    pub body: String,
}

/// A file to attach, its content in base64 (at most 1 MiB decoded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAttachment {
    #[schema(min_length = 1, max_length = 200)]
    pub file_name: String,
    /// `image/png`, `image/jpeg`, `application/pdf` or `text/plain`.
    pub content_type: String,
    #[schema(min_length = 1, max_length = 1_398_104)]
    pub content_base64: String,
    /// Staff only: shown to the customer. The customer's own files always are.
    #[serde(default)]
    pub visible_to_customer: bool,
}

/// A ticket as its customer sees it: no internal comments, no staff names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MyTicket {
    pub id: i64,
    pub number: String,
    pub category: TicketCategory,
    pub status: TicketStatus,
    pub title: String,
    pub description: String,
    pub opened_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// A known outage this ticket is part of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outage: Option<CustomerOutage>,
    pub events: Vec<MyTicketEvent>,
    pub attachments: Vec<Attachment>,
    pub visits: Vec<MyVisit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MyTicketEvent {
    pub at: DateTime<Utc>,
    pub kind: TicketEventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_status: Option<TicketStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    pub by_customer: bool,
}

// ---------------------------------------------------------------------------------------
// Diagnostic scripts

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScriptSummary {
    pub id: i64,
    pub name: String,
    /// The faults it is for; offered first for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<TicketCategory>,
    pub active: bool,
    /// The current version.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Script {
    #[serde(flatten)]
    pub summary: ScriptSummary,
    pub body: ScriptBody,
}

/// A new script, or a new version of one (the walks recorded keep the version they followed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScriptInput {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[serde(default)]
    pub category: Option<TicketCategory>,
    /// `true` when absent.
    #[serde(default)]
    pub active: Option<bool>,
    pub body: ScriptBody,
}

/// A walk of a script with a customer on the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartScriptRun {
    pub script_id: i64,
    /// The contact being logged.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub interaction_id: Option<i64>,
}

/// The operator's step: an answer's index at a question, nothing at an instruction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScriptStepInput {
    #[serde(default)]
    #[schema(minimum = 0, maximum = 11)]
    pub answer: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScriptRun {
    pub id: i64,
    pub script_id: i64,
    pub script_name: String,
    /// The version walked.
    pub version: i32,
    pub customer_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction_id: Option<i64>,
    pub path: Vec<PathStep>,
    /// The node waiting for the operator, as in the version walked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<ScriptNode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ScriptOutcome>,
    pub started_by: String,
    pub started_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
}

// ---------------------------------------------------------------------------------------
// Incidents

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Incident {
    pub id: i64,
    /// `AW/2026/000001`.
    pub number: String,
    pub category: TicketCategory,
    pub status: IncidentStatus,
    pub scope: AreaScope,
    /// The area as written on the first ticket (`ul. Długa 5, 00-950 Warszawa`).
    pub area: String,
    /// Opened by the detection rather than by a person.
    pub detected: bool,
    pub detected_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_note: Option<String>,
    pub ticket_count: i64,
}

/// A customer whose service address lies in an incident's area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AffectedCustomer {
    pub customer_id: i64,
    pub name: String,
    pub service_address: String,
    /// Has a ticket linked to the incident.
    pub reported: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IncidentDetail {
    #[serde(flatten)]
    pub incident: Incident,
    pub tickets: Vec<TicketSummary>,
    pub affected: Vec<AffectedCustomer>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IncidentQuery {
    pub status: Option<IncidentStatus>,
    /// Only proposed and open ones.
    pub active: Option<bool>,
}

/// Declares an outage at a ticket's area by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIncident {
    pub ticket_id: i64,
    /// `building` when absent.
    #[serde(default)]
    pub scope: Option<AreaScope>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveIncident {
    /// Written on every linked ticket and sent to the affected customers.
    #[schema(min_length = 1, max_length = 4000)]
    pub note: String,
}

/// A known outage at one of the customer's service addresses: the card's banner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CustomerOutage {
    pub incident_id: i64,
    pub number: String,
    pub category: TicketCategory,
    pub status: IncidentStatus,
    pub area: String,
    pub since: DateTime<Utc>,
}

// ---------------------------------------------------------------------------------------
// Technician visits

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TechnicianSlot {
    pub id: i64,
    pub technician_id: i64,
    pub technician_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlotTimes {
    pub starts_at: DateTime<Utc>,
    /// 15 minutes to 8 hours after `starts_at`.
    pub ends_at: DateTime<Utc>,
}

/// A technician's working slots, added at once; none may overlap another of theirs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSlots {
    /// A staff user with the technician role.
    pub technician_id: i64,
    #[schema(min_items = 1, max_items = 200)]
    pub slots: Vec<SlotTimes>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SlotQuery {
    /// From this day (local); today when absent.
    pub from: Option<NaiveDate>,
    /// To this day (local), at most 62 days after `from`; a fortnight when absent.
    pub to: Option<NaiveDate>,
    pub technician_id: Option<i64>,
    /// Only slots nobody booked.
    pub free: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookVisit {
    pub slot_id: i64,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Visit {
    pub id: i64,
    pub ticket_id: i64,
    pub ticket_number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub slot_id: i64,
    pub technician_id: i64,
    pub technician_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: VisitStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<VisitOutcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_note: Option<String>,
    pub booked_by: String,
    pub booked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VisitQuery {
    /// A technician's day plan; every technician when absent.
    pub technician_id: Option<i64>,
    /// The day (local); today when absent.
    pub day: Option<NaiveDate>,
}

/// What the visit did (R-53): resolved closes the ticket's fault, routed sends it on,
/// no access makes it wait for the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitReport {
    pub outcome: VisitOutcome,
    #[schema(min_length = 1, max_length = 4000)]
    pub note: String,
    /// Required when routed: an active department's code.
    #[serde(default)]
    #[schema(max_length = 40)]
    pub department: Option<String>,
}

/// A visit as the customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MyVisit {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: VisitStatus,
}

/// A free slot offered in the cabinet (no technician's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FreeSlot {
    pub slot_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CabinetVisit {
    pub slot_id: i64,
}

// ---------------------------------------------------------------------------------------
// Knowledge base

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Article {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub language: Language,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<i64>,
    /// In the cabinet's FAQ.
    pub public: bool,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleInput {
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(min_length = 1, max_length = 20_000)]
    pub body: String,
    pub language: Language,
    #[serde(default)]
    #[schema(minimum = 1)]
    pub topic_id: Option<i64>,
    pub public: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ArticleQuery {
    /// Words to find (full text, in the article's language); every article when absent.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Articles of this topic (what the card suggests while a contact is logged).
    pub topic_id: Option<i64>,
    pub language: Option<Language>,
    pub public: Option<bool>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FaqQuery {
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// `pl` when absent.
    pub language: Option<Language>,
}

// ---------------------------------------------------------------------------------------
// Reports

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TicketReportQuery {
    /// Tickets opened from this day (local); 30 days back when absent.
    pub from: Option<NaiveDate>,
    /// Tickets opened to this day (local), at most 366 days after `from`; today when absent.
    pub to: Option<NaiveDate>,
}

/// How one department kept its SLA for the tickets opened in a period (R-50).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TicketReportRow {
    pub department: String,
    pub opened: i64,
    pub resolved: i64,
    /// Still open now.
    pub open: i64,
    pub first_response_breached: i64,
    pub resolution_breached: i64,
    /// Open and near a breach now.
    pub near: i64,
    /// Updates given later than their target, all tickets together.
    pub late_updates: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TicketReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<TicketReportRow>,
    pub total: TicketReportRow,
}
