//! GitHub Actions workflow commands: one annotation per diagnostic, shown
//! on the pull request's diff at the import that causes it.

use std::io::{self, Write};

use heft_analyze::{Diagnostic, Severity};

use crate::Shown;

/// `::error file=…,line=…,col=…,title=…::message` per diagnostic.
pub fn annotations(out: &mut impl Write, diagnostics: &[Diagnostic], shown: &Shown) -> io::Result<()> {
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = vec![format!("title={}", property(&format!("heft {}", d.code.as_str())))];
        if let Some(loc) = &d.location {
            props.insert(0, format!("file={}", property(&shown.path(&loc.path()).display().to_string())));
            props.insert(1, format!("line={}", loc.line));
            props.insert(2, format!("col={}", loc.col));
        }
        let mut message = d.message.clone();
        if let Some(recipe) = &d.recipe {
            message.push_str(&format!("\nhelp: {recipe}"));
        }
        writeln!(out, "::{command} {}::{}", props.join(","), data(&message))?;
    }
    Ok(())
}

/// Escapes a message as the runner expects.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_properties_are_escaped() {
        assert_eq!(data("50% off\nnext"), "50%25 off%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
