//! The Ishikawa (fishbone) diagram of an incident as inline SVG: the effect
//! at the head, one bone per category, the causes along each bone.

use std::fmt::Write;

use crate::model::IshikawaBone;
use crate::text::escape_html;

const WIDTH: usize = 960;
const BONE_GAP: usize = 250;
const LINE: usize = 16;

/// The diagram, or `None` without bones. Categories keep the order of
/// their first appearance.
pub fn svg(effect: &str, bones: &[IshikawaBone]) -> Option<String> {
    if bones.is_empty() {
        return None;
    }
    let mut categories: Vec<(&str, Vec<&str>)> = Vec::new();
    for bone in bones {
        match categories
            .iter_mut()
            .find(|(c, _)| c.eq_ignore_ascii_case(&bone.category.value))
        {
            Some((_, causes)) => causes.push(&bone.text),
            None => categories.push((&bone.category.value, vec![&bone.text])),
        }
    }
    let per_side = categories.len().div_ceil(2);
    let most_causes = categories.iter().map(|(_, c)| c.len()).max().unwrap_or(1);
    let half = 60 + most_causes * LINE;
    let height = 2 * half + 20;
    let spine_y = half + 10;
    let head_x = 80 + per_side * BONE_GAP;
    let width = WIDTH.max(head_x + 200);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="pm-fishbone" viewBox="0 0 {width} {height}" role="img" aria-labelledby="fishbone-title" xmlns="http://www.w3.org/2000/svg"><title id="fishbone-title">Ishikawa diagram: causes of {}</title>"#,
        escape_html(effect)
    );
    let _ = write!(
        svg,
        r#"<line class="pm-spine" x1="20" y1="{spine_y}" x2="{head_x}" y2="{spine_y}"/><rect class="pm-head" x="{head_x}" y="{}" width="190" height="56" rx="6"/><foreignObject x="{}" y="{}" width="180" height="48"><div xmlns="http://www.w3.org/1999/xhtml" class="pm-head-text">{}</div></foreignObject>"#,
        spine_y - 28,
        head_x + 5,
        spine_y - 24,
        escape_html(effect)
    );
    for (i, (category, causes)) in categories.iter().enumerate() {
        let top = i % 2 == 0;
        let slot = i / 2;
        let x_spine = 60 + (slot + 1) * BONE_GAP;
        let x_end = x_spine - 90;
        let y_end = if top { 20 } else { height - 20 };
        let _ = write!(
            svg,
            r#"<line class="pm-bone" x1="{x_end}" y1="{y_end}" x2="{x_spine}" y2="{spine_y}"/><text class="pm-category" x="{x_end}" y="{}" text-anchor="middle">{}</text>"#,
            if top { y_end - 6 } else { y_end + 14 },
            escape_html(category)
        );
        for (j, cause) in causes.iter().enumerate() {
            let y = if top {
                y_end + 18 + j * LINE
            } else {
                y_end - 8 - (causes.len() - 1 - j) * LINE
            };
            // A cause too long for its bone is cut there, and given whole
            // as the text's title: shown on hover, read by screen readers.
            let shown = truncate(cause, 30);
            let title = if shown == **cause {
                String::new()
            } else {
                format!("<title>{}</title>", escape_html(cause))
            };
            let _ = write!(
                svg,
                r#"<text class="pm-cause" x="{}" y="{y}">{title}{}</text>"#,
                x_end + 6,
                escape_html(&shown)
            );
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, Span};

    fn bone(category: &str, text: &str) -> IshikawaBone {
        IshikawaBone {
            span: Span::default(),
            category: Field::new(category.to_owned(), Span::default()),
            text: text.to_owned(),
        }
    }

    #[test]
    fn text_is_escaped_and_output_is_deterministic() {
        let bones = [
            bone("Process", "<script>x</script>"),
            bone("Tooling", "a & b"),
            bone("process", "two"),
        ];
        let svg = svg("Latency \"spike\"", &bones).unwrap();
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;") && svg.contains("a &amp; b"));
        assert_eq!(svg.matches("class=\"pm-bone\"").count(), 2);
        assert_eq!(svg, super::svg("Latency \"spike\"", &bones).unwrap());
        assert!(super::svg("x", &[]).is_none());
    }

    #[test]
    fn a_cause_cut_on_its_bone_is_whole_in_its_title() {
        let long = "the canary stage was skipped for configuration changes";
        let svg = svg(
            "Latency",
            &[bone("Process", long), bone("Process", "short")],
        )
        .unwrap();
        assert!(svg.contains(&format!(
            "<title>{long}</title>the canary stage was skipped …"
        )));
        assert!(svg.contains(">short</text>"), "a short cause has no title");
    }
}
