//! The ids declared across a corpus, for the cross-file rules.

use std::collections::HashMap;

use crate::parse::ids::FileIds;

/// Postmortem and action-item ids across the repository.
#[derive(Debug, Default)]
pub struct IdIndex {
    /// id → paths of the files that declare it, sorted.
    pub ids: HashMap<String, Vec<String>>,
    /// Explicit action-item id → where it is used, sorted by path.
    pub action_ids: HashMap<String, Vec<ActionIdUse>>,
}

/// One use of an explicit action-item id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ActionIdUse {
    pub path: String,
    /// The item's text.
    pub text: String,
}

impl IdIndex {
    /// The index of the ids of `files`.
    pub fn of_files(files: impl IntoIterator<Item = FileIds>) -> IdIndex {
        let mut index = IdIndex::default();
        for file in files {
            index.add_file(file);
        }
        index
    }

    /// Records that the file at `path` declares `id`.
    pub fn add(&mut self, id: String, path: String) {
        let paths = self.ids.entry(id).or_default();
        paths.push(path);
        paths.sort();
    }

    /// Adds the ids of one file.
    pub fn add_file(&mut self, file: FileIds) {
        if let Some(id) = file.id {
            self.add(id, file.path.clone());
        }
        for action in file.action_ids {
            let uses = self.action_ids.entry(action.id).or_default();
            uses.push(ActionIdUse {
                path: file.path.clone(),
                text: action.text,
            });
            uses.sort();
        }
    }

    /// Removes what [`IdIndex::add_file`] added for `file`, before the
    /// file changes or goes away.
    pub fn remove_file(&mut self, file: &FileIds) {
        if let Some(id) = &file.id
            && let Some(paths) = self.ids.get_mut(id)
        {
            paths.retain(|p| *p != file.path);
            if paths.is_empty() {
                self.ids.remove(id);
            }
        }
        for action in &file.action_ids {
            if let Some(uses) = self.action_ids.get_mut(&action.id) {
                uses.retain(|u| u.path != file.path);
                if uses.is_empty() {
                    self.action_ids.remove(&action.id);
                }
            }
        }
    }
}
