//! The view of one incident: its facts, times, durations and body.

use std::collections::HashMap;
use std::ops::Range;

use super::board::{ShownUnder, action_row};
use super::body::{Views, contents, segments};
use super::page::PageInputs;
use super::{ActionRow, Fact, Incident, SloView, TimelineItem};
use crate::config::Project;
use crate::i18n::Catalogue;
use crate::links::Disk;
use crate::model::{DateTime, Field, FrontMatter, Postmortem};
use crate::site::search::search_words;
use crate::site::{BuildOptions, fishbone, markdown};
use crate::text::{slugify, url_path};

pub(super) fn incident(
    project: &Project,
    pm: &Postmortem,
    options: &BuildOptions,
    inputs: &PageInputs,
    full: bool,
) -> Incident {
    let PageInputs {
        slugs,
        last_updated,
        links: pages,
        mermaid,
    } = inputs;
    let mermaid = *mermaid;
    let config = &project.config;
    let w = crate::i18n::catalogue(&config.book.language);
    let disk = Disk::of(project);
    let mut links = markdown::Links::new(&disk, &pm.path, pages, "../");
    links.mermaid = mermaid;
    let fm = pm
        .front_matter
        .as_ref()
        .expect("usable postmortems have front-matter");
    let id = pm.id().unwrap_or_default().to_owned();
    let title = fm
        .title
        .as_ref()
        .map_or_else(|| id.clone(), |t| t.value.clone());
    let hidden = |field: &str| {
        options.public && config.site.public_exclude_fields.iter().any(|f| f == field)
    };
    let list = |f: &Option<Field<Vec<Field<String>>>>| -> Vec<String> {
        f.iter()
            .flat_map(|l| l.value.iter().map(|v| v.value.clone()))
            .collect()
    };
    let service_names = list(&fm.services);
    let tag_names = list(&fm.tags);
    let severity = fm
        .severity
        .as_ref()
        .map_or_else(String::new, |f| f.value.clone());
    let started = fm.started_at.as_ref().map(|f| f.value);
    let (date, month) = match &started {
        Some(at) => {
            let d = at.date();
            (d.to_string(), d.strftime("%Y-%m").to_string())
        }
        None => ("undated".to_owned(), "undated".to_owned()),
    };
    let times = times(fm, w);
    let durations = durations(fm, w);
    let timeline = timeline_items(pm, started, &links, w);
    let fishbone = fishbone::svg(&title, &pm.ishikawa);
    let url = format!("incidents/{id}.html");
    let under = ShownUnder {
        id: &id,
        title: &title,
        url: &url,
    };
    let actions = action_rows(project, options, pm, &under, &links);
    let replaced = replaced_sections(
        pm,
        project,
        options,
        [
            ("Timeline", "timeline", !timeline.is_empty()),
            ("Action items", "actions", !actions.is_empty()),
            ("Ishikawa", "ishikawa", fishbone.is_some()),
        ],
    );
    let body_start = pm.source.line_start(pm.source.line_of(fm.span.end) + 1);
    let views = Views {
        pm,
        timeline: &timeline,
        actions: &actions,
        bones: pm
            .ishikawa
            .iter()
            .map(|b| pm.source.line_of(b.span.start))
            .collect(),
        links: &links,
    };
    // The body, the longest part, only for the page (see [`super::Site::page`]).
    let body = if full {
        segments(&views, body_start, &replaced)
    } else {
        Vec::new()
    };
    let summary = summary(pm);
    // The search index counts the light views' words; a page shows none.
    let words = if full {
        String::new()
    } else {
        // Search covers what the page shows: all but the sections left out.
        let cut: Vec<Range<usize>> = replaced
            .iter()
            .filter(|(_, kind)| kind.is_empty())
            .map(|(r, _)| r.clone())
            .collect();
        search_words(pm, &cut)
    };
    Incident {
        id: id.clone(),
        title,
        url,
        status: pm.status().unwrap_or_default().to_owned(),
        draft: crate::drafts::is_draft(&project.config, pm.status()),
        imported: crate::drafts::is_imported(pm),
        severity_class: slugify(&severity),
        severity,
        services: service_names
            .iter()
            .map(|s| slugs.term("services", s))
            .collect(),
        tags: tag_names.iter().map(|t| slugs.term("tags", t)).collect(),
        authors: if hidden("authors") {
            Vec::new()
        } else {
            list(&fm.authors)
        },
        cause: fm
            .root_cause_category
            .as_ref()
            .map(|c| slugs.term("causes", &c.value)),
        trigger: fm
            .trigger
            .as_ref()
            .filter(|_| !hidden("trigger"))
            .map(|t| t.value.clone()),
        caused_by_change: fm.caused_by_change.as_ref().map(|c| c.value),
        date,
        month,
        summary,
        times,
        durations,
        slo: if hidden("slo") {
            Vec::new()
        } else {
            slo_views(fm, w)
        },
        contents: contents(&body, w),
        body,
        fishbone: fishbone.filter(|_| full),
        related: Vec::new(),
        edit_url: match &config.site.edit_url {
            Some(pattern) if !options.public => {
                Some(pattern.replace("{path}", &url_path(&pm.path)))
            }
            _ => None,
        },
        last_updated: last_updated.get(&pm.path).cloned(),
        diagrams: links.diagrams.get(),
        words,
        path: pm.path.clone(),
        attachments: links.attachments.take().into_iter().collect(),
        started: started.map(|s| s.timestamp),
        explicit_related: list(&fm.related),
        source: 0,
        unchanged: false,
        tag_names,
        service_names,
    }
}

/// The times of the front-matter, as written.
fn times(fm: &FrontMatter, words: &'static Catalogue) -> Vec<Fact> {
    let mut times = Vec::new();
    for (key, field) in [
        ("incident.started", &fm.started_at),
        ("incident.detected", &fm.detected_at),
        ("incident.acknowledged", &fm.acknowledged_at),
        ("incident.mitigated", &fm.mitigated_at),
        ("incident.resolved", &fm.resolved_at),
        ("incident.reviewed", &fm.review_at),
    ] {
        if let Some(f) = field {
            times.push(Fact {
                label: words.text(key),
                value: format_time(&f.value, words),
            });
        }
    }
    times
}

/// The durations the front-matter's times give.
fn durations(fm: &FrontMatter, words: &'static Catalogue) -> Vec<Fact> {
    let d = fm.durations();
    [
        ("incident.to_detect", d.to_detect),
        ("incident.to_acknowledge", d.to_acknowledge),
        ("incident.to_mitigate", d.to_mitigate),
        ("incident.to_resolve", d.to_resolve),
    ]
    .into_iter()
    .filter_map(|(key, value)| {
        Some(Fact {
            label: words.text(key),
            value: words.duration(value?),
        })
    })
    .collect()
}

/// Every timeline entry, by its line: one whose time cannot be read is
/// still shown, without a time, as written.
fn timeline_items(
    pm: &Postmortem,
    started: Option<DateTime>,
    links: &markdown::Links,
    words: &'static Catalogue,
) -> HashMap<usize, TimelineItem> {
    pm.timeline
        .iter()
        .map(|entry| {
            let line = pm.source.line_of(entry.span.start);
            let item = match entry.at.as_ref() {
                Ok(at) => TimelineItem {
                    at: format_time(at, words),
                    offset: started.map(|s| {
                        format!(
                            "T+{}",
                            words.duration(s.timestamp.duration_until(at.timestamp))
                        )
                    }),
                    html: markdown::inline_html(&entry.text, links),
                },
                Err(_) => TimelineItem {
                    at: String::new(),
                    offset: None,
                    html: markdown::inline_html(&entry.text, links),
                },
            };
            (line, item)
        })
        .collect()
}

/// The rows of the page's action items, by line.
fn action_rows(
    project: &Project,
    options: &BuildOptions,
    pm: &Postmortem,
    under: &ShownUnder,
    links: &markdown::Links,
) -> HashMap<usize, ActionRow> {
    let items = pm.actions.iter().filter(|a| a.is_task);
    crate::actions::actions_of(pm)
        .iter()
        .zip(items)
        .map(|(action, item)| {
            let mut row = action_row(project, options, action, under, links);
            // The page shows the due date as written, even one `lint`
            // cannot read as a date.
            row.due = item.due.as_ref().map(|d| d.value.clone());
            (pm.source.line_of(item.span.start), row)
        })
        .collect()
}

/// The sections the page does not show as written, in order: those pmbook
/// draws itself (`drawn`: heading, kind, whether the page has it) and, in
/// a public build, those left out (kind `""`).
fn replaced_sections(
    pm: &Postmortem,
    project: &Project,
    options: &BuildOptions,
    drawn: [(&'static str, &'static str, bool); 3],
) -> Vec<(Range<usize>, &'static str)> {
    let mut sections: Vec<(&str, &'static str)> = drawn
        .into_iter()
        .filter(|(_, _, present)| *present)
        .map(|(name, kind, _)| (name, kind))
        .collect();
    if options.public {
        sections.extend(
            project
                .config
                .site
                .public_exclude_sections
                .iter()
                .map(|s| (s.as_str(), "")),
        );
    }
    let mut replaced: Vec<(Range<usize>, &'static str)> = sections
        .iter()
        .flat_map(|(name, kind)| {
            markdown::section_ranges(pm, name)
                .into_iter()
                .map(move |r| (r, *kind))
        })
        .collect();
    replaced.sort_by_key(|(r, _)| r.start);
    replaced
}

/// The SLOs of the front-matter, with the share of budget consumed.
fn slo_views(fm: &FrontMatter, words: &'static Catalogue) -> Vec<SloView> {
    fm.slo
        .iter()
        .map(|s| SloView {
            name: s.value.name.as_ref().map_or_else(
                || words.text("incident.unnamed_slo").to_owned(),
                |n| n.value.clone(),
            ),
            budget_percent: s.value.budget_consumed.as_ref().map_or_else(
                || words.text("incident.unknown").to_owned(),
                |b| words.budget(b.value),
            ),
        })
        .collect()
}

/// `2026-11-03 09:12 UTC` or `2026-11-03 22:12 -05:00` (in English): at
/// the offset it was written with, written as in the postmortem
/// (`±HH:MM`).
pub fn format_time(at: &DateTime, words: &'static Catalogue) -> String {
    let civil = at.offset.to_datetime(at.timestamp);
    let seconds = at.offset.seconds();
    let zone = if seconds == 0 {
        "UTC".to_owned()
    } else {
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    };
    let time = civil.strftime("%H:%M").to_string();
    words.datetime(civil.date(), &time, &zone)
}

/// The first paragraph of the Summary section, as plain text; empty when
/// the section has none.
fn summary(pm: &Postmortem) -> String {
    let Some(at) = pm
        .sections
        .iter()
        .position(|s| s.canonical.as_deref() == Some("Summary"))
    else {
        return String::new();
    };
    let section = &pm.sections[at];
    // An empty Summary has no summary: the next section's text is not one.
    let end = pm
        .sections
        .get(at + 1)
        .map_or(pm.source.text.len(), |next| next.heading.start);
    pm.prose
        .iter()
        .find(|span| span.start > section.heading.end && span.start < end)
        .map(|span| crate::parse::markdown::collapse_lines(&pm.source.text[span.range()]))
        .unwrap_or_default()
}
