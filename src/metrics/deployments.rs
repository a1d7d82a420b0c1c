//! Deployments per month, the denominator of the change failure rate: from
//! `[metrics] deployments` in pmbook.toml and from the CSV file named by
//! `[metrics] deployments_csv`, which a CI job can append to without
//! touching the config.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::config::Project;
use crate::error::Error;
use crate::time::Month;

/// Deployments in each month where the number is known. A month that is not
/// listed is unknown, not zero: it is left out of the rate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Deployments {
    months: BTreeMap<Month, u64>,
}

impl Deployments {
    /// No month known.
    pub const NONE: Deployments = Deployments {
        months: BTreeMap::new(),
    };

    /// The project's deployments: the config table and the CSV file together.
    /// A month given twice is an error, since one of the two counts is wrong.
    pub fn load(project: &Project) -> Result<Deployments, Error> {
        let mut months = project.config.metrics.deployments.clone();
        let Some(csv) = &project.config.metrics.deployments_csv else {
            return Ok(Deployments { months });
        };
        let path = project.root.join(csv);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::Config(format!(
                "{}: {e} (named by `[metrics] deployments_csv` in {})",
                path.display(),
                crate::config::FILE_NAME
            ))
        })?;
        for (line, month, count) in parse_csv(&text).map_err(|(line, message)| {
            Error::Config(format!("{}:{line}: {message}", path.display()))
        })? {
            if months.insert(month, count).is_some() {
                return Err(Error::Config(format!(
                    "{}:{line}: deployments for {month} are given twice (in the CSV file or also in `[metrics] deployments`); keep one count",
                    path.display()
                )));
            }
        }
        Ok(Deployments { months })
    }

    /// The months with a known count that overlap `[since, until]`.
    pub fn in_range(
        &self,
        since: Option<Date>,
        until: Option<Date>,
    ) -> impl Iterator<Item = (Month, u64)> + '_ {
        self.months
            .iter()
            .filter(move |(month, _)| month.overlaps(since, until))
            .map(|(month, count)| (*month, *count))
    }
}

/// A line of the CSV file: its number, the month and the count.
type Row = (usize, Month, u64);

/// `month,count` lines, with an optional `month,count` header, blank lines
/// and `#` comments; returns the rows, or the line number and problem of the
/// first bad line.
fn parse_csv(text: &str) -> Result<Vec<Row>, (usize, String)> {
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let is_header = fields.len() == 2
            && fields[0].eq_ignore_ascii_case("month")
            && fields[1].eq_ignore_ascii_case("count");
        if rows.is_empty() && is_header {
            continue;
        }
        let [month, count] = fields[..] else {
            return Err((
                number,
                format!("expected `month,count`, like `2026-03,412`, got `{line}`"),
            ));
        };
        let month: Month = month.parse().map_err(|e| (number, e))?;
        let count: u64 = count.parse().map_err(|_| {
            (
                number,
                format!("expected a whole number of deployments, got `{count}`"),
            )
        })?;
        rows.push((number, month, count));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_header_comments_and_crlf() {
        let rows =
            parse_csv("month,count\r\n# from CI\r\n2026-01, 40\r\n\r\n2026-02,0\r\n").unwrap();
        let rows: Vec<(usize, String, u64)> = rows
            .into_iter()
            .map(|(l, m, c)| (l, m.to_string(), c))
            .collect();
        assert_eq!(
            rows,
            vec![(3, "2026-01".into(), 40), (5, "2026-02".into(), 0)]
        );
    }

    #[test]
    fn csv_errors_name_the_line() {
        assert_eq!(parse_csv("2026-01,40\n2026-1,3\n").unwrap_err().0, 2);
        assert!(
            parse_csv("2026-01,-4\n")
                .unwrap_err()
                .1
                .contains("whole number")
        );
        assert!(
            parse_csv("2026-01;4\n")
                .unwrap_err()
                .1
                .contains("month,count")
        );
    }
}
