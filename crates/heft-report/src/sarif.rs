//! SARIF 2.1.0, for code scanning: one result per diagnostic, at the import
//! site that lets a package in, the chain as related locations.

use std::io::{self, Write};

use heft_analyze::{Code, Diagnostic, Location, Severity};
use serde_json::{Value, json};

use crate::Shown;

/// The SARIF log of `diagnostics`; files are given relative to the
/// directory `shown` names (the repository root in CI), else as absolute
/// `file://` URIs.
pub fn log(out: &mut impl Write, diagnostics: &[Diagnostic], shown: &Shown) -> io::Result<()> {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.as_str(),
                "name": c.as_str(),
                "shortDescription": { "text": c.description() },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics.iter().map(|d| result(d, shown)).collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "heft",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            } },
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn physical(loc: &Location, shown: &Shown) -> Value {
    let path = loc.path();
    let shown_path = shown.path(&path);
    let uri = if shown_path.is_relative() {
        shown_path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
    } else {
        format!("file://{}", path.display())
    };
    json!({
        "artifactLocation": { "uri": uri },
        "region": { "startLine": loc.line.max(1), "startColumn": loc.col.max(1) },
    })
}

fn result(d: &Diagnostic, shown: &Shown) -> Value {
    let mut text = d.message.clone();
    if let Some(recipe) = &d.recipe {
        text.push_str(&format!("\nhelp: {recipe}"));
    }
    let mut r = json!({
        "ruleId": d.code.as_str(),
        "level": level(d.severity),
        "message": { "text": text },
    });
    if let Some(loc) = &d.location {
        r["locations"] = json!([{ "physicalLocation": physical(loc, shown) }]);
    }
    let related: Vec<Value> = d
        .chain
        .iter()
        .filter_map(|h| h.at.as_ref().map(|at| (format!("imports {}", h.package), at)))
        .chain(d.related.iter().filter_map(|r| r.location.as_ref().map(|at| (r.message.clone(), at))))
        .enumerate()
        .map(|(i, (message, at))| json!({ "id": i, "message": { "text": message }, "physicalLocation": physical(at, shown) }))
        .collect();
    if !related.is_empty() {
        r["relatedLocations"] = Value::Array(related);
    }
    r
}
