//! In a French book, the French names of action kinds and root-cause
//! categories, read as the configured names they stand for (`kind:
//! corriger` is `kind: fix`), so that rules, the action index, metrics and
//! the site see one name.

use crate::config::Config;
use crate::language::{FRENCH_CATEGORIES, FRENCH_KINDS, configured_name};
use crate::model::{Field, Postmortem};

/// Replaces, in `pm`, each French kind or category that stands for a
/// configured one by that one; the span still points at what was written.
pub fn read_french_names(pm: &mut Postmortem, config: &Config) {
    if !crate::language::is_french(&config.book.language) {
        return;
    }
    let kinds = &config.actions.kinds;
    let categories = &config.lint.root_cause_categories;
    for kind in pm.actions.iter_mut().filter_map(|item| item.kind.as_mut()) {
        replace(kind, kinds, FRENCH_KINDS);
    }
    if let Some(category) = pm
        .front_matter
        .as_mut()
        .and_then(|fm| fm.root_cause_category.as_mut())
    {
        replace(category, categories, FRENCH_CATEGORIES);
    }
    for bone in &mut pm.ishikawa {
        replace(&mut bone.category, categories, FRENCH_CATEGORIES);
    }
}

fn replace(field: &mut Field<String>, configured: &[String], french: &[(&str, &str)]) {
    if let Some(name) = configured_name(&field.value, configured, french) {
        field.value = name.to_owned();
    }
}
