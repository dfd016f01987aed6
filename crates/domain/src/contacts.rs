//! Contacts with customers, consents and where a matter is routed.

wire_enum! {
    /// How a contact reached us, or how we reached the customer.
    pub enum Channel {
        Phone,
        Email,
        Visit,
        Letter,
        Fax,
        Web,
        Sms,
    }
}

wire_enum! {
    /// Who started the contact.
    pub enum Direction {
        Inbound,
        Outbound,
    }
}

wire_enum! {
    /// Departments a matter can be routed to (seed 001): the first line and the second line
    /// behind it.
    pub enum Department {
        CallCentre,
        SubscriberService,
        TechnicalSupport,
        Automation,
        Finance,
        Technical,
        Development,
    }
}

wire_enum! {
    /// What a customer consents to. Each is granted and withdrawn on its own.
    pub enum ConsentPurpose {
        /// Processing of personal data for marketing.
        Marketing,
        /// Receiving correspondence, invoices included, electronically.
        ElectronicCorrespondence,
    }
}

/// Longest free-text summary of a contact, in characters.
pub const SUMMARY_MAX_CHARS: usize = 4000;

/// Longest recorded outcome of a contact, in characters.
pub const OUTCOME_MAX_CHARS: usize = 2000;
