//! The site's language in the templates: the catalogue of `[book]
//! language` (see [`crate::i18n`]) as the global `t` (`{{ t.nav.search }}`),
//! `tr(key, name=value, …)` for a text with placeholders (`tr_html` for one
//! holding markup), `tn(key, n)` for
//! a count, the filters `date` and `month` for the view's `YYYY-MM-DD` and
//! `YYYY-MM`, and `lang`, the language's code.

use minijinja::value::Kwargs;
use minijinja::{Environment, Error, Value};

use crate::i18n::Catalogue;
use crate::text::escape_html;

/// Gives the templates of `env` the words of `words`.
pub fn install(env: &mut Environment<'static>, words: &'static Catalogue) {
    env.add_global("t", Value::from(minijinja::value::Serde(&words.table)));
    env.add_global("lang", words.code);
    env.add_function(
        "tr",
        move |key: &str, values: Kwargs| -> Result<String, Error> {
            let values = values_of(&values)?;
            let pairs: Vec<(&str, &str)> = values
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect();
            Ok(words.fill(key, &pairs))
        },
    );
    // A text holding markup (trusted: it is the catalogue's), its values
    // escaped.
    env.add_function(
        "tr_html",
        move |key: &str, values: Kwargs| -> Result<Value, Error> {
            let values = values_of(&values)?;
            let pairs: Vec<(&str, String)> = values
                .iter()
                .map(|(name, value)| (name.as_str(), escape_html(value)))
                .collect();
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (*n, v.as_str())).collect();
            Ok(Value::from_safe_string(words.fill(key, &pairs)))
        },
    );
    env.add_function("tn", move |key: &str, n: usize| words.count(key, n));
    env.add_filter("date", move |text: &str| words.date_text(text));
    env.add_filter("month", move |text: &str| words.month_text(text));
}

/// The keyword arguments of a call, as text.
fn values_of(values: &Kwargs) -> Result<Vec<(String, String)>, Error> {
    values
        .args()
        .map(|name| Ok((name.to_owned(), values.get::<Value>(name)?.to_string())))
        .collect()
}
