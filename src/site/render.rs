//! Pages from templates. The built-in theme lives in `theme/` and is part of
//! the binary; a project overrides any template or asset by putting a file
//! of the same name in `theme/templates/` or `theme/assets/` next to
//! `pmbook.toml`. Templates are MiniJinja with HTML auto-escaping: a value
//! from a postmortem is escaped unless the builder rendered it safely itself
//! (Markdown through comrak's safe mode, SVG with every text escaped).

mod paged;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use minijinja::{AutoEscape, Environment, Value, context};
use rayon::prelude::*;

use super::BuildOptions;
use super::calendar::Calendar;
use super::markdown;
use super::metrics_view::{self, Computed, MetricsInput};
use super::output::Staging;
use super::pages::{PAGE_SIZE, paginate};
use super::search;
use super::view::{Incident, Index, Site, TermPage};
use crate::config::Project;
use crate::error::Error;
use crate::i18n::Catalogue;
use crate::metrics::close_times::QuarterCloseTimes;
use crate::metrics::{Deployments, Filter, Metrics};
use crate::text::escape_html;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("theme/templates/base.html")),
    ("macros.html", include_str!("theme/templates/macros.html")),
    ("index.html", include_str!("theme/templates/index.html")),
    (
        "incident.html",
        include_str!("theme/templates/incident.html"),
    ),
    ("terms.html", include_str!("theme/templates/terms.html")),
    ("term.html", include_str!("theme/templates/term.html")),
    (
        "timeline.html",
        include_str!("theme/templates/timeline.html"),
    ),
    ("actions.html", include_str!("theme/templates/actions.html")),
    ("metrics.html", include_str!("theme/templates/metrics.html")),
    ("search.html", include_str!("theme/templates/search.html")),
    ("404.html", include_str!("theme/templates/404.html")),
    ("pager.html", include_str!("theme/templates/pager.html")),
    ("board.html", include_str!("theme/templates/board.html")),
    ("chart.html", include_str!("theme/templates/chart.html")),
    (
        "recurrence.html",
        include_str!("theme/templates/recurrence.html"),
    ),
    (
        "action-list.html",
        include_str!("theme/templates/action-list.html"),
    ),
    ("feed.xml", include_str!("theme/templates/feed.xml")),
];

const ASSETS: &[(&str, &str)] = &[
    ("pmbook.css", include_str!("theme/assets/pmbook.css")),
    ("pmbook.js", include_str!("theme/assets/pmbook.js")),
    ("search.js", include_str!("theme/assets/search.js")),
    ("find.js", include_str!("theme/assets/find.js")),
    ("diagrams.js", include_str!("theme/assets/diagrams.js")),
];

/// The template environment, with the project's overrides.
fn environment(theme: PathBuf) -> Environment<'static> {
    let mut env = Environment::new();
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
        .expect("the default delimiters are valid");
    env.set_syntax(syntax);
    env.set_loader(move |name| {
        let custom = theme.join("templates").join(name);
        if let Ok(text) = std::fs::read_to_string(&custom) {
            return Ok(Some(text));
        }
        Ok(TEMPLATES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.to_string()))
    });
    // Escape `& < > " '` like MiniJinja does, but keep `/` as it is, so that
    // relative links stay readable in the output.
    env.set_formatter(|out, state, value| {
        let plain = !value.is_safe() && !value.is_undefined() && !value.is_none();
        if matches!(state.auto_escape(), AutoEscape::Html) && plain {
            out.write_str(&escape_html(&value.to_string()))
                .map_err(|e| {
                    minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
                })
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env
}

/// The templates a build renders with, in the site's language: made once
/// per build, for the incident pages and for the others.
pub struct Templates(Environment<'static>);

impl Templates {
    pub fn new(project: &Project) -> Templates {
        let words = crate::i18n::catalogue(&project.config.book.language);
        let mut env = environment(project.theme_dir());
        super::words::install(&mut env, words);
        Templates(env)
    }
}

fn asset(theme: &Path, name: &str, builtin: &str) -> String {
    std::fs::read_to_string(theme.join("assets").join(name)).unwrap_or_else(|_| builtin.to_owned())
}

fn template_error(name: &str, e: minijinja::Error) -> Error {
    Error::Config(format!("cannot render {name}: {e:#}"))
}

impl PageFacts {
    /// Whether the page links to `relative`, a file of the project, or to
    /// a file under it.
    pub fn links_under(&self, relative: &Path) -> bool {
        self.attachments
            .iter()
            .any(|a| Path::new(a).starts_with(relative))
    }
}

/// What [`incident_pages`] wrote.
pub struct IncidentPages {
    pub count: usize,
    /// Some incident page has a diagram for the renderer to draw.
    pub diagrams: bool,
    /// What each incident page showed, by page, for a rebuild.
    pub facts: HashMap<String, PageFacts>,
}

/// What an incident page was rendered with and found, so that a rebuild
/// over it keeps the page when its incident is unchanged.
#[derive(Clone)]
pub struct PageFacts {
    /// A digest of its related incidents, the one part of the page that
    /// other postmortems decide.
    related: u64,
    attachments: Vec<String>,
    diagrams: bool,
}

/// What the pages show besides the site's view of its incidents.
pub struct Records<'a> {
    /// The deployments, for the change failure rate.
    pub deployments: &'a Deployments,
    /// The calendars of open items.
    pub calendars: &'a [Calendar],
    /// Days to close action items per quarter.
    pub close_times: &'a [QuarterCloseTimes],
    /// Metrics the last build computed over the same inputs.
    pub metrics: Vec<(Filter, Metrics)>,
}

impl Records<'static> {
    /// None: what the incident pages are rendered with, which show none.
    pub const NONE: Records<'static> = Records {
        deployments: &Deployments::NONE,
        calendars: &[],
        close_times: &[],
        metrics: Vec::new(),
    };
}

/// Renders the incident pages into `staging`, with the files they link
/// to; a rebuild over an earlier build keeps the pages that `earlier` says
/// are unchanged.
pub fn incident_pages(
    project: &Project,
    templates: &Templates,
    site: &Site,
    staging: &Staging,
    options: &BuildOptions,
    earlier: &HashMap<String, PageFacts>,
) -> Result<IncidentPages, Error> {
    let pages = Pages::new(project, templates, site, Records::NONE, staging, options);
    let (count, facts) = pages.incidents(options, earlier)?;
    let attachments: BTreeSet<String> = facts
        .values()
        .flat_map(|f| f.attachments.iter().cloned())
        .collect();
    copy_attachments(project, &attachments, staging)?;
    Ok(IncidentPages {
        count,
        diagrams: facts.values().any(|f| f.diagrams),
        facts,
    })
}

/// Renders every page but the incidents' into `staging` (the indexes,
/// the lists, the board, the metrics and the feed), the search index of
/// the words `terms` counted and the assets. Returns the number of pages
/// and the metrics computed, for the next build.
/// The site's postmortems may be gone: these pages show its views only.
pub fn other_pages(
    project: &Project,
    templates: &Templates,
    site: &Site,
    records: Records,
    staging: &Staging,
    options: &BuildOptions,
    terms: &search::Terms,
) -> Result<(usize, Computed), Error> {
    let theme = project.theme_dir();
    let pages = Pages::new(project, templates, site, records, staging, options);
    // Each writes files of its own, from the same views.
    let (indexes, (top_level, rest)) = rayon::join(
        || pages.indexes(),
        || {
            rayon::join(
                || pages.top_level(),
                || {
                    pages.feed()?;
                    search::write_index(site, terms, staging, None)
                },
            )
        },
    );
    rest?;
    let count = indexes? + top_level?;
    for (name, builtin) in ASSETS {
        staging.write(
            &format!("assets/{name}"),
            asset(&theme, name, builtin).as_bytes(),
        )?;
    }
    Ok((count, pages.figures.into_computed()))
}

/// Rewrites, over an earlier build, what a change of prose alone changes
/// (see [`Site::take_prose_changes`]): the pages of the incidents not
/// marked unchanged, the files they link to and the search index. The
/// other files are the earlier build's.
pub fn rewrite_prose(
    project: &Project,
    templates: &Templates,
    site: &Site,
    staging: &Staging,
    options: &BuildOptions,
    earlier: &HashMap<String, PageFacts>,
    mut terms: search::Terms,
) -> Result<(IncidentPages, search::Terms), Error> {
    // The records only feed the lists and the metrics, which a change of
    // prose leaves as they are.
    let pages = Pages::new(project, templates, site, Records::NONE, staging, options);
    let (count, facts) = pages.incidents(options, earlier)?;
    // The files the rewritten pages link to are copied again; those only
    // kept pages link to are kept.
    let (kept, rewritten): (Vec<_>, Vec<_>) = facts.iter().partition(|(url, _)| staging.kept(url));
    let copied: BTreeSet<String> = rewritten
        .iter()
        .flat_map(|(_, f)| f.attachments.iter().cloned())
        .collect();
    for (_, page) in kept {
        for relative in &page.attachments {
            if !copied.contains(relative) {
                staging.keep(&format!("{}{relative}", markdown::ATTACHMENTS));
            }
        }
    }
    copy_attachments(project, &copied, staging)?;
    let changed: Vec<usize> = (0..site.incidents.len())
        .filter(|&at| !site.incidents[at].unchanged)
        .collect();
    for &at in &changed {
        terms.recount(at, &site.incidents[at]);
    }
    search::write_index(site, &terms, staging, Some(&changed))?;
    let pages = IncidentPages {
        count,
        diagrams: facts.values().any(|f| f.diagrams),
        facts,
    };
    Ok((pages, terms))
}

/// Incident pages made and written at a time: enough for every core, few
/// enough that their views stay small.
const CHUNK: usize = 256;

/// What every page is rendered with.
struct Pages<'a> {
    project: &'a Project,
    site: &'a Site,
    staging: &'a Staging,
    /// The calendars of open items (`actions.ics` and one per owner).
    calendars: &'a [Calendar],
    /// Days to close action items per quarter, from the git history.
    close_times: &'a [QuarterCloseTimes],
    env: &'a Environment<'static>,
    /// The words of the site's language.
    words: &'static Catalogue,
    /// What the metrics are computed from, and those computed.
    figures: MetricsInput<'a>,
    /// The list entry of each incident, in [`Site::incidents`] order.
    summaries: std::sync::OnceLock<Vec<Value>>,
}

impl<'a> Pages<'a> {
    fn new(
        project: &'a Project,
        templates: &'a Templates,
        site: &'a Site,
        records: Records<'a>,
        staging: &'a Staging,
        options: &BuildOptions,
    ) -> Pages<'a> {
        Pages {
            project,
            site,
            staging,
            calendars: records.calendars,
            close_times: records.close_times,
            env: &templates.0,
            words: crate::i18n::catalogue(&project.config.book.language),
            figures: MetricsInput::new(
                &site.metric_incidents,
                &project.config,
                records.deployments,
                options.today,
                records.metrics,
            ),
            summaries: std::sync::OnceLock::new(),
        }
    }

    /// The list entry of each incident, in [`Site::incidents`] order:
    /// each converted once, and shared by the lists.
    fn summaries(&self) -> &[Value] {
        self.summaries
            .get_or_init(|| self.site.incidents.iter().map(|i| v(i.summary())).collect())
    }
}

impl Pages<'_> {
    /// Renders template `name` into `path`, relative to the site's root.
    fn write(&self, path: &str, name: &str, ctx: Value) -> Result<(), Error> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(name, e))?;
        let url = self.project.config.site.url.as_deref();
        let full = context! {
            root => page_root(path, url),
            path => path,
            site => context! { title => &self.site.title, public => self.site.public, url => url.unwrap_or_default() },
            ..ctx
        };
        if !self.staging.is_over() {
            let html = template.render(full).map_err(|e| template_error(name, e))?;
            return self.staging.write(path, html.as_bytes());
        }
        // A rebuild renders a page only if what its template is given changed.
        let digest = super::output::digest(&(name, &full));
        if self.staging.keeps_page(path, digest) {
            return Ok(());
        }
        let html = template.render(full).map_err(|e| template_error(name, e))?;
        self.staging.write_page(path, html.as_bytes(), digest)
    }

    /// The list entries of the incidents at `indices`.
    fn list(&self, indices: &[usize]) -> Vec<Value> {
        indices
            .iter()
            .map(|&i| self.summaries()[i].clone())
            .collect()
    }

    /// One page per incident, each written as its full view is made, a
    /// chunk at a time, so that only a chunk's views are held at once; a
    /// rebuild keeps the page of an unchanged incident whose related
    /// incidents are the same as in `earlier`. Returns the number of pages
    /// and what each showed.
    fn incidents(
        &self,
        options: &BuildOptions,
        earlier: &HashMap<String, PageFacts>,
    ) -> Result<(usize, HashMap<String, PageFacts>), Error> {
        let incidents = &self.site.incidents;
        let progress = progress_bar(incidents.len(), options.progress);
        let mut facts = HashMap::with_capacity(incidents.len());
        for chunk in incidents.chunks(CHUNK) {
            let drawn: Vec<(String, PageFacts)> = chunk
                .par_iter()
                .map(|light| -> Result<(String, PageFacts), Error> {
                    let related = super::output::digest(&light.related);
                    let kept = earlier.get(&light.url).filter(|f| {
                        light.unchanged && f.related == related && self.staging.keep(&light.url)
                    });
                    let page = match kept {
                        Some(facts) => facts.clone(),
                        None => {
                            let incident = self.site.page(self.project, options, light);
                            self.write(
                                &incident.url,
                                "incident.html",
                                context! { page => v(&incident), title => &incident.title },
                            )?;
                            PageFacts {
                                related,
                                attachments: incident.attachments,
                                diagrams: incident.diagrams,
                            }
                        }
                    };
                    progress.inc(1);
                    Ok((light.url.clone(), page))
                })
                .collect::<Result<_, Error>>()?;
            facts.extend(drawn);
        }
        progress.finish_and_clear();
        Ok((incidents.len(), facts))
    }

    /// Each index's overview and one page per term.
    fn indexes(&self) -> Result<usize, Error> {
        let mut count = 0;
        for index in &self.site.indexes {
            let overview: Vec<Value> = index
                .terms
                .iter()
                .map(|t| context! { name => &t.name, url => format!("{}.html", t.slug), count => t.incidents.len() })
                .collect();
            self.write(
                &format!("{}/index.html", index.kind),
                "terms.html",
                context! { title => index.title, kind => index.kind, terms => overview },
            )?;
            count += 1 + index
                .terms
                .par_iter()
                .map(|term| self.term(index, term))
                .try_reduce(|| 0, |a, b| Ok(a + b))?;
        }
        Ok(count)
    }

    /// The pages of one term of an index; returns how many.
    fn term(&self, index: &Index, term: &TermPage) -> Result<usize, Error> {
        // Services and root causes get their own headline numbers.
        let subset = match index.kind {
            "services" => Some(Filter {
                service: Some(term.name.clone()),
                ..Filter::default()
            }),
            "causes" => Some(Filter {
                root_cause_category: Some(term.name.clone()),
                ..Filter::default()
            }),
            _ => None,
        };
        let headline = subset.map(|f| v(self.figures.headline(&f)));
        let pages = paginate(
            &format!("{}/{}.html", index.kind, term.slug),
            term.incidents.len(),
        );
        for page in &pages {
            self.write(
                &page.path,
                "term.html",
                context! {
                    title => self.words.fill("indexes.term", &[("index", index.title), ("name", &term.name)]),
                    index_title => index.title,
                    index_url => format!("{}/index.html", index.kind),
                    name => &term.name,
                    total => term.incidents.len(),
                    incidents => self.list(&term.incidents[page.range.clone()]),
                    headline => headline.clone().filter(|_| page.pager.number == 1),
                    pager => v(&page.pager),
                },
            )?;
        }
        Ok(pages.len())
    }

    /// The dashboard, the timeline, the action board, the metrics page,
    /// search and the 404 page.
    fn top_level(&self) -> Result<usize, Error> {
        let site = self.site;
        let headline = v(self.figures.headline(&Filter::default()));
        let open: Vec<_> = site.actions.iter().filter(|a| a.status == "open").collect();
        let overdue: Vec<_> = open.iter().filter(|a| a.overdue).copied().collect();
        let latest: Vec<Value> = self.summaries().iter().take(10).cloned().collect();
        let (lists, (timeline, metrics)) = rayon::join(
            || self.board_lists(),
            || rayon::join(|| self.timeline(), || self.metrics(headline.clone())),
        );
        let ((board, lists), timeline) = (lists?, timeline?);
        let (metrics, recurrence) = metrics?;
        let top_level = [
            (
                "index.html",
                context! {
                    title => &site.title,
                    latest => latest,
                    open_count => open.len(),
                    overdue_count => overdue.len(),
                    overdue => v(overdue.iter().take(10).collect::<Vec<_>>()),
                    incident_count => site.incidents.len(),
                    drafts_left_out => site.drafts.len(),
                    headline => headline.clone(),
                    recent_days => metrics_view::RECENT_DAYS,
                },
            ),
            (
                "actions.html",
                context! {
                    title => self.words.text("actions.title"),
                    actions => v(&site.actions[..site.actions.len().min(PAGE_SIZE)]),
                    board => board,
                    calendars => v(self.calendars),
                },
            ),
            ("metrics.html", metrics),
            (
                "search.html",
                context! { title => self.words.text("search.title") },
            ),
            (
                "404.html",
                context! { title => self.words.text("not_found.title") },
            ),
        ];
        for (template, ctx) in &top_level {
            self.write(template, template, ctx.clone())?;
        }
        Ok(top_level.len() + lists + timeline + recurrence)
    }

    /// What the metrics page shows: all-time charts and recurrence pairs
    /// (the first [`PAGE_SIZE`], all of them on their own pages); returns
    /// it and the number of those pages.
    fn metrics(&self, headline: Value) -> Result<(Value, usize), Error> {
        let all_time = self.figures.compute(&Filter::default());
        let charts: Vec<Value> = metrics_view::charts(&all_time, &self.project.config)
            .into_iter()
            .chain(metrics_view::close_times_chart(
                self.close_times,
                self.words,
            ))
            .map(|c| {
                context! {
                    id => c.chart.id,
                    title => c.chart.title,
                    svg => Value::from_safe_string(c.svg),
                    head => c.head,
                    rows => c.rows,
                }
            })
            .collect();
        let (charts, chart_pages) = self.large_charts(charts)?;
        let titles: HashMap<&str, &str> = self
            .site
            .incidents
            .iter()
            .map(|i| (i.id.as_str(), i.title.as_str()))
            .collect();
        let pairs: Vec<Value> = all_time
            .recurrence
            .pairs
            .iter()
            .filter(|p| {
                titles.contains_key(p.earlier.as_str()) && titles.contains_key(p.later.as_str())
            })
            .map(|p| {
                context! {
                    earlier => titles.get(p.earlier.as_str()).copied(),
                    earlier_url => format!("incidents/{}.html", p.earlier),
                    later => titles.get(p.later.as_str()).copied(),
                    later_url => format!("incidents/{}.html", p.later),
                    service => &p.service,
                    category => &p.category,
                    days_apart => p.days_apart,
                }
            })
            .collect();
        let pages = self.recurrence(&pairs)? + chart_pages;
        Ok((
            context! {
                title => self.words.text("metrics.title"),
                headline => headline,
                recent_days => metrics_view::RECENT_DAYS,
                charts => charts,
                pairs_total => pairs.len(),
                pairs => pairs[..pairs.len().min(PAGE_SIZE)].to_vec(),
                recurrence_window => all_time.recurrence.window_days,
                recurrence_share => self.words.share(all_time.recurrence.share),
                recurring => all_time.recurrence.incidents,
            },
            pages,
        ))
    }

    /// The Atom feed of the 50 newest incidents.
    fn feed(&self) -> Result<(), Error> {
        let site = self.site;
        self.write(
            "feed.xml",
            "feed.xml",
            context! {
                entries => self.summaries().iter().take(50).cloned().collect::<Vec<_>>(),
                updated => site.incidents.first().map(|i| &i.date),
                feed_id => super::view::feed_id(self.project, &site.title),
            },
        )
    }
}

/// What a page at `path` puts before a link to another page of the site:
/// `../` for each directory it is in. The 404 page is served at whatever
/// address was missing, so with `[site] url` set its links are absolute.
fn page_root(path: &str, url: Option<&str>) -> String {
    match url {
        Some(url) if path == "404.html" => url.to_owned(),
        _ => "../".repeat(path.matches('/').count()),
    }
}

/// A progress bar of `len` steps on standard error, or a hidden one.
fn progress_bar(len: usize, show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("rendering incidents");
    bar
}

/// A serializable value for a template.
fn v<T: serde::Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// The incidents of one month (`YYYY-MM`), as list entries.
type Month = (String, Vec<Value>);

/// Incidents by year and month, newest first.
fn months(incidents: &[Incident], summaries: &[Value]) -> Vec<Value> {
    let mut years: Vec<(String, Vec<Month>)> = Vec::new();
    for (incident, summary) in incidents.iter().zip(summaries) {
        let year = incident
            .month
            .split('-')
            .next()
            .unwrap_or("undated")
            .to_owned();
        if years.last().is_none_or(|(y, _)| *y != year) {
            years.push((year.clone(), Vec::new()));
        }
        let months = &mut years.last_mut().expect("just pushed").1;
        if months.last().is_none_or(|(m, _)| *m != incident.month) {
            months.push((incident.month.clone(), Vec::new()));
        }
        months
            .last_mut()
            .expect("just pushed")
            .1
            .push(summary.clone());
    }
    years
        .into_iter()
        .map(|(year, months)| {
            let months: Vec<Value> = months
                .into_iter()
                .map(|(month, incidents)| context! { month => month, incidents => incidents })
                .collect();
            context! { year => year, months => months }
        })
        .collect()
}

/// Copies each file the pages link to, once, under
/// [`markdown::ATTACHMENTS`]; only the incidents of the site link any, so
/// a public build holds no attachment of an internal postmortem.
fn copy_attachments(
    project: &Project,
    attachments: &BTreeSet<String>,
    staging: &Staging,
) -> Result<(), Error> {
    let disk = crate::links::Disk::of(project);
    for relative in attachments {
        let Ok(path) = disk.locate(&project.display_path(&project.root.join(relative))) else {
            continue;
        };
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        staging.write(&format!("{}{relative}", markdown::ATTACHMENTS), &bytes)?;
    }
    Ok(())
}
