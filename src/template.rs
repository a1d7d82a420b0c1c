//! The postmortem template: the built-in one, and the one way its
//! `{{ name }}` placeholders are filled (MiniJinja, without auto-escaping),
//! for `pmbook new` and for the guidance `lint --fix` writes under a section
//! it adds.

use std::collections::BTreeMap;

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, UndefinedBehavior};

use crate::error::Error;
use crate::text::did_you_mean;

/// The built-in postmortem template, `schema/template.md`: what `pmbook new`
/// writes, and where `lint --fix` takes the guidance of a section it adds.
pub const TEMPLATE: &str = include_str!("../schema/template.md");

/// The built-in French template, `schema/template.fr.md`: its headings are
/// the French names of the default sections.
pub const TEMPLATE_FR: &str = include_str!("../schema/template.fr.md");

/// The built-in template of the language `code` (`[book] language`).
pub fn built_in(code: &str) -> &'static str {
    if crate::language::is_french(code) {
        TEMPLATE_FR
    } else {
        TEMPLATE
    }
}

/// `text` with every `{{ name }}` replaced by its value in `values`; an
/// unknown name is an error (with a suggestion), so that a typo in a
/// template does not end up in a postmortem. `template` names the template
/// in errors.
pub fn fill(text: &str, values: &[(&str, String)], template: &str) -> Result<String, Error> {
    let mut env = Environment::new();
    let syntax = SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
        .expect("the default delimiters are valid");
    env.set_syntax(syntax);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let invalid = |e: minijinja::Error| Error::Config(format!("cannot fill {template}: {e}"));
    let compiled = env.template_from_str(text).map_err(invalid)?;
    let names = || values.iter().map(|(name, _)| *name);
    let mut used: Vec<String> = compiled.undeclared_variables(false).into_iter().collect();
    used.sort();
    if let Some(key) = used.iter().find(|key| !names().any(|n| n == key.as_str())) {
        let hint = did_you_mean(key, names())
            .map(|best| format!("; did you mean `{{{{{best}}}}}`?"))
            .unwrap_or_default();
        let known: Vec<&str> = names().collect();
        return Err(Error::Config(format!(
            "unknown placeholder `{{{{{key}}}}}` in {template}{hint} (known: {})",
            known.join(", ")
        )));
    }
    let context: BTreeMap<String, String> = values
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    compiled.render(context).map_err(invalid)
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn placeholders_are_replaced_as_they_are_without_escaping() {
        let values = [("title", "<a> & \"b\"".to_owned()), ("n", "2".to_owned())];
        assert_eq!(
            fill("# {{title}} ({{ n }})\n", &values, "t").unwrap(),
            "# <a> & \"b\" (2)\n"
        );
    }

    #[test]
    fn an_unknown_placeholder_is_an_error_with_a_suggestion() {
        let values = [("title", "x".to_owned())];
        let error = fill("title = {{titel}}\n", &values, "t.md").unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown placeholder `{{titel}}` in t.md; did you mean `{{title}}`? (known: title)"
        );
    }

    #[test]
    fn a_broken_placeholder_is_an_error() {
        let error = fill("{{ title\n", &[("title", "x".to_owned())], "t.md").unwrap_err();
        assert!(
            error.to_string().starts_with("cannot fill t.md: "),
            "{error}"
        );
    }
}
