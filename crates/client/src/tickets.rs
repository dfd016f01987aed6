//! Technical problems (R-50..R-53): tickets, departments and the SLA, diagnostic scripts,
//! incidents, technician visits.

use okno_api_types::tickets::{
    Attachment, BookVisit, CabinetComment, CabinetTicket, CabinetVisit, CustomerOutage,
    DepartmentChange, DepartmentEntry, FreeSlot, Incident, IncidentDetail, IncidentQuery, MyTicket,
    MyVisit, NewAttachment, NewDepartment, NewIncident, NewSlots, NewTicket, NewTicketComment,
    ResolveIncident, Script, ScriptInput, ScriptRun, ScriptStepInput, ScriptSummary, SlaSettings,
    SlotQuery, StartScriptRun, TechnicianSlot, Ticket, TicketAssignment, TicketList, TicketQuery,
    TicketReport, TicketReportQuery, TicketRouting, TicketStatusChange, Visit, VisitQuery,
    VisitReport,
};
use reqwest::Method;

use crate::{Client, Result};

impl Client {
    pub async fn departments(&self) -> Result<Vec<DepartmentEntry>> {
        self.get("api/v1/departments").await
    }

    pub async fn create_department(&self, department: &NewDepartment) -> Result<DepartmentEntry> {
        self.post("api/v1/departments", department).await
    }

    pub async fn update_department(
        &self,
        code: &str,
        change: &DepartmentChange,
    ) -> Result<DepartmentEntry> {
        self.put(&format!("api/v1/departments/{code}"), change)
            .await
    }

    pub async fn sla_settings(&self) -> Result<SlaSettings> {
        self.get("api/v1/ticket-sla").await
    }

    pub async fn update_sla_settings(&self, settings: &SlaSettings) -> Result<SlaSettings> {
        self.put("api/v1/ticket-sla", settings).await
    }

    pub async fn tickets(&self, query: &TicketQuery) -> Result<TicketList> {
        self.get_query("api/v1/tickets", query).await
    }

    pub async fn ticket_report(&self, query: &TicketReportQuery) -> Result<TicketReport> {
        self.get_query("api/v1/ticket-report", query).await
    }

    pub async fn open_ticket(&self, ticket: &NewTicket) -> Result<Ticket> {
        self.post("api/v1/tickets", ticket).await
    }

    pub async fn ticket(&self, id: i64) -> Result<Ticket> {
        self.get(&format!("api/v1/tickets/{id}")).await
    }

    pub async fn change_ticket_status(
        &self,
        id: i64,
        change: &TicketStatusChange,
    ) -> Result<Ticket> {
        self.post(&format!("api/v1/tickets/{id}/status"), change)
            .await
    }

    pub async fn route_ticket(&self, id: i64, routing: &TicketRouting) -> Result<Ticket> {
        self.post(&format!("api/v1/tickets/{id}/route"), routing)
            .await
    }

    pub async fn assign_ticket(&self, id: i64, assignment: &TicketAssignment) -> Result<Ticket> {
        self.post(&format!("api/v1/tickets/{id}/assign"), assignment)
            .await
    }

    pub async fn comment_ticket(&self, id: i64, comment: &NewTicketComment) -> Result<Ticket> {
        self.post(&format!("api/v1/tickets/{id}/comments"), comment)
            .await
    }

    pub async fn attach_to_ticket(&self, id: i64, file: &NewAttachment) -> Result<Attachment> {
        self.post(&format!("api/v1/tickets/{id}/attachments"), file)
            .await
    }

    /// The bytes of an attachment (staff: any; a subscriber: through `my_attachment`).
    pub async fn ticket_attachment(&self, id: i64, attachment_id: i64) -> Result<Vec<u8>> {
        self.document_pdf(&format!("api/v1/tickets/{id}/attachments/{attachment_id}"))
            .await
    }

    pub async fn customer_outages(&self, customer_id: i64) -> Result<Vec<CustomerOutage>> {
        self.get(&format!("api/v1/customers/{customer_id}/outages"))
            .await
    }

    // Diagnostic scripts

    pub async fn scripts(&self) -> Result<Vec<ScriptSummary>> {
        self.get("api/v1/diagnostic-scripts").await
    }

    pub async fn create_script(&self, script: &ScriptInput) -> Result<Script> {
        self.post("api/v1/diagnostic-scripts", script).await
    }

    pub async fn script(&self, id: i64) -> Result<Script> {
        self.get(&format!("api/v1/diagnostic-scripts/{id}")).await
    }

    pub async fn script_version(&self, id: i64, version: i32) -> Result<Script> {
        self.get(&format!(
            "api/v1/diagnostic-scripts/{id}/versions/{version}"
        ))
        .await
    }

    /// Saves a new version; walks already recorded keep theirs.
    pub async fn update_script(&self, id: i64, script: &ScriptInput) -> Result<Script> {
        self.put(&format!("api/v1/diagnostic-scripts/{id}"), script)
            .await
    }

    pub async fn start_script_run(
        &self,
        customer_id: i64,
        start: &StartScriptRun,
    ) -> Result<ScriptRun> {
        self.post(
            &format!("api/v1/customers/{customer_id}/script-runs"),
            start,
        )
        .await
    }

    pub async fn customer_script_runs(&self, customer_id: i64) -> Result<Vec<ScriptRun>> {
        self.get(&format!("api/v1/customers/{customer_id}/script-runs"))
            .await
    }

    pub async fn script_run(&self, id: i64) -> Result<ScriptRun> {
        self.get(&format!("api/v1/script-runs/{id}")).await
    }

    pub async fn script_step(&self, id: i64, step: &ScriptStepInput) -> Result<ScriptRun> {
        self.post(&format!("api/v1/script-runs/{id}/steps"), step)
            .await
    }

    // Incidents

    pub async fn incidents(&self, query: &IncidentQuery) -> Result<Vec<Incident>> {
        self.get_query("api/v1/incidents", query).await
    }

    pub async fn incident(&self, id: i64) -> Result<IncidentDetail> {
        self.get(&format!("api/v1/incidents/{id}")).await
    }

    pub async fn declare_incident(&self, incident: &NewIncident) -> Result<IncidentDetail> {
        self.post("api/v1/incidents", incident).await
    }

    pub async fn confirm_incident(&self, id: i64) -> Result<IncidentDetail> {
        self.send(self.request(Method::POST, &format!("api/v1/incidents/{id}/confirm"))?)
            .await
    }

    pub async fn dismiss_incident(&self, id: i64) -> Result<IncidentDetail> {
        self.send(self.request(Method::POST, &format!("api/v1/incidents/{id}/dismiss"))?)
            .await
    }

    pub async fn resolve_incident(
        &self,
        id: i64,
        resolution: &ResolveIncident,
    ) -> Result<IncidentDetail> {
        self.post(&format!("api/v1/incidents/{id}/resolve"), resolution)
            .await
    }

    // Technician visits

    pub async fn technician_slots(&self, query: &SlotQuery) -> Result<Vec<TechnicianSlot>> {
        self.get_query("api/v1/technician-slots", query).await
    }

    pub async fn add_technician_slots(&self, slots: &NewSlots) -> Result<Vec<TechnicianSlot>> {
        self.post("api/v1/technician-slots", slots).await
    }

    pub async fn book_visit(&self, ticket_id: i64, booking: &BookVisit) -> Result<Visit> {
        self.post(&format!("api/v1/tickets/{ticket_id}/visits"), booking)
            .await
    }

    pub async fn visits(&self, query: &VisitQuery) -> Result<Vec<Visit>> {
        self.get_query("api/v1/visits", query).await
    }

    pub async fn report_visit(&self, id: i64, report: &VisitReport) -> Result<Visit> {
        self.post(&format!("api/v1/visits/{id}/report"), report)
            .await
    }

    pub async fn cancel_visit(&self, id: i64) -> Result<Visit> {
        self.send(self.request(Method::POST, &format!("api/v1/visits/{id}/cancel"))?)
            .await
    }

    // The cabinet

    pub async fn my_tickets(&self) -> Result<Vec<MyTicket>> {
        self.get("api/v1/me/tickets").await
    }

    pub async fn report_my_fault(&self, ticket: &CabinetTicket) -> Result<MyTicket> {
        self.post("api/v1/me/tickets", ticket).await
    }

    pub async fn my_ticket(&self, id: i64) -> Result<MyTicket> {
        self.get(&format!("api/v1/me/tickets/{id}")).await
    }

    pub async fn comment_my_ticket(&self, id: i64, comment: &CabinetComment) -> Result<MyTicket> {
        self.post(&format!("api/v1/me/tickets/{id}/comments"), comment)
            .await
    }

    pub async fn attach_to_my_ticket(&self, id: i64, file: &NewAttachment) -> Result<Attachment> {
        self.post(&format!("api/v1/me/tickets/{id}/attachments"), file)
            .await
    }

    pub async fn my_attachment(&self, id: i64, attachment_id: i64) -> Result<Vec<u8>> {
        self.document_pdf(&format!(
            "api/v1/me/tickets/{id}/attachments/{attachment_id}"
        ))
        .await
    }

    pub async fn my_visit_slots(&self) -> Result<Vec<FreeSlot>> {
        self.get("api/v1/me/visit-slots").await
    }

    pub async fn book_my_visit(&self, ticket_id: i64, booking: &CabinetVisit) -> Result<MyVisit> {
        self.post(&format!("api/v1/me/tickets/{ticket_id}/visits"), booking)
            .await
    }
}
