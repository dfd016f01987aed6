//! Outages found in clusters of faults: when open tickets of one category from one
//! area reach a threshold within a window, they are one incident rather than many faults.
//! [`detect`] decides it from the open faults and the incidents still open; it is pure, so
//! the burst, the scattered faults and the second burst are tested here.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::TicketCategory;
use crate::customers::Address;
use crate::search::fold;

wire_enum! {
    /// How wide an area a cluster is looked for in.
    pub enum AreaScope {
        /// The same building (street and number, postcode, city).
        Building,
        /// The same street in a city.
        Street,
        /// The same postcode.
        Postcode,
        /// The same network node, when the ticket carries one.
        NetworkNode,
    }
}

wire_enum! {
    /// Where an incident stands.
    pub enum IncidentStatus {
        /// Detected; waits for someone to confirm it (or to dismiss it).
        Proposed,
        /// Confirmed: callers from the area are told, new faults join it.
        Open,
        /// Fixed: its tickets are resolved and the affected customers told.
        Resolved,
        /// Not an outage after all.
        Dismissed,
    }
}

impl IncidentStatus {
    /// Proposed or open: the incident gathers the area's new faults.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Proposed | Self::Open)
    }
}

/// The keys of a fault's place, one per scope, folded so spellings agree
/// (`ul. Długa 5` and `UL. DLUGA 5`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Area {
    pub building: Option<String>,
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub network_node: Option<String>,
}

fn key(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| fold(p).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("|")
}

impl Area {
    /// The area of a service address (the apartment does not matter) and a network node.
    pub fn of(address: Option<&Address>, network_node: Option<&str>) -> Self {
        let postcode = |a: &Address| {
            a.postal_code
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        };
        Self {
            building: address.map(|a| key(&[&postcode(a), &a.city, &a.street, &a.building])),
            street: address.map(|a| key(&[&a.city, &a.street])),
            postcode: address.map(postcode).filter(|p| !p.is_empty()),
            network_node: network_node.map(|n| key(&[n])).filter(|n| !n.is_empty()),
        }
    }

    /// How an area of `scope` around `address` is written for people: the building without
    /// the apartment, the street in its city, the postcode.
    pub fn label(address: &Address, scope: AreaScope, network_node: Option<&str>) -> String {
        match scope {
            AreaScope::Building => format!(
                "{} {}, {} {}",
                address.street, address.building, address.postal_code, address.city
            ),
            AreaScope::Street => format!("{}, {}", address.street, address.city),
            AreaScope::Postcode => format!("{} {}", address.postal_code, address.city),
            AreaScope::NetworkNode => network_node.unwrap_or_default().to_owned(),
        }
    }

    pub fn key(&self, scope: AreaScope) -> Option<&str> {
        match scope {
            AreaScope::Building => self.building.as_deref(),
            AreaScope::Street => self.street.as_deref(),
            AreaScope::Postcode => self.postcode.as_deref(),
            AreaScope::NetworkNode => self.network_node.as_deref(),
        }
    }
}

/// When faults make an outage: `threshold` tickets within `window_minutes`, in `scope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterRule {
    pub threshold: u32,
    pub window_minutes: u32,
    pub scope: AreaScope,
}

impl Default for ClusterRule {
    /// Three in thirty minutes in one building.
    fn default() -> Self {
        Self {
            threshold: 3,
            window_minutes: 30,
            scope: AreaScope::Building,
        }
    }
}

/// An open ticket as the detection sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub ticket_id: i64,
    pub category: TicketCategory,
    pub area: Area,
    pub opened_at: DateTime<Utc>,
    /// Already linked to an incident.
    pub incident_id: Option<i64>,
}

/// A proposed or open incident, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveIncident {
    pub id: i64,
    pub category: TicketCategory,
    pub scope: AreaScope,
    pub area_key: String,
}

/// A cluster of faults that makes a new incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub category: TicketCategory,
    pub scope: AreaScope,
    pub area_key: String,
    /// Oldest first.
    pub ticket_ids: Vec<i64>,
}

/// What detection found: new incidents, and faults that belong to one already active.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detection {
    pub clusters: Vec<Cluster>,
    /// (ticket, incident)
    pub joins: Vec<(i64, i64)>,
}

/// Finds outages among `faults`. A fault not yet linked joins an active incident of
/// its category and area. The others are grouped by category and area in the rule's scope;
/// a group where `threshold` faults were opened within `window_minutes` of each other is a
/// cluster, with every fault of the group. Faults already linked, or resolved (not given),
/// never count again, so a second burst after an incident is resolved makes a new one.
pub fn detect(faults: &[Fault], active: &[ActiveIncident], rule: &ClusterRule) -> Detection {
    let mut detection = Detection::default();
    let mut groups: BTreeMap<(TicketCategory, String), Vec<&Fault>> = BTreeMap::new();
    for fault in faults.iter().filter(|f| f.incident_id.is_none()) {
        let joined = active.iter().find(|incident| {
            incident.category == fault.category
                && fault.area.key(incident.scope) == Some(incident.area_key.as_str())
        });
        if let Some(incident) = joined {
            detection.joins.push((fault.ticket_id, incident.id));
        } else if let Some(key) = fault.area.key(rule.scope) {
            groups
                .entry((fault.category, key.to_owned()))
                .or_default()
                .push(fault);
        }
    }
    let threshold = usize::try_from(rule.threshold.max(1)).unwrap_or(usize::MAX);
    let window = Duration::minutes(i64::from(rule.window_minutes));
    for ((category, area_key), mut group) in groups {
        group.sort_by_key(|f| (f.opened_at, f.ticket_id));
        let burst = group
            .windows(threshold)
            .any(|run| match (run.first(), run.last()) {
                (Some(first), Some(last)) => last.opened_at - first.opened_at <= window,
                _ => false,
            });
        if burst {
            detection.clusters.push(Cluster {
                category,
                scope: rule.scope,
                area_key,
                ticket_ids: group.iter().map(|f| f.ticket_id).collect(),
            });
        }
    }
    detection
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::AddressKind;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn address(street: &str, building: &str) -> Address {
        Address {
            kind: AddressKind::Service,
            street: street.into(),
            building: building.into(),
            apartment: None,
            postal_code: "00-950".into(),
            city: "Warszawa".into(),
            country: "PL".into(),
        }
    }

    fn fault(id: i64, building: &str, minute: i64) -> Fault {
        Fault {
            ticket_id: id,
            category: TicketCategory::NoConnection,
            area: Area::of(Some(&address("ul. Długa", building)), None),
            opened_at: Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
                + Duration::minutes(minute),
            incident_id: None,
        }
    }

    #[test]
    fn a_burst_in_one_building_is_one_incident() {
        let faults: Vec<Fault> = (1..=5).map(|i| fault(i, "5", i * 2)).collect();
        let found = detect(&faults, &[], &ClusterRule::default());
        assert_eq!(found.clusters.len(), 1);
        assert_eq!(found.clusters[0].ticket_ids, vec![1, 2, 3, 4, 5]);
        assert_eq!(found.clusters[0].area_key, "00950|warszawa|ul. dluga|5");
        assert!(found.joins.is_empty());
    }

    #[test]
    fn spellings_of_one_building_agree_and_apartments_do_not_matter() {
        let mut other = address("UL.  DLUGA", "5");
        other.apartment = Some("12".into());
        assert_eq!(
            Area::of(Some(&other), None).building,
            Area::of(Some(&address("ul. Długa", "5")), None).building
        );
    }

    #[test]
    fn scattered_faults_open_none() {
        // Three buildings, and one building's faults hours apart.
        let faults = vec![
            fault(1, "5", 0),
            fault(2, "7", 1),
            fault(3, "9", 2),
            fault(4, "11", 0),
            fault(5, "11", 120),
            fault(6, "11", 240),
        ];
        assert_eq!(
            detect(&faults, &[], &ClusterRule::default()),
            Detection::default()
        );
        // Another category in the same building does not add up either.
        let mut mixed = vec![fault(1, "5", 0), fault(2, "5", 1), fault(3, "5", 2)];
        mixed[2].category = TicketCategory::Tv;
        assert!(
            detect(&mixed, &[], &ClusterRule::default())
                .clusters
                .is_empty()
        );
    }

    #[test]
    fn faults_join_an_active_incident_and_a_second_burst_after_resolution_opens_a_new_one() {
        let first: Vec<Fault> = (1..=3).map(|i| fault(i, "5", i)).collect();
        let found = detect(&first, &[], &ClusterRule::default());
        let cluster = &found.clusters[0];
        let active = ActiveIncident {
            id: 70,
            category: cluster.category,
            scope: cluster.scope,
            area_key: cluster.area_key.clone(),
        };
        // While it is active, the fourth caller's fault joins it.
        let mut linked: Vec<Fault> = first
            .into_iter()
            .map(|f| Fault {
                incident_id: Some(70),
                ..f
            })
            .collect();
        linked.push(fault(4, "5", 10));
        let joined = detect(
            &linked,
            std::slice::from_ref(&active),
            &ClusterRule::default(),
        );
        assert_eq!(joined.joins, vec![(4, 70)]);
        assert!(joined.clusters.is_empty());
        // Resolved: its tickets are no longer open, the incident no longer active.
        let second: Vec<Fault> = (5..=7).map(|i| fault(i, "5", 300 + i)).collect();
        let again = detect(&second, &[], &ClusterRule::default());
        assert_eq!(again.clusters.len(), 1);
        assert_eq!(again.clusters[0].ticket_ids, vec![5, 6, 7]);
    }

    #[test]
    fn a_wider_scope_gathers_a_street() {
        let faults = vec![fault(1, "5", 0), fault(2, "7", 1), fault(3, "9", 2)];
        let street = ClusterRule {
            scope: AreaScope::Street,
            ..ClusterRule::default()
        };
        assert_eq!(detect(&faults, &[], &street).clusters.len(), 1);
        let node = ClusterRule {
            scope: AreaScope::NetworkNode,
            ..ClusterRule::default()
        };
        // No ticket carries a node: nothing to cluster on.
        assert!(detect(&faults, &[], &node).clusters.is_empty());
    }

    proptest! {
        /// Every cluster holds faults of one category and area, each fault is in one cluster at
        /// most, and a cluster has at least `threshold` faults.
        #[test]
        fn clusters_are_coherent(
            faults in proptest::collection::vec((0u8..3, 0i64..300, 0usize..2), 0..40),
            threshold in 1u32..5,
        ) {
            let faults: Vec<Fault> = faults.iter().enumerate().map(|(i, (building, minute, category))| Fault {
                category: [TicketCategory::NoConnection, TicketCategory::Tv][*category % 2],
                ..fault(i64::try_from(i).unwrap_or_default(), &building.to_string(), *minute)
            }).collect();
            let rule = ClusterRule { threshold, ..ClusterRule::default() };
            let found = detect(&faults, &[], &rule);
            let mut seen = std::collections::HashSet::new();
            for cluster in &found.clusters {
                prop_assert!(cluster.ticket_ids.len() >= threshold as usize);
                for id in &cluster.ticket_ids {
                    prop_assert!(seen.insert(*id));
                    let f = faults.iter().find(|f| f.ticket_id == *id).unwrap();
                    prop_assert_eq!(f.category, cluster.category);
                    prop_assert_eq!(f.area.key(rule.scope), Some(cluster.area_key.as_str()));
                }
            }
        }
    }
}
