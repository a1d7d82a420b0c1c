//! The ids a postmortem declares and names: what the cross-file rules need
//! from the postmortems that are not being checked.
//!
//! Two readings give them. [`FileIds::of`] takes them from the parsed
//! model, and is what a whole-corpus command uses. [`FileIds::scan`] reads
//! them with a line scan and a front-matter-only parse, so that the hook,
//! which checks one file against thousands, parses one file. The property
//! test `the_id_scan_agrees_with_the_parser` (`tests/properties.rs`) holds
//! the scan to the parse.

use std::collections::HashSet;

use super::action_ids::{ActionId, Scanner};
use super::front_matter;
use crate::model::{Postmortem, PostmortemFile};

/// The id, explicit action ids and `related` ids of one postmortem.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileIds {
    /// Relative to the repository root.
    pub path: String,
    pub id: Option<String>,
    pub action_ids: Vec<ActionId>,
    /// Filled by [`FileIds::of`] and [`FileIds::with_related`] only: the
    /// scan reads it only where a change can remove ids.
    pub related: Vec<String>,
}

impl FileIds {
    /// The ids of a parsed postmortem.
    pub fn of(pm: &Postmortem) -> FileIds {
        let fm = pm.front_matter.as_ref();
        FileIds {
            path: pm.path.clone(),
            id: pm.id().map(str::to_owned),
            action_ids: pm
                .actions
                .iter()
                .filter(|a| a.is_task)
                .filter_map(|a| {
                    Some(ActionId {
                        id: a.id.as_ref()?.value.clone(),
                        text: a.text.clone(),
                    })
                })
                .collect(),
            related: fm
                .and_then(|fm| fm.related.as_ref())
                .map(|r| r.value.iter().map(|f| f.value.clone()).collect())
                .unwrap_or_default(),
        }
    }

    /// The id and action ids of `text`, by the cheap scan; `related` is
    /// left empty.
    pub fn scan(path: String, text: &str, scanner: &Scanner) -> FileIds {
        FileIds {
            path,
            id: front_matter::scan_id(text),
            action_ids: scanner.scan(text),
            related: Vec::new(),
        }
    }

    /// Also reads `related` from `text` (a front-matter parse), which only
    /// the checks of removed ids need.
    pub fn with_related(mut self, text: &str) -> FileIds {
        self.related = front_matter::scan_related(text);
        self
    }

    /// Whether `related` names one of `ids`.
    pub fn names_any(&self, ids: &HashSet<String>) -> bool {
        self.related.iter().any(|id| ids.contains(id))
    }
}

/// The ids of `old_ids` that neither `files` nor `others` declare: the ones
/// a change removed.
pub fn removed_ids<'a>(
    old_ids: Vec<String>,
    files: &[PostmortemFile],
    others: impl Iterator<Item = &'a FileIds>,
) -> HashSet<String> {
    let mut removed: HashSet<String> = old_ids.into_iter().collect();
    if removed.is_empty() {
        return removed;
    }
    for file in files {
        if let Some(id) = file
            .text
            .as_ref()
            .ok()
            .and_then(|t| front_matter::scan_id(t))
        {
            removed.remove(&id);
        }
    }
    for file in others {
        if let Some(id) = &file.id {
            removed.remove(id);
        }
    }
    removed
}
