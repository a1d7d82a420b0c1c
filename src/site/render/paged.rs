//! The pages of long lists (see [`crate::site::pages`]): the timeline and
//! the action board's lists by status, owner and service.

use std::collections::BTreeMap;

use minijinja::{Value, context};
use rayon::prelude::*;

use super::{Pages, months, v};
use crate::error::Error;
use crate::i18n::Catalogue;
use crate::site::pages::{PAGE_SIZE, paginate};
use crate::site::slugs::Taken;
use crate::site::view::ActionRow;
use crate::text::slugify;

/// A list of the board: its heading, its first page, its rows (positions
/// in [`crate::site::view::Site::actions`]).
struct List {
    name: String,
    heading: String,
    first: String,
    rows: Vec<usize>,
}

impl Pages<'_> {
    /// The timeline, [`PAGE_SIZE`] incidents a page, newest first.
    pub(super) fn timeline(&self) -> Result<usize, Error> {
        let incidents = &self.site.incidents;
        let pages = paginate("timeline.html", incidents.len());
        pages.par_iter().try_for_each(|page| {
            let range = page.range.clone();
            self.write(
                &page.path,
                "timeline.html",
                context! {
                    title => self.words.text("timeline.title"),
                    years => months(&incidents[range.clone()], &self.summaries()[range]),
                    pager => v(&page.pager),
                },
            )
        })?;
        Ok(pages.len())
    }

    /// Every recurrence pair of the metrics page, over pages, when there
    /// are more than it shows; returns the number of pages.
    pub(super) fn recurrence(&self, pairs: &[Value]) -> Result<usize, Error> {
        if pairs.len() <= PAGE_SIZE {
            return Ok(0);
        }
        let pages = paginate("metrics/recurrence.html", pairs.len());
        for page in &pages {
            self.write(
                &page.path,
                "recurrence.html",
                context! {
                    title => self.words.text("headline.recurring"),
                    total => pairs.len(),
                    pairs => pairs[page.range.clone()].to_vec(),
                    pager => v(&page.pager),
                },
            )?;
        }
        Ok(pages.len())
    }

    /// Each chart of the metrics page with more than [`PAGE_SIZE`] rows
    /// is a table over pages of its own (`metrics/<id>.html`), without its
    /// drawing, too tall to read; in its place a link to them. Returns the
    /// charts and the number of those pages.
    pub(super) fn large_charts(&self, charts: Vec<Value>) -> Result<(Vec<Value>, usize), Error> {
        let mut count = 0;
        let mut out = Vec::with_capacity(charts.len());
        for chart in charts {
            let rows: Vec<Value> = chart
                .get_attr("rows")
                .ok()
                .and_then(|r| r.try_iter().ok().map(Iterator::collect))
                .unwrap_or_default();
            if rows.len() <= PAGE_SIZE {
                out.push(chart);
                continue;
            }
            let id = chart
                .get_attr("id")
                .map(|v| v.to_string())
                .unwrap_or_default();
            let title = chart.get_attr("title").unwrap_or_default();
            let head = chart.get_attr("head").unwrap_or_default();
            let first = format!("metrics/{id}.html");
            let pages = paginate(&first, rows.len());
            for page in &pages {
                self.write(
                    &page.path,
                    "chart.html",
                    context! {
                        title => title.clone(),
                        id => id.clone(),
                        head => head.clone(),
                        rows => rows[page.range.clone()].to_vec(),
                        pager => v(&page.pager),
                    },
                )?;
            }
            count += pages.len();
            out.push(context! { id => id, title => title, page => first, count => rows.len() });
        }
        Ok((out, count))
    }

    /// Writes the board's lists; returns what `actions.html` shows of them
    /// and the number of pages written.
    pub(super) fn board_lists(&self) -> Result<(Value, usize), Error> {
        let rows = &self.site.actions;
        let lists = [
            statuses(rows, self.words),
            owners(rows, self.words),
            self.services(rows),
        ];
        // What every row of a list shares, which its table leaves out.
        let groupings = ["status", "owner", "service"];
        let pages: Vec<_> = groupings
            .iter()
            .zip(&lists)
            .flat_map(|(by, lists)| lists.iter().map(move |l| (by, l)))
            .flat_map(|(by, list)| {
                paginate(&list.first, list.rows.len())
                    .into_iter()
                    .map(move |page| (by, list, page))
            })
            .collect();
        let count = pages.len();
        pages.into_par_iter().try_for_each(|(by, list, page)| {
            let shown: Vec<&ActionRow> = list.rows[page.range].iter().map(|&i| &rows[i]).collect();
            self.write(
                &page.path,
                "action-list.html",
                context! {
                    title => &list.heading,
                    heading => &list.heading,
                    total => list.rows.len(),
                    actions => v(shown),
                    by => *by,
                    pager => v(&page.pager),
                },
            )
        })?;
        let links = |lists: &[List]| -> Vec<Value> {
            lists
                .iter()
                .map(|l| context! { name => &l.name, url => &l.first, count => l.rows.len() })
                .collect()
        };
        let [statuses, owners, services] = &lists;
        let overview = context! {
            total => rows.len(),
            shown => rows.len().min(PAGE_SIZE),
            statuses => links(statuses),
            owners => links(owners),
            services => links(services),
        };
        Ok((overview, count))
    }

    /// The open items of each service, under the service's slug in the
    /// site's index.
    fn services(&self, rows: &[ActionRow]) -> Vec<List> {
        let slugs: BTreeMap<&str, &str> = self
            .site
            .indexes
            .iter()
            .filter(|i| i.kind == "services")
            .flat_map(|i| &i.terms)
            .map(|t| (t.name.as_str(), t.slug.as_str()))
            .collect();
        let mut by_service: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, row) in rows.iter().enumerate().filter(|(_, r)| r.status == "open") {
            for service in &row.services {
                by_service.entry(service).or_default().push(i);
            }
        }
        unique_slugs(by_service.into_iter().map(|(name, rows)| {
            let slug = slugs
                .get(name)
                .map_or_else(|| slugify(name), |s| (*s).to_owned());
            (name.to_owned(), slug, rows)
        }))
        .into_iter()
        .map(|(name, slug, rows)| List {
            heading: self.words.fill("board.open_of", &[("name", &name)]),
            first: format!("actions/services/{slug}.html"),
            name,
            rows,
        })
        .collect()
    }
}

/// Every item once: overdue, open (not overdue) and done.
fn statuses(rows: &[ActionRow], words: &'static Catalogue) -> Vec<List> {
    let of = |keep: &dyn Fn(&ActionRow) -> bool| -> Vec<usize> {
        rows.iter()
            .enumerate()
            .filter(|(_, r)| keep(r))
            .map(|(i, _)| i)
            .collect()
    };
    [
        (
            "overdue",
            "board.overdue",
            of(&|r| r.status == "open" && r.overdue),
        ),
        (
            "open",
            "board.open",
            of(&|r| r.status == "open" && !r.overdue),
        ),
        ("done", "board.done", of(&|r| r.status != "open")),
    ]
    .into_iter()
    .map(|(name, heading, rows)| List {
        name: name.to_owned(),
        heading: words.text(heading).to_owned(),
        first: format!("actions/{name}.html"),
        rows,
    })
    .collect()
}

/// The open items of each owner; those without one under `unowned`. A
/// public build names no owner, so it has none of these lists.
fn owners(rows: &[ActionRow], words: &'static Catalogue) -> Vec<List> {
    let mut by_owner: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut unowned = Vec::new();
    for (i, row) in rows.iter().enumerate().filter(|(_, r)| r.status == "open") {
        match &row.owner {
            Some(owner) => by_owner.entry(owner).or_default().push(i),
            None => unowned.push(i),
        }
    }
    let mut lists: Vec<List> = unique_slugs(by_owner.into_iter().map(|(owner, rows)| {
        let name = owner.trim_start_matches('@').to_owned();
        let slug = slugify(&name);
        (name, slug, rows)
    }))
    .into_iter()
    .map(|(name, slug, rows)| List {
        heading: words.fill("board.open_of", &[("name", &name)]),
        first: format!("actions/owners/{slug}.html"),
        name,
        rows,
    })
    .collect();
    if !lists.is_empty() && !unowned.is_empty() {
        lists.push(List {
            name: words.text("board.no_owner").to_owned(),
            heading: words.text("board.unowned").to_owned(),
            first: "actions/unowned.html".to_owned(),
            rows: unowned,
        });
    }
    lists
}

/// Slugs made unique in the given order: an empty one becomes `item`, and
/// a repeated one gets `-2`, `-3`, ….
fn unique_slugs(
    entries: impl Iterator<Item = (String, String, Vec<usize>)>,
) -> Vec<(String, String, Vec<usize>)> {
    let mut taken = Taken::default();
    entries
        .map(|(name, slug, rows)| (name, taken.claim(slug, "item"), rows))
        .collect()
}
