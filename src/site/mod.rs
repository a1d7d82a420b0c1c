//! `pmbook build`: the static knowledge base.
//!
//! postmortems → [`data`] (one view per incident, indexes) → [`render`]
//! (templates from `theme/`) → [`output`] (a temporary directory swapped in
//! when complete). Every page links relatively, so the site works from
//! `file://` and from any sub-path, and two builds of the same input are
//! byte-identical.

pub mod data;
pub mod fishbone;
pub mod markdown;
pub mod metrics_view;
pub mod output;
pub mod render;
pub mod search;

use std::path::PathBuf;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::Project;
use crate::discover;
use crate::error::Error;
use crate::model::Postmortem;
use crate::parse;

/// How to build.
pub struct BuildOptions {
    pub out: PathBuf,
    /// Only `visibility = "public"` postmortems, without internal material.
    pub public: bool,
    pub today: Date,
    /// Show a progress bar (on a terminal, outside CI).
    pub progress: bool,
}

/// What a build did.
pub struct BuildReport {
    pub out: PathBuf,
    pub incidents: usize,
    pub pages: usize,
    /// Postmortems left out because they cannot be read (path, reason).
    pub skipped: Vec<(String, String)>,
}

/// Builds the site of `project`.
pub fn build(project: &Project, options: &BuildOptions) -> Result<BuildReport, Error> {
    let files = discover::postmortem_files(project)?;
    let postmortems: Vec<Postmortem> = files
        .par_iter()
        .map(|path| {
            let display = project.display_path(path);
            match discover::read(project, path) {
                Ok(text) => parse::parse(display, text, &project.config),
                Err((problem, text)) => parse::unreadable(display, text, problem),
            }
        })
        .collect();
    let deployments = crate::metrics::Deployments::load(project)?;
    let last_updated = data::last_updated(project, &postmortems);
    let site = data::Site::new(project, postmortems, options, &last_updated);
    let staging = output::Staging::new(&options.out)?;
    let pages = render::render_all(project, &site, &deployments, &staging, options)?;
    let out = staging.finish()?;
    Ok(BuildReport {
        out,
        incidents: site.incidents.len(),
        pages,
        skipped: site.skipped.clone(),
    })
}
