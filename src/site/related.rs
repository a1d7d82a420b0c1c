//! Related incidents: the ones a postmortem names, then the nearest in
//! time that share a service and root cause, or tags.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use super::view::{Incident, Related};
use crate::i18n::Catalogue;

/// Explicit `related` ids that are in the site, then up to five computed
/// ones: incidents nearest in time sharing a service and the root-cause
/// category, or sharing tags. Neighbours are looked up in per-key lists
/// sorted by time, so the cost does not grow with the square of the number
/// of incidents.
pub fn link_related(incidents: &mut [Incident], words: &'static Catalogue) {
    let position: HashMap<String, usize> = incidents
        .iter()
        .enumerate()
        .map(|(i, inc)| (inc.id.clone(), i))
        .collect();
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, inc) in incidents.iter().enumerate() {
        if let Some(cause) = &inc.cause {
            for service in &inc.service_names {
                groups
                    .entry(format!("s\u{0}{service}\u{0}{}", cause.name))
                    .or_default()
                    .push(i);
            }
        }
        for tag in &inc.tag_names {
            groups.entry(format!("t\u{0}{tag}")).or_default().push(i);
        }
    }
    let related: Vec<Vec<Related>> = incidents
        .par_iter()
        .enumerate()
        .map(|(i, inc)| {
            let mut out: Vec<Related> = Vec::new();
            let mut seen: HashSet<usize> = HashSet::from([i]);
            for id in &inc.explicit_related {
                if let Some(&j) = position.get(id)
                    && seen.insert(j)
                {
                    out.push(related_link(
                        &incidents[j],
                        words.text("incident.linked").to_owned(),
                    ));
                }
            }
            let mut scored: BTreeMap<(i64, i64, usize), String> = BTreeMap::new();
            let mut consider = |key: String, reason: String, weight: i64| {
                let Some(list) = groups.get(&key) else { return };
                let at = list.iter().position(|&j| j == i).unwrap_or(0);
                let near = list[at.saturating_sub(2)..(at + 3).min(list.len())].iter();
                for &j in near {
                    if seen.contains(&j) {
                        continue;
                    }
                    let distance = match (inc.started, incidents[j].started) {
                        (Some(a), Some(b)) => a.duration_until(b).as_secs().abs(),
                        _ => i64::MAX,
                    };
                    scored
                        .entry((-weight, distance, j))
                        .or_insert_with(|| reason.clone());
                }
            };
            if let Some(cause) = &inc.cause {
                for service in &inc.service_names {
                    consider(
                        format!("s\u{0}{service}\u{0}{}", cause.name),
                        words.fill(
                            "incident.same_cause",
                            &[("service", service), ("cause", &cause.name)],
                        ),
                        3,
                    );
                }
            }
            for tag in &inc.tag_names {
                consider(
                    format!("t\u{0}{tag}"),
                    words.fill("incident.shared_tag", &[("tag", tag)]),
                    1,
                );
            }
            for ((_, _, j), reason) in scored {
                if out.len() >= 5 + inc.explicit_related.len() {
                    break;
                }
                if seen.insert(j) {
                    out.push(related_link(&incidents[j], reason));
                }
            }
            out
        })
        .collect();
    for (inc, related) in incidents.iter_mut().zip(related) {
        inc.related = related;
    }
}

fn related_link(inc: &Incident, reason: String) -> Related {
    Related {
        title: inc.title.clone(),
        url: inc.url.clone(),
        date: inc.date.clone(),
        reason,
    }
}
