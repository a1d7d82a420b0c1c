use crate::lint::{Context, Violation, rule};
use crate::model::{FileProblem, Span};

rule! {
    /// The file cannot be read as a UTF-8 text postmortem.
    ///
    /// pmbook reports a file that is unreadable, is not valid UTF-8, holds
    /// binary data (NUL bytes), is larger than `[lint] max_file_bytes`
    /// (default 5 MiB), or is a symbolic link pointing outside the project
    /// (such links are never followed). Nothing else is checked in that file;
    /// the other files are linted as usual.
    ///
    /// ## How to fix
    ///
    /// Save the file as UTF-8 Markdown, move attachments (logs, images, dumps)
    /// next to the postmortem and link them, and replace links that leave the
    /// repository with a copy of the file.
    pub static INVALID_FILE = {
        id: "invalid-file",
        level: Error,
        relaxed_in_draft: false,
        check: check,
    };
}

fn check(ctx: &Context, out: &mut Vec<Violation>) {
    let Some(problem) = &ctx.pm.file_problem else {
        return;
    };
    out.push(match problem {
        FileProblem::Unreadable(reason) => {
            Violation::file(format!("cannot read the file: {reason}"))
        }
        FileProblem::NotUtf8 { offset } => {
            let bom = if ctx.pm.source.has_bom { 3 } else { 0 };
            let at = offset.saturating_sub(bom).min(ctx.pm.source.text.len());
            Violation::at(Span::new(at, at), "the file is not valid UTF-8")
                .help("save the file with UTF-8 encoding")
        }
        FileProblem::Binary => {
            Violation::file("the file is binary (it holds NUL bytes), not a Markdown postmortem")
                .help("keep attachments next to the postmortem and link to them")
        }
        FileProblem::TooLarge { bytes, limit } => Violation::file(format!(
            "the file is {bytes} bytes, over the limit of {limit} bytes"
        ))
        .help("move logs and dumps out of the postmortem, or raise `[lint] max_file_bytes`"),
        FileProblem::SymlinkOutside { target } => Violation::file(format!(
            "symbolic link to `{target}` leaves the project and is not followed"
        ))
        .help("copy the postmortem into the repository instead of linking to it"),
    });
}
