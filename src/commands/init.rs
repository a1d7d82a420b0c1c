//! `pmbook init`: sets up a repository for postmortems. It only ever adds:
//! an existing file is left as it is, so running it again changes nothing.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use super::{CLEAN, working_dir};
use crate::cli::{GlobalArgs, InitArgs};
use crate::config::{self, Config};
use crate::error::Error;

/// The `pmbook.toml` that `init` writes: every key at its default, with a
/// comment. A test checks that it parses to the defaults.
pub const CONFIG: &str = include_str!("../../schema/pmbook.toml");

const SRC_README: &str = "\
# Postmortems

One Markdown file per incident, named `YYYY-MM-DD-short-title.md`, starting
with TOML front-matter between `+++` lines.

- `pmbook new \"Checkout latency after cache deploy\"` starts one from the
  template, as a draft.
- `pmbook lint` checks them all; `pmbook rules` lists what is checked.

Files named `README.md` or starting with `_` are not postmortems (`[book]
exclude` in pmbook.toml).
";

const SRC_README_FR: &str = "\
# Postmortems

Un fichier Markdown par incident, nommé `AAAA-MM-JJ-titre-court.md`, qui
commence par un front-matter TOML entre deux lignes `+++`.

- `pmbook new \"Latence du paiement après un déploiement du cache\"` en
  commence un à partir du modèle, comme brouillon.
- `pmbook lint` les vérifie tous ; `pmbook rules` liste les vérifications.

Les fichiers nommés `README.md` ou commençant par `_` ne sont pas des
postmortems (`[book] exclude` dans pmbook.toml).
";

/// The config file `init` writes for `language`: [`CONFIG`] with its
/// `[book] language` set.
fn with_language(config: &str, language: &str) -> String {
    config.replacen(
        "\nlanguage = \"en\"\n",
        &format!("\nlanguage = \"{language}\"\n"),
        1,
    )
}

pub fn run(global: &GlobalArgs, args: &InitArgs) -> Result<ExitCode, Error> {
    let dir = working_dir(global)?;
    let mut out = anstream::stdout().lock();
    let mut say = |line: String| {
        let _ = writeln!(out, "{line}");
    };

    let config_path = dir.join(config::FILE_NAME);
    // An existing config decides where the postmortems and the site go.
    let config = if config_path.exists() {
        let text = std::fs::read_to_string(&config_path).map_err(|e| Error::io(&config_path, e))?;
        let config = Config::from_toml(&text, &config_path, &crate::lint::registry::ids())?;
        say(format!("kept {}: it already exists", config::FILE_NAME));
        if let Some(asked) = args
            .language
            .as_deref()
            .filter(|l| *l != config.book.language)
        {
            say(format!(
                "  its `[book] language` is \"{}\"; set it to \"{asked}\" there to change it",
                config.book.language
            ));
        }
        config
    } else {
        let text = with_language(CONFIG, args.language.as_deref().unwrap_or("en"));
        create(&config_path, &text)?;
        say(format!("created {}", config::FILE_NAME));
        Config::from_toml(&text, &config_path, &[])?
    };

    let src = &config.book.src;
    let src_dir = dir.join(src);
    if !src_dir.is_dir() {
        std::fs::create_dir_all(&src_dir).map_err(|e| Error::io(&src_dir, e))?;
        say(format!("created {src}/"));
    }
    let readme = src_dir.join("README.md");
    if readme.exists() {
        say(format!("kept {src}/README.md: it already exists"));
    } else {
        let text = if crate::language::is_french(&config.book.language) {
            SRC_README_FR
        } else {
            SRC_README
        };
        create(&readme, text)?;
        say(format!("created {src}/README.md"));
    }

    let out_dir = config.site.out.trim_end_matches('/');
    let inside = !Path::new(out_dir).is_absolute() && !out_dir.split('/').any(|p| p == "..");
    if inside && !out_dir.is_empty() {
        let gitignore = dir.join(".gitignore");
        if ignore(&gitignore, out_dir)? {
            say(format!("added {out_dir}/ to .gitignore"));
        } else {
            say(format!(".gitignore already ignores {out_dir}/"));
        }
    }

    say(String::new());
    say("Next steps:".into());
    say("  pmbook new \"Checkout latency after cache deploy\"   start a postmortem".into());
    say("  pmbook lint                                         check every postmortem".into());
    say("  pmbook hooks install                                lint what you commit".into());
    Ok(ExitCode::from(CLEAN))
}

/// Creates `path` with `text`; fails rather than replace a file.
fn create(path: &Path, text: &str) -> Result<(), Error> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(path, e))
}

/// Appends `dir/` to `.gitignore` unless a line already ignores it (`dir`,
/// `dir/`, `/dir` or `/dir/`). The file is appended to, never rewritten, in
/// its own line endings. `false` when nothing was added.
fn ignore(gitignore: &Path, dir: &str) -> Result<bool, Error> {
    let existing = match std::fs::read(gitignore) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Error::io(gitignore, e)),
    };
    let text = String::from_utf8_lossy(&existing);
    let ignored = text.lines().any(|line| {
        let line = line.trim_end();
        let line = line.strip_prefix('/').unwrap_or(line);
        line.strip_suffix('/').unwrap_or(line) == dir
    });
    if ignored {
        return Ok(false);
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut addition = String::new();
    if !existing.is_empty() && !existing.ends_with(b"\n") {
        addition.push_str(newline);
    }
    addition.push_str(&format!("{dir}/{newline}"));
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(gitignore)
        .map_err(|e| Error::io(gitignore, e))?;
    file.write_all(addition.as_bytes())
        .map_err(|e| Error::io(gitignore, e))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_french_config_differs_from_the_default_by_its_language() {
        let text = with_language(CONFIG, "fr");
        let parsed = Config::from_toml(&text, Path::new("pmbook.toml"), &[]).unwrap();
        let mut expected = Config::default();
        expected.book.language = "fr".into();
        assert_eq!(parsed, expected);
    }

    #[test]
    fn the_written_config_is_the_default_config() {
        let parsed = Config::from_toml(CONFIG, Path::new("schema/pmbook.toml"), &[]).unwrap();
        assert_eq!(parsed, Config::default());
    }

    /// Every key of the config appears in the file, set or commented out,
    /// so that a new option cannot be forgotten there.
    #[test]
    fn the_written_config_mentions_every_key() {
        let defaults = serde_json::to_value(Config::default()).unwrap();
        let lines: Vec<&str> = CONFIG.lines().map(str::trim).collect();
        for (table, keys) in defaults.as_object().unwrap() {
            assert!(lines.contains(&format!("[{table}]").as_str()), "[{table}]");
            for key in keys.as_object().unwrap().keys() {
                let mentioned = lines.iter().any(|line| {
                    let line = line.strip_prefix("# ").unwrap_or(line);
                    line.starts_with(&format!("{key} =")) || *line == format!("[{table}.{key}]")
                });
                assert!(mentioned, "{table}.{key} is not in schema/pmbook.toml");
            }
        }
    }
}
