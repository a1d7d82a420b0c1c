//! Pages from templates. The built-in theme lives in `theme/` and is part of
//! the binary; a project overrides any template or asset by putting a file
//! of the same name in `theme/templates/` or `theme/assets/` next to
//! `pmbook.toml`. Templates are MiniJinja with HTML auto-escaping: a value
//! from a postmortem is escaped unless the builder rendered it safely itself
//! (Markdown through comrak's safe mode, SVG with every text escaped).

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use minijinja::{AutoEscape, Environment, Value, context};
use rayon::prelude::*;

use super::BuildOptions;
use super::data::Site;
use super::markdown;
use super::metrics_view::{self, MetricsInput};
use super::output::Staging;
use super::search;
use crate::charts::escape;
use crate::config::Project;
use crate::error::Error;
use crate::metrics::{Deployments, Filter};

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
    ("feed.xml", include_str!("theme/templates/feed.xml")),
];

const ASSETS: &[(&str, &str)] = &[
    ("pmbook.css", include_str!("theme/assets/pmbook.css")),
    ("pmbook.js", include_str!("theme/assets/pmbook.js")),
    ("search.js", include_str!("theme/assets/search.js")),
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
            out.write_str(&escape(&value.to_string())).map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
            })
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env
}

fn asset(theme: &Path, name: &str, builtin: &str) -> String {
    std::fs::read_to_string(theme.join("assets").join(name)).unwrap_or_else(|_| builtin.to_owned())
}

fn template_error(name: &str, e: minijinja::Error) -> Error {
    Error::Config(format!("cannot render {name}: {e:#}"))
}

/// Renders every page into `staging`; returns the number of pages.
pub fn render_all(
    project: &Project,
    site: &Site,
    deployments: &Deployments,
    staging: &Staging,
    options: &BuildOptions,
) -> Result<usize, Error> {
    let theme = project.root.join("theme");
    let env = environment(theme.clone());
    let render = |name: &str, root: &str, ctx: Value| -> Result<String, Error> {
        let template = env
            .get_template(name)
            .map_err(|e| template_error(name, e))?;
        let full = context! {
            root => root,
            site => context! { title => &site.title, public => site.public },
            ..ctx
        };
        template.render(full).map_err(|e| template_error(name, e))
    };
    let progress = if options.progress {
        let bar = ProgressBar::with_draw_target(
            Some(site.incidents.len() as u64),
            ProgressDrawTarget::stderr(),
        );
        bar.set_style(
            ProgressStyle::with_template("{msg} {bar:40} {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message("rendering incidents");
        bar
    } else {
        ProgressBar::hidden()
    };

    site.incidents
        .par_iter()
        .try_for_each(|incident| -> Result<(), Error> {
            let html = render(
                "incident.html",
                "../",
                context! { page => v(incident), title => &incident.title },
            )?;
            staging.write(&incident.url, html.as_bytes())?;
            progress.inc(1);
            Ok(())
        })?;
    progress.finish_and_clear();
    copy_attachments(project, site, staging)?;
    let mut pages = site.incidents.len();

    // Each incident's list entry is converted once; lists share them.
    let summaries: Vec<Value> = site.incidents.iter().map(|i| v(i.summary())).collect();
    let list = |indices: &[usize]| -> Vec<Value> {
        indices.iter().map(|&i| summaries[i].clone()).collect()
    };
    let figures = MetricsInput {
        incidents: &site.metric_incidents,
        config: &project.config,
        deployments,
        today: options.today,
    };
    for index in &site.indexes {
        let overview: Vec<Value> = index
            .terms
            .iter()
            .map(|t| context! { name => &t.name, url => format!("{}.html", t.slug), count => t.incidents.len() })
            .collect();
        let html = render(
            "terms.html",
            "../",
            context! { title => index.title, kind => index.kind, terms => overview },
        )?;
        staging.write(&format!("{}/index.html", index.kind), html.as_bytes())?;
        pages += 1;
        index
            .terms
            .par_iter()
            .try_for_each(|term| -> Result<(), Error> {
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
                let headline = subset.map(|f| v(figures.headline(&f)));
                let html = render(
                    "term.html",
                    "../",
                    context! {
                        title => format!("{}: {}", index.title, term.name),
                        index_title => index.title,
                        name => &term.name,
                        incidents => list(&term.incidents),
                        headline => headline,
                    },
                )?;
                staging.write(
                    &format!("{}/{}.html", index.kind, term.slug),
                    html.as_bytes(),
                )
            })?;
        pages += index.terms.len();
    }

    let months = months(site, &summaries);
    let all_time = figures.compute(&Filter::default());
    let charts: Vec<Value> = metrics_view::charts(&all_time, &project.config)
        .into_iter()
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
    let known: std::collections::HashSet<&str> =
        site.incidents.iter().map(|i| i.id.as_str()).collect();
    let titles: std::collections::HashMap<&str, &str> = site
        .incidents
        .iter()
        .map(|i| (i.id.as_str(), i.title.as_str()))
        .collect();
    let pairs: Vec<Value> = all_time
        .recurrence
        .pairs
        .iter()
        .filter(|p| known.contains(p.earlier.as_str()) && known.contains(p.later.as_str()))
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
    let headline = v(figures.headline(&Filter::default()));
    let open: Vec<_> = site.actions.iter().filter(|a| a.status == "open").collect();
    let overdue: Vec<_> = open.iter().filter(|a| a.overdue).copied().collect();
    let latest: Vec<Value> = summaries.iter().take(10).cloned().collect();
    let top_level = [
        (
            "index.html",
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
            "timeline.html",
            "timeline.html",
            context! { title => "Timeline", years => months },
        ),
        (
            "actions.html",
            "actions.html",
            context! { title => "Action items", actions => v(&site.actions) },
        ),
        (
            "metrics.html",
            "metrics.html",
            context! {
                title => "Metrics",
                headline => headline,
                recent_days => metrics_view::RECENT_DAYS,
                charts => charts,
                pairs => pairs,
                recurrence_window => all_time.recurrence.window_days,
                recurrence_share => crate::metrics::format_share(all_time.recurrence.share),
                recurring => all_time.recurrence.incidents,
            },
        ),
        ("search.html", "search.html", context! { title => "Search" }),
        (
            "404.html",
            "404.html",
            context! { title => "Page not found" },
        ),
    ];
    for (template, path, ctx) in top_level {
        let html = render(template, "", ctx)?;
        staging.write(path, html.as_bytes())?;
        pages += 1;
    }
    let feed = render(
        "feed.xml",
        "",
        context! {
            entries => summaries.iter().take(50).cloned().collect::<Vec<_>>(),
            updated => site.incidents.first().map(|i| &i.date),
            feed_id => super::data::feed_id(project, &site.title),
        },
    )?;
    staging.write("feed.xml", feed.as_bytes())?;
    staging.write("search-index.js", search::index_script(site).as_bytes())?;
    for (name, builtin) in ASSETS {
        staging.write(
            &format!("assets/{name}"),
            asset(&theme, name, builtin).as_bytes(),
        )?;
    }
    Ok(pages)
}

/// A serializable value for a template.
fn v<T: serde::Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// The incidents of one month (`YYYY-MM`), as list entries.
type Month = (String, Vec<Value>);

/// Incidents by year and month, newest first.
fn months(site: &Site, summaries: &[Value]) -> Vec<Value> {
    let mut years: Vec<(String, Vec<Month>)> = Vec::new();
    for (incident, summary) in site.incidents.iter().zip(summaries) {
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
fn copy_attachments(project: &Project, site: &Site, staging: &Staging) -> Result<(), Error> {
    let disk = crate::links::Disk::of(project);
    let attachments: std::collections::BTreeSet<&String> =
        site.incidents.iter().flat_map(|i| &i.attachments).collect();
    for relative in attachments {
        let Ok(path) = disk.locate(&project.display_path(&project.root.join(relative))) else {
            continue;
        };
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        staging.write(&format!("{}{relative}", markdown::ATTACHMENTS), &bytes)?;
    }
    Ok(())
}
