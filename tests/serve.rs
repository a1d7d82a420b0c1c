//! `pmbook serve`: a real server process on 127.0.0.1, raw HTTP requests,
//! path safety and live reload after a change.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{Project, VALID, valid_with};

const ID: &str = "2026-11-03-checkout-latency";

/// The server process, stopped when dropped.
struct Server {
    child: Child,
    address: String,
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
    std::thread::spawn(move || for _ in stdout.lines() {});
    Server { child, address }
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
