//! The full view of one incident's page, made when the page is written:
//! the site holds its incidents without their bodies, so that the memory
//! of a build does not grow with every page's content at once.

use std::collections::HashMap;

use super::{Incident, Site, incident};
use crate::config::Project;
use crate::model::Postmortem;
use crate::site::BuildOptions;
use crate::site::slugs::Slugs;

/// What [`Site::page`] needs besides the postmortem: what the light views
/// were made with.
pub(super) struct PageInputs {
    pub slugs: Slugs,
    pub last_updated: HashMap<String, String>,
    /// The page of each postmortem, for links between them.
    pub links: HashMap<String, Option<String>>,
    pub mermaid: bool,
}

/// The path and text of `pm`, as read.
pub(super) fn source(pm: Postmortem) -> (String, String) {
    let mut text = pm.source.text;
    if pm.source.has_bom {
        text.insert_str(0, crate::model::source::BOM);
    }
    (pm.path, text)
}

impl Site {
    /// The full view of `light`, one of [`Site::incidents`]: its body too,
    /// and the related incidents found across the site.
    pub fn page(&self, project: &Project, options: &BuildOptions, light: &Incident) -> Incident {
        let (path, text) = &self.sources[light.source];
        let pm = crate::parse::parse(path.clone(), text.clone(), &project.config);
        let mut full = incident::incident(project, &pm, options, &self.inputs, true);
        full.related = light.related.clone();
        full.source = light.source;
        full
    }
}
