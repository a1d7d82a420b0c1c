//! The cross-incident indexes: services, severities, tags and root causes.

use std::collections::BTreeMap;

use super::{Incident, Index, TermPage};
use crate::config::Project;
use crate::site::slugs::Slugs;

pub(super) fn indexes(project: &Project, incidents: &[Incident], slugs: &Slugs) -> Vec<Index> {
    let mut services: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut tags: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut causes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut severities: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, inc) in incidents.iter().enumerate() {
        for s in &inc.service_names {
            services.entry(s.clone()).or_default().push(i);
        }
        for t in &inc.tag_names {
            tags.entry(t.clone()).or_default().push(i);
        }
        if let Some(c) = &inc.cause {
            causes.entry(c.name.clone()).or_default().push(i);
        }
        if !inc.severity.is_empty() {
            severities.entry(inc.severity.clone()).or_default().push(i);
        }
    }
    let pages = |kind: &'static str, map: BTreeMap<String, Vec<usize>>| -> Vec<TermPage> {
        map.into_iter()
            .map(|(name, incidents)| TermPage {
                slug: slugs.slug(kind, &name),
                name,
                incidents,
            })
            .collect()
    };
    let order = &project.config.lint.severities;
    let words = crate::i18n::catalogue(&project.config.book.language);
    let mut severity_pages = pages("severities", severities);
    severity_pages.sort_by_key(|t| {
        order
            .iter()
            .position(|s| *s == t.name)
            .unwrap_or(usize::MAX)
    });
    vec![
        Index {
            kind: "services",
            title: words.text("indexes.services"),
            terms: pages("services", services),
        },
        Index {
            kind: "severities",
            title: words.text("indexes.severities"),
            terms: severity_pages,
        },
        Index {
            kind: "tags",
            title: words.text("indexes.tags"),
            terms: pages("tags", tags),
        },
        Index {
            kind: "causes",
            title: words.text("indexes.causes"),
            terms: pages("causes", causes),
        },
    ]
}
