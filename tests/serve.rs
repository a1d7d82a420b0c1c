//! `pmbook serve`: a real server process on 127.0.0.1, raw HTTP requests,
//! path safety and live reload after a change.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
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
    let binary = assert_cmd::cargo::cargo_bin("pmbook");
    let mut child = std::process::Command::new(binary)
        .current_dir(project.path())
        .args(["serve", "--port", "0", "--out", "out"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
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

/// Sends a raw request line (no client-side normalisation of the path) and
/// returns (status, body).
fn get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
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
    server.wait_for("pmbook: rebuilt (1 incident)\n", 1);
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
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .unwrap();
    write!(
        stream,
        "GET /actions.ics HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.address
    )
    .unwrap();
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
