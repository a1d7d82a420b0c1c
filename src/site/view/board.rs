//! Action-item rows, for the site's board and for each incident page: one
//! builder, from the items `pmbook actions` lists.

use std::collections::HashMap;

use super::{ActionRow, Incident};
use crate::actions::Action;
use crate::config::Project;
use crate::links::Disk;
use crate::site::{BuildOptions, markdown};

/// The incident a row is shown under.
pub(super) struct ShownUnder<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
}

/// The row of `action`, its text rendered with `links`.
pub(super) fn action_row(
    project: &Project,
    options: &BuildOptions,
    action: &Action,
    under: &ShownUnder,
    links: &markdown::Links,
) -> ActionRow {
    let mut services: Vec<String> = Vec::new();
    for service in action.listings.iter().flat_map(|l| &l.services) {
        if !services.contains(service) {
            services.push(service.clone());
        }
    }
    ActionRow {
        status: if action.done() { "done" } else { "open" },
        overdue: action.overdue(options.today),
        html: markdown::inline_html(&action.text, links),
        owner: if options.public {
            None
        } else {
            action.owner.clone()
        },
        due: action.due.map(|d| d.to_string()),
        kind: action.kind.clone(),
        ticket_url: project
            .config
            .actions
            .ticket_url
            .as_deref()
            .zip(action.ticket.as_deref())
            .map(|(pattern, ticket)| crate::actions::render::ticket_link(pattern, ticket)),
        ticket: action.ticket.clone(),
        incident_id: under.id.to_owned(),
        incident_title: under.title.to_owned(),
        incident_url: under.url.to_owned(),
        services,
    }
}

/// The action-item board: a row for each of `items`, the items of the
/// site's incidents merged by identity as `pmbook actions` merges them, so
/// that a follow-up shared by several postmortems is one row (done when
/// every copy is checked), shown under the first incident that lists it.
pub(super) fn board(
    project: &Project,
    items: &[Action],
    incidents: &[Incident],
    options: &BuildOptions,
    pages: &HashMap<String, Option<String>>,
) -> Vec<ActionRow> {
    let disk = Disk::of(project);
    let by_id: HashMap<&str, &Incident> = incidents.iter().map(|i| (i.id.as_str(), i)).collect();
    items
        .iter()
        .filter_map(|action| {
            let incident = by_id.get(action.first().postmortem.as_deref()?)?;
            let under = ShownUnder {
                id: &incident.id,
                title: &incident.title,
                url: &incident.url,
            };
            let links = markdown::Links::new(&disk, &incident.path, pages, "");
            Some(action_row(project, options, action, &under, &links))
        })
        .collect()
}
