//! The site's view model: what the templates show, computed once per
//! build from the postmortems: one view per incident, the cross-incident
//! indexes and the action-item board. [`super::render`] only reads it.

mod board;
mod body;
mod incident;
mod indexes;
mod page;

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use rayon::prelude::*;
use serde::Serialize;

use super::BuildOptions;
use super::related::link_related;
use super::slugs::Slugs;
use crate::config::Project;
use crate::model::Postmortem;
use crate::text::{slugify, url_component};
use page::PageInputs;

/// A term of an index (a service, a tag, …) with its page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineItem {
    pub at: String,
    /// Time since the incident started (`T+8 min`).
    pub offset: Option<String>,
    pub html: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Hash)]
pub struct Related {
    pub title: String,
    pub url: String,
    pub date: String,
    pub reason: String,
}

/// A part of the incident page body, in reading order: rendered Markdown,
/// or a section pmbook draws itself (`timeline`, `actions`, `ishikawa`)
/// where the postmortem has it.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    pub kind: &'static str,
    pub html: String,
    pub timeline: Vec<TimelineItem>,
    pub actions: Vec<ActionRow>,
}

/// An entry of a page's "On this page" list: a section heading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heading {
    pub id: String,
    /// The heading's HTML (escaped, with its inline markup).
    pub html: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SloView {
    pub name: String,
    pub budget_percent: String,
}

/// One incident, ready for its page and for every list it appears in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub url: String,
    pub status: String,
    /// A draft, shown because the build asked for drafts.
    pub draft: bool,
    /// Written by `pmbook import` and not yet reviewed: it has an `Import
    /// notes` section or `unconfirmed` fields.
    pub imported: bool,
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
    /// The words of the incident, for the search index: counted in the
    /// light views of [`Site::incidents`], empty in a page's full view.
    #[serde(skip)]
    pub words: String,
    /// The postmortem, relative to the repository root.
    #[serde(skip)]
    pub path: String,
    /// The files its page links to, relative to the project directory,
    /// to copy under [`crate::site::markdown::ATTACHMENTS`].
    #[serde(skip)]
    pub attachments: Vec<String>,
    #[serde(skip)]
    pub started: Option<Timestamp>,
    #[serde(skip)]
    pub(super) explicit_related: Vec<String>,
    /// Its postmortem's position in [`Site::postmortems`].
    #[serde(skip)]
    pub(super) source: usize,
    #[serde(skip)]
    pub(super) tag_names: Vec<String>,
    #[serde(skip)]
    pub(super) service_names: Vec<String>,
    /// Made by an earlier build (`serve`) from the same postmortem with
    /// the same inputs: its page changes only if its related incidents do.
    #[serde(skip)]
    pub unchanged: bool,
}

/// What lists, indexes and the feed show of an incident: small, so that a
/// list of thousands of incidents does not copy their pages.
#[derive(Debug, Clone, Serialize)]
pub struct Summary<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub status: &'a str,
    pub draft: bool,
    pub imported: bool,
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
            draft: self.draft,
            imported: self.imported,
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

/// Everything the site shows. Its incidents are light, without their
/// bodies: each page's full view is made by [`Site::page`] when the page
/// is written, so that a build never holds every body at once.
pub struct Site {
    pub title: String,
    /// Newest first.
    pub incidents: Vec<Incident>,
    pub indexes: Vec<Index>,
    pub actions: Vec<ActionRow>,
    /// The action items of the site's incidents, merged as the board
    /// merges them: what the calendars and the days to close read.
    pub items: Vec<crate::actions::Action>,
    /// What the metrics read of each incident in the site.
    pub metric_incidents: Vec<crate::metrics::Incident>,
    pub skipped: Vec<(String, String)>,
    /// Paths of the drafts left out (see [`crate::drafts`]).
    pub drafts: Vec<String>,
    pub public: bool,
    /// The postmortems of the incidents, for [`Site::page`].
    postmortems: Vec<Postmortem>,
    /// The postmortems left out of the site, kept for the next build.
    left_out: Vec<Postmortem>,
    inputs: PageInputs,
}

/// What [`Site::new`] may reuse of the site built before it in the same
/// process (`serve`): the light view of each postmortem, by path, and the
/// digest of what every view was made with.
#[derive(Default)]
pub struct Earlier {
    inputs: u64,
    views: HashMap<String, Incident>,
}

impl Site {
    /// The view of `postmortems`; `mermaid` says whether the site has a
    /// renderer for diagrams (looked for once per build).
    ///
    /// The view of a postmortem that is not in `parsed_anew` is taken
    /// from `earlier` when every view is made with the same inputs as
    /// then.
    pub fn new(
        project: &Project,
        postmortems: Vec<Postmortem>,
        options: &BuildOptions,
        last_updated: &HashMap<String, String>,
        mermaid: bool,
        earlier: Earlier,
        parsed_anew: &HashSet<String>,
    ) -> Site {
        let config = &project.config;
        let mut skipped = Vec::new();
        let mut drafts = Vec::new();
        let mut pages: HashMap<String, Option<String>> = postmortems
            .iter()
            .map(|pm| (pm.path.clone(), None))
            .collect();
        let (included, left_out): (Vec<Postmortem>, Vec<Postmortem>) = postmortems
            .into_iter()
            .partition(|pm| match inclusion(pm, project, options) {
                Inclusion::Shown => true,
                Inclusion::Draft => {
                    drafts.push(pm.path.clone());
                    false
                }
                Inclusion::Internal => false,
                Inclusion::Unusable(reason) => {
                    skipped.push((pm.path.clone(), reason));
                    false
                }
            });
        // Drafts shown in the site are not counted, as `pmbook stats` does not.
        let metric_incidents = included
            .iter()
            .filter(|pm| !crate::drafts::is_draft(config, pm.status()))
            .filter_map(|pm| crate::metrics::Incident::from_postmortem(pm).ok())
            .collect();
        for pm in &included {
            let id = pm.id().unwrap_or_default();
            pages.insert(pm.path.clone(), Some(format!("incidents/{id}.html")));
        }
        let inputs = PageInputs {
            slugs: Slugs::new(&included),
            last_updated: last_updated.clone(),
            links: pages,
            mermaid,
        };
        let mut views = if earlier.inputs == inputs.digest() {
            earlier.views
        } else {
            HashMap::new()
        };
        let reusable: Vec<Option<Incident>> = included
            .iter()
            .map(|pm| {
                let view = views.remove(&pm.path)?;
                let same = !parsed_anew.contains(&pm.path)
                    && view.last_updated.as_ref() == last_updated.get(&pm.path);
                same.then_some(view)
            })
            .collect();
        let mut incidents: Vec<Incident> = included
            .par_iter()
            .zip(reusable)
            .enumerate()
            .map(|(source, (pm, earlier))| {
                let mut incident = match earlier {
                    Some(view) => Incident {
                        unchanged: true,
                        ..view
                    },
                    None => incident::incident(project, pm, options, &inputs, false),
                };
                incident.source = source;
                incident
            })
            .collect();
        incidents.sort_by(|a, b| b.started.cmp(&a.started).then_with(|| a.id.cmp(&b.id)));
        link_related(
            &mut incidents,
            crate::i18n::catalogue(&config.book.language),
        );
        let indexes = indexes::indexes(project, &incidents, &inputs.slugs);
        let items = crate::actions::merge(
            included
                .iter()
                .flat_map(crate::actions::actions_of)
                .collect(),
        );
        let mut actions = board::board(project, &items, &incidents, options, &inputs.links);
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
            items,
            metric_incidents,
            skipped,
            drafts,
            public: options.public,
            postmortems: included,
            left_out,
            inputs,
        }
    }

    /// Takes in postmortems parsed anew whose change shows only on their
    /// own pages and in the search index: each is in the site and stays
    /// in it, and its view (but for its words), its action items and what
    /// the metrics read of it are the same as before. The changed
    /// incidents are the ones not marked [`Incident::unchanged`]. Returns
    /// `false`, the site as it was, when a change shows anywhere else.
    pub fn take_prose_changes(
        &mut self,
        project: &Project,
        options: &BuildOptions,
        changed: Vec<Postmortem>,
    ) -> bool {
        let positions: HashMap<&str, usize> = self
            .incidents
            .iter()
            .enumerate()
            .map(|(at, incident)| (incident.path.as_str(), at))
            .collect();
        let mut taken = Vec::with_capacity(changed.len());
        for pm in changed {
            let Some(&at) = positions.get(pm.path.as_str()) else {
                return false;
            };
            if inclusion(&pm, project, options) != Inclusion::Shown {
                return false;
            }
            let before = &self.incidents[at];
            let old = &self.postmortems[before.source];
            let after = incident::incident(project, &pm, options, &self.inputs, false);
            let same = but_for_words(&after) == but_for_words(before)
                && actions_shown(&pm) == actions_shown(old)
                && metric_view(&pm) == metric_view(old);
            if !same {
                return false;
            }
            taken.push((at, pm, after.words));
        }
        for incident in &mut self.incidents {
            incident.unchanged = true;
        }
        for (at, pm, words) in taken {
            let incident = &mut self.incidents[at];
            incident.words = words;
            incident.unchanged = false;
            self.postmortems[incident.source] = pm;
        }
        true
    }

    /// Lets go of the postmortems, which only the incident pages
    /// ([`Site::page`], not to be called after) and a rebuild read, and
    /// of the merged items, which the calendars and the days to close
    /// have read by then.
    pub fn release_postmortems(&mut self) {
        self.postmortems = Vec::new();
        self.left_out = Vec::new();
        self.items = Vec::new();
    }

    /// Lets go of each incident's words, which only the search index
    /// counts ([`crate::site::search::Terms`]) and a rebuild compares.
    pub fn release_words(&mut self) {
        for incident in &mut self.incidents {
            incident.words = String::new();
        }
    }

    /// The postmortems of the site's incidents.
    pub fn postmortems(&self) -> &[Postmortem] {
        &self.postmortems
    }

    /// Whether the date of last change of each incident is the one in
    /// `last_updated`, as when its view was made.
    pub fn last_updated_is(&self, last_updated: &HashMap<String, String>) -> bool {
        self.postmortems
            .iter()
            .all(|pm| self.inputs.last_updated.get(&pm.path) == last_updated.get(&pm.path))
    }

    /// The postmortem of each path the site was made from, in or out of it.
    pub fn postmortem_of(&self) -> HashMap<&str, &Postmortem> {
        self.postmortems
            .iter()
            .chain(&self.left_out)
            .map(|pm| (pm.path.as_str(), pm))
            .collect()
    }
}

/// `incident` without what changes with its words alone, nor what other
/// incidents decide (its related incidents) or the build sets.
fn but_for_words(incident: &Incident) -> Incident {
    Incident {
        words: String::new(),
        related: Vec::new(),
        source: 0,
        unchanged: false,
        ..incident.clone()
    }
}

/// The action items of `pm` as the site shows them: in the order of the
/// file, without the lines they are on, which a sentence added above them
/// moves and no page shows.
fn actions_shown(pm: &Postmortem) -> Vec<crate::actions::Action> {
    let mut actions = crate::actions::actions_of(pm);
    without_lines(&mut actions);
    actions
}

fn without_lines(actions: &mut [crate::actions::Action]) {
    for listing in actions.iter_mut().flat_map(|a| &mut a.listings) {
        listing.line = 0;
    }
}

/// What the metrics read of `pm`, comparable, without the lines of its
/// action items (see [`actions_shown`]).
fn metric_view(pm: &Postmortem) -> Option<crate::metrics::Incident> {
    let mut incident = crate::metrics::Incident::from_postmortem(pm).ok()?;
    without_lines(&mut incident.actions);
    Some(incident)
}

/// Whether a postmortem is shown in the site, and why not.
#[derive(Debug, PartialEq)]
enum Inclusion {
    Shown,
    /// A draft, and the build does not show drafts.
    Draft,
    /// Not public, in a public build.
    Internal,
    Unusable(String),
}

fn inclusion(pm: &Postmortem, project: &Project, options: &BuildOptions) -> Inclusion {
    if let Err(reason) = usable(pm) {
        return Inclusion::Unusable(reason);
    }
    if options.public && visibility(pm) != "public" {
        return Inclusion::Internal;
    }
    if crate::drafts::is_draft(&project.config, pm.status()) && !options.drafts {
        return Inclusion::Draft;
    }
    Inclusion::Shown
}

impl Site {
    /// What the next build in this process may reuse: the postmortems of
    /// the incidents, by path, and their light views.
    pub fn into_earlier(self) -> (HashMap<String, Postmortem>, Earlier) {
        let inputs = self.inputs.digest();
        let postmortems = self
            .postmortems
            .into_iter()
            .chain(self.left_out)
            .map(|pm| (pm.path.clone(), pm))
            .collect();
        let views = self
            .incidents
            .into_iter()
            .map(|view| (view.path.clone(), view))
            .collect();
        (postmortems, Earlier { inputs, views })
    }
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

/// The Atom id of the site's feed, the same on every build and different
/// for every site: from the first commit of the repository's main line
/// (`urn:pmbook:git-<commit>`), or outside git from the site's title
/// (`urn:pmbook:title-<slug>`). Entry ids add `:incident:<id>`.
pub fn feed_id(project: &Project, title: &str) -> String {
    match crate::repo::site::first_commit(project) {
        Some(oid) => format!("urn:pmbook:git-{oid}"),
        None => format!("urn:pmbook:title-{}", url_component(&slugify(title))),
    }
}
