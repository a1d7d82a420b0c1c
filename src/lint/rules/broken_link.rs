use crate::links::{Problem, Target};
use crate::lint::{Context, Violation, rule};

rule! {
    /// A relative link or image leads to a file that does not exist, or out of the project.
    ///
    /// ## What it does
    ///
    /// Checks every link and image of the body whose destination is a
    /// relative path (`img/p99.png`, `2026-09-14-cache-eviction.md#timeline`,
    /// `logs/raw.txt`), resolved from the postmortem's directory: the file
    /// must exist, and the path may not leave the project directory (the
    /// directory of `pmbook.toml`), not even through a symbolic link. URLs
    /// with a scheme (`https:`, `mailto:`), same-page anchors and absolute
    /// paths are not checked. `pmbook lint --commit` checks only that paths
    /// stay in the project, since an old commit's files are not on disk.
    ///
    /// ## Why is this bad?
    ///
    /// The site links a postmortem to another's page and copies the files
    /// a postmortem links or embeds next to its page: a missing file is a
    /// broken image or a dead link for every reader. A path out of the
    /// project (`../../secret`) would publish a file that is not part of
    /// the postmortems; the site refuses it.
    ///
    /// ## Example
    ///
    /// ```markdown
    /// ![p99 latency](img/p99.png)
    /// See [the earlier incident](2026-09-14-cache-evction.md).
    /// ```
    ///
    /// ## Use instead
    ///
    /// Commit the file beside the postmortem, or fix the path:
    ///
    /// ```markdown
    /// ![p99 latency](img/p99-latency.png)
    /// See [the earlier incident](2026-09-14-cache-eviction.md).
    /// ```
    pub static BROKEN_LINK = {
        id: "broken-link",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let project_dir = ctx.disk.map(|d| d.project_dir());
    for link in &ctx.pm.links {
        let target = crate::links::resolve(
            &link.value,
            &ctx.pm.path,
            project_dir.as_deref().unwrap_or_default(),
        );
        let span = ctx.first_line(link.span);
        let outside = || {
            Violation::at(
                span,
                format!("`{}` leads out of the project directory", link.value),
            )
            .help("link only to files inside the project; the site does not publish others")
        };
        match target {
            Target::Elsewhere => {}
            Target::Outside => out.push(outside()),
            Target::File { path, .. } => {
                let Some(disk) = ctx.disk else {
                    continue;
                };
                match disk.locate(&path) {
                    Ok(_) => {}
                    Err(Problem::Outside) => out.push(outside()),
                    Err(Problem::Missing) => out.push(
                        Violation::at(span, format!("`{}`: no such file ({path})", link.value))
                            .help("commit the file beside the postmortem, or fix the path"),
                    ),
                    Err(Problem::NotAFile) => out.push(
                        Violation::at(span, format!("`{}` is a directory, not a file", link.value))
                            .help("link to a file"),
                    ),
                }
            }
        }
    }
}
