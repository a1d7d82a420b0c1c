use crate::corpus::IdIndex;
use crate::lint::{Context, Violation, rule};
use crate::parse::ids::FileIds;

rule! {
    /// `related` names a postmortem id that does not exist.
    ///
    /// Related incidents are how a reader follows a recurring problem; a
    /// dangling id is a dead link on the site. Checked against every
    /// postmortem of the repository, even when only some files are linted.
    /// The "did you mean" hint names the id whose part after the date is
    /// closest to the one written (ids of one month share most of their
    /// letters), and never the postmortem's own id.
    pub static BROKEN_REFERENCE = {
        id: "broken-reference",
        level: Error,
        relaxed_in_draft: false,
        check: check,
        cross_file: can_report,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(index) = ctx.index else {
        return;
    };
    let Some(related) = ctx
        .pm
        .front_matter
        .as_ref()
        .and_then(|fm| fm.related.as_ref())
    else {
        return;
    };
    for id in &related.value {
        if index.ids.contains_key(&id.value) {
            continue;
        }
        let violation = Violation::at(id.span, format!("no postmortem has the id `{}`", id.value));
        let own = ctx.pm.id();
        let known = index
            .ids
            .keys()
            .map(String::as_str)
            .filter(|known| Some(*known) != own);
        out.push(match closest(&id.value, known) {
            Some(best) => violation.help(format!("did you mean `{best}`?")),
            None => violation,
        });
    }
}

/// Only a file whose `related` names an id no postmortem has can report.
fn can_report(ids: &FileIds, index: &IdIndex) -> bool {
    ids.related.iter().any(|id| !index.ids.contains_key(id))
}

/// The id of `known` closest to `id`: first by the part after the
/// `YYYY-MM-DD-` prefix, then by the whole id. `None` when no slug is close
/// enough to be a typo.
fn closest<'a>(id: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let slug = after_date(id);
    known
        .into_iter()
        .map(|candidate| {
            let by_slug = strsim::jaro_winkler(slug, after_date(candidate));
            let by_id = strsim::jaro_winkler(id, candidate);
            (by_slug, by_id, candidate)
        })
        .filter(|(by_slug, _, _)| *by_slug > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map(|(_, _, candidate)| candidate)
}

/// `cache-eviction` for `2026-09-14-cache-eviction`; ids without a date
/// prefix are compared whole.
fn after_date(id: &str) -> &str {
    let bytes = id.as_bytes();
    let is_date = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && bytes[10] == b'-';
    if is_date { &id[11..] } else { id }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_prefix_does_not_make_ids_close() {
        let known = ["2026-11-03-checkout-latency", "2026-09-14-cache-eviction"];
        assert_eq!(
            closest("2026-09-14-cache-evction", known),
            Some("2026-09-14-cache-eviction")
        );
        assert_eq!(
            closest("2026-09-15-cache-eviction", known),
            Some("2026-09-14-cache-eviction")
        );
        assert_eq!(closest("2026-09-14-dns-outage", known), None);
        assert_eq!(after_date("2026-09-14-cache"), "cache");
        assert_eq!(after_date("cache-eviction"), "cache-eviction");
        assert_eq!(after_date("2026-09-14-"), "2026-09-14-");
    }
}
