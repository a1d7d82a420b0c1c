//! The calendars of the site: `actions.ics` (every open action item with a
//! due date, as an all-day event on that date) and, outside public builds,
//! one `calendars/<owner>.ics` per owner, in iCalendar (RFC 5545) for
//! calendar apps to subscribe to.
//!
//! An event's UID is made from the item's identity ([`Key`]), not from its
//! date, so a due date changed in the postmortem moves the same event.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rayon::prelude::*;

use super::view::Site;
use crate::actions::{Action, Key};
use crate::config::Project;
use crate::i18n::Catalogue;
use crate::text::slugify;

/// A calendar of the site, and the owner it is for.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Calendar {
    /// Its path in the site (`actions.ics`, `calendars/alice.ics`).
    pub file: String,
    /// `None` for the calendar of every item.
    pub owner: Option<String>,
    #[serde(skip)]
    pub text: String,
}

/// The calendars of `actions` (merged items of the site's incidents):
/// `actions.ics` first, then one per owner in owner order, unless `public`.
pub fn calendars(
    project: &Project,
    site: &Site,
    actions: &[Action],
    public: bool,
    today: Date,
) -> Vec<Calendar> {
    let base = project
        .config
        .site
        .url
        .as_deref()
        .map(|u| format!("{}/", u.trim_end_matches('/')));
    let incidents: BTreeMap<&str, (&str, &str)> = site
        .incidents
        .iter()
        .map(|i| (i.id.as_str(), (i.title.as_str(), i.url.as_str())))
        .collect();
    let due: Vec<Event> = actions
        .iter()
        .filter(|a| !a.done())
        .filter_map(|action| {
            let date = action.due?;
            let (title, url) = incidents.get(action.first().postmortem.as_deref()?)?;
            Some(Event {
                action,
                date,
                incident: title,
                url: match &base {
                    Some(base) => Url::Absolute(format!("{base}{url}")),
                    None => Url::Relative(url),
                },
            })
        })
        .collect();
    let stamp = format!("{}T000000Z", compact(today));
    let words = crate::i18n::catalogue(&project.config.book.language);
    let texts: Vec<String> = due
        .par_iter()
        .map(|e| event(e, &stamp, public, words))
        .collect();
    let mut calendars = vec![Calendar {
        file: "actions.ics".into(),
        owner: None,
        text: ics(
            &words.fill("calendar.all", &[("title", &site.title)]),
            texts.iter().map(String::as_str),
        ),
    }];
    if public {
        return calendars;
    }
    let mut by_owner: BTreeMap<String, (String, Vec<&str>)> = BTreeMap::new();
    for (event, text) in due.iter().zip(&texts) {
        let Some(owner) = &event.action.owner else {
            continue;
        };
        let name = owner.trim_start_matches('@');
        by_owner
            .entry(name.to_lowercase())
            .or_insert_with(|| (name.to_owned(), Vec::new()))
            .1
            .push(text);
    }
    let mut taken: Vec<String> = Vec::new();
    let mut owners = Vec::with_capacity(by_owner.len());
    for (name, events) in by_owner.into_values() {
        let mut slug = slugify(&name);
        if slug.is_empty() {
            slug = "owner".into();
        }
        // Owners whose names differ only in punctuation get one slug.
        let mut file = slug.clone();
        let mut n = 1;
        while taken.contains(&file) {
            n += 1;
            file = format!("{slug}-{n}");
        }
        taken.push(file.clone());
        owners.push((name, file, events));
    }
    calendars.par_extend(owners.into_par_iter().map(|(name, file, events)| Calendar {
        file: format!("calendars/{file}.ics"),
        text: ics(
            &words.fill("calendar.owner", &[("title", &site.title), ("name", &name)]),
            events.into_iter(),
        ),
        owner: Some(name),
    }));
    calendars
}

enum Url<'a> {
    Absolute(String),
    /// From the site's root, when `[site] url` is not set.
    Relative(&'a str),
}

struct Event<'a> {
    action: &'a Action,
    date: Date,
    incident: &'a str,
    url: Url<'a>,
}

/// `YYYYMMDD`.
fn compact(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// A stable UID for an item identity: the SHA-1 of the identity, which
/// holds no date.
fn uid(key: &Key) -> String {
    let identity = match key {
        Key::Explicit(id) => format!("id\n{id}"),
        Key::Implicit { postmortem, text } => format!("implicit\n{postmortem}\n{text}"),
    };
    let hash = crate::repo::object_id(&identity).unwrap_or_else(|| identity.clone());
    format!("{hash}@pmbook")
}

/// A calendar of the events whose texts ([`event`]) are `events`, with
/// CRLF line ends and lines folded at 75 octets.
fn ics<'a>(name: &str, events: impl Iterator<Item = &'a str>) -> String {
    let head = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".into(),
        "PRODID:-//pmbook//action items//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape(name)),
    ];
    let mut text: String = head.iter().map(|l| fold(l)).collect();
    text.extend(events);
    text.push_str(&fold("END:VCALENDAR"));
    text
}

/// The `VEVENT` of `event`, its lines folded: made once, for every
/// calendar that has it.
fn event(event: &Event, stamp: &str, public: bool, words: &'static Catalogue) -> String {
    let field = |label: &str, value: &str| {
        words.fill(
            "calendar.field",
            &[("label", words.text(label)), ("value", value)],
        )
    };
    let action = event.action;
    let end = event.date.tomorrow().unwrap_or(event.date);
    let mut description = Vec::new();
    if let (false, Some(owner)) = (public, &action.owner) {
        description.push(field("calendar.owner_label", owner.trim_start_matches('@')));
    }
    if let Some(kind) = &action.kind {
        description.push(field("calendar.kind", kind));
    }
    if let Some(ticket) = &action.ticket {
        description.push(field("calendar.ticket", ticket));
    }
    description.push(field("calendar.postmortem", event.incident));
    if let Url::Relative(url) = event.url {
        description.push(field("calendar.page", url));
    }
    let mut lines = vec![
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", uid(&action.key)),
        format!("DTSTAMP:{stamp}"),
        format!("DTSTART;VALUE=DATE:{}", compact(event.date)),
        format!("DTEND;VALUE=DATE:{}", compact(end)),
        format!("SUMMARY:{}", escape(&plain_text(&action.text))),
        format!("DESCRIPTION:{}", escape(&description.join("\n"))),
    ];
    if let Url::Absolute(url) = &event.url {
        lines.push(format!("URL:{url}"));
    }
    lines.push("TRANSP:TRANSPARENT".into());
    lines.push("END:VEVENT".into());
    lines.iter().map(|l| fold(l)).collect()
}

/// The text of an item's Markdown, without markup or raw HTML: calendar
/// apps may show a description as HTML.
fn plain_text(markdown: &str) -> String {
    let arena = comrak::Arena::new();
    crate::parse::markdown::text_content(super::markdown::parse(&arena, markdown))
}

/// A TEXT value: `\`, `;`, `,` and line breaks escaped (RFC 5545 3.3.11),
/// and anything that looks like an HTML tag left out, for the apps that
/// show a description as HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                for skipped in chars.by_ref() {
                    if skipped == '>' {
                        break;
                    }
                }
            }
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets (continuation lines start with a
/// space, which counts), never inside a UTF-8 character, ended by CRLF.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a, b; c\\d\r\ne\nf"), "a\\, b\\; c\\\\d\\ne\\nf");
        assert_eq!(escape("<b onclick=x>bold</b> a < b"), "bold a < b");
    }

    #[test]
    fn lines_fold_at_75_octets_between_characters() {
        let line = format!("SUMMARY:{}", "é".repeat(40));
        let folded = fold(&line);
        for part in folded.split("\r\n").filter(|p| !p.is_empty()) {
            assert!(part.len() <= 75, "{part:?} is {} octets", part.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{line}\r\n"));
    }
}
