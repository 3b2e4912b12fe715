//! HTML: one self-contained page per document (all CSS and JavaScript
//! inline, no request leaves the page), with the data embedded as the
//! exact `--json` document of the same command, so that a page can be
//! checked against `--json` and read back by tools.

use std::io::{self, Write};

use heft_analyze::size::Diff;

use crate::json;

/// The page: `{{name}}` markers are filled by [`page`].
const PAGE: &str = include_str!("html/page.html");
const STYLE: &str = include_str!("html/size.css");
const SCRIPT: &str = include_str!("html/size.js");

/// `heft size --html` of one binary: a zoomable treemap of module, package
/// and kind of section, the sections of the file and the groups in tables.
pub fn size(out: &mut impl Write, r: &heft_gobin::SizeReport) -> io::Result<()> {
    let mut doc = Vec::new();
    json::size(&mut doc, r)?;
    page(out, &format!("heft size: {}", r.file), "size", &doc)
}

/// `heft size --html OLD NEW`: the groups that changed as a treemap coloured
/// by growth and shrinkage, and the changes in tables.
pub fn size_diff(out: &mut impl Write, d: &Diff) -> io::Result<()> {
    let mut doc = Vec::new();
    json::size_diff(&mut doc, d)?;
    page(out, &format!("heft size: {} → {}", d.old, d.new), "size-diff", &doc)
}

/// The page with its title, the kind of document its script draws and the
/// JSON document, each marker of the template filled once (a marker inside
/// a value is left as it is).
fn page(out: &mut impl Write, title: &str, kind: &str, doc: &[u8]) -> io::Result<()> {
    let doc = std::str::from_utf8(doc).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    let mut rest = PAGE;
    while let Some(at) = rest.find("{{") {
        let end = rest[at..].find("}}").map(|e| at + e + 2).expect("a closed marker in the template");
        out.write_all(&rest.as_bytes()[..at])?;
        match &rest[at + 2..end - 2] {
            "title" => out.write_all(escape_text(title).as_bytes())?,
            "kind" => out.write_all(kind.as_bytes())?,
            "style" => out.write_all(STYLE.as_bytes())?,
            "script" => out.write_all(SCRIPT.as_bytes())?,
            "data" => out.write_all(script_safe(doc).as_bytes())?,
            other => panic!("unknown marker {{{{{other}}}}} in the page template"),
        }
        rest = &rest[end..];
    }
    out.write_all(rest.as_bytes())
}

/// Text for an HTML element or a quoted attribute.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// A JSON document that can stand inside `<script>`: every `<` (which JSON
/// has only inside strings) written as the escape `\u003c`, so no symbol
/// name can close the element or open a comment; the value is the same.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_cannot_close_its_element_and_reads_back_the_same() {
        let r = heft_gobin::SizeReport {
            file: "a</script><b>&\"{{data}}".into(),
            packages: vec![heft_gobin::Group { name: "x/<!--y".into(), total: 1, ..Default::default() }],
            ..Default::default()
        };
        let mut page = Vec::new();
        size(&mut page, &r).unwrap();
        let page = String::from_utf8(page).unwrap();
        let start = page.find(r#"id="heft-data""#).unwrap();
        let body = &page[start..];
        let body = &body[body.find('>').unwrap() + 1..];
        let body = &body[..body.find("</script>").unwrap()];
        assert!(!body.contains('<'), "{body}");
        let mut want = Vec::new();
        json::size(&mut want, &r).unwrap();
        let want: serde_json::Value = serde_json::from_slice(&want).unwrap();
        assert_eq!(serde_json::from_str::<serde_json::Value>(body).unwrap(), want);
        assert!(page.contains("<title>heft size: a&lt;/script&gt;&lt;b&gt;&amp;&quot;{{data}}</title>"));
    }
}
