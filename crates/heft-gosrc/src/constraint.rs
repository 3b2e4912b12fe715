//! Build constraints: the `//go:build` expression grammar, the legacy
//! `// +build` line syntax, and the scan of a file's leading comments that
//! decides which of those lines count (go/build's parseFileHeader).

use crate::chars::{decode_rune, is_digit, is_letter, is_space, push_rune, trim_space};
use std::fmt;

/// A parsed build constraint expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A build tag, such as `linux` or `go1.21`.
    Tag(String),
    /// `!x`
    Not(Box<Expr>),
    /// `x && y`
    And(Box<Expr>, Box<Expr>),
    /// `x || y`
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Evaluates the expression, asking `ok` about each tag. Like go/build,
    /// both operands of `&&` and `||` are always evaluated, so `ok` sees
    /// every tag.
    pub fn eval(&self, ok: &mut impl FnMut(&str) -> bool) -> bool {
        match self {
            Expr::Tag(t) => ok(t),
            Expr::Not(x) => !x.eval(ok),
            Expr::And(x, y) => {
                let a = x.eval(ok);
                let b = y.eval(ok);
                a && b
            }
            Expr::Or(x, y) => {
                let a = x.eval(ok);
                let b = y.eval(ok);
                a || b
            }
        }
    }
}

impl fmt::Display for Expr {
    /// The canonical form printed by go/build/constraint.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Tag(t) => f.write_str(t),
            Expr::Not(x) => match **x {
                Expr::And(..) | Expr::Or(..) => write!(f, "!({x})"),
                _ => write!(f, "!{x}"),
            },
            Expr::And(x, y) => {
                let wrap = |e: &Expr| matches!(e, Expr::Or(..));
                fmt_arg(f, x, wrap(x))?;
                f.write_str(" && ")?;
                fmt_arg(f, y, wrap(y))
            }
            Expr::Or(x, y) => {
                let wrap = |e: &Expr| matches!(e, Expr::And(..));
                fmt_arg(f, x, wrap(x))?;
                f.write_str(" || ")?;
                fmt_arg(f, y, wrap(y))
            }
        }
    }
}

fn fmt_arg(f: &mut fmt::Formatter<'_>, e: &Expr, paren: bool) -> fmt::Result {
    if paren { write!(f, "({e})") } else { write!(f, "{e}") }
}

/// Why a line is not a valid build constraint. Display texts are those of
/// go/build/constraint.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum ConstraintError {
    /// The line is neither a `//go:build` nor a `// +build` line.
    #[error("not a build constraint")]
    NotConstraint,
    /// A `//go:build` syntax error.
    #[error("{msg}")]
    Syntax {
        /// Byte offset within the expression text (the part after
        /// `//go:build`, trimmed).
        offset: usize,
        /// go/build/constraint's message.
        msg: String,
    },
    /// A `// +build` line with more terms than go/build/constraint accepts.
    #[error("expression too complex for // +build lines")]
    TooComplex,
}

// Limits from go/build/constraint: they bound recursion and work on hostile input.
const MAX_SIZE: usize = 1000;
const MAX_OLD_SIZE: usize = 100;

/// Receives the parse of an expression: either builds an [`Expr`] or
/// evaluates it on the fly without allocating.
pub(crate) trait Sink {
    type Out;
    fn tag(&mut self, tag: &[u8]) -> Self::Out;
    fn not(&mut self, x: Self::Out) -> Self::Out;
    fn and(&mut self, x: Self::Out, y: Self::Out) -> Self::Out;
    fn or(&mut self, x: Self::Out, y: Self::Out) -> Self::Out;
}

struct Build;

impl Sink for Build {
    type Out = Expr;
    fn tag(&mut self, tag: &[u8]) -> Expr {
        Expr::Tag(String::from_utf8_lossy(tag).into_owned())
    }
    fn not(&mut self, x: Expr) -> Expr {
        Expr::Not(Box::new(x))
    }
    fn and(&mut self, x: Expr, y: Expr) -> Expr {
        Expr::And(Box::new(x), Box::new(y))
    }
    fn or(&mut self, x: Expr, y: Expr) -> Expr {
        Expr::Or(Box::new(x), Box::new(y))
    }
}

/// Evaluates with a tag predicate (tags are always valid UTF-8: they
/// consist of letters, digits, '_' and '.').
pub(crate) struct Eval<F>(pub F);

impl<F: FnMut(&str) -> bool> Sink for Eval<F> {
    type Out = bool;
    fn tag(&mut self, tag: &[u8]) -> bool {
        (self.0)(std::str::from_utf8(tag).unwrap_or(""))
    }
    fn not(&mut self, x: bool) -> bool {
        !x
    }
    fn and(&mut self, x: bool, y: bool) -> bool {
        x && y
    }
    fn or(&mut self, x: bool, y: bool) -> bool {
        x || y
    }
}

/// Parses a `//go:build` line (an optional trailing newline is allowed).
pub fn parse_go_build(line: &str) -> Result<Expr, ConstraintError> {
    go_build_with(line.as_bytes(), &mut Build)
}

/// Parses a `// +build` line (an optional trailing newline is allowed).
pub fn parse_plus_build(line: &str) -> Result<Expr, ConstraintError> {
    plus_build_with(line.as_bytes(), &mut Build)
}

/// Parses either kind of constraint line, like constraint.Parse.
pub fn parse(line: &str) -> Result<Expr, ConstraintError> {
    if is_go_build(line) { parse_go_build(line) } else { parse_plus_build(line) }
}

/// Reports whether the line is a `//go:build` constraint line.
pub fn is_go_build(line: &str) -> bool {
    split_go_build(line.as_bytes()).is_some()
}

/// Reports whether the line is a `// +build` constraint line.
pub fn is_plus_build(line: &str) -> bool {
    split_plus_build(line.as_bytes()).is_some()
}

fn strip_newline(line: &[u8]) -> Option<&[u8]> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    if line.contains(&b'\n') { None } else { Some(line) }
}

/// The expression text of a `//go:build` line.
fn split_go_build(line: &[u8]) -> Option<&[u8]> {
    let line = strip_newline(line)?;
    if !line.starts_with(b"//go:build") {
        return None;
    }
    let rest = &trim_space(line)[b"//go:build".len()..];
    let text = trim_space(rest);
    // "//go:buildx" is not a constraint; "//go:build x" and "//go:build" are.
    if text.len() == rest.len() && !rest.is_empty() {
        return None;
    }
    Some(text)
}

/// The expression text of a `// +build` line.
fn split_plus_build(line: &[u8]) -> Option<&[u8]> {
    let line = strip_newline(line)?;
    let line = trim_space(line.strip_prefix(b"//")?);
    let rest = line.strip_prefix(b"+build")?;
    let text = trim_space(rest);
    if text.len() == rest.len() && !rest.is_empty() {
        return None;
    }
    Some(text)
}

pub(crate) fn go_build_with<S: Sink>(line: &[u8], sink: &mut S) -> Result<S::Out, ConstraintError> {
    let text = split_go_build(line).ok_or(ConstraintError::NotConstraint)?;
    let mut p = ExprParser { s: text, i: 0, tok: Tok::End, pos: 0, size: 0, sink };
    let x = p.or()?;
    if p.tok != Tok::End {
        return Err(p.unexpected());
    }
    Ok(x)
}

pub(crate) fn plus_build_with<S: Sink>(line: &[u8], sink: &mut S) -> Result<S::Out, ConstraintError> {
    let text = split_plus_build(line).ok_or(ConstraintError::NotConstraint)?;
    let mut size = 0;
    let mut x: Option<S::Out> = None;
    for clause in fields(text) {
        let mut y: Option<S::Out> = None;
        for lit in clause.split(|&c| c == b',') {
            let z = if lit.starts_with(b"!!") || lit == b"!" {
                sink.tag(b"ignore")
            } else {
                let (neg, lit) = match lit.strip_prefix(b"!") {
                    Some(l) => (true, l),
                    None => (false, lit),
                };
                let z = if is_valid_tag(lit) { sink.tag(lit) } else { sink.tag(b"ignore") };
                if neg { sink.not(z) } else { z }
            };
            y = Some(match y {
                None => z,
                Some(y) => {
                    size += 1;
                    if size > MAX_OLD_SIZE {
                        return Err(ConstraintError::TooComplex);
                    }
                    sink.and(y, z)
                }
            });
        }
        let y = y.expect("split yields at least one element");
        x = Some(match x {
            None => y,
            Some(x) => {
                size += 1;
                if size > MAX_OLD_SIZE {
                    return Err(ConstraintError::TooComplex);
                }
                sink.or(x, y)
            }
        });
    }
    Ok(match x {
        Some(x) => x,
        None => sink.tag(b"ignore"),
    })
}

/// strings.Fields on bytes: runs separated by Unicode white space.
fn fields(mut s: &[u8]) -> impl Iterator<Item = &[u8]> {
    std::iter::from_fn(move || {
        s = skip_while_space(s, true);
        if s.is_empty() {
            return None;
        }
        let rest = skip_while_space(s, false);
        let field = &s[..s.len() - rest.len()];
        s = rest;
        Some(field)
    })
}

fn skip_while_space(mut s: &[u8], space: bool) -> &[u8] {
    while !s.is_empty() {
        let (r, w) = decode_rune(s);
        if is_space(r) != space {
            break;
        }
        s = &s[w..];
    }
    s
}

fn is_tag_rune(r: u32) -> bool {
    is_letter(r) || is_digit(r) || r == '_' as u32 || r == '.' as u32
}

fn is_valid_tag(word: &[u8]) -> bool {
    if word.is_empty() {
        return false;
    }
    let mut s = word;
    while !s.is_empty() {
        let (r, w) = decode_rune(s);
        // An invalid byte decodes to U+FFFD, which is not a tag rune.
        if !is_tag_rune(r) {
            return false;
        }
        s = &s[w..];
    }
    true
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    End,
    LParen,
    RParen,
    Not,
    AndAnd,
    OrOr,
    /// A tag: bytes `pos..i` of the input.
    Tag,
}

struct ExprParser<'a, 's, S: Sink> {
    s: &'a [u8],
    i: usize,
    tok: Tok,
    pos: usize,
    size: usize,
    sink: &'s mut S,
}

impl<S: Sink> ExprParser<'_, '_, S> {
    fn err(&self, offset: usize, msg: impl Into<String>) -> ConstraintError {
        ConstraintError::Syntax { offset, msg: msg.into() }
    }

    fn unexpected(&self) -> ConstraintError {
        let text = String::from_utf8_lossy(&self.s[self.pos..self.i]);
        self.err(self.pos, format!("unexpected token {text}"))
    }

    /// `or := and {"||" and}; and := not {"&&" not}; not := ["!"] atom;
    /// atom := tag | "(" or ")"`, in one function so that each level of
    /// parentheses costs a single stack frame.
    fn or(&mut self) -> Result<S::Out, ConstraintError> {
        let mut or_acc: Option<S::Out> = None;
        loop {
            let mut and_acc: Option<S::Out> = None;
            loop {
                self.size += 1;
                if self.size > MAX_SIZE {
                    return Err(self.err(self.pos, "build expression too large"));
                }
                self.lex()?;
                let negate = self.tok == Tok::Not;
                if negate {
                    self.lex()?;
                    if self.tok == Tok::Not {
                        return Err(self.err(self.pos, "double negation not allowed"));
                    }
                }
                let x = if self.tok == Tok::LParen {
                    let open = self.pos;
                    let x = match self.or() {
                        Ok(x) => x,
                        Err(ConstraintError::Syntax { offset, msg }) if msg == "unexpected end of expression" => {
                            return Err(self.err(offset, "missing close paren"));
                        }
                        Err(e) => return Err(e),
                    };
                    if self.tok != Tok::RParen {
                        return Err(self.err(open, "missing close paren"));
                    }
                    self.lex()?;
                    x
                } else if self.tok == Tok::Tag {
                    let x = self.sink.tag(&self.s[self.pos..self.i]);
                    self.lex()?;
                    x
                } else if self.tok == Tok::End {
                    return Err(self.err(self.pos, "unexpected end of expression"));
                } else {
                    return Err(self.unexpected());
                };
                let x = if negate { self.sink.not(x) } else { x };
                and_acc = Some(match and_acc {
                    None => x,
                    Some(a) => self.sink.and(a, x),
                });
                if self.tok != Tok::AndAnd {
                    break;
                }
            }
            let y = and_acc.expect("loop runs once");
            or_acc = Some(match or_acc {
                None => y,
                Some(o) => self.sink.or(o, y),
            });
            if self.tok != Tok::OrOr {
                return Ok(or_acc.expect("set above"));
            }
        }
    }

    fn lex(&mut self) -> Result<(), ConstraintError> {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t') {
            self.i += 1;
        }
        self.pos = self.i;
        let Some(&c) = self.s.get(self.i) else {
            self.tok = Tok::End;
            return Ok(());
        };
        let single = match c {
            b'(' => Some(Tok::LParen),
            b')' => Some(Tok::RParen),
            b'!' => Some(Tok::Not),
            _ => None,
        };
        if let Some(t) = single {
            self.i += 1;
            self.tok = t;
            return Ok(());
        }
        if c == b'&' || c == b'|' {
            if self.s.get(self.i + 1) != Some(&c) {
                return Err(self.err(self.i, format!("invalid syntax at {}", c as char)));
            }
            self.i += 2;
            self.tok = if c == b'&' { Tok::AndAnd } else { Tok::OrOr };
            return Ok(());
        }
        let mut j = self.i;
        while j < self.s.len() {
            let (r, w) = decode_rune(&self.s[j..]);
            if !is_tag_rune(r) {
                break;
            }
            j += w;
        }
        if j == self.i {
            let (r, _) = decode_rune(&self.s[self.i..]);
            let mut msg = String::from("invalid syntax at ");
            push_rune(&mut msg, r);
            return Err(self.err(self.i, msg));
        }
        self.i = j;
        self.tok = Tok::Tag;
        Ok(())
    }
}

/// The build-constraint lines found in a file's leading comments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConstraintLines<'a> {
    /// The `//go:build` line (trimmed) and its 1-based line number, if any.
    /// When present it alone decides.
    pub go_build: Option<(&'a [u8], u32)>,
    /// The `// +build` lines (trimmed) that count: those in the run of `//`
    /// comments and blank lines that ends with a blank line before the first
    /// other line. Each must hold. Lines that fail to parse are ignored.
    pub plus_build: Vec<&'a [u8]>,
    /// Whether a `//go:binary-only-package` line was seen.
    pub binary_only: bool,
    /// False if `content` ended before any non-comment text: the caller
    /// may need more input to be sure the scan is final.
    pub reached_code: bool,
}

/// A second `//go:build` line in the leading comments; `line` is the
/// 1-based line number of the second one.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
#[error("multiple //go:build comments")]
pub struct MultipleGoBuild {
    /// 1-based line of the second `//go:build`.
    pub line: u32,
}

fn is_go_build_comment(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"//go:build") else {
        return false;
    };
    rest.is_empty() || trim_space(rest).len() < rest.len()
}

/// Scans the leading comments and blank lines of `content` (a file without
/// its byte order mark) the way go/build does, collecting constraint lines.
/// Nothing after the first line holding code is looked at.
pub fn scan_constraint_lines(content: &[u8]) -> Result<ConstraintLines<'_>, MultipleGoBuild> {
    let mut out = ConstraintLines::default();
    // Position just after the last blank line seen before the first
    // non-// line: +build lines must come before it.
    let mut end = 0;
    let mut ended = false;
    let mut in_slash_star = false;
    let mut p = 0;
    let mut lineno = 0u32;
    'lines: while p < content.len() {
        lineno += 1;
        let (raw, next) = match content[p..].iter().position(|&c| c == b'\n') {
            Some(i) => (&content[p..p + i], p + i + 1),
            None => (&content[p..], content.len()),
        };
        p = next;
        let mut line = trim_space(raw);
        if line.is_empty() && !ended {
            end = p;
            continue;
        }
        if !line.starts_with(b"//") {
            ended = true;
        }
        if !in_slash_star && is_go_build_comment(line) {
            if out.go_build.is_some() {
                return Err(MultipleGoBuild { line: lineno });
            }
            out.go_build = Some((line, lineno));
        }
        if !in_slash_star && line == b"//go:binary-only-package" {
            out.binary_only = true;
        }
        while !line.is_empty() {
            if in_slash_star {
                match find(line, b"*/") {
                    Some(i) => {
                        in_slash_star = false;
                        line = trim_space(&line[i + 2..]);
                        continue;
                    }
                    None => continue 'lines,
                }
            }
            if line.starts_with(b"//") {
                continue 'lines;
            }
            if let Some(rest) = line.strip_prefix(b"/*") {
                in_slash_star = true;
                line = trim_space(rest);
                continue;
            }
            out.reached_code = true;
            break 'lines;
        }
    }
    if out.go_build.is_none() {
        let mut q = &content[..end];
        while !q.is_empty() {
            let (raw, rest) = match q.iter().position(|&c| c == b'\n') {
                Some(i) => (&q[..i], &q[i + 1..]),
                None => (q, &q[q.len()..]),
            };
            q = rest;
            let line = trim_space(raw);
            if line.starts_with(b"//") && find(line, b"+build").is_some() && split_plus_build(line).is_some() {
                out.plus_build.push(line);
            }
        }
    }
    Ok(out)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Evaluates collected constraint lines: the `//go:build` line decides if
/// present (a syntax error in it is returned), otherwise every parseable
/// `// +build` line must hold.
pub(crate) fn eval_lines(
    lines: &ConstraintLines<'_>,
    ok: &mut impl FnMut(&str) -> bool,
) -> Result<bool, ConstraintError> {
    if let Some((line, _)) = lines.go_build {
        return go_build_with(line, &mut Eval(&mut *ok));
    }
    let mut all = true;
    for line in &lines.plus_build {
        if let Ok(v) = plus_build_with(line, &mut Eval(&mut *ok))
            && !v
        {
            all = false;
        }
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gb(s: &str) -> String {
        match parse_go_build(s) {
            Ok(x) => x.to_string(),
            Err(e) => format!("err: {e}"),
        }
    }

    fn pb(s: &str) -> String {
        match parse_plus_build(s) {
            Ok(x) => x.to_string(),
            Err(e) => format!("err: {e}"),
        }
    }

    #[test]
    fn go_build_grammar() {
        assert_eq!(gb("//go:build linux"), "linux");
        assert_eq!(gb("//go:build linux\n"), "linux");
        assert_eq!(gb("//go:build !linux"), "!linux");
        assert_eq!(gb("//go:build a && b || c"), "(a && b) || c");
        assert_eq!(gb("//go:build a && (b || c)"), "a && (b || c)");
        assert_eq!(gb("//go:build !(a && b)"), "!(a && b)");
        assert_eq!(gb("//go:build αx"), "αx");
        assert_eq!(gb("//go:build go1.21"), "go1.21");
        assert_eq!(gb("  //go:build x"), "err: not a build constraint");
        assert_eq!(gb("//go:buildx"), "err: not a build constraint");
        assert_eq!(gb("//go:build"), "err: unexpected end of expression");
        assert_eq!(gb("//go:build !!x"), "err: double negation not allowed");
        assert_eq!(gb("//go:build (x"), "err: missing close paren");
        assert_eq!(gb("//go:build (x ||"), "err: missing close paren");
        assert_eq!(gb("//go:build x y"), "err: unexpected token y");
        assert_eq!(gb("//go:build x )"), "err: unexpected token )");
        assert_eq!(gb("//go:build x &"), "err: invalid syntax at &");
        assert_eq!(gb("//go:build x ~"), "err: invalid syntax at ~");
        assert_eq!(gb("//go:build αx²"), "err: invalid syntax at ²");
        assert_eq!(gb("//go:build a\nb"), "err: not a build constraint");
        let deep = format!("//go:build {}x{}", "(".repeat(2000), ")".repeat(2000));
        assert_eq!(gb(&deep), "err: build expression too large");
    }

    #[test]
    fn plus_build_grammar() {
        assert_eq!(pb("// +build linux darwin"), "linux || darwin");
        assert_eq!(pb("// +build linux,386 darwin,!cgo"), "(linux && 386) || (darwin && !cgo)");
        assert_eq!(pb("//+build x"), "x");
        assert_eq!(pb("// +build"), "ignore");
        assert_eq!(pb("// +build !"), "ignore");
        assert_eq!(pb("// +build !!x"), "ignore");
        assert_eq!(pb("// +build a-b"), "ignore");
        assert_eq!(pb("// +build !a-b"), "!ignore");
        assert_eq!(pb("// +build x,"), "x && ignore");
        assert_eq!(pb("// +buildx"), "err: not a build constraint");
        assert_eq!(pb("/// +build x"), "err: not a build constraint");
        let many = format!("// +build {}", "a ".repeat(102));
        assert_eq!(pb(&many), "err: expression too complex for // +build lines");
    }

    #[test]
    fn eval_visits_all() {
        let x = parse_go_build("//go:build a || b && c").unwrap();
        let mut seen = Vec::new();
        let v = x.eval(&mut |t| {
            seen.push(t.to_string());
            t == "a"
        });
        assert!(v);
        assert_eq!(seen, ["a", "b", "c"]);
    }

    fn lines(src: &str) -> (Option<String>, Vec<String>) {
        let l = scan_constraint_lines(src.as_bytes()).unwrap();
        (
            l.go_build.map(|(b, _)| String::from_utf8(b.to_vec()).unwrap()),
            l.plus_build.iter().map(|b| String::from_utf8(b.to_vec()).unwrap()).collect(),
        )
    }

    #[test]
    fn header_scan() {
        // +build needs a blank line before the code.
        assert_eq!(lines("// +build x\npackage p\n").1, Vec::<String>::new());
        assert_eq!(lines("// +build x\n\npackage p\n").1, ["// +build x"]);
        // Doc comment lines between the blank line and the code do not count.
        assert_eq!(lines("// +build x\n\n// +build y\npackage p\n").1, ["// +build x"]);
        // //go:build is found anywhere in the leading comments.
        assert_eq!(lines("// c\n//go:build x\npackage p\n").0.as_deref(), Some("//go:build x"));
        assert_eq!(lines("/* a\nb */\n//go:build x\npackage p").0.as_deref(), Some("//go:build x"));
        // ...but not inside /* */ or after the package clause.
        assert_eq!(lines("/*\n//go:build x\n*/\npackage p").0, None);
        assert_eq!(lines("package p\n//go:build x\n").0, None);
        // +build after a /* comment is ignored (the comment ends the block).
        assert_eq!(lines("/* x */\n// +build x\n\npackage p").1, Vec::<String>::new());
        assert_eq!(scan_constraint_lines(b"//go:build a\n//go:build b\npackage p"), Err(MultipleGoBuild { line: 2 }));
        // Indented lines are trimmed.
        assert_eq!(lines("  //go:build x  \npackage p").0.as_deref(), Some("//go:build x"));
    }
}
