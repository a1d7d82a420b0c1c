//! What the site reads from git: the first commit of the main line (the
//! feed's id), the last one (HEAD) and the date each postmortem was last
//! changed.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;

use super::Git;
use crate::config::Project;
use crate::model::Postmortem;
use crate::time::utc_date;

/// The first commit of the main line of the repository holding `project`
/// (HEAD's first parents), if it is in one.
pub fn first_commit(project: &Project) -> Option<String> {
    let git = Git::open_for(project, "the feed id comes from it").ok()?;
    let repo = git.repository();
    let mut walk = repo.revwalk().ok()?;
    walk.push_head().ok()?;
    walk.simplify_first_parent().ok()?;
    walk.flatten().last().map(|oid| oid.to_string())
}

/// The commit HEAD points at, in the repository holding `project`, if
/// it is in one with a commit: what the history of the main line ends
/// with.
pub fn head(project: &Project) -> Option<String> {
    let git = Git::open_for(project, "the history ends at HEAD").ok()?;
    let commit = git.repository().head().ok()?.peel_to_commit().ok()?;
    Some(commit.id().to_string())
}

/// The date (UTC) of the last commit that changed each postmortem HEAD
/// holds, from one walk of the history (newest first) that stops once every
/// such file is dated. Empty outside a git repository; a postmortem not
/// committed yet has none.
pub fn last_updated(project: &Project, postmortems: &[Postmortem]) -> HashMap<String, String> {
    let mut dates = HashMap::new();
    let Ok(git) = Git::open_for(project, "the site dates its pages from it") else {
        return dates;
    };
    let (repo, workdir) = (git.repository(), git.workdir());
    let Ok(head) = repo.head().and_then(|h| h.peel_to_tree()) else {
        return dates;
    };
    let src = project.src_dir();
    let src_rel = src
        .strip_prefix(workdir)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_default();
    // Only files HEAD holds have a last commit: an uncommitted postmortem
    // must not send the walk through the whole history looking for one.
    // HEAD's files are listed in one walk of its tree (looking each path up
    // would read the directory's tree once per postmortem).
    let committed = files_under(repo, &head, &src_rel);
    let wanted: HashSet<&str> = postmortems
        .iter()
        .map(|pm| pm.path.as_str())
        .filter(|path| committed.contains(*path))
        .collect();
    if wanted.is_empty() {
        return dates;
    }
    let Ok(mut walk) = repo.revwalk() else {
        return dates;
    };
    if walk.push_head().is_err() {
        return dates;
    }
    for oid in walk.flatten().take(20_000) {
        let Ok(commit) = repo.find_commit(oid) else {
            continue;
        };
        let Ok(tree) = commit.tree() else { continue };
        let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
        let mut options = git2::DiffOptions::new();
        if !src_rel.is_empty() {
            options.pathspec(&src_rel);
        }
        let Ok(diff) = repo.diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut options))
        else {
            continue;
        };
        let date = Timestamp::from_second(commit.time().seconds())
            .map(|t| utc_date(t).to_string())
            .unwrap_or_default();
        for delta in diff.deltas() {
            let Some(path) = delta.new_file().path() else {
                continue;
            };
            let path = path.to_string_lossy().replace('\\', "/");
            if wanted.contains(path.as_str()) {
                dates.entry(path).or_insert_with(|| date.clone());
            }
        }
        if dates.len() == wanted.len() {
            break;
        }
    }
    dates
}

/// The paths (relative to the work tree) of the files of `tree` under the
/// directory `dir` (relative too; "" for all of it).
fn files_under(repo: &git2::Repository, tree: &git2::Tree, dir: &str) -> HashSet<String> {
    let mut files = HashSet::new();
    let (tree, prefix) = if dir.is_empty() {
        (tree.clone(), String::new())
    } else {
        let Some(sub) = tree
            .get_path(std::path::Path::new(dir))
            .ok()
            .and_then(|entry| entry.to_object(repo).ok())
            .and_then(|object| object.into_tree().ok())
        else {
            return files;
        };
        (sub, format!("{dir}/"))
    };
    let _ = tree.walk(git2::TreeWalkMode::PreOrder, |parent, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob)
            && let Ok(name) = entry.name()
        {
            files.insert(format!("{prefix}{parent}{name}"));
        }
        git2::TreeWalkResult::Ok
    });
    files
}
