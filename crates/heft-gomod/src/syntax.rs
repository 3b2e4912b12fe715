//! The line-oriented syntax shared by go.mod and go.work: a lexer with one
//! token of lookahead and a parser producing lines and `verb ( … )` blocks.
//!
//! Error positions deliberately follow the go command: lexer errors point
//! at the offending character, while parser errors point at the lexer's
//! position *after* the lookahead token, because that is where the go
//! command's lexer happens to be when its parser gives up.

use crate::error::{ParseError, UNTERMINATED};
use crate::strconv::{decode_rune, is_print, quote_rune};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: u32,
    /// 1-based rune column, as the go command counts.
    pub col: u32,
    pub byte: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Eof,
    /// `//` comment after other text on its physical line.
    EolComment,
    /// `//` comment alone on its physical line.
    Comment,
    Ident,
    Str,
    /// `\n ( ) [ ] { } ,`
    Punct(u8),
}

impl Kind {
    fn is_eol(self) -> bool {
        matches!(self, Kind::Eof | Kind::EolComment | Kind::Punct(b'\n'))
    }
}

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    kind: Kind,
    pos: Pos,
    end: Pos,
    text: &'a [u8],
}

struct SuffixComment<'a> {
    start: usize,
    text: &'a [u8],
}

struct Lexer<'a> {
    src: &'a [u8],
    pos: Pos,
    /// Byte offset where the current physical line starts.
    line_start: usize,
}

fn is_ident_rune(r: u32) -> bool {
    if r < 0x80 {
        let c = r as u8;
        return c.is_ascii_graphic() && !matches!(c, b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',');
    }
    // Every non-ASCII space is also non-printable, so IsPrint decides alone.
    is_print(r)
}

impl<'a> Lexer<'a> {
    fn err(&self, at: Pos, msg: impl Into<String>) -> ParseError {
        ParseError { line: at.line, col: at.col, msg: msg.into() }
    }

    fn rest(&self) -> &'a [u8] {
        &self.src[self.pos.byte..]
    }

    fn peek_rune(&self) -> Option<u32> {
        let rest = self.rest();
        if rest.is_empty() { None } else { Some(decode_rune(rest).0) }
    }

    fn starts_with(&self, p: &[u8]) -> bool {
        self.rest().starts_with(p)
    }

    fn read_rune(&mut self) -> u32 {
        let (r, n) = decode_rune(self.rest());
        self.pos.byte += n;
        if r == u32::from(b'\n') {
            self.pos.line += 1;
            self.pos.col = 1;
            self.line_start = self.pos.byte;
        } else {
            self.pos.col += 1;
        }
        r
    }

    fn token(&self, kind: Kind, start: Pos) -> Token<'a> {
        let mut text = &self.src[start.byte..self.pos.byte];
        if matches!(kind, Kind::Comment | Kind::EolComment) {
            text = text.strip_suffix(b"\r\n").or_else(|| text.strip_suffix(b"\n")).unwrap_or(text);
        }
        Token { kind, pos: start, end: self.pos, text }
    }

    fn next(&mut self, suffixes: &mut Vec<SuffixComment<'a>>) -> Result<Token<'a>, ParseError> {
        loop {
            match self.rest().first() {
                Some(b' ' | b'\t' | b'\r') => {
                    self.read_rune();
                }
                Some(b'/') if self.starts_with(b"//") => {
                    let start = self.pos;
                    let before = &self.src[self.line_start..start.byte];
                    let suffix = before.iter().any(|b| !matches!(b, b' ' | b'\t' | b'\r'));
                    while !self.rest().is_empty() && self.read_rune() != u32::from(b'\n') {}
                    if !suffix {
                        return Ok(self.token(Kind::Comment, start));
                    }
                    let tok = self.token(Kind::EolComment, start);
                    suffixes.push(SuffixComment { start: start.byte, text: tok.text });
                    return Ok(tok);
                }
                Some(b'/') if self.starts_with(b"/*") => {
                    return Err(self.err(self.pos, "mod files must use // comments (not /* */ comments)"));
                }
                _ => break,
            }
        }

        let start = self.pos;
        let Some(&c) = self.rest().first() else {
            return Ok(self.token(Kind::Eof, start));
        };
        match c {
            b'\n' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b',' => {
                self.read_rune();
                return Ok(self.token(Kind::Punct(c), start));
            }
            b'"' | b'`' => {
                self.read_rune();
                loop {
                    match self.rest().first() {
                        None => return Err(self.err(start, "unexpected EOF in string")),
                        Some(b'\n') => {
                            return Err(self.err(self.pos, "unexpected newline in string"));
                        }
                        _ => {}
                    }
                    let r = self.read_rune();
                    if r == u32::from(c) {
                        break;
                    }
                    if r == u32::from(b'\\') && c != b'`' {
                        if self.rest().is_empty() {
                            return Err(self.err(start, "unexpected EOF in string"));
                        }
                        // The escaped rune may even be a newline; unquoting rejects it later.
                        self.read_rune();
                    }
                }
                return Ok(self.token(Kind::Str, start));
            }
            _ => {}
        }

        let r = decode_rune(self.rest()).0;
        if !is_ident_rune(r) {
            return Err(self.err(self.pos, format!("unexpected input character {}", quote_rune(r))));
        }
        while let Some(r) = self.peek_rune() {
            if !is_ident_rune(r) || self.starts_with(b"//") {
                break;
            }
            if self.starts_with(b"/*") {
                return Err(self.err(self.pos, "mod files must use // comments (not /* */ comments)"));
            }
            self.read_rune();
        }
        Ok(self.token(Kind::Ident, start))
    }
}

/// One line of tokens, either a whole statement or a line inside a block
/// (where the block's verb is not repeated).
#[derive(Debug)]
pub(crate) struct Line<'a> {
    pub start: Pos,
    end: Pos,
    pub tokens: Vec<&'a [u8]>,
    /// The first end-of-line comment attached to this line, `//` included.
    pub suffix: Option<&'a [u8]>,
}

#[derive(Debug)]
pub(crate) struct Block<'a> {
    pub start: Pos,
    pub header: Vec<&'a [u8]>,
    lparen: Pos,
    rparen: Pos,
    pub lines: Vec<Line<'a>>,
}

#[derive(Debug)]
pub(crate) enum Stmt<'a> {
    Line(Line<'a>),
    Block(Block<'a>),
    /// A run of whole-line comments standing on its own.
    Comments(Pos),
}

struct Parser<'a> {
    lx: Lexer<'a>,
    ahead: Token<'a>,
    suffixes: Vec<SuffixComment<'a>>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Kind {
        self.ahead.kind
    }

    fn lex(&mut self) -> Result<Token<'a>, ParseError> {
        let next = self.lx.next(&mut self.suffixes)?;
        Ok(std::mem::replace(&mut self.ahead, next))
    }

    fn err(&self, msg: impl Into<String>) -> ParseError {
        self.lx.err(self.lx.pos, msg)
    }

    fn file(&mut self) -> Result<Vec<Stmt<'a>>, ParseError> {
        let mut stmts = Vec::new();
        let mut comments: Option<Pos> = None;
        loop {
            match self.peek() {
                Kind::Punct(b'\n') => {
                    self.lex()?;
                    if let Some(p) = comments.take() {
                        stmts.push(Stmt::Comments(p));
                    }
                }
                Kind::Comment => {
                    let tok = self.lex()?;
                    comments.get_or_insert(tok.pos);
                }
                Kind::Eof => {
                    if let Some(p) = comments.take() {
                        stmts.push(Stmt::Comments(p));
                    }
                    return Ok(stmts);
                }
                _ => {
                    // Comments directly above a statement belong to it, not
                    // to a separate comment run.
                    comments = None;
                    let stmt = self.stmt()?;
                    stmts.push(stmt);
                }
            }
        }
    }

    fn stmt(&mut self) -> Result<Stmt<'a>, ParseError> {
        let first = self.lex()?;
        let start = first.pos;
        let mut end = first.end;
        let mut tokens = vec![first.text];
        loop {
            let tok = self.lex()?;
            if tok.kind.is_eol() {
                return Ok(Stmt::Line(Line { start, end, tokens, suffix: None }));
            }
            if tok.kind == Kind::Punct(b'(') {
                if self.peek().is_eol() {
                    return Ok(Stmt::Block(self.block(start, tokens, tok.pos)?));
                }
                if self.peek() == Kind::Punct(b')') {
                    let rparen = self.lex()?;
                    if self.peek().is_eol() {
                        self.lex()?;
                        return Ok(Stmt::Block(Block {
                            start,
                            header: tokens,
                            lparen: tok.pos,
                            rparen: rparen.pos,
                            lines: Vec::new(),
                        }));
                    }
                    // "( )" in the middle of a line is just two tokens.
                    tokens.push(tok.text);
                    tokens.push(rparen.text);
                } else {
                    tokens.push(tok.text);
                }
                continue;
            }
            tokens.push(tok.text);
            end = tok.end;
        }
    }

    fn block(&mut self, start: Pos, header: Vec<&'a [u8]>, lparen: Pos) -> Result<Block<'a>, ParseError> {
        let mut lines = Vec::new();
        loop {
            match self.peek() {
                Kind::EolComment | Kind::Comment | Kind::Punct(b'\n') => {
                    self.lex()?;
                }
                Kind::Eof => {
                    // The go command names the file here too; see ParseError::go_format.
                    return Err(self.err(format!("{UNTERMINATED}{}:{})", start.line, start.col)));
                }
                Kind::Punct(b')') => {
                    let rparen = self.lex()?;
                    if !self.peek().is_eol() {
                        return Err(self.err("syntax error (expected newline after closing paren)"));
                    }
                    self.lex()?;
                    return Ok(Block { start, header, lparen, rparen: rparen.pos, lines });
                }
                _ => lines.push(self.line()?),
            }
        }
    }

    fn line(&mut self) -> Result<Line<'a>, ParseError> {
        let first = self.lex()?;
        let start = first.pos;
        let mut end = first.end;
        let mut tokens = vec![first.text];
        loop {
            let tok = self.lex()?;
            if tok.kind.is_eol() {
                return Ok(Line { start, end, tokens, suffix: None });
            }
            tokens.push(tok.text);
            end = tok.end;
        }
    }
}

/// Target of an end-of-line comment during attachment.
#[derive(Clone, Copy)]
enum Owner {
    Other,
    TopLine(usize),
    BlockLine(usize, usize),
}

/// Attaches each end-of-line comment to the nearest preceding expression
/// that sits on a single physical line, walking expressions in reverse
/// end order. This is how the go command decides which line a
/// `// indirect` belongs to, including its odd corner cases.
fn attach_suffixes<'a>(stmts: &mut [Stmt<'a>], suffixes: &[SuffixComment<'a>]) {
    // (single line?, end byte, owner) in post-order.
    let mut post: Vec<(bool, usize, Owner)> = Vec::new();
    for (i, stmt) in stmts.iter().enumerate() {
        match stmt {
            Stmt::Comments(p) => post.push((true, p.byte, Owner::Other)),
            Stmt::Line(l) => post.push((l.start.line == l.end.line, l.end.byte, Owner::TopLine(i))),
            Stmt::Block(b) => {
                post.push((true, b.lparen.byte + 1, Owner::Other));
                for (j, l) in b.lines.iter().enumerate() {
                    post.push((l.start.line == l.end.line, l.end.byte, Owner::BlockLine(i, j)));
                }
                post.push((true, b.rparen.byte + 1, Owner::Other));
                post.push((b.start.line == b.rparen.line, b.rparen.byte + 1, Owner::Other));
            }
        }
    }
    let mut left = suffixes.len();
    for &(single, end, owner) in post.iter().rev() {
        if !single {
            continue;
        }
        while left > 0 && end <= suffixes[left - 1].start {
            left -= 1;
            // Comments arrive last-first, so the final write is the earliest.
            let text = Some(suffixes[left].text);
            match owner {
                Owner::Other => {}
                Owner::TopLine(i) => {
                    if let Stmt::Line(l) = &mut stmts[i] {
                        l.suffix = text;
                    }
                }
                Owner::BlockLine(i, j) => {
                    if let Stmt::Block(b) = &mut stmts[i] {
                        b.lines[j].suffix = text;
                    }
                }
            }
        }
    }
}

/// Parses go.mod / go.work syntax into statements.
pub(crate) fn parse(src: &[u8]) -> Result<Vec<Stmt<'_>>, ParseError> {
    let mut lx = Lexer { src, pos: Pos { line: 1, col: 1, byte: 0 }, line_start: 0 };
    let mut suffixes = Vec::new();
    let ahead = lx.next(&mut suffixes)?;
    let mut p = Parser { lx, ahead, suffixes };
    let mut stmts = p.file()?;
    attach_suffixes(&mut stmts, &p.suffixes);
    Ok(stmts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(l: &Line<'_>) -> Vec<String> {
        l.tokens.iter().map(|t| String::from_utf8_lossy(t).into_owned()).collect()
    }

    #[test]
    fn lines_and_blocks() {
        let src = b"module x\n\n// c\nrequire (\n\ta v1 // indirect\n\n\t// c2\n\tb v2\n)\nfoo ( ) bar\nx ()\n";
        let stmts = parse(src).unwrap();
        // "// c" sits directly above require, so it is not a separate run.
        assert_eq!(stmts.len(), 4);
        let Stmt::Line(l) = &stmts[0] else { panic!() };
        assert_eq!(toks(l), ["module", "x"]);
        let Stmt::Block(b) = &stmts[1] else { panic!() };
        assert_eq!(b.header, [b"require"]);
        assert_eq!(b.lines.len(), 2);
        assert_eq!(b.lines[0].suffix, Some(&b"// indirect"[..]));
        assert_eq!(b.lines[0].start, Pos { line: 5, col: 2, byte: 26 });
        assert_eq!(b.lines[1].suffix, None);
        let Stmt::Line(l) = &stmts[2] else { panic!() };
        assert_eq!(toks(l), ["foo", "(", ")", "bar"]);
        let Stmt::Block(b) = &stmts[3] else { panic!() };
        assert!(b.lines.is_empty());
        assert_eq!(b.header, [b"x"]);
        let stmts = parse(b"// a\n\n// b\nx\n").unwrap();
        assert!(matches!(stmts[0], Stmt::Comments(Pos { line: 1, .. })));
        assert_eq!(stmts.len(), 2);
    }

    #[test]
    fn lexer_errors() {
        let e = parse(b"module m\nx \"abc\n").unwrap_err();
        assert_eq!((e.line, e.col, e.msg.as_str()), (2, 7, "unexpected newline in string"));
        let e = parse(b"x \"abc").unwrap_err();
        assert_eq!((e.line, e.col, e.msg.as_str()), (1, 3, "unexpected EOF in string"));
        let e = parse(b"x \"abc\\").unwrap_err();
        assert_eq!((e.line, e.col, e.msg.as_str()), (1, 3, "unexpected EOF in string"));
        let e = parse(b"x /* y */").unwrap_err();
        assert_eq!((e.line, e.col), (1, 3));
        let e = parse(b"x a/*b").unwrap_err();
        assert_eq!((e.line, e.col), (1, 4));
        let e = parse(b"x \x01").unwrap_err();
        assert_eq!(e.msg, r"unexpected input character '\x01'");
        let e = parse("é \u{a0}".as_bytes()).unwrap_err();
        assert_eq!((e.col, e.msg.as_str()), (3, r"unexpected input character '\u00a0'"));
    }

    #[test]
    fn parser_errors() {
        let e = parse(b"require (\n\ta v1\n").unwrap_err();
        assert_eq!((e.line, e.col), (3, 1));
        assert_eq!(e.msg, "syntax error (unterminated block started at 1:1)");
        let e = parse(b"require (\n) xy\n").unwrap_err();
        assert_eq!((e.line, e.col, e.msg.as_str()), (2, 5, "syntax error (expected newline after closing paren)"));
    }

    #[test]
    fn raw_strings_and_odd_tokens() {
        let stmts = parse(b"a `x y` \"q\\\"\" b\"c ,[]{}\n").unwrap();
        let Stmt::Line(l) = &stmts[0] else { panic!() };
        assert_eq!(toks(l), ["a", "`x y`", "\"q\\\"\"", "b\"c", ",", "[", "]", "{", "}"]);
    }

    #[test]
    fn crlf_and_comments() {
        let stmts = parse(b"require a v1 // indirect\r\n// top\r\n").unwrap();
        let Stmt::Line(l) = &stmts[0] else { panic!() };
        assert_eq!(l.suffix, Some(&b"// indirect"[..]));
    }
}
