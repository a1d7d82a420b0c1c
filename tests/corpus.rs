//! Each command reads the project's postmortems once: `--verbose` says what
//! was read, from where, and how many times.

mod common;

use common::{Project, stderr};

/// The example, committed, with one postmortem edited and staged.
fn example_repository() -> Project {
    let project = Project::example();
    project.git_init().commit_all("example");
    let path = project.path().join("postmortems");
    let first = std::fs::read_dir(&path)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .min()
        .unwrap();
    let text = std::fs::read_to_string(&first).unwrap();
    std::fs::write(&first, format!("{text}\nOne more line.\n")).unwrap();
    project.git(&["add", "-A"]);
    project
}

#[test]
fn every_command_reads_the_postmortems_once() {
    let project = example_repository();
    let out = project.path().join("out");
    let runs: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["lint"],
            "read 14 postmortems from the work tree, and the ids of 0 others",
        ),
        (
            vec!["lint", "postmortems/2026-09-14-cache-eviction.md"],
            "read 1 postmortem from the work tree, and the ids of 13 others",
        ),
        (
            vec!["lint", "--staged"],
            "read 1 postmortem from the index, and the ids of 13 others",
        ),
        (
            vec!["lint", "--commit", "HEAD"],
            "read 14 postmortems from commit `HEAD`, and the ids of 0 others",
        ),
        (
            vec!["lint", "--fix"],
            "read 14 postmortems from the work tree",
        ),
        (vec!["stats"], "read 14 postmortems from the work tree"),
        (vec!["actions"], "read 14 postmortems from the work tree"),
        (
            vec!["build", "--out", out.to_str().unwrap()],
            "read 14 postmortems from the work tree",
        ),
    ];
    for (args, read) in runs {
        let output = project
            .pmbook()
            .arg("--verbose")
            .args(&args)
            .output()
            .unwrap();
        let err = stderr(&output);
        assert!(err.contains(read), "{args:?}: {err}");
        assert_eq!(
            err.matches("pmbook: read ").count(),
            2,
            "{args:?} reads once and says so once: {err}"
        );
        assert!(
            err.contains("pmbook: read the postmortems 1 time\n"),
            "{args:?}: {err}"
        );
    }
}
