//! The layering of `ARCHITECTURE.md` holds: no module imports from a layer
//! above its own, every module has a layer, git is reached only through
//! `repo` and the postmortem directory is walked only by `corpus` and
//! `discover`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Module → layer, from the table of `ARCHITECTURE.md`.
fn layers() -> HashMap<String, u32> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut layers = HashMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(layer) = cells.get(1).and_then(|c| c.parse::<u32>().ok()) else {
            continue;
        };
        for module in cells[2].split(',') {
            layers.insert(module.trim().trim_matches('`').to_owned(), layer);
        }
    }
    assert!(
        layers.len() > 10,
        "the layer table of ARCHITECTURE.md was not found"
    );
    layers
}

/// Every Rust file under `src/`, with its top-level module.
fn sources() -> Vec<(PathBuf, String)> {
    let src = root().join("src");
    let mut files = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(&src).unwrap();
                let first = relative.components().next().unwrap();
                let module = Path::new(first.as_os_str())
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.push((path, module));
            }
        }
    }
    files.sort();
    files
}

fn shown(path: &Path) -> String {
    path.strip_prefix(root()).unwrap().display().to_string()
}

/// The code of a file without comments (doc comments name modules freely)
/// and without its unit tests.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap();
    text.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules `code` names as `crate::module`.
fn imports(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.push(name);
        }
    }
    found
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let layers = layers();
    let mut upward = Vec::new();
    for (path, module) in sources() {
        let Some(&own) = layers.get(&module) else {
            upward.push(format!(
                "{}: module `{module}` has no layer in ARCHITECTURE.md",
                shown(&path)
            ));
            continue;
        };
        for used in imports(&code(&path)) {
            match layers.get(&used) {
                Some(&layer) if layer > own => upward.push(format!(
                    "{}: `{module}` (layer {own}) uses `{used}` (layer {layer})",
                    shown(&path)
                )),
                Some(_) => {}
                None => upward.push(format!(
                    "{}: `{used}` has no layer in ARCHITECTURE.md",
                    shown(&path)
                )),
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the layering:\n{}",
        upward.join("\n")
    );
}

#[test]
fn git_is_reached_only_through_repo_and_the_directory_walked_only_by_corpus() {
    let mut misplaced = Vec::new();
    for (path, module) in sources() {
        let code = code(&path);
        let shown = shown(&path);
        if module != "repo" && code.contains("git2::") {
            misplaced.push(format!("{shown} uses git2: go through crate::repo"));
        }
        if !["corpus", "discover", "repo"].contains(&module.as_str())
            && code.contains("postmortem_files(")
        {
            misplaced.push(format!(
                "{shown} walks the postmortem directory: take a Corpus"
            ));
        }
    }
    assert!(misplaced.is_empty(), "{}", misplaced.join("\n"));
}

/// The checks above would catch an upward import: `lint` naming `site`.
#[test]
fn an_upward_import_is_caught() {
    let layers = layers();
    let used = imports("use crate::site::render;\nfn f() { crate::model::Span::new(0, 0); }");
    assert_eq!(used, ["site", "model"]);
    assert!(layers["site"] > layers["lint"]);
    assert!(layers["model"] < layers["lint"]);
}
