//! The names a Go file writes qualified by an import's name (`b.Name`),
//! found by a lexer alone: comments, strings and runes are skipped, and
//! nothing is parsed — fast enough to count the effort of thousands of
//! import edges in large dependency trees.

use std::collections::BTreeSet;

/// How a file imports a path.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Imported {
    /// Under these names (the alias, or B's package clause name).
    Named(Vec<String>),
    /// With `import . "path"`: its names are unqualified.
    Dot,
}

/// The names under which `src` imports `path` (`b_name`: B's package
/// clause), read from its import declarations; blank imports give no name.
pub(crate) fn imported_as(src: &[u8], path: &str, b_name: &str) -> Imported {
    // Each quoted form is searched for once in the whole file (a searcher per
    // line cost more than the rest of the effort count); most files of an
    // importer do not write the path, and cost that search only.
    let mut hits: Vec<usize> = [format!("\"{path}\""), format!("`{path}`")]
        .iter()
        .flat_map(|q| memchr::memmem::find_iter(src, q.as_bytes()).collect::<Vec<_>>())
        .collect();
    hits.sort_unstable();
    let mut names = Vec::new();
    let mut last_line = None;
    for at in hits {
        let line_start = src[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // The first occurrence on a line only.
        if last_line.replace(line_start) == Some(line_start) {
            continue;
        }
        let text = String::from_utf8_lossy(&src[line_start..at]);
        let line = text.trim_start();
        // The keyword, not an alias that starts with it (`importCmd "…"`).
        let line = match line.strip_prefix("import") {
            Some(rest) if rest.starts_with(|c: char| c.is_whitespace() || c == '(') || rest.is_empty() => rest.trim(),
            _ => line,
        };
        // Only an import spec: nothing but a name may come before the path.
        let before = line.trim().trim_start_matches('(').trim();
        if before.contains(|c: char| c.is_whitespace() || c == '=' || c == '(') {
            continue;
        }
        match before {
            "." => return Imported::Dot,
            "_" => {}
            "" => names.push(b_name.to_string()),
            alias => names.push(alias.to_string()),
        }
    }
    Imported::Named(names)
}

/// Every `q.Name` in `src` with `q` one of `qualifiers`.
pub(crate) fn qualified_names(src: &[u8], qualifiers: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut i = 0;
    // The last identifier, and whether a `.` came just before it.
    let mut last: Option<(usize, usize)> = None;
    let mut after_dot = false;
    let mut pending: Option<bool> = None; // Some(true): the last token was `q` then `.`
    let n = src.len();
    let is_start = |c: u8| c.is_ascii_alphabetic() || c == b'_' || c >= 0x80;
    let is_part = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    while i < n {
        let c = src[i];
        match c {
            b'/' if src.get(i + 1) == Some(&b'/') => {
                while i < n && src[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if src.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < n && !(src[i] == b'*' && src[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'"' | b'\'' => {
                i += 1;
                while i < n && src[i] != c && src[i] != b'\n' {
                    i += if src[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                last = None;
                pending = None;
                after_dot = false;
            }
            b'`' => {
                i += 1;
                while i < n && src[i] != b'`' {
                    i += 1;
                }
                i += 1;
                last = None;
                pending = None;
                after_dot = false;
            }
            b'.' if src[i..].starts_with(b"...") => {
                // A variadic `...`, not a selector.
                last = None;
                pending = None;
                after_dot = false;
                i += 3;
            }
            b'.' => {
                pending = Some(last.is_some_and(|(s, e)| {
                    let word = &src[s..e];
                    qualifiers.iter().any(|q| q.as_bytes() == word)
                }));
                after_dot = true;
                last = None;
                i += 1;
            }
            _ if is_start(c) => {
                let start = i;
                while i < n && is_part(src[i]) {
                    i += 1;
                }
                if pending == Some(true) {
                    out.insert(String::from_utf8_lossy(&src[start..i]).into_owned());
                }
                // A qualifier counts only when it is not itself a selector (`x.b.Name`).
                last = if after_dot { None } else { Some((start, i)) };
                after_dot = false;
                pending = None;
            }
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            _ => {
                last = None;
                pending = None;
                after_dot = false;
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_after_the_qualifier_not_in_comments_strings_or_selectors() {
        let src = br#"package a

import (
	k "example.com/kube"
	_ "example.com/side"
)

// k.Commented is not a use.
var x = k.New(k.Options{Name: "k.InString"})
var y = obj.k.Field
var z = `k.Raw`
func f(p *k.Pod, opts ...k.Opt) k.
	Continued { return nil }
"#;
        assert_eq!(imported_as(src, "example.com/kube", "kube"), Imported::Named(vec!["k".into()]));
        assert_eq!(imported_as(src, "example.com/side", "side"), Imported::Named(vec![]));
        assert_eq!(imported_as(b"import . \"x/y\"\n", "x/y", "y"), Imported::Dot);
        assert_eq!(imported_as(b"import \"x/y\"\n", "x/y", "yy"), Imported::Named(vec!["yy".into()]));
        assert_eq!(
            imported_as(b"import (\n\timportCmd \"x/y\"\n)\n", "x/y", "y"),
            Imported::Named(vec!["importCmd".into()])
        );
        assert_eq!(imported_as(b"import importCmd \"x/y\"\n", "x/y", "y"), Imported::Named(vec!["importCmd".into()]));
        let names: Vec<String> = qualified_names(src, &["k".to_string()]).into_iter().collect();
        assert_eq!(names, ["Continued", "New", "Opt", "Options", "Pod"]);
    }
}
