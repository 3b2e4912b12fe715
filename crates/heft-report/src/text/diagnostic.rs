//! Diagnostics, the way compilers and cargo-deny print them: the code and
//! message, the place with its source line, then the chain and the recipe.

use std::io::{self, Write};

use heft_analyze::{Diagnostic, Severity};

use crate::Shown;

/// Each diagnostic, a blank line after each.
pub fn diagnostics(out: &mut impl Write, list: &[Diagnostic], shown: &Shown) -> io::Result<()> {
    for d in list {
        diagnostic(out, d, shown)?;
        writeln!(out)?;
    }
    Ok(())
}

fn diagnostic(out: &mut impl Write, d: &Diagnostic, shown: &Shown) -> io::Result<()> {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    writeln!(out, "{level}[{}]: {}", d.code.as_str(), d.message)?;
    if let Some(loc) = &d.location {
        writeln!(out, "  --> {}", shown.at_col(loc))?;
        if let Some(line) = source_line(&loc.path(), loc.line) {
            let number = loc.line.to_string();
            let pad = " ".repeat(number.len());
            writeln!(out, "{pad} |")?;
            writeln!(out, "{number} | {line}")?;
            let caret: String = line
                .chars()
                .take(loc.col.saturating_sub(1) as usize)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(out, "{pad} | {caret}^")?;
        }
    }
    if d.chain.len() > 1 {
        writeln!(out, "  = chain:")?;
        for (i, hop) in d.chain.iter().enumerate() {
            match &hop.at {
                Some(at) => writeln!(out, "      -> {}  ({})", hop.package, shown.at(at))?,
                None if i == 0 => writeln!(out, "      {}", hop.package)?,
                None => writeln!(out, "      -> {}  (implicit)", hop.package)?,
            }
        }
    }
    if !d.removes.is_empty() {
        let shown_names: Vec<&str> = d.removes.iter().take(6).map(String::as_str).collect();
        let more = if d.removes.len() > 6 { format!(", +{} more", d.removes.len() - 6) } else { String::new() };
        writeln!(out, "  = cutting it frees: {}{more}", shown_names.join(", "))?;
    }
    if let Some(recipe) = &d.recipe {
        writeln!(out, "  = help: {recipe}")?;
    }
    Ok(())
}

/// Line `n` (1-based) of a file, as written (the caret below it counts
/// characters, so a tab stays a tab).
fn source_line(path: &std::path::Path, n: u32) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().nth(n.checked_sub(1)? as usize).map(|l| l.trim_end().to_string())
}
