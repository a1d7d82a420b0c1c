//! URL slugs of index terms.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::view::Term;
use crate::model::{Field, Postmortem};
use crate::text::slugify;

/// URL-safe, collision-free slugs for every term, decided once so that
/// every page links the same way.
pub struct Slugs {
    by_kind: HashMap<&'static str, BTreeMap<String, String>>,
}

impl Slugs {
    pub fn new(postmortems: &[Postmortem]) -> Slugs {
        let mut names: HashMap<&'static str, Vec<String>> = HashMap::new();
        for pm in postmortems {
            let Some(fm) = &pm.front_matter else { continue };
            let list = |f: &Option<Field<Vec<Field<String>>>>| {
                f.iter()
                    .flat_map(|l| l.value.iter().map(|v| v.value.clone()))
                    .collect::<Vec<_>>()
            };
            names
                .entry("services")
                .or_default()
                .extend(list(&fm.services));
            names.entry("tags").or_default().extend(list(&fm.tags));
            names
                .entry("severities")
                .or_default()
                .extend(fm.severity.iter().map(|f| f.value.clone()));
            names
                .entry("causes")
                .or_default()
                .extend(fm.root_cause_category.iter().map(|f| f.value.clone()));
        }
        let mut by_kind = HashMap::new();
        for (kind, mut list) in names {
            list.sort();
            list.dedup();
            let mut taken = Taken::default();
            let mut slugs = BTreeMap::new();
            for name in list {
                let slug = taken.claim(slugify(&name), "term");
                slugs.insert(name, slug);
            }
            by_kind.insert(kind, slugs);
        }
        Slugs { by_kind }
    }

    /// A digest of every slug, the same for the same slugs.
    pub fn digest(&self) -> u64 {
        let mut kinds: Vec<_> = self.by_kind.iter().collect();
        kinds.sort_by_key(|(kind, _)| **kind);
        super::output::digest(&kinds)
    }

    pub fn term(&self, kind: &'static str, name: &str) -> Term {
        let slug = self.slug(kind, name);
        Term {
            name: name.to_owned(),
            url: format!("{kind}/{slug}.html"),
        }
    }

    pub fn slug(&self, kind: &'static str, name: &str) -> String {
        self.by_kind
            .get(kind)
            .and_then(|m| m.get(name))
            .cloned()
            .unwrap_or_else(|| "term".to_owned())
    }
}

/// The slugs given out so far in one directory of the site.
#[derive(Default)]
pub struct Taken(HashSet<String>);

impl Taken {
    /// `slug` (or `fallback` when it is empty), with `-2`, `-3`, … after it
    /// when it is taken already.
    pub fn claim(&mut self, slug: String, fallback: &str) -> String {
        let base = if slug.is_empty() {
            fallback.to_owned()
        } else {
            slug
        };
        let mut slug = base.clone();
        let mut n = 2;
        while !self.0.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slug
    }
}
