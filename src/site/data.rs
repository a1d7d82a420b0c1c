//! What the templates show: one view per incident, the cross-incident
//! indexes and the action-item board, computed once per build.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use rayon::prelude::*;
use serde::Serialize;

use super::BuildOptions;
use super::fishbone;
use super::markdown;
use crate::config::Project;
use crate::links::Disk;
use crate::lint::rules::id_format::slugify;
use crate::model::{DateTime, Field, Postmortem};
use crate::text::{url_component, url_path};

/// A term of an index (a service, a tag, …) with its page.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineItem {
    pub at: String,
    /// Time since the incident started (`T+8 min`).
    pub offset: Option<String>,
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    pub status: &'static str,
    pub overdue: bool,
    pub html: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub kind: Option<String>,
    pub ticket: Option<String>,
    pub ticket_url: Option<String>,
    pub incident_id: String,
    pub incident_title: String,
    pub incident_url: String,
    pub services: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub title: String,
    pub url: String,
    pub date: String,
    pub reason: String,
}

/// A part of the incident page body, in reading order: rendered Markdown,
/// or a section pmbook draws itself (`timeline`, `actions`, `ishikawa`)
/// where the postmortem has it.
#[derive(Debug, Clone, Serialize)]
pub struct Segment {
    pub kind: &'static str,
    pub html: String,
    /// What a drawn Timeline or Action items section holds, in order: its
    /// entries drawn as pmbook draws them, and everything else written
    /// there rendered as Markdown.
    pub parts: Vec<Part>,
}

/// A part of a drawn section: `html`, a run of `timeline` entries, a run
/// of `actions` or the `ishikawa` diagram.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub kind: &'static str,
    pub html: String,
    pub timeline: Vec<TimelineItem>,
    pub actions: Vec<ActionRow>,
}

/// An entry of a page's "On this page" list: a section heading.
#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub id: String,
    /// The heading's HTML (escaped, with its inline markup).
    pub html: String,
}

/// A page with at least this many sections lists them at its top.
const CONTENTS_FROM: usize = 6;

#[derive(Debug, Clone, Serialize)]
pub struct SloView {
    pub name: String,
    pub budget_percent: String,
}

/// One incident, ready for its page and for every list it appears in.
#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub url: String,
    pub status: String,
    pub severity: String,
    pub severity_class: String,
    pub services: Vec<Term>,
    pub tags: Vec<Term>,
    pub authors: Vec<String>,
    pub cause: Option<Term>,
    pub trigger: Option<String>,
    pub caused_by_change: Option<bool>,
    pub date: String,
    pub month: String,
    pub summary: String,
    pub times: Vec<Fact>,
    pub durations: Vec<Fact>,
    pub slo: Vec<SloView>,
    pub body: Vec<Segment>,
    /// The sections, for the "On this page" list of a long page (empty on a
    /// short one).
    pub contents: Vec<Heading>,
    pub fishbone: Option<String>,
    pub related: Vec<Related>,
    pub edit_url: Option<String>,
    pub last_updated: Option<String>,
    /// The page has a diagram for the renderer to draw.
    pub diagrams: bool,
    /// The words of the incident, for the search index.
    #[serde(skip)]
    pub words: String,
    /// The postmortem, relative to the repository root.
    #[serde(skip)]
    pub path: String,
    /// The files its page links to, relative to the project directory,
    /// to copy under [`markdown::ATTACHMENTS`].
    #[serde(skip)]
    pub attachments: Vec<String>,
    #[serde(skip)]
    pub started: Option<Timestamp>,
    #[serde(skip)]
    explicit_related: Vec<String>,
    #[serde(skip)]
    tag_names: Vec<String>,
    #[serde(skip)]
    service_names: Vec<String>,
}

/// What lists, indexes and the feed show of an incident: small, so that a
/// list of thousands of incidents does not copy their pages.
#[derive(Debug, Clone, Serialize)]
pub struct Summary<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub status: &'a str,
    pub severity: &'a str,
    pub severity_class: &'a str,
    pub services: &'a [Term],
    pub date: &'a str,
    pub summary: &'a str,
    pub last_updated: Option<&'a str>,
}

impl Incident {
    pub fn summary(&self) -> Summary<'_> {
        Summary {
            id: &self.id,
            title: &self.title,
            url: &self.url,
            status: &self.status,
            severity: &self.severity,
            severity_class: &self.severity_class,
            services: &self.services,
            date: &self.date,
            summary: &self.summary,
            last_updated: self.last_updated.as_deref(),
        }
    }
}

/// A cross-incident index: services, severities, tags or causes.
#[derive(Debug, Clone, Serialize)]
pub struct Index {
    /// Directory and page name (`services`).
    pub kind: &'static str,
    pub title: &'static str,
    pub terms: Vec<TermPage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermPage {
    pub name: String,
    pub slug: String,
    /// Positions in [`Site::incidents`], newest first.
    pub incidents: Vec<usize>,
}

/// Everything the site shows.
pub struct Site {
    pub title: String,
    /// Newest first.
    pub incidents: Vec<Incident>,
    pub indexes: Vec<Index>,
    pub actions: Vec<ActionRow>,
    /// What the metrics read of each incident in the site.
    pub metric_incidents: Vec<crate::metrics::Incident>,
    pub skipped: Vec<(String, String)>,
    /// Paths of the drafts left out (see [`crate::drafts`]).
    pub drafts: Vec<String>,
    pub public: bool,
}

impl Site {
    pub fn new(
        project: &Project,
        postmortems: Vec<Postmortem>,
        options: &BuildOptions,
        last_updated: &HashMap<String, String>,
    ) -> Site {
        let config = &project.config;
        let mut skipped = Vec::new();
        let mut drafts = Vec::new();
        let mut pages: HashMap<String, Option<String>> = postmortems
            .iter()
            .map(|pm| (pm.path.clone(), None))
            .collect();
        let included: Vec<Postmortem> = postmortems
            .into_iter()
            .filter(|pm| match usable(pm) {
                Ok(()) => {
                    let public = visibility(pm) == "public";
                    if !options.public || public {
                        let is_draft = crate::drafts::is_draft(config, pm.status());
                        if is_draft {
                            drafts.push(pm.path.clone());
                        }
                        !is_draft
                    } else {
                        false
                    }
                }
                Err(reason) => {
                    skipped.push((pm.path.clone(), reason));
                    false
                }
            })
            .collect();
        let metric_incidents = included
            .iter()
            .filter_map(|pm| crate::metrics::Incident::from_postmortem(pm).ok())
            .collect();
        for pm in &included {
            let id = pm.id().unwrap_or_default();
            pages.insert(pm.path.clone(), Some(format!("incidents/{id}.html")));
        }
        let slugs = Slugs::new(&included);
        let mut incidents: Vec<Incident> = included
            .par_iter()
            .map(|pm| incident(project, pm, options, &slugs, last_updated, &pages))
            .collect();
        incidents.sort_by(|a, b| b.started.cmp(&a.started).then_with(|| a.id.cmp(&b.id)));
        link_related(&mut incidents);
        let indexes = indexes(project, &incidents, &slugs);
        let mut actions = board(project, &included, &incidents, options, &pages);
        actions.sort_by(|a, b| {
            let rank = |r: &ActionRow| (r.status == "done", !r.overdue, r.due.is_none());
            rank(a)
                .cmp(&rank(b))
                .then_with(|| a.due.cmp(&b.due))
                .then_with(|| a.incident_id.cmp(&b.incident_id))
        });
        Site {
            title: config.book.title.clone(),
            incidents,
            indexes,
            actions,
            metric_incidents,
            skipped,
            drafts,
            public: options.public,
        }
    }
}

/// The action-item board: every item of the site's incidents, merged by
/// identity as `pmbook actions` merges them, so that a follow-up shared by
/// several postmortems is one row (done when every copy is checked), shown
/// under the first incident that lists it.
fn board(
    project: &Project,
    included: &[Postmortem],
    incidents: &[Incident],
    options: &BuildOptions,
    pages: &HashMap<String, Option<String>>,
) -> Vec<ActionRow> {
    let disk = Disk::of(project);
    let by_id: HashMap<&str, &Incident> = incidents.iter().map(|i| (i.id.as_str(), i)).collect();
    let items = included
        .iter()
        .flat_map(crate::actions::actions_of)
        .collect();
    crate::actions::merge(items)
        .into_iter()
        .filter_map(|action| {
            let incident = by_id.get(action.first().postmortem.as_deref()?)?;
            let mut services: Vec<String> = Vec::new();
            for service in action.listings.iter().flat_map(|l| &l.services) {
                if !services.contains(service) {
                    services.push(service.clone());
                }
            }
            let done = action.done();
            Some(ActionRow {
                status: if done { "done" } else { "open" },
                overdue: action.overdue(options.today),
                html: markdown::inline_html(
                    &action.text,
                    &markdown::Links::new(&disk, &incident.path, pages, ""),
                ),
                owner: if options.public {
                    None
                } else {
                    action.owner.clone()
                },
                due: action.due.map(|d| d.to_string()),
                kind: action.kind.clone(),
                ticket_url: ticket_url(project, action.ticket.as_deref()),
                ticket: action.ticket.clone(),
                incident_id: incident.id.clone(),
                incident_title: incident.title.clone(),
                incident_url: incident.url.clone(),
                services,
            })
        })
        .collect()
}

fn ticket_url(project: &Project, ticket: Option<&str>) -> Option<String> {
    let pattern = project.config.actions.ticket_url.as_ref()?;
    Some(pattern.replace("{ticket}", &url_component(ticket?)))
}

/// Why a postmortem cannot be in the site, if it cannot.
fn usable(pm: &Postmortem) -> Result<(), String> {
    if pm.file_problem.is_some() {
        return Err("the file cannot be read as text (see the invalid-file rule)".to_owned());
    }
    let id = pm.id().ok_or("no readable front-matter with an `id`")?;
    let valid_id = crate::lint::rules::id_format::is_valid(id);
    if !valid_id {
        return Err(format!(
            "the id `{id}` is not valid (see the id-format rule)"
        ));
    }
    Ok(())
}

fn visibility(pm: &Postmortem) -> &str {
    pm.front_matter
        .as_ref()
        .and_then(|fm| fm.visibility.as_ref())
        .map_or("internal", |v| v.value.as_str())
}

/// URL-safe, collision-free slugs for every term, decided once so that
/// every page links the same way.
struct Slugs {
    by_kind: HashMap<&'static str, BTreeMap<String, String>>,
}

impl Slugs {
    fn new(postmortems: &[Postmortem]) -> Slugs {
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
            let mut taken = HashSet::new();
            let mut slugs = BTreeMap::new();
            for name in list {
                let base = match slugify(&name) {
                    s if s.is_empty() => "term".to_owned(),
                    s => s,
                };
                let mut slug = base.clone();
                let mut n = 2;
                while !taken.insert(slug.clone()) {
                    slug = format!("{base}-{n}");
                    n += 1;
                }
                slugs.insert(name, slug);
            }
            by_kind.insert(kind, slugs);
        }
        Slugs { by_kind }
    }

    fn term(&self, kind: &'static str, name: &str) -> Term {
        let slug = self.slug(kind, name);
        Term {
            name: name.to_owned(),
            url: format!("{kind}/{slug}.html"),
        }
    }

    fn slug(&self, kind: &'static str, name: &str) -> String {
        self.by_kind
            .get(kind)
            .and_then(|m| m.get(name))
            .cloned()
            .unwrap_or_else(|| "term".to_owned())
    }
}

/// `2026-11-03 09:12 UTC` or `2026-11-03 22:12 -05:00`: at the offset it
/// was written with, written as in the postmortem (`±HH:MM`).
pub fn format_time(at: &DateTime) -> String {
    let civil = at.offset.to_datetime(at.timestamp);
    let seconds = at.offset.seconds();
    let zone = if seconds == 0 {
        "UTC".to_owned()
    } else {
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
    };
    format!("{} {zone}", civil.strftime("%Y-%m-%d %H:%M"))
}

/// `8 min`, `1 h 18 min`, `2 d 3 h`.
pub fn format_duration(duration: SignedDuration) -> String {
    let minutes = duration.as_mins();
    if minutes < 0 {
        return "negative (check the times)".to_owned();
    }
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, _) => format!("{hours} h {mins:02} min"),
        _ => format!("{days} d {hours} h"),
    }
}

fn incident(
    project: &Project,
    pm: &Postmortem,
    options: &BuildOptions,
    slugs: &Slugs,
    last_updated: &HashMap<String, String>,
    pages: &HashMap<String, Option<String>>,
) -> Incident {
    let config = &project.config;
    let disk = Disk::of(project);
    let mut links = markdown::Links::new(&disk, &pm.path, pages, "../");
    links.mermaid = super::diagrams::renderer(project).is_ok_and(|r| r.is_some());
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
    let mut times = Vec::new();
    for (label, field) in [
        ("Started", &fm.started_at),
        ("Detected", &fm.detected_at),
        ("Acknowledged", &fm.acknowledged_at),
        ("Mitigated", &fm.mitigated_at),
        ("Resolved", &fm.resolved_at),
        ("Reviewed", &fm.review_at),
    ] {
        if let Some(f) = field {
            times.push(Fact {
                label,
                value: format_time(&f.value),
            });
        }
    }
    let d = fm.durations();
    let durations = [
        ("Time to detect", d.to_detect),
        ("Time to acknowledge", d.to_acknowledge),
        ("Time to mitigate", d.to_mitigate),
        ("Time to resolve", d.to_resolve),
    ]
    .into_iter()
    .filter_map(|(label, value)| {
        Some(Fact {
            label,
            value: format_duration(value?),
        })
    })
    .collect();
    // Every entry, by its line: one whose time cannot be read is still
    // shown, without a time, as written.
    let timeline: HashMap<usize, TimelineItem> = pm
        .timeline
        .iter()
        .map(|entry| {
            let line = pm.source.line_of(entry.span.start);
            let item = match entry.at.as_ref() {
                Ok(at) => TimelineItem {
                    at: format_time(at),
                    offset: started.map(|s| {
                        format!(
                            "T+{}",
                            format_duration(s.timestamp.duration_until(at.timestamp))
                        )
                    }),
                    html: markdown::inline_html(&entry.text, &links),
                },
                Err(_) => TimelineItem {
                    at: String::new(),
                    offset: None,
                    html: markdown::inline_html(&entry.text, &links),
                },
            };
            (line, item)
        })
        .collect();
    let fishbone = fishbone::svg(&title, &pm.ishikawa);
    let url = format!("incidents/{id}.html");
    let actions: HashMap<usize, ActionRow> = pm
        .actions
        .iter()
        .filter(|a| a.is_task)
        .map(|a| {
            let due_date = a.due_date();
            let ticket = a.ticket.as_ref().map(|t| t.value.clone());
            let row = ActionRow {
                status: if a.done { "done" } else { "open" },
                overdue: !a.done && due_date.is_some_and(|d| d < options.today),
                html: markdown::inline_html(&a.text, &links),
                owner: if options.public {
                    None
                } else {
                    a.owner.as_ref().map(|o| o.value.clone())
                },
                due: a.due.as_ref().map(|d| d.value.clone()),
                kind: a.kind.as_ref().map(|k| k.value.clone()),
                ticket_url: ticket_url(project, ticket.as_deref()),
                ticket,
                incident_id: id.clone(),
                incident_title: title.clone(),
                incident_url: url.clone(),
                services: service_names.clone(),
            };
            (pm.source.line_of(a.span.start), row)
        })
        .collect();
    let mut drawn: Vec<(&str, &'static str)> = Vec::new();
    if !timeline.is_empty() {
        drawn.push(("Timeline", "timeline"));
    }
    if !actions.is_empty() {
        drawn.push(("Action items", "actions"));
    }
    if fishbone.is_some() {
        drawn.push(("Ishikawa", "ishikawa"));
    }
    if options.public {
        drawn.extend(
            config
                .site
                .public_exclude_sections
                .iter()
                .map(|s| (s.as_str(), "")),
        );
    }
    let mut replaced: Vec<(std::ops::Range<usize>, &'static str)> = drawn
        .iter()
        .flat_map(|(name, kind)| {
            markdown::section_ranges(pm, name)
                .into_iter()
                .map(move |r| (r, *kind))
        })
        .collect();
    replaced.sort_by_key(|(r, _)| r.start);
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
    let body = segments(&views, body_start, &replaced);
    // Search covers what the page shows: all but the sections left out.
    let cut: Vec<std::ops::Range<usize>> = replaced
        .iter()
        .filter(|(_, kind)| kind.is_empty())
        .map(|(r, _)| r.clone())
        .collect();
    let summary = summary(pm);
    let words = search_words(pm, &cut, &title, &service_names, &tag_names);
    Incident {
        id: id.clone(),
        title,
        url,
        status: pm.status().unwrap_or_default().to_owned(),
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
        slo: fm
            .slo
            .iter()
            .filter(|_| !hidden("slo"))
            .map(|s| SloView {
                name: s
                    .value
                    .name
                    .as_ref()
                    .map_or_else(|| "unnamed SLO".to_owned(), |n| n.value.clone()),
                budget_percent: s.value.budget_consumed.as_ref().map_or_else(
                    || "unknown".to_owned(),
                    |b| format!("{:.1} %", b.value * 100.0),
                ),
            })
            .collect(),
        contents: contents(&body),
        body,
        fishbone,
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
        tag_names,
        service_names,
    }
}

/// The level-2 headings of `body`, in order, when there are at least
/// [`CONTENTS_FROM`].
fn contents(body: &[Segment]) -> Vec<Heading> {
    static HEADING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r##"<h2 id="([^"]*)">(.*?)<a href="#"##)
            .expect("the heading pattern is valid")
    });
    let mut found = Vec::new();
    for segment in body {
        let drawn = match segment.kind {
            "timeline" => Some(("timeline", "Timeline")),
            "actions" => Some(("action-items", "Action items")),
            "ishikawa" => Some(("ishikawa", "Ishikawa")),
            _ => None,
        };
        match drawn {
            Some((id, title)) => found.push(Heading {
                id: id.to_owned(),
                html: title.to_owned(),
            }),
            None => found.extend(HEADING.captures_iter(&segment.html).map(|c| Heading {
                id: c[1].to_owned(),
                html: c[2].to_owned(),
            })),
        }
    }
    if found.len() < CONTENTS_FROM {
        found.clear();
    }
    found
}

/// The drawn entries of a postmortem, by the line they start on.
struct Views<'a> {
    pm: &'a Postmortem,
    timeline: &'a HashMap<usize, TimelineItem>,
    actions: &'a HashMap<usize, ActionRow>,
    /// The lines of the Ishikawa bones.
    bones: HashSet<usize>,
    links: &'a markdown::Links<'a>,
}

/// The body from `start`, split around the `replaced` sections: Markdown
/// between them rendered to HTML, each replaced section as a segment of its
/// kind (an empty kind drops the section).
fn segments(
    views: &Views,
    start: usize,
    replaced: &[(std::ops::Range<usize>, &'static str)],
) -> Vec<Segment> {
    let text = &views.pm.source.text;
    let notes = footnotes(views.pm, start);
    let mut out = Vec::new();
    let mut at = start;
    let push_markdown = |from: usize, to: usize, out: &mut Vec<Segment>| {
        let chunk = &text[from..to];
        let chunk = if from == start {
            markdown::strip_title(chunk)
        } else {
            chunk
        };
        if !chunk.trim().is_empty() {
            // The footnotes defined elsewhere, for the references of this
            // part: comrak shows only those referred to.
            let mut markdown = chunk.to_owned();
            for note in notes.iter().filter(|n| n.start < from || n.start >= to) {
                markdown.push_str("\n\n");
                markdown.push_str(&text[note.clone()]);
            }
            out.push(Segment {
                kind: "html",
                html: markdown::html(&markdown, views.links),
                parts: Vec::new(),
            });
        }
    };
    for (range, kind) in replaced {
        if range.start < at {
            continue;
        }
        push_markdown(at, range.start, &mut out);
        if !kind.is_empty() {
            let parts = match *kind {
                "timeline" | "actions" | "ishikawa" => drawn_parts(views, range.clone()),
                _ => Vec::new(),
            };
            out.push(Segment {
                kind,
                html: String::new(),
                parts,
            });
        }
        at = range.end;
    }
    push_markdown(at, text.len(), &mut out);
    out
}

/// The byte ranges (whole lines) of the footnote definitions of the body
/// of `pm`, which starts at `start` (a line start).
fn footnotes(pm: &Postmortem, start: usize) -> Vec<std::ops::Range<usize>> {
    let source = &pm.source;
    let first_line = source.line_of(start);
    let arena = comrak::Arena::new();
    let root = markdown::parse(&arena, &source.text[start..]);
    root.children()
        .filter(|n| {
            matches!(
                n.data().value,
                comrak::nodes::NodeValue::FootnoteDefinition(_)
            )
        })
        .map(|n| {
            let pos = n.data().sourcepos;
            let from = source.line_start(first_line + pos.start.line - 1);
            let to = source.line_start(first_line + pos.end.line);
            from..to.max(from)
        })
        .collect()
}

/// A Timeline, Action items or Ishikawa section (`range`, from its
/// heading) in document order: each list or table of entries drawn, each
/// entry with the blocks written under it, the diagram where the first
/// bone is, and every other block as Markdown.
fn drawn_parts(views: &Views, range: std::ops::Range<usize>) -> Vec<Part> {
    let source = &views.pm.source;
    let first_line = source.line_of(range.start);
    let arena = comrak::Arena::new();
    let root = markdown::parse(&arena, &source.text[range]);
    let line_of = |node: &comrak::nodes::AstNode| first_line + node.data().sourcepos.start.line - 1;
    let mut parts: Vec<Part> = Vec::new();
    let mut figure = false;
    let mut push = |part: Part| match (parts.last_mut(), part.kind) {
        (Some(last), "html") if last.kind == "html" => last.html.push_str(&part.html),
        (Some(last), "timeline") if last.kind == "timeline" => last.timeline.extend(part.timeline),
        (Some(last), "actions") if last.kind == "actions" => last.actions.extend(part.actions),
        _ => parts.push(part),
    };
    let part = |kind: &'static str| Part {
        kind,
        html: String::new(),
        timeline: Vec::new(),
        actions: Vec::new(),
    };
    for (n, node) in root.children().enumerate() {
        let value = node.data().value.clone();
        match value {
            comrak::nodes::NodeValue::Heading(_) if n == 0 => {}
            comrak::nodes::NodeValue::List(_) => {
                for item in node.children() {
                    let line = line_of(item);
                    // What the item holds after its first block.
                    let more: String = item
                        .children()
                        .skip(1)
                        .map(|n| markdown::node_html(n, views.links))
                        .collect();
                    if let Some(entry) = views.timeline.get(&line) {
                        let mut entry = entry.clone();
                        if entry.at.is_empty() {
                            entry.html = item
                                .first_child()
                                .map(|n| markdown::node_html(n, views.links))
                                .unwrap_or_default();
                        }
                        entry.html.push_str(&more);
                        let mut p = part("timeline");
                        p.timeline.push(entry);
                        push(p);
                    } else if let Some(row) = views.actions.get(&line) {
                        let mut row = row.clone();
                        row.html.push_str(&more);
                        let mut p = part("actions");
                        p.actions.push(row);
                        push(p);
                    } else if views.bones.contains(&line) {
                        if !figure {
                            figure = true;
                            push(part("ishikawa"));
                        }
                        if !more.is_empty() {
                            let mut p = part("html");
                            p.html = more;
                            push(p);
                        }
                    } else {
                        let mut p = part("html");
                        p.html = format!("<ul>{}</ul>", markdown::node_html(item, views.links));
                        push(p);
                    }
                }
            }
            comrak::nodes::NodeValue::Table(_)
                if node
                    .children()
                    .skip(1)
                    .any(|row| views.timeline.contains_key(&line_of(row))) =>
            {
                let mut p = part("timeline");
                for row in node.children().skip(1) {
                    if let Some(entry) = views.timeline.get(&line_of(row)) {
                        p.timeline.push(entry.clone());
                    }
                }
                push(p);
            }
            _ => {
                let mut p = part("html");
                p.html = markdown::node_html(node, views.links);
                push(p);
            }
        }
    }
    parts
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

/// Lowercase words of the title, fields, prose and code (without cut sections),
/// deduplicated: what search matches against.
fn search_words(
    pm: &Postmortem,
    cut: &[std::ops::Range<usize>],
    title: &str,
    services: &[String],
    tags: &[String],
) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut add = |text: &str| {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().count() >= 2 {
                words.push(word.to_lowercase());
            }
        }
    };
    add(title);
    services.iter().chain(tags).for_each(|t| add(t));
    for span in pm.prose.iter().chain(&pm.code) {
        if !cut.iter().any(|r| r.contains(&span.start)) {
            add(&pm.source.text[span.range()]);
        }
    }
    words.sort();
    words.dedup();
    words.join(" ")
}

/// Explicit `related` ids that are in the site, then up to five computed
/// ones: incidents nearest in time sharing a service and the root-cause
/// category, or sharing tags. Neighbours are looked up in per-key lists
/// sorted by time, so the cost does not grow with the square of the number
/// of incidents.
fn link_related(incidents: &mut [Incident]) {
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
                        "linked by the authors".to_owned(),
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
                        format!("same service ({service}) and cause ({})", cause.name),
                        3,
                    );
                }
            }
            for tag in &inc.tag_names {
                consider(format!("t\u{0}{tag}"), format!("shared tag: {tag}"), 1);
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

fn indexes(project: &Project, incidents: &[Incident], slugs: &Slugs) -> Vec<Index> {
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
            title: "Services",
            terms: pages("services", services),
        },
        Index {
            kind: "severities",
            title: "Severities",
            terms: severity_pages,
        },
        Index {
            kind: "tags",
            title: "Tags",
            terms: pages("tags", tags),
        },
        Index {
            kind: "causes",
            title: "Root causes",
            terms: pages("causes", causes),
        },
    ]
}

/// The Atom id of the site's feed, the same on every build and different
/// for every site: from the first commit of the repository's main line
/// (`urn:pmbook:git-<commit>`), or outside git from the site's title
/// (`urn:pmbook:title-<slug>`). Entry ids add `:incident:<id>`.
pub fn feed_id(project: &Project, title: &str) -> String {
    let first_commit = git2::Repository::discover(&project.root)
        .ok()
        .and_then(|repo| {
            let mut walk = repo.revwalk().ok()?;
            walk.push_head().ok()?;
            walk.simplify_first_parent().ok()?;
            walk.flatten().last()
        });
    match first_commit {
        Some(oid) => format!("urn:pmbook:git-{oid}"),
        None => format!("urn:pmbook:title-{}", url_component(&slugify(title))),
    }
}

/// The date (UTC) of the last commit that changed each postmortem HEAD
/// holds, from one walk of the history (newest first) that stops once every
/// such file is dated. Empty outside a git repository; a postmortem not
/// committed yet has none.
pub fn last_updated(project: &Project, postmortems: &[Postmortem]) -> HashMap<String, String> {
    let mut dates = HashMap::new();
    let Ok(repo) = git2::Repository::discover(&project.root) else {
        return dates;
    };
    let Some(workdir) = repo.workdir().and_then(|w| std::fs::canonicalize(w).ok()) else {
        return dates;
    };
    let Ok(head) = repo.head().and_then(|h| h.peel_to_tree()) else {
        return dates;
    };
    // Only files HEAD holds have a last commit: an uncommitted postmortem
    // must not send the walk through the whole history looking for one.
    // (Paths are relative to the work tree, as git's are.)
    let wanted: HashSet<&str> = postmortems
        .iter()
        .map(|pm| pm.path.as_str())
        .filter(|path| head.get_path(std::path::Path::new(path)).is_ok())
        .collect();
    if wanted.is_empty() {
        return dates;
    }
    let src = project.src_dir();
    let src_rel = src
        .strip_prefix(&workdir)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    let Ok(mut walk) = repo.revwalk() else {
        return dates;
    };
    if walk.push_head().is_err() {
        return dates;
    }
    for oid in walk.flatten().take(20_000) {
        let Ok(commit) = repo.find_commit(oid) else {
            continue;
        };
        let Ok(tree) = commit.tree() else { continue };
        let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
        let mut options = git2::DiffOptions::new();
        if !src_rel.is_empty() {
            options.pathspec(&src_rel);
        }
        let Ok(diff) = repo.diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut options))
        else {
            continue;
        };
        let date = Timestamp::from_second(commit.time().seconds())
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string())
            .unwrap_or_default();
        for delta in diff.deltas() {
            let Some(path) = delta.new_file().path() else {
                continue;
            };
            let path = path.to_string_lossy().replace('\\', "/");
            if wanted.contains(path.as_str()) {
                dates.entry(path).or_insert_with(|| date.clone());
            }
        }
        if dates.len() == wanted.len() {
            break;
        }
    }
    dates
}
