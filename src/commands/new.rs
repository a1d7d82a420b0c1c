//! `pmbook new "TITLE"`: a draft postmortem from the template, named
//! `<src>/<YYYY-MM-DD>-<slug>.md` after the day it started.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use toml::value::Datetime;

use super::{CLEAN, project};
use crate::cli::{GlobalArgs, NewArgs};
use crate::config::{Config, Project};
use crate::corpus::{Corpus, Selection};
use crate::error::Error;
use crate::parse::front_matter;
use crate::template;
use crate::text::{did_you_mean, slugify};

/// Ids are at most this long (`id-format`).
const MAX_ID: usize = 100;

pub fn run(global: &GlobalArgs, args: NewArgs) -> Result<ExitCode, Error> {
    let (project, dir) = project(global)?;
    let config = &project.config;
    let title = args.title.trim();
    if title.is_empty() {
        return Err(Error::Config(
            "the title is empty; give the incident a one-line title".into(),
        ));
    }
    if title.chars().any(char::is_control) {
        return Err(Error::Config(
            "the title must be one line of text, without line breaks or tabs".into(),
        ));
    }
    let (template, template_name) = match &args.template {
        Some(path) => {
            let full = dir.join(path);
            let text = std::fs::read_to_string(&full).map_err(|e| Error::io(&full, e))?;
            (text, path.display().to_string())
        }
        None => (
            template::built_in(&config.book.language).to_owned(),
            "the built-in template".to_owned(),
        ),
    };
    let started = args.started.map_or_else(now, with_seconds);
    let day = Datetime {
        date: started.date,
        time: None,
        offset: None,
    };
    let mut values = vec![
        ("title", Value::Text(title.to_owned())),
        ("status", Value::Text(status(config)?)),
        ("severity", Value::Text(severity(config, args.severity)?)),
        ("services", Value::List(args.services)),
        ("authors", Value::List(git_user_name(&project.root))),
        ("started_at", Value::Time(started)),
        ("detected_at", Value::Time(started)),
        ("resolved_at", Value::Time(started)),
        ("date", Value::Time(day)),
        (
            "root_cause_categories",
            Value::List(config.lint.root_cause_categories.clone()),
        ),
        ("action_kinds", Value::List(config.actions.kinds.clone())),
    ];

    let src = project.src_dir();
    let taken = if src.is_dir() {
        existing_ids(&project)?
    } else {
        HashSet::new()
    };
    let prefix = format!("{day}-");
    let slug = match slugify(title) {
        slug if slug.is_empty() => "incident".to_owned(),
        slug => slug,
    };
    for n in 1.. {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!("-{n}")
        };
        let slug = fit(&slug, MAX_ID - prefix.len() - suffix.len());
        let id = format!("{prefix}{slug}{suffix}");
        if taken.contains(&id) {
            continue;
        }
        let path = src.join(format!("{id}.md"));
        values.retain(|(name, _)| *name != "id");
        values.push(("id", Value::Text(id)));
        let text = render(&template, &values, &template_name)?;
        std::fs::create_dir_all(&src).map_err(|e| Error::io(&src, e))?;
        if create(&path, &text)? {
            println!("{}", relative(&path, &dir).display());
            return Ok(ExitCode::from(CLEAN));
        }
    }
    unreachable!("the numeric suffixes do not run out")
}

/// The draft status: the first configured one.
fn status(config: &Config) -> Result<String, Error> {
    config.lint.statuses.first().cloned().ok_or_else(|| {
        Error::Config("`[lint] statuses` in pmbook.toml is empty; list at least one status".into())
    })
}

/// The severity asked for, or the least severe one configured.
fn severity(config: &Config, asked: Option<String>) -> Result<String, Error> {
    let severities = &config.lint.severities;
    match asked.as_deref() {
        None => severities.last().cloned().ok_or_else(|| {
            Error::Config(
                "`[lint] severities` in pmbook.toml is empty; list at least one severity".into(),
            )
        }),
        Some(s) if severities.iter().any(|c| c == s) => Ok(s.to_owned()),
        Some(s) => {
            let same_case = severities.iter().find(|c| c.eq_ignore_ascii_case(s));
            let hint = same_case
                .map(String::as_str)
                .or_else(|| did_you_mean(s, severities.iter().map(String::as_str)))
                .map(|best| format!("; did you mean `{best}`?"))
                .unwrap_or_default();
            Err(Error::Config(format!(
                "severity `{s}` is not one of the configured severities ({}){hint}",
                severities.join(", ")
            )))
        }
    }
}

/// The start of the current minute, in UTC.
fn now() -> Datetime {
    let text = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:00Z")
        .to_string();
    text.parse()
        .expect("a formatted timestamp is a TOML date-time")
}

/// TOML allows `09:12Z`; pmbook writes `09:12:00Z`, which RFC 3339 (and so
/// JSON Schema's `date-time`) requires.
fn with_seconds(mut dt: Datetime) -> Datetime {
    if let Some(time) = &mut dt.time {
        time.second.get_or_insert(0);
    }
    dt
}

/// The ids of the postmortems already in the repository, so that the new
/// one does not duplicate one whose file is named differently.
fn existing_ids(project: &Project) -> Result<HashSet<String>, Error> {
    let corpus = Corpus::of_work_tree(project, Selection::Files(Vec::new()))?;
    Ok(corpus
        .others
        .into_iter()
        .filter_map(|file| file.id)
        .collect())
}

/// `slug` cut to at most `max` characters, without a trailing dash.
fn fit(slug: &str, max: usize) -> &str {
    slug[..slug.len().min(max)].trim_end_matches('-')
}

/// `git config user.name`, when git is installed and it is set.
fn git_user_name(dir: &Path) -> Vec<String> {
    let output = std::process::Command::new("git")
        .args(["config", "--get", "user.name"])
        .current_dir(dir)
        .stderr(std::process::Stdio::null())
        .output();
    match output {
        Ok(out) if out.status.success() => String::from_utf8(out.stdout)
            .ok()
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// Writes `text` to `path` unless it exists: `false` when it does. Creating
/// with `create_new` never replaces a file, even one created a moment ago by
/// someone else; a failed write removes what it left.
fn create(path: &Path, text: &str) -> Result<bool, Error> {
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(Error::io(path, e)),
    };
    if let Err(e) = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
    {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(Error::io(path, e));
    }
    Ok(true)
}

/// `path` relative to `base` (both absolute), with `..` where needed.
fn relative(path: &Path, base: &Path) -> PathBuf {
    let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
    let (path_parts, base_parts): (Vec<_>, Vec<_>) =
        (path.components().collect(), base.components().collect());
    let common = path_parts
        .iter()
        .zip(&base_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return path.to_path_buf();
    }
    let mut out: PathBuf = base_parts[common..]
        .iter()
        .map(|_| Component::ParentDir)
        .collect();
    out.extend(&path_parts[common..]);
    out
}

/// A placeholder's value. In the front-matter it is written as a TOML value
/// (so a title with quotes cannot break the TOML), in the body as text.
enum Value {
    Text(String),
    List(Vec<String>),
    Time(Datetime),
}

impl Value {
    fn toml(&self) -> String {
        match self {
            Value::Text(s) => toml_string(s),
            Value::List(items) => {
                let items: Vec<String> = items.iter().map(|s| toml_string(s)).collect();
                format!("[{}]", items.join(", "))
            }
            Value::Time(dt) => dt.to_string(),
        }
    }

    fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::List(items) => items.join(", "),
            Value::Time(dt) => dt.to_string(),
        }
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The template with every `{{name}}` replaced; an unknown name is an error,
/// so that a typo in a template does not end up in a postmortem.
fn render(template: &str, values: &[(&str, Value)], name: &str) -> Result<String, Error> {
    let text = template
        .strip_prefix(crate::model::source::BOM)
        .unwrap_or(template);
    let block = front_matter::locate(text).map_err(|_| {
        Error::Config(format!(
            "{name} does not start with `+++` front-matter; a postmortem template must"
        ))
    })?;
    let head = &text[..block.body_start];
    let body = &text[block.body_start..];
    let written = |write: fn(&Value) -> String| -> Vec<(&str, String)> {
        values.iter().map(|(k, v)| (*k, write(v))).collect()
    };
    Ok(template::fill(head, &written(Value::toml), name)?
        + &template::fill(body, &written(Value::text), name)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_escape_what_they_must() {
        assert_eq!(toml_string(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
        assert_eq!(toml_string("tab\there"), r#""tab\u0009here""#);
    }

    #[test]
    fn placeholders_are_toml_in_the_front_matter_and_text_in_the_body() {
        let values = [
            ("title", Value::Text("Say \"hi\"".into())),
            ("services", Value::List(vec!["a".into(), "b".into()])),
        ];
        let out = render(
            "+++\ntitle = {{title}}\nservices = {{ services }}\n+++\n# {{title}} ({{services}})\n",
            &values,
            "t",
        )
        .unwrap();
        assert_eq!(
            out,
            "+++\ntitle = \"Say \\\"hi\\\"\"\nservices = [\"a\", \"b\"]\n+++\n# Say \"hi\" (a, b)\n"
        );
    }

    #[test]
    fn relative_paths_climb_when_needed() {
        let p = Path::new("/r/postmortems/a.md");
        assert_eq!(relative(p, Path::new("/r")), Path::new("postmortems/a.md"));
        assert_eq!(
            relative(p, Path::new("/r/docs")),
            Path::new("../postmortems/a.md")
        );
    }

    #[test]
    fn ids_fit_in_100_characters() {
        let long = "a-".repeat(80);
        assert_eq!(fit(&long, 88), &long[..87]);
        assert_eq!(fit("short", 88), "short");
    }
}
