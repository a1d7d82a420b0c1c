//! Drafts: one rule for every output. A postmortem is a draft when its
//! `status` is the first of `[lint] statuses` (`draft` by default): its
//! facts are not settled yet, so `pmbook stats`, `pmbook actions` and the
//! site leave it out (`--include-drafts` counts drafts in `stats` and
//! `actions`; the site shows them, badged, only when asked: `build
//! --drafts`, never `--public`), and every output that leaves a draft out
//! says which.

use crate::config::Config;

/// Whether a postmortem with `status` is a draft.
pub fn is_draft(config: &Config, status: Option<&str>) -> bool {
    status.is_some() && status == config.lint.statuses.first().map(String::as_str)
}

/// Whether `pm` is an import not yet reviewed: it still has the
/// `## Import notes` section `pmbook import` writes, or `unconfirmed`
/// fields.
pub fn is_imported(pm: &crate::model::Postmortem) -> bool {
    let unconfirmed = pm
        .front_matter
        .as_ref()
        .is_some_and(|fm| fm.unconfirmed().next().is_some());
    unconfirmed
        || pm
            .sections
            .iter()
            .any(|s| s.title.trim().eq_ignore_ascii_case(IMPORT_NOTES))
}

/// The heading of the list of what a person must supply after an import.
pub const IMPORT_NOTES: &str = "Import notes";

/// `1 draft left out: a.md` or `2 drafts left out: a.md, b.md`; `None`
/// without drafts.
pub fn left_out(paths: &[String]) -> Option<String> {
    match paths {
        [] => None,
        [one] => Some(format!("1 draft left out: {one}")),
        many => Some(format!(
            "{} drafts left out: {}",
            many.len(),
            many.join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_status_is_the_draft_state() {
        let config = Config::default();
        assert!(is_draft(&config, Some("draft")));
        assert!(!is_draft(&config, Some("published")));
        assert!(!is_draft(&config, None));
    }

    #[test]
    fn the_note_names_every_draft() {
        assert_eq!(left_out(&[]), None);
        assert_eq!(
            left_out(&["a.md".into()]).as_deref(),
            Some("1 draft left out: a.md")
        );
        assert_eq!(
            left_out(&["a.md".into(), "b.md".into()]).as_deref(),
            Some("2 drafts left out: a.md, b.md")
        );
    }
}
