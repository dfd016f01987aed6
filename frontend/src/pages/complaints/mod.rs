//! Complaints (R-40..R-46) in the console: the register with its deadlines, one complaint with
//! its decision, a new complaint from the customer card, the customer's complaints on the card
//! and the monitoring; and what the cabinet shows of a subscriber's own complaint (the claim,
//! the deadlines, the decision and the documents), from `parts` and `claim`.

mod card;
mod claim;
mod decide;
mod monitoring;
mod new;
mod parts;
mod register;
mod view;

pub use card::CustomerComplaints;
pub use claim::{Claim, ClaimFields};
pub use monitoring::ComplaintMonitoringPage;
pub use new::NewComplaint;
pub use parts::{
    ComplaintDocuments, ComplaintStatusBadge, DeadlinesPanel, DecideBy, DecisionPanel,
    ServerRefusal,
};
pub use register::{ComplaintsPage, load_topics, topic_name};
pub use view::{ClaimPanel, ComplaintPage};
