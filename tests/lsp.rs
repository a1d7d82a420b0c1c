//! `pmbook lsp` driven by a real LSP client: the Python tests under
//! `tests/lsp/` (pytest-lsp), run against the binary built for this test.
//! CI installs pytest-lsp and sets `PMBOOK_REQUIRE_LSP_CLIENT=1`, so the
//! test cannot be skipped there.

use std::path::Path;
use std::process::Command;

fn client_available() -> bool {
    Command::new("python3")
        .args(["-c", "import pytest_lsp"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_server_passes_the_lsp_client_tests() {
    if !client_available() {
        assert!(
            std::env::var_os("PMBOOK_REQUIRE_LSP_CLIENT").is_none(),
            "pytest-lsp is required here but not installed (pip install pytest-lsp)"
        );
        eprintln!("skipped: pytest-lsp is not installed (pip install pytest-lsp)");
        return;
    }
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
