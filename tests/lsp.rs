//! `pmbook lsp` driven by a real LSP client: the Python tests under
//! `tests/lsp/` (pytest-lsp), run against the binary built for this test.
//! Ignored by a plain `cargo test`; `tests/run.sh`, the test command,
//! installs pytest-lsp and runs it, and without the client it fails, saying
//! what to install.

use std::path::Path;
use std::process::Command;

fn client_available() -> bool {
    Command::new("python3")
        .args(["-c", "import pytest_lsp"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
#[ignore = "needs pytest-lsp"]
fn the_server_passes_the_lsp_client_tests() {
    assert!(
        client_available(),
        "this test drives the server from pytest-lsp: install it (`python3 -m pip install pytest-lsp`, or run `tests/run.sh`, which installs what the tests need)"
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let binary = assert_cmd::cargo::cargo_bin("pmbook");
    let output = Command::new("python3")
        .args(["-m", "pytest", "tests/lsp", "-q", "-p", "no:cacheprovider"])
        .current_dir(root)
        .env("PMBOOK_BIN", &binary)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the LSP client tests failed:\n{stdout}\n{stderr}"
    );
    println!("{stdout}");
}
