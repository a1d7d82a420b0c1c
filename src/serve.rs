//! `pmbook serve`: builds the site, serves it on 127.0.0.1, rebuilds when a
//! postmortem, the config or the theme changes, and reloads open pages.
//!
//! Only files inside the output directory are served: request paths are
//! decoded, any `..` is refused, and the resolved file must still be inside
//! the directory after following symbolic links. Live reload is a script
//! injected into HTML responses (never into the built files) that long-polls
//! `/__pmbook/wait` and reloads the page when a new build is ready.

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tiny_http::{Header, Request, Response, Server};

use crate::config::Project;
use crate::corpus::Corpus;
use crate::error::Error;
use crate::site::{self, BuildOptions, Outcome};

const LIVE_RELOAD: &str = r#"<script>
(function () {
  var generation = GENERATION;
  function wait() {
    fetch("/__pmbook/wait?since=" + generation)
      .then(function (r) { return r.text(); })
      .then(function (text) {
        if (Number(text) > generation) { location.reload(); } else { wait(); }
      })
      .catch(function () { setTimeout(wait, 2000); });
  }
  wait();
})();
</script>"#;

/// The number of the latest build, with a condition variable that wakes
/// waiting pages when it changes.
struct Generation {
    number: Mutex<u64>,
    changed: Condvar,
}

/// Serves `options.out` on 127.0.0.1:`port` (0 picks a free port) until the
/// process is stopped. Returns `false` without serving when the first build
/// is refused (its diagnostics printed).
pub fn serve(project: &Project, options: &BuildOptions, port: u16) -> Result<bool, Error> {
    // Watching starts before the first build, so that no change made while
    // it runs, or just after the address is printed, is missed.
    let watching = watch(project, options)?;
    let mut earlier = site::Earlier::default();
    let report = match site::rebuild(project, Corpus::work_tree(project)?, options, &mut earlier)? {
        Outcome::Built(report) => report,
        Outcome::Refused(diagnostics) => {
            eprint!("{}", site::refusal(&diagnostics));
            return Ok(false);
        }
    };
    for problem in report.problems() {
        eprintln!("pmbook: {problem}");
    }
    if let Some(note) = report.drafts_note() {
        println!("pmbook: {note}");
    }
    let server = Server::http(("127.0.0.1", port))
        .map_err(|e| Error::Config(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
    let address = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| Error::Config("the server has no IP address".into()))?;
    println!(
        "pmbook: serving {} at http://{address}/ (Ctrl-C stops)",
        report.out.display()
    );
    let root = std::fs::canonicalize(&report.out).map_err(|e| Error::io(&report.out, e))?;
    let generation = Arc::new(Generation {
        number: Mutex::new(1),
        changed: Condvar::new(),
    });
    rebuild_on_changes(project, options, watching, earlier, generation.clone());
    for request in server.incoming_requests() {
        let root = root.clone();
        let generation = generation.clone();
        std::thread::spawn(move || respond(request, &root, &generation));
    }
    Ok(true)
}

/// The paths whose changes are not changes of the sources: the output
/// directory, the temporary directories a build makes next to it, and git's
/// own files. Without this, a site built inside the watched directory
/// (`src = "."`) would rebuild itself forever.
struct Ignored {
    /// The output directory, as given and resolved.
    outputs: Vec<PathBuf>,
    /// The output's parent (as given and resolved), and the prefix of the
    /// names of the build's temporary directories in it.
    temporaries: Vec<PathBuf>,
    temporary_prefix: String,
}

impl Ignored {
    fn new(out: &Path) -> Ignored {
        let both = |path: &Path| {
            let mut paths = vec![path.to_path_buf()];
            if let Ok(real) = std::fs::canonicalize(path) {
                paths.push(real);
            }
            paths
        };
        let name = out.file_name().unwrap_or_default().to_string_lossy();
        Ignored {
            outputs: both(out),
            temporaries: both(out.parent().unwrap_or(Path::new("."))),
            temporary_prefix: format!(".{name}.pmbook-"),
        }
    }

    fn ignores(&self, path: &Path) -> bool {
        if path.components().any(|c| c.as_os_str() == ".git") {
            return true;
        }
        if self.outputs.iter().any(|out| path.starts_with(out)) {
            return true;
        }
        self.temporaries.iter().any(|parent| {
            path.strip_prefix(parent)
                .ok()
                .and_then(|rest| rest.components().next())
                .is_some_and(|first| {
                    first
                        .as_os_str()
                        .to_string_lossy()
                        .starts_with(&self.temporary_prefix)
                })
        })
    }
}

/// Watches the sources: the watcher, and the paths of each change. The
/// configuration is watched through its directory, since saving it may
/// replace it with a new file; the theme, once it exists (see
/// [`watch_theme`]).
fn watch(
    project: &Project,
    options: &BuildOptions,
) -> Result<(notify::RecommendedWatcher, mpsc::Receiver<Vec<PathBuf>>), Error> {
    let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
    let ignored = Ignored::new(&options.out);
    let src = project.src_dir();
    let theme = project.theme_dir();
    let config = project.config_path.clone();
    let source = move |p: &PathBuf| {
        !ignored.ignores(p)
            && (p.starts_with(&src) || p.starts_with(&theme) || config.as_ref() == Some(p))
    };
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        let relevant =
            !event.kind.is_access() && (event.paths.is_empty() || event.paths.iter().any(&source));
        if relevant {
            let _ = tx.send(event.paths.into_iter().filter(&source).collect());
        }
    })
    .map_err(|e| Error::Config(format!("cannot watch for changes: {e}")))?;
    let mut watched = vec![(project.src_dir(), RecursiveMode::Recursive)];
    let directories = project
        .config_path
        .iter()
        .filter_map(|config| config.parent())
        .chain([project.root.as_path()]);
    for dir in directories {
        if !dir.starts_with(project.src_dir()) {
            watched.push((dir.to_path_buf(), RecursiveMode::NonRecursive));
        }
    }
    for (path, mode) in watched {
        if path.exists() {
            watcher
                .watch(&path, mode)
                .map_err(|e| Error::Config(format!("cannot watch {}: {e}", path.display())))?;
        }
    }
    watch_theme(project, &mut watcher);
    Ok((watcher, rx))
}

/// Watches the theme directory, when there is one: made during `serve`,
/// it is seen in the project's directory, and watched from then on.
fn watch_theme(project: &Project, watcher: &mut notify::RecommendedWatcher) {
    let theme = project.theme_dir();
    if theme.is_dir() && !theme.starts_with(project.src_dir()) {
        let _ = watcher.watch(&theme, RecursiveMode::Recursive);
    }
}

/// Rebuilds after changes settle, in a thread of its own: over the last
/// build when only postmortems changed, whole when anything else did (the
/// configuration, the theme, an attachment).
fn rebuild_on_changes(
    project: &Project,
    options: &BuildOptions,
    (mut watcher, rx): (notify::RecommendedWatcher, mpsc::Receiver<Vec<PathBuf>>),
    mut earlier: site::Earlier,
    generation: Arc<Generation>,
) {
    let project = project.clone();
    let options = BuildOptions {
        out: options.out.clone(),
        public: options.public,
        drafts: options.drafts,
        today: options.today,
        progress: false,
    };
    std::thread::spawn(move || {
        while let Ok(mut changed) = rx.recv() {
            // Editors write in bursts: wait until the changes settle.
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(100)) {
                changed.extend(more);
            }
            let started = std::time::Instant::now();
            watch_theme(&project, &mut watcher);
            if changed.is_empty()
                || changed
                    .iter()
                    .any(|p| needs_whole_build(&project, &earlier, p))
            {
                earlier = site::Earlier::default();
            }
            let project = match Project::discover(
                &project.root,
                project.config_path.as_deref(),
                &crate::lint::registry::ids(),
            ) {
                Ok(reloaded) => reloaded,
                Err(e) => {
                    eprintln!("pmbook: not rebuilt: {e}");
                    continue;
                }
            };
            let built = Corpus::work_tree(&project)
                .and_then(|c| site::rebuild(&project, c, &options, &mut earlier));
            match built {
                Ok(Outcome::Built(report)) => {
                    for problem in report.problems() {
                        eprintln!("pmbook: {problem}");
                    }
                    if let Some(note) = report.drafts_note() {
                        println!("pmbook: {note}");
                    }
                    // Open pages reload only when the site changed.
                    if report.rewritten > 0 {
                        let mut number = generation.number.lock().expect("generation lock");
                        *number += 1;
                        generation.changed.notify_all();
                    }
                    let noun = if report.incidents == 1 {
                        "incident"
                    } else {
                        "incidents"
                    };
                    let files = if report.rewritten == 1 {
                        "file"
                    } else {
                        "files"
                    };
                    println!(
                        "pmbook: rebuilt ({} {noun}; {} {files} rewritten in {:.2} s{})",
                        report.incidents,
                        report.rewritten,
                        started.elapsed().as_secs_f64(),
                        report.made.note()
                    );
                }
                Ok(Outcome::Refused(diagnostics)) => {
                    eprint!("{}", site::refusal(&diagnostics));
                    eprintln!("pmbook: still serving the previous site");
                }
                Err(e) => eprintln!("pmbook: build failed, still serving the previous site: {e}"),
            }
        }
    });
}

/// Whether a change to `path` needs a whole build: the configuration, the
/// theme, a file a page links to (or a directory holding one), or a new
/// file or directory that one may (not an editor's hidden or backup file,
/// nor one it has removed already). A change to postmortems only needs a
/// rebuild over the last build.
fn needs_whole_build(project: &Project, earlier: &site::Earlier, path: &Path) -> bool {
    if project.config_path.as_deref() == Some(path) || path.starts_with(project.theme_dir()) {
        return true;
    }
    if path.extension().is_some_and(|e| e == "md") {
        return false;
    }
    let linked = path
        .strip_prefix(&project.root)
        .is_ok_and(|relative| earlier.links_under(relative));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let editor_file = name.starts_with('.') || name.ends_with('~');
    // A directory moved in may hold files that pages link to.
    linked || path.is_dir() || (path.is_file() && !editor_file)
}

fn respond(request: Request, root: &Path, generation: &Generation) {
    let url = request.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    if path == "/__pmbook/wait" {
        let since: u64 = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let number = generation.number.lock().expect("generation lock");
        let (number, _) = generation
            .changed
            .wait_timeout_while(number, Duration::from_secs(25), |n| *n <= since)
            .expect("generation lock");
        let _ = request.respond(Response::from_string(number.to_string()));
        return;
    }
    let current = *generation.number.lock().expect("generation lock");
    let response = match resolve(root, path) {
        Some(file) => file_response(&file, current, 200),
        None => {
            let not_found = root.join("404.html");
            file_response(&not_found, current, 404)
        }
    };
    let _ = request.respond(response);
}

/// The file a request path names, if it is inside `root`.
fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path)?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut file = root.join(relative);
    if file.is_dir() {
        file = file.join("index.html");
    }
    let real = std::fs::canonicalize(&file).ok()?;
    (real.starts_with(root) && real.is_file()).then_some(real)
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    (!decoded.contains('\0') && !decoded.contains('\\')).then_some(decoded)
}

fn file_response(file: &Path, generation: u64, status: u16) -> Response<std::io::Cursor<Vec<u8>>> {
    let mut bytes = Vec::new();
    if std::fs::File::open(file)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .is_err()
    {
        return Response::from_string("not found").with_status_code(404);
    }
    let extension = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let content_type = match extension {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "xml" => "application/atom+xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        "ics" => "text/calendar; charset=utf-8",
        _ => "application/octet-stream",
    };
    if extension == "html" {
        let script = LIVE_RELOAD.replace("GENERATION", &generation.to_string());
        let text = String::from_utf8_lossy(&bytes);
        let injected = match text.rfind("</body>") {
            Some(at) => format!("{}{script}{}", &text[..at], &text[at..]),
            None => format!("{text}{script}"),
        };
        bytes = injected.into_bytes();
    }
    let header = Header::from_bytes("Content-Type", content_type).expect("a valid header");
    let no_cache = Header::from_bytes("Cache-Control", "no-store").expect("a valid header");
    Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header)
        .with_header(no_cache)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(root.join("index.html"), "x").unwrap();
        assert!(resolve(&root, "/").is_some());
        assert!(resolve(&root, "/index.html").is_some());
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/../../x",
            "/%2F%2Fetc",
            "/..%5c..",
            "/%00",
        ] {
            assert!(resolve(&root, bad).is_none(), "{bad}");
        }
    }
}
