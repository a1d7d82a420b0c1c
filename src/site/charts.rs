//! Hand-written inline SVG charts for the site's metrics page.
//!
//! Each function returns one `<svg>` element, ready to paste into HTML:
//! titled and described for screen readers (`role="img"`,
//! `aria-labelledby`), with axes, tick labels and a legend, and every
//! element that carries a value titled with it (a tooltip). Colours come
//! from CSS custom properties (`--pm-sev1` … for severities,
//! `--pm-series-1` … for other series, `--pm-axis`, `--pm-grid`) with a
//! fallback, and text uses `currentColor`, so light and dark themes style
//! them without touching the markup. The output depends only on the input:
//! no randomness, no clock, numbers written with fixed decimals, so a page
//! rebuilt from the same repository is byte-identical.
//!
//! ```
//! use pmbook::site::charts::{self, Chart, Series, Unit};
//! use pmbook::config::Config;
//! use pmbook::metrics::{self, Deployments, Filter};
//!
//! let config = Config::default();
//! let today = "2026-11-23".parse().unwrap();
//! let m = metrics::compute(&[], &config, &Deployments::default(), &Filter::default(), today, None);
//! let months: Vec<String> = m.months.iter().map(|r| r.month.to_string()).collect();
//! let counts: Vec<Vec<Option<f64>>> = config.lint.severities.iter()
//!     .map(|s| m.months.iter().map(|r| Some(r.by_severity.get(s) as f64)).collect())
//!     .collect();
//! let series: Vec<Series> = config.lint.severities.iter().zip(&counts)
//!     .map(|(name, values)| Series { name, values })
//!     .collect();
//! let words = pmbook::i18n::catalogue("en");
//! let chart = Chart { id: "by-month", title: "Incidents per month", unit: Unit::Count, words };
//! let svg = charts::stacked_bars(&chart, &months, &series);
//! assert!(svg.contains("No data"));
//! ```

use std::fmt::Write as _;

use crate::i18n::Catalogue;
use crate::text::escape_html;

/// What every chart needs besides its data.
#[derive(Debug, Clone, Copy)]
pub struct Chart<'a> {
    /// Unique within the page: the prefix of the ids that `aria-labelledby`
    /// points at.
    pub id: &'a str,
    pub title: &'a str,
    pub unit: Unit,
    /// The language of its numbers and of "No data".
    pub words: &'static Catalogue,
}

impl Chart<'_> {
    fn format(&self, value: f64) -> String {
        self.unit.format(value, self.words)
    }
}

/// How values are written on axes and in tooltips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Whole numbers.
    Count,
    /// Minutes, written `45 min`, `1 h 05 min`.
    Minutes,
    /// A fraction written as a percentage (0.25 → `25%`).
    Share,
}

impl Unit {
    fn format(self, value: f64, words: &'static Catalogue) -> String {
        match self {
            Unit::Count if value.fract() == 0.0 => format!("{value:.0}"),
            Unit::Count => words.number(value, 1),
            Unit::Minutes => words.approx_minutes(Some(value)),
            Unit::Share => words.share(Some(value)),
        }
    }

    /// A step of 1, 2 or 5 times a power of ten (in minutes: a familiar
    /// duration) that splits `max` into about four intervals.
    fn step(self, max: f64) -> f64 {
        const MINUTE_STEPS: [f64; 12] = [
            1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 240.0, 480.0, 720.0, 1440.0,
        ];
        let raw = max / 4.0;
        if self == Unit::Minutes
            && let Some(step) = MINUTE_STEPS.iter().find(|s| **s >= raw)
        {
            return *step;
        }
        let magnitude = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|m| m * magnitude)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * magnitude);
        match self {
            Unit::Count => step.max(1.0),
            _ => step,
        }
    }
}

/// One named series of values, one per category; `None` is no value (a gap
/// in a line, nothing in a bar).
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    pub name: &'a str,
    pub values: &'a [Option<f64>],
}

const WIDTH: f64 = 640.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const PLOT_HEIGHT: f64 = 200.0;
/// An upper bound of the width of one character at the charts' 12 px font
/// size, to keep labels from overlapping without measuring text.
const CHAR_WIDTH: f64 = 7.0;

/// Fallback colours when the page defines no custom properties, from the
/// colour-blind-safe palette of Okabe and Ito: severities from red (the
/// worst) to green, other series starting with the most distinct pair.
const SEVERITY_FALLBACK: [&str; 8] = [
    "#d55e00", "#e69f00", "#0072b2", "#009e73", "#cc79a7", "#56b4e9", "#f0e442", "#999999",
];
const SERIES_FALLBACK: [&str; 8] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#999999",
];

#[derive(Clone, Copy)]
enum Palette {
    Severity,
    Series,
}

impl Palette {
    fn color(self, index: usize) -> String {
        let (prefix, fallback) = match self {
            Palette::Severity => ("--pm-sev", SEVERITY_FALLBACK),
            Palette::Series => ("--pm-series-", SERIES_FALLBACK),
        };
        format!(
            "var({prefix}{}, {})",
            index + 1,
            fallback[index % fallback.len()]
        )
    }
}

/// Incidents per month (or any count per category) stacked by severity:
/// series `i` is coloured `var(--pm-sev{i+1})`, so pass the severities
/// worst first.
pub fn stacked_bars(chart: &Chart, categories: &[String], series: &[Series]) -> String {
    let totals: Vec<f64> = (0..categories.len())
        .map(|c| series.iter().map(|s| value(s, c).unwrap_or(0.0)).sum())
        .collect();
    let max = totals.iter().copied().fold(0.0, f64::max);
    let mut svg = Svg::new(chart, "stacked-bars", legend_rows(series.len()));
    if categories.is_empty() || max <= 0.0 {
        return svg.no_data();
    }
    let axis = svg.y_axis(max);
    let slot = (WIDTH - LEFT - RIGHT) / categories.len() as f64;
    let width = (slot * 0.7).max(1.0);
    for (c, category) in categories.iter().enumerate() {
        let x = LEFT + slot * c as f64 + (slot - width) / 2.0;
        let mut base = 0.0;
        for (i, s) in series.iter().enumerate() {
            let Some(v) = value(s, c).filter(|v| *v > 0.0) else {
                continue;
            };
            let (top, bottom) = (axis.y(base + v), axis.y(base));
            let _ = write!(
                svg.body,
                r#"<rect class="pm-bar pm-series-{n}" x="{x:.1}" y="{top:.1}" width="{width:.1}" height="{h:.1}" style="fill:{color}"><title>{label}: {name} {value}</title></rect>"#,
                n = i + 1,
                h = bottom - top,
                color = Palette::Severity.color(i),
                label = escape_html(category),
                name = escape_html(s.name),
                value = escape_html(&chart.format(v)),
            );
            base += v;
        }
    }
    svg.x_labels(categories);
    svg.legend(series, Palette::Severity, false);
    svg.finish()
}

/// Lines over categories, such as the median and p90 time to resolve per
/// quarter. Series `i` is coloured `var(--pm-series-{i+1})`, and every
/// series after the first is dashed, so they differ without colour too.
pub fn lines(chart: &Chart, categories: &[String], series: &[Series]) -> String {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .copied()
        .fold(0.0, f64::max);
    let has_values = series.iter().any(|s| s.values.iter().any(Option::is_some));
    let mut svg = Svg::new(chart, "lines", legend_rows(series.len()));
    if categories.is_empty() || !has_values {
        return svg.no_data();
    }
    let axis = svg.y_axis(if max > 0.0 { max } else { 1.0 });
    let slot = (WIDTH - LEFT - RIGHT) / categories.len() as f64;
    let x = |c: usize| LEFT + slot * (c as f64 + 0.5);
    for (i, s) in series.iter().enumerate() {
        let color = Palette::Series.color(i);
        let dash = if i == 0 { "" } else { ";stroke-dasharray:6 4" };
        // A gap (None) ends a segment, so a missing quarter is not drawn
        // as if it were on the line.
        let mut segment: Vec<String> = Vec::new();
        let mut segments = Vec::new();
        for c in 0..categories.len() {
            match value(s, c) {
                Some(v) => segment.push(format!("{:.1},{:.1}", x(c), axis.y(v))),
                None => segments.push(std::mem::take(&mut segment)),
            }
        }
        segments.push(segment);
        for points in segments.iter().filter(|p| p.len() > 1) {
            let _ = write!(
                svg.body,
                r#"<polyline class="pm-line pm-series-{n}" points="{points}" style="fill:none;stroke:{color};stroke-width:2{dash}"/>"#,
                n = i + 1,
                points = points.join(" "),
            );
        }
        for (c, category) in categories.iter().enumerate() {
            if let Some(v) = value(s, c) {
                let _ = write!(
                    svg.body,
                    r#"<circle class="pm-point pm-series-{n}" cx="{cx:.1}" cy="{cy:.1}" r="3" style="fill:{color}"><title>{label}: {name} {value}</title></circle>"#,
                    n = i + 1,
                    cx = x(c),
                    cy = axis.y(v),
                    label = escape_html(category),
                    name = escape_html(s.name),
                    value = escape_html(&chart.format(v)),
                );
            }
        }
    }
    svg.x_labels(categories);
    svg.legend(series, Palette::Series, true);
    svg.finish()
}

/// Horizontal bars, one per label, such as the error budget consumed per
/// SLO or a share per category; coloured `var(--pm-series-1)`.
pub fn bars(chart: &Chart, labels: &[String], values: &[f64]) -> String {
    const ROW: f64 = 24.0;
    /// Labels longer than this many characters are shortened with an
    /// ellipsis (the bar's tooltip keeps the whole label).
    const MAX_LABEL_CHARS: usize = 36;
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let label_width = longest.min(MAX_LABEL_CHARS) as f64 * CHAR_WIDTH + 16.0;
    let max = values.iter().copied().fold(0.0, f64::max);
    let rows = labels.len().min(values.len());
    let mut svg = Svg::new(chart, "bars", 0);
    if rows == 0 {
        return svg.no_data();
    }
    svg.height = TOP + ROW * rows as f64 + 36.0;
    let scale_max = if max > 0.0 { max } else { 1.0 };
    let step = chart.unit.step(scale_max);
    let top_tick = (scale_max / step).ceil() * step;
    let plot = WIDTH - label_width - RIGHT - 56.0;
    let x = |v: f64| label_width + plot * v / top_tick;
    let bottom = TOP + ROW * rows as f64;
    let mut tick = 0.0;
    while tick <= top_tick + step / 2.0 {
        let _ = write!(
            svg.body,
            r#"<line class="pm-grid" x1="{x:.1}" y1="{TOP:.1}" x2="{x:.1}" y2="{bottom:.1}" style="stroke:var(--pm-grid, rgba(128,128,128,0.25))"/><text class="pm-tick" x="{x:.1}" y="{ty:.1}" text-anchor="middle">{label}</text>"#,
            x = x(tick),
            ty = bottom + 16.0,
            label = escape_html(&chart.format(tick)),
        );
        tick += step;
    }
    for (r, (label, v)) in labels.iter().zip(values).enumerate() {
        let y = TOP + ROW * r as f64;
        let v = v.max(0.0);
        let _ = write!(
            svg.body,
            r#"<text class="pm-label" x="{lx:.1}" y="{ty:.1}" text-anchor="end">{short}</text><rect class="pm-bar pm-series-1" x="{label_width:.1}" y="{by:.1}" width="{w:.1}" height="{h:.1}" style="fill:{color}"><title>{text}: {value}</title></rect><text class="pm-value" x="{vx:.1}" y="{ty:.1}">{value}</text>"#,
            lx = label_width - 8.0,
            ty = y + ROW / 2.0 + 4.0,
            short = escape_html(&shorten(label, MAX_LABEL_CHARS)),
            text = escape_html(label),
            by = y + 4.0,
            w = x(v) - label_width,
            h = ROW - 8.0,
            color = Palette::Series.color(0),
            vx = x(v) + 4.0,
            value = escape_html(&chart.format(v)),
        );
    }
    let _ = write!(
        svg.body,
        r#"<line class="pm-axis" x1="{label_width:.1}" y1="{TOP:.1}" x2="{label_width:.1}" y2="{bottom:.1}" style="stroke:var(--pm-axis, currentColor)"/>"#,
    );
    svg.finish()
}

/// `text` cut to `max` characters, the last one an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max - 1).collect();
    short.push('…');
    short
}

fn value(series: &Series, index: usize) -> Option<f64> {
    series.values.get(index).copied().flatten()
}

/// Legend entries per row, and the number of rows for `entries`.
const LEGEND_PER_ROW: usize = 4;

fn legend_rows(entries: usize) -> usize {
    entries.div_ceil(LEGEND_PER_ROW)
}

/// The vertical scale of a chart with a y axis.
struct Axis {
    top: f64,
}

impl Axis {
    fn y(&self, value: f64) -> f64 {
        TOP + PLOT_HEIGHT * (1.0 - value / self.top)
    }
}

/// An SVG document being written.
struct Svg<'a> {
    chart: &'a Chart<'a>,
    kind: &'static str,
    height: f64,
    body: String,
}

impl<'a> Svg<'a> {
    fn new(chart: &'a Chart<'a>, kind: &'static str, legend_rows: usize) -> Svg<'a> {
        Svg {
            chart,
            kind,
            height: TOP + PLOT_HEIGHT + 36.0 + 20.0 * legend_rows as f64,
            body: String::new(),
        }
    }

    /// Grid lines and tick labels from 0 to a round value at or above
    /// `max`.
    fn y_axis(&mut self, max: f64) -> Axis {
        let unit = self.chart.unit;
        let step = unit.step(max);
        let ticks = (max / step).ceil().max(1.0) as usize;
        let axis = Axis {
            top: step * ticks as f64,
        };
        for t in 0..=ticks {
            let v = step * t as f64;
            let _ = write!(
                self.body,
                r#"<line class="pm-grid" x1="{LEFT:.1}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}" style="stroke:var(--pm-grid, rgba(128,128,128,0.25))"/><text class="pm-tick" x="{tx:.1}" y="{ty:.1}" text-anchor="end">{label}</text>"#,
                y = axis.y(v),
                x2 = WIDTH - RIGHT,
                tx = LEFT - 6.0,
                ty = axis.y(v) + 4.0,
                label = escape_html(&self.chart.format(v)),
            );
        }
        let bottom = TOP + PLOT_HEIGHT;
        let _ = write!(
            self.body,
            r#"<line class="pm-axis" x1="{LEFT:.1}" y1="{TOP:.1}" x2="{LEFT:.1}" y2="{bottom:.1}" style="stroke:var(--pm-axis, currentColor)"/><line class="pm-axis" x1="{LEFT:.1}" y1="{bottom:.1}" x2="{x2:.1}" y2="{bottom:.1}" style="stroke:var(--pm-axis, currentColor)"/>"#,
            x2 = WIDTH - RIGHT,
        );
        axis
    }

    /// Category labels under the plot; when they would overlap, only every
    /// n-th is written (always the first).
    fn x_labels(&mut self, categories: &[String]) {
        let slot = (WIDTH - LEFT - RIGHT) / categories.len() as f64;
        let longest = categories.iter().map(|c| c.chars().count()).max();
        let needed = longest.unwrap_or(0) as f64 * CHAR_WIDTH + 8.0;
        let every = ((needed / slot).ceil() as usize).max(1);
        for (c, category) in categories.iter().enumerate().step_by(every) {
            let _ = write!(
                self.body,
                r#"<text class="pm-tick" x="{x:.1}" y="{y:.1}" text-anchor="middle">{label}</text>"#,
                x = LEFT + slot * (c as f64 + 0.5),
                y = TOP + PLOT_HEIGHT + 16.0,
                label = escape_html(category),
            );
        }
    }

    fn legend(&mut self, series: &[Series], palette: Palette, dashed: bool) {
        let width = (WIDTH - LEFT - RIGHT) / LEGEND_PER_ROW as f64;
        let _ = write!(self.body, r#"<g class="pm-legend">"#);
        for (i, s) in series.iter().enumerate() {
            let x = LEFT + width * (i % LEGEND_PER_ROW) as f64;
            let y = TOP + PLOT_HEIGHT + 40.0 + 20.0 * (i / LEGEND_PER_ROW) as f64;
            let color = palette.color(i);
            if dashed {
                let dash = if i == 0 { "" } else { ";stroke-dasharray:6 4" };
                let _ = write!(
                    self.body,
                    r#"<line x1="{x:.1}" y1="{ly:.1}" x2="{x2:.1}" y2="{ly:.1}" style="stroke:{color};stroke-width:2{dash}"/>"#,
                    ly = y - 4.0,
                    x2 = x + 18.0,
                );
            } else {
                let _ = write!(
                    self.body,
                    r#"<rect x="{x:.1}" y="{ry:.1}" width="12.0" height="12.0" style="fill:{color}"/>"#,
                    ry = y - 10.0,
                );
            }
            let _ = write!(
                self.body,
                r#"<text x="{tx:.1}" y="{y:.1}">{name}</text>"#,
                tx = x + 24.0,
                name = escape_html(s.name),
            );
        }
        self.body.push_str("</g>");
    }

    /// The frame with its title and "No data" in the middle.
    fn no_data(mut self) -> String {
        self.height = TOP + PLOT_HEIGHT / 2.0;
        self.body = format!(
            r#"<text class="pm-no-data" x="{x:.1}" y="{y:.1}" text-anchor="middle">{text}</text>"#,
            text = escape_html(self.chart.words.text("charts.no_data")),
            x = WIDTH / 2.0,
            y = self.height / 2.0 + 4.0,
        );
        self.finish()
    }

    fn finish(self) -> String {
        let id = escape_html(self.chart.id);
        format!(
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" class="pm-chart pm-chart-{kind}" viewBox="0 0 {w:.0} {h:.0}" role="img" aria-labelledby="{id}-title" font-size="12" fill="currentColor">"#,
                r#"<title id="{id}-title">{title}</title>{body}</svg>"#,
            ),
            kind = self.kind,
            w = WIDTH,
            h = self.height,
            id = id,
            title = escape_html(self.chart.title),
            body = self.body,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks that tags nest and close properly, without a full XML parser:
    /// enough to catch a missing `</g>` or an unescaped `<`.
    fn assert_well_formed(svg: &str) {
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            let close = rest[open..].find('>').expect("tag closes") + open;
            let tag = &rest[open + 1..close];
            assert!(!tag.contains('<'), "unescaped < in {tag:?}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
            } else if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().expect("tag name");
                stack.push(name);
            }
            let text = &rest[close + 1..];
            let text = &text[..text.find('<').unwrap_or(text.len())];
            assert!(!text.contains('>'), "unescaped > in text {text:?}");
            for (at, _) in text.match_indices('&') {
                let entity = &text[at..];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                        .iter()
                        .any(|e| entity.starts_with(e)),
                    "bare & in {text:?}"
                );
            }
            rest = &rest[close + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    fn chart(unit: Unit) -> Chart<'static> {
        Chart {
            id: "c",
            title: "A chart",
            unit,
            words: crate::i18n::catalogue("en"),
        }
    }

    fn months() -> Vec<String> {
        ["2026-01", "2026-02", "2026-03"].map(String::from).to_vec()
    }

    fn every_chart(title: &'static str, label: &str) -> [String; 3] {
        let c = Chart {
            id: "x",
            title,
            unit: Unit::Count,
            words: crate::i18n::catalogue("en"),
        };
        let categories = vec![label.to_owned(), "b".to_owned()];
        let values = [Some(1.0), Some(2.0)];
        let series = [Series {
            name: label,
            values: &values,
        }];
        [
            stacked_bars(&c, &categories, &series),
            lines(&c, &categories, &series),
            bars(&c, &categories, &[1.0, 2.0]),
        ]
    }

    #[test]
    fn charts_are_well_formed_and_accessible() {
        for svg in every_chart("Incidents", "SEV1") {
            assert_well_formed(&svg);
            assert!(svg.contains(r#"role="img""#), "{svg}");
            assert!(svg.contains(r#"aria-labelledby="x-title""#));
            assert!(svg.contains(r#"<title id="x-title">Incidents</title>"#));
        }
    }

    #[test]
    fn labels_and_titles_are_escaped() {
        for svg in every_chart("<b>\"t\" & 'u'</b>", "<script>alert(1)</script>") {
            assert_well_formed(&svg);
            assert!(!svg.contains("<script>"), "{svg}");
            assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
            assert!(svg.contains("&lt;b&gt;&quot;t&quot; &amp; &#39;u&#39;&lt;/b&gt;"));
        }
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(every_chart("T", "a"), every_chart("T", "a"));
    }

    #[test]
    fn empty_data_renders_no_data() {
        let no_values = [None, None, None];
        let zeros = [Some(0.0), Some(0.0), Some(0.0)];
        let empty = Series {
            name: "p90",
            values: &no_values,
        };
        let zero = Series {
            name: "SEV1",
            values: &zeros,
        };
        for svg in [
            stacked_bars(&chart(Unit::Count), &[], &[]),
            stacked_bars(&chart(Unit::Count), &months(), &[zero]),
            lines(&chart(Unit::Minutes), &months(), &[empty]),
            bars(&chart(Unit::Share), &[], &[]),
        ] {
            assert_well_formed(&svg);
            assert!(svg.contains(">No data</text>"), "{svg}");
            assert!(svg.contains(r#"<title id="c-title">A chart</title>"#));
        }
    }

    #[test]
    fn stacked_bars_use_severity_colours_and_stack() {
        let sev1 = [Some(1.0), Some(0.0), Some(2.0)];
        let sev2 = [Some(3.0), None, Some(1.0)];
        let svg = stacked_bars(
            &chart(Unit::Count),
            &months(),
            &[
                Series {
                    name: "SEV1",
                    values: &sev1,
                },
                Series {
                    name: "SEV2",
                    values: &sev2,
                },
            ],
        );
        assert_well_formed(&svg);
        assert!(svg.contains("var(--pm-sev1, "));
        assert!(svg.contains("var(--pm-sev2, "));
        assert!(svg.contains("var(--pm-axis, currentColor)"));
        // The tallest stack is 4: ticks 0, 1, 2, 3, 4.
        assert!(svg.contains(">4</text>") && !svg.contains(">5</text>"));
        assert_eq!(svg.matches("<rect class=\"pm-bar").count(), 4);
        assert!(svg.contains("<title>2026-01: SEV2 3</title>"));
        assert!(svg.contains(r#"<g class="pm-legend">"#));
    }

    #[test]
    fn lines_break_at_gaps_and_format_minutes() {
        let median = [Some(30.0), None, Some(65.0), Some(90.0)];
        let p90 = [Some(60.0), Some(120.0), Some(150.0), Some(200.0)];
        let quarters = ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"].map(String::from);
        let svg = lines(
            &chart(Unit::Minutes),
            &quarters,
            &[
                Series {
                    name: "median",
                    values: &median,
                },
                Series {
                    name: "p90",
                    values: &p90,
                },
            ],
        );
        assert_well_formed(&svg);
        // The median's first point stands alone; its last two are a line.
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("<title>2026-Q3: median 1 h 05 min</title>"));
        assert!(svg.contains("stroke-dasharray"));
        assert!(svg.contains("var(--pm-series-2, "));
        // 200 minutes in steps of 60: the axis ends at 4 h.
        assert!(svg.contains(">4 h 00 min</text>"));
    }

    #[test]
    fn bars_show_shares_as_percentages() {
        let svg = bars(
            &chart(Unit::Share),
            &["checkout-availability".to_owned(), "api".to_owned()],
            &[0.35, 0.05],
        );
        assert_well_formed(&svg);
        assert!(svg.contains("<title>checkout-availability: 35.0%</title>"));
        assert!(svg.contains(">5.0%</text>"));
    }

    #[test]
    fn long_bar_labels_are_shortened_but_kept_in_the_tooltip() {
        let label = "payments-authorization-success-rate-in-all-regions 2025-Q2".to_owned();
        let svg = bars(&chart(Unit::Share), std::slice::from_ref(&label), &[0.5]);
        assert_well_formed(&svg);
        assert!(svg.contains(">payments-authorization-success-rate…</text>"));
        assert!(svg.contains(&format!("<title>{label}: 50.0%</title>")));
    }

    #[test]
    fn crowded_category_labels_are_thinned() {
        let months: Vec<String> = (1..=48).map(|m| format!("20{:02}-01", m)).collect();
        let values: Vec<Option<f64>> = vec![Some(1.0); 48];
        let svg = stacked_bars(
            &chart(Unit::Count),
            &months,
            &[Series {
                name: "SEV1",
                values: &values,
            }],
        );
        let labels = svg.matches(r#"text-anchor="middle">20"#).count();
        assert!((2..=12).contains(&labels), "{labels} labels");
        assert!(svg.contains(">2001-01</text>"));
    }

    #[test]
    fn steps_are_round() {
        assert_eq!(Unit::Count.step(4.0), 1.0);
        assert_eq!(Unit::Count.step(37.0), 10.0);
        assert!((Unit::Share.step(0.35) - 0.1).abs() < 1e-12);
        assert_eq!(Unit::Minutes.step(200.0), 60.0);
        assert_eq!(Unit::Minutes.step(10_000.0), 5000.0);
    }
}
