//! Recurrence: the same kind of failure on the same service again soon.

use std::collections::HashMap;

use serde::Serialize;

use super::Incident;

/// An incident and the earlier one it recurs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    pub earlier: String,
    pub later: String,
    /// A service both incidents affected.
    pub service: String,
    /// Their common `root_cause_category`.
    pub category: String,
    /// Calendar days between their `started_at` dates (at their written offsets).
    pub days_apart: i64,
}

/// The recurrence pairs among `incidents`, which must be sorted by
/// `started_at` (then id). Later incident `b` recurs earlier incident `a`
/// when they share a service and their `root_cause_category`, and `b`
/// started at most `window_days` calendar days after `a`.
///
/// Each incident is paired with the closest earlier incident of each
/// (service, category) it belongs to, which is found by remembering the last
/// incident seen per (service, category): one pass, linear in the number of
/// incidents, however many there are. An incident that shares several
/// services with the same earlier one gives one pair, named after the first
/// of its services. Returns, per pair, the index of the later incident.
pub fn pairs(incidents: &[&Incident], window_days: u32) -> Vec<(usize, Pair)> {
    let mut last: HashMap<(&str, &str), usize> = HashMap::new();
    let mut pairs = Vec::new();
    for (index, incident) in incidents.iter().enumerate() {
        let Some(category) = incident.root_cause_category.as_deref() else {
            continue;
        };
        let first_pair = pairs.len();
        for service in &incident.services {
            let Some(previous) = last.insert((service.as_str(), category), index) else {
                continue;
            };
            if previous == index {
                continue; // the service is listed twice
            }
            let earlier = incidents[previous];
            let days_apart = (incident.started_on - earlier.started_on).get_days().into();
            let seen = pairs[first_pair..]
                .iter()
                .any(|(_, p): &(usize, Pair)| p.earlier == earlier.id);
            if days_apart <= i64::from(window_days) && !seen {
                pairs.push((
                    index,
                    Pair {
                        earlier: earlier.id.clone(),
                        later: incident.id.clone(),
                        service: service.clone(),
                        category: category.to_owned(),
                        days_apart,
                    },
                ));
            }
        }
    }
    pairs
}
