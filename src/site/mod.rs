//! `pmbook build`: the static knowledge base.
//!
//! postmortems → [`view`] (one view per incident, indexes) → [`render`]
//! (templates from `theme/`) → [`output`] (a temporary directory swapped in
//! when complete). Every page links relatively, so the site works from
//! `file://` and from any sub-path, and two builds of the same input are
//! byte-identical.

pub mod calendar;
pub mod charts;
pub mod diagrams;
pub mod fishbone;
pub mod highlight;
pub mod markdown;
pub mod metrics_view;
pub mod output;
pub mod pages;
mod related;
pub mod render;
pub mod search;
mod slugs;
pub mod view;
pub mod words;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::PathBuf;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::actions::history::{History, Version};
use crate::config::Project;
use crate::corpus::{Corpus, IdIndex};
use crate::diagnostics::{FileReport, Report};
use crate::error::Error;
use crate::lint::{Context, Patterns};
use crate::model::Postmortem;

/// How to build.
pub struct BuildOptions {
    pub out: PathBuf,
    /// Only `visibility = "public"` postmortems, without internal material.
    pub public: bool,
    /// Drafts in the site, with a badge; never with `public`.
    pub drafts: bool,
    pub today: Date,
    /// Show a progress bar (on a terminal, outside CI).
    pub progress: bool,
}

/// What a build did.
pub struct BuildReport {
    pub out: PathBuf,
    pub incidents: usize,
    pub pages: usize,
    /// Files written, replaced or removed: all of them for a whole build,
    /// those that changed for a rebuild over an earlier one.
    pub rewritten: usize,
    /// Postmortems left out because they cannot be read (path, reason).
    pub skipped: Vec<(String, String)>,
    /// Drafts left out (paths): the site does not publish drafts.
    pub drafts: Vec<String>,
    /// A public build, which never shows drafts.
    pub public: bool,
    pub made: Made,
}

/// How a build was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Made {
    /// Every file written anew.
    Whole,
    /// Over the last build: the changed postmortems parsed again, and
    /// only the files whose bytes change rewritten.
    OverTheLast,
    /// Over the last build, whose changes were of prose alone: only the
    /// changed incidents' pages and the search index made again.
    ProseOnly,
}

impl Made {
    /// What `serve` adds to its line about a rebuild.
    pub fn note(self) -> &'static str {
        match self {
            Made::Whole => "; made whole",
            Made::OverTheLast => "",
            Made::ProseOnly => "; changes of prose only",
        }
    }
}

impl BuildReport {
    /// What `build` and `serve` say on standard error about the postmortems
    /// that could not be built, one line each.
    pub fn problems(&self) -> Vec<String> {
        self.skipped
            .iter()
            .map(|(path, reason)| {
                format!("left out of the site: {path}: {reason} (see `pmbook lint`)")
            })
            .collect()
    }

    /// What `build` and `serve` say on standard output about the drafts
    /// left out, if any.
    pub fn drafts_note(&self) -> Option<String> {
        crate::drafts::left_out(&self.drafts).map(|drafts| {
            let preview = if self.public {
                ""
            } else {
                ", or build with `--drafts` to preview them"
            };
            format!(
                "{drafts} (the site does not publish drafts: give a postmortem another \
                 `status` to publish it{preview})"
            )
        })
    }
}

/// What a build leaves for the next build of the same project and
/// options in the same process (`serve`): its site (the parsed
/// postmortems and the incidents' views), what its incident pages showed
/// and what the output holds. A rebuild with it parses only the
/// postmortems that changed and rewrites only the files whose bytes
/// change; the site is the one a whole build makes.
#[derive(Default)]
pub struct Earlier(Option<Last>);

/// What the last build made.
struct Last {
    site: view::Site,
    pages: HashMap<String, render::PageFacts>,
    terms: search::Terms,
    written: output::Written,
    /// The postmortems it left out, and why.
    skipped: Vec<(String, String)>,
    /// The number of pages it wrote.
    page_count: usize,
    /// The metrics it computed.
    metrics: metrics_view::Computed,
    /// The history of the action items it read, and the commit it ends
    /// with (HEAD).
    history: Option<(String, History)>,
}

/// What a rebuild takes from the last build: the parsed postmortems and
/// their views, what the pages showed, what the output holds, the counted
/// words and the metrics computed over the incidents it had.
#[derive(Default)]
struct Reused {
    postmortems: HashMap<String, Postmortem>,
    views: view::Earlier,
    pages: HashMap<String, render::PageFacts>,
    written: Option<output::Written>,
    terms: Option<search::Terms>,
    metrics: Option<(Vec<crate::metrics::Incident>, metrics_view::Computed)>,
    history: Option<(String, History)>,
}

impl Earlier {
    /// Whether a page of the last build links to `relative`, a file of the
    /// project (relative to its directory), or to a file under it.
    pub fn links_under(&self, relative: &std::path::Path) -> bool {
        self.0
            .as_ref()
            .is_some_and(|last| last.pages.values().any(|page| page.links_under(relative)))
    }
}

/// The result of a build.
pub enum Outcome {
    Built(BuildReport),
    /// Nothing was written: two postmortems share an id, and each would
    /// write the other's page. The `duplicate-id` diagnostics say which.
    Refused(Report),
}

/// Builds the site of the postmortems of `corpus`. It keeps nothing for
/// a next build: once the incident pages are written it lets go of the
/// postmortems, and of each incident's words once they are counted, so
/// that the rest of the build holds only the light views.
pub fn build(project: &Project, corpus: Corpus, options: &BuildOptions) -> Result<Outcome, Error> {
    make(project, corpus, options, None)
}

/// Builds the site of the postmortems of `corpus` over what `earlier`
/// kept of the last build (nothing: a whole build), and keeps in it what
/// the next one may reuse. A build that fails leaves `earlier` empty, so
/// that the next one is whole.
pub fn rebuild(
    project: &Project,
    corpus: Corpus,
    options: &BuildOptions,
    earlier: &mut Earlier,
) -> Result<Outcome, Error> {
    make(project, corpus, options, Some(earlier))
}

/// A build over `earlier`, and into it, or (`None`) a build that keeps
/// nothing.
fn make(
    project: &Project,
    corpus: Corpus,
    options: &BuildOptions,
    mut earlier: Option<&mut Earlier>,
) -> Result<Outcome, Error> {
    let last = earlier.as_mut().and_then(|earlier| earlier.0.take());
    let mermaid = diagrams::renderer(project)?;
    let reused = match last {
        Some(mut last) => {
            if take_prose_changes(project, &corpus, &mut last.site, options) {
                if let Some((outcome, kept)) =
                    rebuild_prose(project, options, last, mermaid.clone())?
                {
                    if let Some(earlier) = earlier {
                        *earlier = Earlier(Some(kept));
                    }
                    return Ok(outcome);
                }
                // The output changed under the last build: a whole one.
                Default::default()
            } else {
                let metric_incidents = std::mem::take(&mut last.site.metric_incidents);
                let (postmortems, views) = last.site.into_earlier();
                Reused {
                    postmortems,
                    views,
                    pages: last.pages,
                    written: Some(last.written),
                    terms: Some(last.terms),
                    metrics: Some((metric_incidents, last.metrics)),
                    history: last.history,
                }
            }
        }
        None => Reused::default(),
    };
    let (mut postmortems, parsed_anew) = corpus.parse_over(&project.config, reused.postmortems);
    let duplicates = duplicate_ids(project, &postmortems, options.today)?;
    if !duplicates.files.is_empty() {
        return Ok(Outcome::Refused(duplicates));
    }
    // With `duplicate-id` turned off, the first file (by path) of an id wins.
    let mut seen = HashMap::new();
    let mut skipped = Vec::new();
    postmortems.retain(|pm| match pm.id() {
        Some(id) => match seen.entry(id.to_owned()) {
            Entry::Vacant(entry) => {
                entry.insert(pm.path.clone());
                true
            }
            Entry::Occupied(entry) => {
                skipped.push((
                    pm.path.clone(),
                    format!(
                        "the id `{id}` is also the id of {} (see the duplicate-id rule)",
                        entry.get()
                    ),
                ));
                false
            }
        },
        None => true,
    });
    let deployments = crate::metrics::Deployments::load(project)?;
    let last_updated = crate::repo::site::last_updated(project, &postmortems);
    // Days to close come from the git history, when there is one; it
    // depends on the commits alone, so a rebuild at the same HEAD reuses
    // the last one.
    let head = crate::repo::site::head(project);
    let history = match reused.history {
        Some((at, history)) if head.as_ref() == Some(&at) => Some(history),
        _ if crate::repo::Git::open_for(project, "days to close need one").is_ok() => {
            let parsed = postmortems.par_iter().filter_map(Version::of).collect();
            Some(crate::actions::history::read(project, parsed)?)
        }
        _ => None,
    };
    let mut site = view::Site::new(
        project,
        postmortems,
        options,
        &last_updated,
        mermaid.is_some(),
        reused.views,
        &parsed_anew,
    );
    let earlier_metrics = reused
        .metrics
        .map(|(before, computed)| {
            computed.reusable(&before, &site.metric_incidents, &deployments, options.today)
        })
        .unwrap_or_default();
    let mut calendars =
        calendar::calendars(project, &site, &site.items, options.public, options.today);
    let staging = match reused.written {
        Some(written) => output::Staging::over(&options.out, written)?,
        None => output::Staging::new(&options.out)?,
    };
    // Written at once: the board names the calendars, it needs no text.
    for calendar in &mut calendars {
        staging.write(
            &calendar.file,
            std::mem::take(&mut calendar.text).as_bytes(),
        )?;
    }
    let close_times = history
        .as_ref()
        .map(|history| crate::metrics::close_times::by_quarter(&site.items, history))
        .unwrap_or_default();
    let templates = render::Templates::new(project);
    let incident_pages =
        render::incident_pages(project, &templates, &site, &staging, options, &reused.pages)?;
    let keep = earlier.is_some();
    if !keep {
        site.release_postmortems();
    }
    let terms = search::Terms::over(&site.incidents, reused.terms);
    if !keep {
        site.release_words();
    }
    let (other_pages, metrics) = render::other_pages(
        project,
        &templates,
        &site,
        render::Records {
            deployments: &deployments,
            calendars: &calendars,
            close_times: &close_times,
            metrics: earlier_metrics,
        },
        &staging,
        options,
        &terms,
    )?;
    copy_renderer(mermaid, incident_pages.diagrams, &staging)?;
    let page_count = incident_pages.count + other_pages;
    let made = if staging.is_over() {
        Made::OverTheLast
    } else {
        Made::Whole
    };
    let finished = staging.finish()?;
    skipped.extend(site.skipped.iter().cloned());
    skipped.sort();
    let report = BuildReport {
        out: finished.out,
        incidents: site.incidents.len(),
        pages: page_count,
        rewritten: finished.rewritten,
        skipped: skipped.clone(),
        drafts: site.drafts.clone(),
        public: options.public,
        made,
    };
    if let Some(earlier) = earlier {
        *earlier = Earlier(Some(Last {
            site,
            pages: incident_pages.facts,
            terms,
            written: finished.written,
            skipped,
            page_count,
            metrics,
            history: head.zip(history),
        }));
    }
    Ok(Outcome::Built(report))
}

/// Whether every change from `site` to `corpus` is a change of prose that
/// [`rebuild_prose`] can write (see [`view::Site::take_prose_changes`]):
/// then `site` has taken the changed postmortems in. The same files, and
/// the same dates of last change.
fn take_prose_changes(
    project: &Project,
    corpus: &Corpus,
    site: &mut view::Site,
    options: &BuildOptions,
) -> bool {
    let known = site.postmortem_of();
    if known.len() != corpus.files.len() {
        return false;
    }
    let mut changed = Vec::new();
    for file in &corpus.files {
        let Some(pm) = known.get(file.path.as_str()) else {
            return false;
        };
        if !file.is_text_of(pm) {
            changed.push(file.clone());
        }
    }
    drop(known);
    let last_updated = crate::repo::site::last_updated(project, site.postmortems());
    if !site.last_updated_is(&last_updated) {
        return false;
    }
    let changed = Corpus::of_texts(changed, Vec::new()).parse(&project.config);
    site.take_prose_changes(project, options, changed)
}

/// A rebuild over `last`, whose site has taken in changes of prose alone:
/// the pages of the changed incidents, the files they link to and the
/// search index are written again, every other file is kept. Returns the
/// outcome and what the next rebuild may reuse, or `None` when a file it
/// would keep is no longer in the output.
fn rebuild_prose(
    project: &Project,
    options: &BuildOptions,
    last: Last,
    mermaid: Option<PathBuf>,
) -> Result<Option<(Outcome, Last)>, Error> {
    let staging = output::Staging::over(&options.out, last.written)?;
    if !staging.is_over() {
        return Ok(None);
    }
    let (pages, terms) = render::rewrite_prose(
        project,
        &render::Templates::new(project),
        &last.site,
        &staging,
        options,
        &last.pages,
        last.terms,
    )?;
    copy_renderer(mermaid, pages.diagrams, &staging)?;
    // What is made whole again, and may no longer be there: the shards of
    // words (how words are split into shards may change), the files pages
    // link to and the diagram renderer.
    let remade = |path: &str| {
        search::is_term_shard(path)
            || path.starts_with(markdown::ATTACHMENTS)
            || path == diagrams::SCRIPT
    };
    if !staging.keep_the_rest(remade) {
        return Ok(None);
    }
    let finished = staging.finish()?;
    let report = BuildReport {
        out: finished.out,
        incidents: last.site.incidents.len(),
        pages: last.page_count,
        rewritten: finished.rewritten,
        skipped: last.skipped.clone(),
        drafts: last.site.drafts.clone(),
        public: options.public,
        made: Made::ProseOnly,
    };
    let kept = Last {
        pages: pages.facts,
        terms,
        written: finished.written,
        ..last
    };
    Ok(Some((Outcome::Built(report), kept)))
}

/// Copies the diagram renderer into the site when a page has a diagram
/// for it to draw.
fn copy_renderer(
    renderer: Option<PathBuf>,
    needed: bool,
    staging: &output::Staging,
) -> Result<(), Error> {
    if let Some(renderer) = renderer.filter(|_| needed) {
        let bytes = std::fs::read(&renderer).map_err(|e| Error::io(&renderer, e))?;
        staging.write(diagrams::SCRIPT, &bytes)?;
    }
    Ok(())
}

/// What `build` and `serve` print when a build is refused: the
/// diagnostics as `pmbook lint` shows them, and what happened.
pub fn refusal(report: &Report) -> String {
    let mut out = Vec::new();
    let _ = crate::report::human::render(report, false, &mut out);
    let mut text = String::from_utf8_lossy(&out).into_owned();
    text.push_str(
        "pmbook: the site was not built: two postmortems with one id would write the same page\n",
    );
    text
}

/// The `duplicate-id` diagnostics of `postmortems` (none when the rule is
/// off or suppressed).
fn duplicate_ids(
    project: &Project,
    postmortems: &[Postmortem],
    today: Date,
) -> Result<Report, Error> {
    let mut index = IdIndex::default();
    for pm in postmortems {
        if let Some(id) = pm.id() {
            index
                .ids
                .entry(id.to_owned())
                .or_default()
                .push(pm.path.clone());
        }
    }
    index.ids.retain(|_, paths| paths.len() > 1);
    let mut report = Report {
        files: Vec::new(),
        files_checked: postmortems.len(),
    };
    if index.ids.is_empty() {
        return Ok(report);
    }
    let patterns = Patterns::new(&project.config)?;
    for pm in postmortems {
        if !pm.id().is_some_and(|id| index.ids.contains_key(id)) {
            continue;
        }
        let context = Context {
            pm,
            config: &project.config,
            today,
            disk: None,
            index: Some(&index),
            patterns: &patterns,
            tracker: None,
        };
        let diagnostics: Vec<_> = crate::lint::check(&context)
            .into_iter()
            .filter(|d| d.rule == "duplicate-id")
            .collect();
        if !diagnostics.is_empty() {
            report.files.push(FileReport {
                path: pm.path.clone(),
                source: pm.source.clone(),
                diagnostics,
            });
        }
    }
    report.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(report)
}
