//! The full view of one incident's page, made when the page is written:
//! the site holds its incidents without their bodies, so that the memory
//! of a build does not grow with every page's content at once.

use std::collections::HashMap;

use super::{Incident, Site, incident};
use crate::config::Project;
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

impl PageInputs {
    /// A digest of what every view is made with (each view's
    /// `last_updated` is its own, and compared on its own).
    pub fn digest(&self) -> u64 {
        let mut links: Vec<_> = self.links.iter().collect();
        links.sort();
        crate::site::output::digest(&(self.slugs.digest(), links, self.mermaid))
    }
}

impl Site {
    /// The full view of `light`, one of [`Site::incidents`]: its body too,
    /// and the related incidents found across the site.
    pub fn page(&self, project: &Project, options: &BuildOptions, light: &Incident) -> Incident {
        let mut full = incident::incident(
            project,
            &self.postmortems[light.source],
            options,
            &self.inputs,
            true,
        );
        full.related = light.related.clone();
        full.source = light.source;
        full
    }
}
