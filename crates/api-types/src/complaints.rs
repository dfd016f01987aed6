//! Complaints (R-40..R-46): the register with its legal deadlines, decisions and their
//! compensation, the documents sent, and the monitoring by topic.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use okno_domain::complaints::{
    CalendarDayKind, ComplaintChannel, ComplaintOutcome, ComplaintStatus, DueFilter, Jurisdiction,
};

use crate::contracts::Document;

/// A complaint as registered by staff, from any channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComplaint {
    pub customer_id: i64,
    pub channel: ComplaintChannel,
    /// When it was received; now when absent. Not in the future, at most a year back.
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
    /// In a few words.
    #[schema(min_length = 1, max_length = 200)]
    pub subject: String,
    /// What happened and what the customer claims.
    #[schema(min_length = 1, max_length = 5000)]
    pub description: String,
    /// The first and last day of the event or billing period complained of; the last decides
    /// whether the claim is time-barred.
    #[serde(default)]
    pub concerns_from: Option<NaiveDate>,
    #[serde(default)]
    pub concerns_until: Option<NaiveDate>,
    /// The customer's invoices it is about, at most 12; compensation corrects them in this
    /// order.
    #[serde(default)]
    #[schema(max_items = 12)]
    pub invoice_ids: Vec<i64>,
    /// The amount claimed, minor units, 1 to 100 000 000.00.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 10_000_000_000_i64)]
    pub amount_claimed_minor: Option<i64>,
    /// A demand to refund money (answered within 10 days under the Russian profile).
    #[serde(default)]
    pub refund_demanded: bool,
    /// The topic of the classification (contact topics).
    #[serde(default)]
    pub topic_id: Option<i64>,
    /// Confirm receipt at once (the acknowledgement is issued and sent). Always so when made
    /// in person.
    #[serde(default)]
    pub acknowledge_now: bool,
}

/// A complaint filed by a subscriber in the cabinet: received now, acknowledged at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CabinetComplaint {
    /// In a few words.
    #[schema(min_length = 1, max_length = 200)]
    pub subject: String,
    /// What happened and what the customer claims.
    #[schema(min_length = 1, max_length = 5000)]
    pub description: String,
    /// The first and last day of the event or billing period complained of; the last decides
    /// whether the claim is time-barred.
    #[serde(default)]
    pub concerns_from: Option<NaiveDate>,
    #[serde(default)]
    pub concerns_until: Option<NaiveDate>,
    /// The customer's invoices it is about, at most 12; compensation corrects them in this
    /// order.
    #[serde(default)]
    #[schema(max_items = 12)]
    pub invoice_ids: Vec<i64>,
    /// The amount claimed, minor units, 1 to 100 000 000.00.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 10_000_000_000_i64)]
    pub amount_claimed_minor: Option<i64>,
    /// A demand to refund money (answered within 10 days under the Russian profile).
    #[serde(default)]
    pub refund_demanded: bool,
    /// The topic of the classification (contact topics).
    #[serde(default)]
    pub topic_id: Option<i64>,
}

/// The deadlines of a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComplaintDeadlines {
    /// Receipt confirmed by this day.
    pub acknowledge_by: NaiveDate,
    /// Answered by this day; deemed accepted the day after.
    pub decide_by: NaiveDate,
    /// Days left to `decide_by` today: 0 on the day, negative once overdue; absent once
    /// decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_left: Option<i64>,
    /// The last day the claim could be made, when the event is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_until: Option<NaiveDate>,
    /// Made after `claim_until`: answered, not granted.
    pub time_barred: bool,
}

/// A complaint in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComplaintSummary {
    pub id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub channel: ComplaintChannel,
    pub received_at: DateTime<Utc>,
    pub subject: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_claimed_minor: Option<i64>,
    pub currency: String,
    pub status: ComplaintStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ComplaintOutcome>,
    pub deadlines: ComplaintDeadlines,
    /// The customer complained of the same topic within the 90 days before.
    pub repeat: bool,
}

/// A decision waiting for a second person's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComplaintProposal {
    pub outcome: ComplaintOutcome,
    pub granted_minor: i64,
    pub reasoning: String,
    pub proposed_by: String,
    pub proposed_at: DateTime<Utc>,
}

/// How a complaint was decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComplaintDecision {
    pub outcome: ComplaintOutcome,
    /// What was granted, minor units.
    pub granted_minor: i64,
    pub reasoning: String,
    /// When it was decided; for a deemed acceptance, the day after the decide-by day.
    pub decided_at: DateTime<Utc>,
    /// Who decided, or `system` for the clock.
    pub decided_by: String,
    /// The second person, under the four-eyes rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
}

/// What a decision gave back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Compensation {
    /// Correction notes issued against the invoices complained of.
    pub correction_notes: Vec<CompensationNote>,
    /// Credited on the account without a note (no invoice, or more than the invoices held).
    pub credited_minor: i64,
    /// Everything given back, gross.
    pub total_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CompensationNote {
    /// The note (its id is an invoice's).
    pub invoice_id: i64,
    pub number: String,
    /// The invoice it corrects.
    pub corrects_invoice_id: i64,
    pub corrects_number: String,
    /// Its gross amount: negative, given back.
    pub gross_minor: i64,
}

/// Something that happened to a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComplaintEvent {
    /// `registered` (note: the channel), `acknowledged`, `proposed` (note: outcome and
    /// amount), `proposal_returned`, `decided` (note: the outcome; by `system` for the clock),
    /// `compensated` (the note's `invoice_id`), `credited` (note: the amount), `answer_sent`
    /// (`document_id`), `clock_failed` (note: why the clock could not decide it).
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<i64>,
    pub recorded_by: String,
    pub at: DateTime<Utc>,
}

/// A complaint with all that is known of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Complaint {
    #[serde(flatten)]
    pub summary: ComplaintSummary,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concerns_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concerns_until: Option<NaiveDate>,
    pub refund_demanded: bool,
    pub jurisdiction: Jurisdiction,
    /// The invoices it is about.
    pub invoices: Vec<ComplaintInvoice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<ComplaintProposal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<ComplaintDecision>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compensation: Option<Compensation>,
    /// The acknowledgement and the answer, as sent.
    pub documents: Vec<ComplaintDocument>,
    /// The earlier complaint on the same topic that makes this one a repeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_of: Option<ComplaintReference>,
    /// Staff only; empty in the cabinet.
    pub events: Vec<ComplaintEvent>,
    pub registered_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComplaintInvoice {
    pub invoice_id: i64,
    pub number: String,
    pub gross_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComplaintReference {
    pub id: i64,
    pub number: String,
    pub received_at: DateTime<Utc>,
}

/// A document of a complaint, and how it reached the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ComplaintDocument {
    #[serde(flatten)]
    pub document: Document,
    /// No e-mail could carry it (no address, or no consent to electronic correspondence):
    /// print it and send it by post.
    pub to_print: bool,
}

/// Filters of the register.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ComplaintQuery {
    pub customer_id: Option<i64>,
    pub status: Option<ComplaintStatus>,
    /// Only the undecided.
    pub open: Option<bool>,
    /// Undecided and due at the latest: `overdue` (before today), `today`, `tomorrow`.
    pub due: Option<DueFilter>,
    pub topic_id: Option<i64>,
    /// Received from this day.
    pub from: Option<NaiveDate>,
    /// Received to this day.
    pub to: Option<NaiveDate>,
    /// One complaint by its number.
    pub number: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The register as CSV.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ComplaintExportQuery {
    /// Received from this day.
    pub from: Option<NaiveDate>,
    /// Received to this day.
    pub to: Option<NaiveDate>,
}

/// A person's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideComplaint {
    /// `accepted`, `partly_accepted`, `rejected` or `time_barred`; `deemed_accepted` is
    /// the clock's.
    pub outcome: ComplaintOutcome,
    /// What is granted, minor units: required for a partial acceptance (less than claimed),
    /// the amount claimed for an acceptance, 0 for a rejection.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000_000_000_i64)]
    pub granted_minor: Option<i64>,
    /// The reasons, printed in the answer. Required for a rejection and a partial acceptance.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub reasoning: String,
}

/// A second person's word on a proposed decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewProposal {
    pub approve: bool,
    /// Why it is sent back.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: String,
}

/// What a decision would give back, before it is made.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CompensationPreviewQuery {
    /// The amount to grant, minor units.
    #[param(minimum = 0, maximum = 10_000_000_000_i64)]
    pub granted_minor: i64,
}

/// What a grant would give back: per invoice the lines lowered, and the rest as a credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CompensationPreview {
    pub notes: Vec<PreviewNote>,
    pub credited_minor: i64,
    pub total_minor: i64,
    /// A second person must approve a decision granting this much.
    pub needs_approval: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PreviewNote {
    pub invoice_id: i64,
    pub number: String,
    pub lines: Vec<PreviewLine>,
    /// The note's gross amount: negative.
    pub gross_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PreviewLine {
    pub line_id: i64,
    pub description: String,
    pub net_before_minor: i64,
    pub net_after_minor: i64,
}

/// The clock's settings in force, with what the law says where they differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComplaintProfile {
    pub jurisdiction: Jurisdiction,
    pub acknowledge_days: u32,
    pub answer_days: u32,
    pub refund_answer_days: u32,
    pub claim_months: u32,
    pub completion_days: u32,
    /// Decisions granting more need a second person; absent: no four-eyes rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub four_eyes_above_minor: Option<i64>,
    /// Settings looser than the law: the law's figure applies to the customer regardless.
    pub warnings: Vec<ProfileWarning>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProfileWarning {
    pub setting: String,
    pub value: u32,
    pub law: u32,
}

/// The monitoring of complaints in a period (R-46, seed 003).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ComplaintMonitoring {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Undecided complaints by their deadline today.
    pub deadlines: DeadlineBoard,
    /// Complaints per topic received in the period, most first, with the period before.
    pub topics: Vec<TopicRating>,
    /// Customers with a repeat complaint received in the period.
    pub repeats: Vec<ComplaintSummary>,
    /// Decided in the period.
    pub decided: u64,
    /// Of those, decided by a person by the decide-by day.
    pub decided_on_time: u64,
    /// `decided_on_time` of `decided`, in percent; absent when none was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_time_percent: Option<i64>,
    pub deemed_accepted: u64,
    pub measures: Vec<PreventiveMeasure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeadlineBoard {
    pub overdue: u64,
    pub due_today: u64,
    pub due_tomorrow: u64,
    /// Due in 2 to 7 days.
    pub due_this_week: u64,
    pub later: u64,
    pub awaiting_approval: u64,
    /// Receipt not confirmed by its day.
    pub acknowledgement_overdue: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TopicRating {
    /// Absent for complaints without a topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<i64>,
    pub topic: String,
    pub count: u64,
    pub previous_count: u64,
    /// Change against the period before, in percent; absent when it had none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend_percent: Option<i64>,
}

/// The period of the monitoring: the last 30 days when absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MonitoringQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A preventive measure against a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PreventiveMeasure {
    pub id: i64,
    pub topic_id: i64,
    pub topic: String,
    pub description: String,
    pub owner: String,
    pub due_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<NaiveDate>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPreventiveMeasure {
    pub topic_id: i64,
    #[schema(min_length = 1, max_length = 1000)]
    pub description: String,
    /// Who sees it done.
    #[schema(min_length = 1, max_length = 200)]
    pub owner: String,
    pub due_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureDone {
    /// The day it was done; absent: not done after all.
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
}

/// A day off or a moved working day of a jurisdiction's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: CalendarDayKind,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
}

/// A year of a jurisdiction's calendar, loaded as a whole (a government's decree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarYear {
    #[schema(max_items = 366)]
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CalendarQuery {
    pub jurisdiction: Option<Jurisdiction>,
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

/// The days of a jurisdiction's calendar; Polish statutory holidays are listed too, marked
/// `built_in`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CalendarListing {
    pub jurisdiction: Jurisdiction,
    pub days: Vec<ListedCalendarDay>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ListedCalendarDay {
    pub day: NaiveDate,
    pub kind: CalendarDayKind,
    pub name: String,
    /// Known to the code (Polish statutory holidays), not loaded.
    pub built_in: bool,
}
