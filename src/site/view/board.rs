//! The action-item board of the site.

use std::collections::HashMap;

use super::{ActionRow, Incident};
use crate::config::Project;
use crate::links::Disk;
use crate::model::Postmortem;
use crate::site::{BuildOptions, markdown};
use crate::text::url_component;

/// The action-item board: every item of the site's incidents, merged by
/// identity as `pmbook actions` merges them, so that a follow-up shared by
/// several postmortems is one row (done when every copy is checked), shown
/// under the first incident that lists it.
pub(super) fn board(
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

pub(super) fn ticket_url(project: &Project, ticket: Option<&str>) -> Option<String> {
    let pattern = project.config.actions.ticket_url.as_ref()?;
    Some(pattern.replace("{ticket}", &url_component(ticket?)))
}
