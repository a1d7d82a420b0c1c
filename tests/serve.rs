//! `pmbook serve`: a real server process on 127.0.0.1, raw HTTP requests,
//! path safety and live reload after a change.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Project, VALID, valid_with};

const ID: &str = "2026-11-03-checkout-latency";

/// The server process, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    /// What it printed after the address line (stdout and stderr).
    output: Arc<Mutex<String>>,
}

impl Server {
    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Waits until the output contains `text` `times` times (at most 20 s).
    fn wait_for(&self, text: &str, times: usize) {
        let started = Instant::now();
        while self.output().matches(text).count() < times {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no {text:?} ×{times} in {}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(project: &Project) -> Server {
    serve_with(project, &[])
}

/// `pmbook serve` with `global` options before the command.
fn serve_with(project: &Project, global: &[&str]) -> Server {
    let binary = assert_cmd::cargo::cargo_bin("pmbook");
    let mut child = std::process::Command::new(binary)
        .current_dir(project.path())
        .args(global)
        .args(["serve", "--port", "0", "--out", "out"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    // The address line comes after any note on the first build (drafts).
    let mut line = String::new();
    while !line.contains("http://") {
        line.clear();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "serve stopped");
    }
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    // Keep reading so the server never blocks on a full pipe.
    let output = Arc::new(Mutex::new(String::new()));
    let stderr = BufReader::new(child.stderr.take().unwrap());
    for lines in [
        Box::new(stdout.lines()) as Box<dyn Iterator<Item = std::io::Result<String>> + Send>,
        Box::new(stderr.lines()),
    ] {
        let output = output.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let mut output = output.lock().unwrap();
                output.push_str(&line);
                output.push('\n');
            }
        });
    }
    Server {
        child,
        address,
        output,
    }
}

/// Sends a raw request line for `path` (no client-side normalisation of
/// the path); the answer is read from the stream, waiting up to `timeout`.
fn send(address: &str, path: &str, timeout: Duration) -> TcpStream {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(timeout)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    stream
}

/// Sends a raw request line (see [`send`]) and returns (status, body).
fn get(address: &str, path: &str) -> (u16, String) {
    let mut stream = send(address, path, Duration::from_secs(40));
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serves_the_site_on_loopback_only_from_its_directory() {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    project.file("secret.txt", "TOP SECRET");
    let server = serve(&project);
    assert!(
        server.address.starts_with("127.0.0.1:"),
        "{}",
        server.address
    );

    let (status, body) = get(&server.address, "/");
    assert_eq!(status, 200);
    assert!(body.contains("/__pmbook/wait"), "live reload is injected");
    assert!(
        !std::fs::read_to_string(project.path().join("out/index.html"))
            .unwrap()
            .contains("__pmbook"),
        "but never into the built files"
    );
    let (status, body) = get(&server.address, &format!("/incidents/{ID}.html"));
    assert_eq!(status, 200);
    assert!(body.contains("Checkout latency after cache deploy"));

    #[cfg(unix)]
    std::os::unix::fs::symlink(
        project.path().join("secret.txt"),
        project.path().join("out/link.txt"),
    )
    .unwrap();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/incidents/../../secret.txt",
        "/..%2fsecret.txt",
        "/link.txt",
        "/nope.html",
    ] {
        let (status, body) = get(&server.address, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("TOP SECRET"), "{path} leaked");
        assert!(
            body.contains("Page not found"),
            "{path}: the site's 404 page"
        );
    }
}

#[test]
fn a_change_rebuilds_the_site_and_wakes_waiting_pages() {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    let server = serve(&project);
    let address = server.address.clone();
    let waiter = std::thread::spawn(move || get(&address, "/__pmbook/wait?since=1"));
    std::thread::sleep(Duration::from_millis(500));
    project.postmortem(
        &format!("{ID}.md"),
        valid_with(
            "Checkout latency after cache deploy",
            "Checkout latency, revised",
        ),
    );
    let started = Instant::now();
    let (status, generation) = waiter.join().unwrap();
    assert_eq!(status, 200);
    assert_eq!(generation, "2", "woken by the rebuild");
    assert!(started.elapsed() < Duration::from_secs(20));
    let (_, body) = get(&server.address, &format!("/incidents/{ID}.html"));
    assert!(body.contains("Checkout latency, revised"));
}

#[test]
fn a_broken_postmortem_is_named_on_every_build() {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    project.postmortem("broken.md", "no front-matter\n");
    let server = serve(&project);
    let reason = "pmbook: left out of the site: postmortems/broken.md: no readable \
                  front-matter with an `id` (see `pmbook lint`)";
    server.wait_for(reason, 1);
    project.postmortem("broken.md", "still no front-matter\n");
    server.wait_for("pmbook: rebuilt (1 incident;", 1);
    server.wait_for(reason, 2);
}

#[test]
fn an_output_inside_the_sources_does_not_rebuild_itself() {
    let project = Project::new();
    project.file("pmbook.toml", "[book]\nsrc = \".\"\n");
    project.file(&format!("{ID}.md"), VALID);
    project.git_init();
    let server = serve(&project);
    std::thread::sleep(Duration::from_millis(500));
    project.file(
        &format!("{ID}.md"),
        valid_with("Checkout latency after", "Checkout slowness after"),
    );
    server.wait_for("pmbook: rebuilt", 1);
    // The rebuild wrote the site (and git may touch .git): nothing to rebuild.
    project.git(&["add", "-A"]);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        server.output().matches("pmbook: rebuilt").count(),
        1,
        "{}",
        server.output()
    );
}

#[test]
fn duplicate_ids_stop_serve_as_they_stop_build() {
    let project = Project::new();
    project.postmortem("a.md", VALID);
    project.postmortem("b.md", VALID);
    let output = project
        .pmbook()
        .args(["serve", "--port", "0", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = common::stderr(&output);
    assert!(err.contains("error[duplicate-id]"), "{err}");
    assert!(
        err.ends_with(
            "pmbook: the site was not built: two postmortems with one id would write the same page\n"
        ),
        "{err}"
    );
}

#[test]
fn calendars_are_served_as_text_calendar() {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    let server = serve(&project);
    let mut stream = send(&server.address, "/actions.ics", Duration::from_secs(40));
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").expect("a response");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.lines()
            .any(|l| l.eq_ignore_ascii_case("content-type: text/calendar; charset=utf-8")),
        "{head}"
    );
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"), "{body}");
}

/// Every file under `dir`, by path relative to it, with its bytes and inode.
fn files(dir: &Path) -> BTreeMap<String, (Vec<u8>, u64)> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().display().to_string();
            let inode = e.metadata().unwrap().ino();
            (relative, (std::fs::read(e.path()).unwrap(), inode))
        })
        .collect()
}

/// Every directory under `dir`, relative to it.
fn directories(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

/// Asserts that the site `serve` keeps in `out/` is, byte for byte, the
/// one a whole `pmbook build` of the same sources makes.
fn assert_same_as_a_whole_build(project: &Project) {
    let whole = tempfile::tempdir().unwrap();
    let out = whole.path().join("site");
    let output = project
        .pmbook()
        .args(["build", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", common::stderr(&output));
    let served = files(&project.path().join("out"));
    let built = files(&out);
    let names = |f: &BTreeMap<String, (Vec<u8>, u64)>| f.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&served), names(&built), "the same files");
    assert_eq!(
        directories(&project.path().join("out")),
        directories(&out),
        "the same directories"
    );
    for (path, (bytes, _)) in &built {
        assert!(
            served[path].0 == *bytes,
            "{path} differs from a whole build"
        );
    }
}

/// Rewrites `relative` in the project with `from` replaced by `to`, as
/// editors save: a new file renamed over the old one, so that the server
/// never reads it half-written.
fn edit(project: &Project, relative: &str, from: &str, to: &str) {
    let path = project.path().join(relative);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} in {relative}");
    save(&path, &text.replacen(from, to, 1));
}

fn save(path: &Path, text: &str) {
    let temp = path.with_extension("saving");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

#[test]
fn a_rebuild_rewrites_only_the_files_that_change_and_makes_the_whole_build_s_site() {
    let project = Project::example();
    // In git, so that pages are dated and items closed from the history.
    project.git_init().commit_all("The example");
    let server = serve_with(&project, &["--today", common::TODAY]);
    let before = files(&project.path().join("out"));
    let page = format!("incidents/{ID}.html");
    let unrelated = "incidents/2024-02-19-dns-provider-outage.html";

    // A sentence of one postmortem's body: its page changes, not the others.
    edit(
        &project,
        &format!("postmortems/{ID}.md"),
        "# Checkout latency after cache deploy\n",
        "# Checkout latency after cache deploy\n\nA sentence added while serving.\n",
    );
    server.wait_for("pmbook: rebuilt (", 1);
    let prose_only = || server.output().matches("; changes of prose only)").count();
    let made_whole = || server.output().matches("; made whole)").count();
    assert_eq!(prose_only(), 1, "a sentence takes the shorter way");
    let after = files(&project.path().join("out"));
    assert!(
        String::from_utf8_lossy(&after[&page].0).contains("A sentence added while serving."),
        "the page shows the change"
    );
    assert_ne!(before[&page].1, after[&page].1, "its page is rewritten");
    assert_eq!(
        before[unrelated].1, after[unrelated].1,
        "another incident's page is kept as it is"
    );
    let kept = before
        .iter()
        .filter(|(path, (_, inode))| after.get(*path).is_some_and(|a| a.1 == *inode))
        .count();
    assert!(
        kept * 2 > before.len(),
        "most files are kept: {kept} of {}",
        before.len()
    );
    assert_same_as_a_whole_build(&project);

    // The summary, which the feed shows; an action item checked, which the
    // board and the calendars show.
    let dns = "postmortems/2024-02-19-dns-provider-outage.md";
    edit(&project, dns, "For 84 minutes", "For eighty-four minutes");
    server.wait_for("pmbook: rebuilt (", 2);
    assert_eq!(prose_only(), 1, "the summary shows in the lists");
    let index = files(&project.path().join("out"));
    assert!(String::from_utf8_lossy(&index["feed.xml"].0).contains("For eighty-four minutes"));
    assert_same_as_a_whole_build(&project);
    edit(
        &project,
        dns,
        "- [ ] Run a provider failover game day",
        "- [x] Run a provider failover game day",
    );
    server.wait_for("pmbook: rebuilt (", 3);
    assert_eq!(prose_only(), 1, "an item shows on the board");
    assert_same_as_a_whole_build(&project);

    // Its closing committed, which the days to close read from the
    // history, then a time of the incident, which the metrics read: a
    // rebuild reads the history again at the new HEAD, and computes the
    // metrics again.
    let metrics = files(&project.path().join("out"))["metrics.html"].0.clone();
    project.commit_all("Game day done");
    edit(
        &project,
        dns,
        "resolved_at = 2024-02-19T16:30:00Z",
        "resolved_at = 2024-02-19T17:30:00Z",
    );
    server.wait_for("pmbook: rebuilt (", 4);
    assert_ne!(
        files(&project.path().join("out"))["metrics.html"].0,
        metrics,
        "the metrics page shows the change"
    );
    assert_same_as_a_whole_build(&project);

    // A title: the lists and the pages that link to it as related change.
    edit(
        &project,
        "postmortems/2026-09-14-cache-eviction.md",
        "title = \"",
        "title = \"Renamed: ",
    );
    server.wait_for("pmbook: rebuilt (", 5);
    let after = files(&project.path().join("out"));
    assert!(String::from_utf8_lossy(&after[&page].0).contains("Renamed: "));
    assert_same_as_a_whole_build(&project);

    // A new postmortem, then one removed: its page goes with it.
    let text = std::fs::read_to_string(project.path().join(format!("postmortems/{ID}.md")))
        .unwrap()
        .replace(ID, "2026-11-30-checkout-latency-again");
    save(
        &project
            .path()
            .join("postmortems/2026-11-30-checkout-latency-again.md"),
        &text,
    );
    server.wait_for("pmbook: rebuilt (14 incidents;", 1);
    assert_same_as_a_whole_build(&project);
    std::fs::remove_file(
        project
            .path()
            .join("postmortems/2026-11-30-checkout-latency-again.md"),
    )
    .unwrap();
    server.wait_for("pmbook: rebuilt (", 7);
    assert!(
        !project
            .path()
            .join("out/incidents/2026-11-30-checkout-latency-again.html")
            .exists()
    );
    assert_same_as_a_whole_build(&project);

    // The configuration: a whole rebuild.
    edit(
        &project,
        "pmbook.toml",
        "Acme incident reviews",
        "Acme reviews",
    );
    server.wait_for("pmbook: rebuilt (", 8);
    assert_eq!(
        (prose_only(), made_whole()),
        (1, 1),
        "only the configuration's change makes the site whole"
    );
    assert_same_as_a_whole_build(&project);
}

#[test]
fn a_rebuild_of_prose_leaves_no_search_shard_the_site_no_longer_has() {
    // Enough words of one prefix that their shard is split by a third
    // letter; the edit removes them, and with them every such shard.
    let words: Vec<String> = (0..2500).map(|n| format!("zq{n:04}")).collect();
    let with_words = format!("{VALID}\n{}\n", words.join(" "));
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), &with_words);
    let server = serve_with(&project, &["--today", common::TODAY]);
    let shards = |project: &Project| -> Vec<String> {
        files(&project.path().join("out/search"))
            .into_keys()
            .filter(|name| name.starts_with("terms-zq"))
            .collect()
    };
    assert!(shards(&project).len() > 1, "{:?}", shards(&project));
    save(&project.path().join(format!("postmortems/{ID}.md")), VALID);
    server.wait_for("pmbook: rebuilt (", 1);
    assert_eq!(shards(&project), Vec::<String>::new());
    assert_same_as_a_whole_build(&project);
}

#[test]
fn a_rebuild_recovers_from_a_broken_file_a_removed_output_and_moved_attachments() {
    let project = Project::new();
    let path = project.path().join(format!("postmortems/{ID}.md"));
    project.postmortem(&format!("{ID}.md"), VALID);
    project.postmortem("other.md", valid_with(ID, "2026-11-04-other"));
    let server = serve_with(&project, &["--today", common::TODAY]);
    let rebuilds = || server.output().matches("pmbook: rebuilt (").count();
    let save_and_wait = |text: &str| {
        let before = rebuilds();
        save(&path, text);
        server.wait_for("pmbook: rebuilt (", before + 1);
    };

    // A front-matter left open, then closed again.
    save_and_wait(&VALID.replacen("+++\n\n", "\n\n", 1));
    assert_same_as_a_whole_build(&project);
    save_and_wait(VALID);
    assert_same_as_a_whole_build(&project);

    // The output removed: the next rebuild, of prose alone, makes it whole.
    std::fs::remove_dir_all(project.path().join("out")).unwrap();
    save_and_wait(&format!("{VALID}\nA sentence.\n"));
    assert_same_as_a_whole_build(&project);

    // A link to an image, the image added, the link removed: the copy and
    // its directories go.
    let linked = format!("{VALID}\n![graph](pics/graph.png)\n");
    save_and_wait(&linked);
    let before = rebuilds();
    let pics = tempfile::tempdir().unwrap();
    std::fs::create_dir(pics.path().join("pics")).unwrap();
    std::fs::write(pics.path().join("pics/graph.png"), b"\x89PNG\r\n").unwrap();
    std::fs::rename(
        pics.path().join("pics"),
        project.path().join("postmortems/pics"),
    )
    .unwrap();
    server.wait_for("pmbook: rebuilt (", before + 1);
    assert!(
        project
            .path()
            .join("out/incidents/files/postmortems/pics/graph.png")
            .is_file(),
        "the image moved in is copied"
    );
    assert_same_as_a_whole_build(&project);
    save_and_wait(VALID);
    assert!(!project.path().join("out/incidents/files").exists());
    assert_same_as_a_whole_build(&project);
}

#[test]
fn a_configuration_saved_twice_and_a_theme_made_while_serving_are_seen() {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    project.file("pmbook.toml", "[book]\ntitle = \"First\"\n");
    let server = serve_with(&project, &["--today", common::TODAY]);
    let config = project.path().join("pmbook.toml");
    save(&config, "[book]\ntitle = \"Second\"\n");
    server.wait_for("pmbook: rebuilt (", 1);
    save(&config, "[book]\ntitle = \"Third\"\n");
    server.wait_for("pmbook: rebuilt (", 2);
    assert_same_as_a_whole_build(&project);
    std::fs::create_dir(project.path().join("theme")).unwrap();
    server.wait_for("pmbook: rebuilt (", 3);
    std::fs::create_dir(project.path().join("theme/assets")).unwrap();
    std::fs::write(
        project.path().join("theme/assets/pmbook.css"),
        "body { color: #123456; }\n",
    )
    .unwrap();
    let css = project.path().join("out/assets/pmbook.css");
    let started = Instant::now();
    while !std::fs::read_to_string(&css).unwrap().contains("#123456") {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{}",
            server.output()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    assert_same_as_a_whole_build(&project);
}

#[test]
fn a_save_that_changes_nothing_does_not_reload_open_pages() {
    let project = Project::new();
    project.postmortem(&format!("{ID}.md"), VALID);
    let server = serve_with(&project, &["--today", common::TODAY]);
    let mut waiting = send(
        &server.address,
        "/__pmbook/wait?since=1",
        Duration::from_secs(3),
    );
    save(&project.path().join(format!("postmortems/{ID}.md")), VALID);
    server.wait_for("0 files rewritten", 1);
    let mut answer = String::new();
    let read = waiting.read_to_string(&mut answer);
    assert!(read.is_err(), "the page was told to reload: {answer:?}");
}
