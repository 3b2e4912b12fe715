//! The small slice of Go's text handling the go.mod parser depends on:
//! rune decoding that never fails, the `IsPrint` predicate, the `"…"`
//! unquoting that `go.mod` applies to quoted tokens, and the `%q` quoting
//! used in the go command's error messages (so our messages read the same).

/// Go's `strconv.IsPrint`, from the Unicode table heft-gosrc generates
/// with Go (one table for every crate that classifies runes).
pub(crate) use heft_gosrc::runes::is_print;

pub(crate) const REPLACEMENT: u32 = 0xFFFD;

/// Decodes the first rune of `b`. Invalid or truncated UTF-8 yields
/// (U+FFFD, 1), which is how Go walks byte strings; callers rely on every
/// step consuming at least one byte. `b` must not be empty.
pub(crate) fn decode_rune(b: &[u8]) -> (u32, usize) {
    let first = b[0];
    if first < 0x80 {
        return (u32::from(first), 1);
    }
    let n = b.len().min(4);
    let valid = match std::str::from_utf8(&b[..n]) {
        Ok(s) => s,
        Err(e) => match std::str::from_utf8(&b[..e.valid_up_to()]) {
            Ok(s) => s,
            Err(_) => return (REPLACEMENT, 1),
        },
    };
    match valid.chars().next() {
        Some(c) => (c as u32, c.len_utf8()),
        None => (REPLACEMENT, 1),
    }
}

/// Go's `strconv.Unquote` restricted to double-quoted input, returning raw
/// bytes because `\x` escapes may produce invalid UTF-8. `None` is Go's
/// `ErrSyntax`.
pub(crate) fn unquote_double(s: &[u8]) -> Option<Vec<u8>> {
    if s.len() < 2 || s[0] != b'"' || s[s.len() - 1] != b'"' {
        return None;
    }
    let mut out = Vec::with_capacity(s.len());
    let mut i = 1;
    let end = s.len() - 1;
    while i < end {
        let c = s[i];
        match c {
            b'"' | b'\n' => return None,
            b'\\' => {
                let (bytes, used) = unescape(&s[i..end])?;
                out.extend_from_slice(&bytes);
                i += used;
            }
            _ if c >= 0x80 => {
                // Invalid bytes become U+FFFD, as in Go's slow path.
                let (r, n) = decode_rune(&s[i..end]);
                push_rune(&mut out, r);
                i += n;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(out)
}

/// One backslash escape at the start of `s` (inside double quotes):
/// the bytes it stands for and how many input bytes it used.
fn unescape(s: &[u8]) -> Option<(Vec<u8>, usize)> {
    let c = *s.get(1)?;
    let simple = match c {
        b'a' => Some(0x07),
        b'b' => Some(0x08),
        b'f' => Some(0x0c),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'v' => Some(0x0b),
        b'\\' => Some(b'\\'),
        b'"' => Some(b'"'),
        _ => None,
    };
    if let Some(b) = simple {
        return Some((vec![b], 2));
    }
    match c {
        b'x' | b'u' | b'U' => {
            let n = match c {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let digits = s.get(2..2 + n)?;
            let mut v: u32 = 0;
            for &d in digits {
                v = (v << 4) | (d as char).to_digit(16)?;
            }
            if c == b'x' {
                // A single byte, possibly not UTF-8.
                return Some((vec![v as u8], 2 + n));
            }
            let ch = char::from_u32(v)?;
            let mut buf = [0u8; 4];
            Some((ch.encode_utf8(&mut buf).as_bytes().to_vec(), 2 + n))
        }
        b'0'..=b'7' => {
            let digits = s.get(1..4)?;
            let mut v: u32 = 0;
            for &d in digits {
                if !(b'0'..=b'7').contains(&d) {
                    return None;
                }
                v = (v << 3) | u32::from(d - b'0');
            }
            if v > 255 {
                return None;
            }
            Some((vec![v as u8], 4))
        }
        _ => None,
    }
}

fn push_rune(out: &mut Vec<u8>, r: u32) {
    let ch = char::from_u32(r).unwrap_or('\u{FFFD}');
    let mut buf = [0u8; 4];
    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
}

/// Go's `strconv.Quote` (what `%q` does with a string).
pub fn quote(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut i = 0;
    while i < s.len() {
        let (r, n) = decode_rune(&s[i..]);
        if n == 1 && r == REPLACEMENT {
            out.push_str(&format!("\\x{:02x}", s[i]));
        } else {
            escape_rune(&mut out, r, '"');
        }
        i += n;
    }
    out.push('"');
    out
}

/// Go's `strconv.QuoteRune` (what `%q` does with a rune).
pub(crate) fn quote_rune(r: u32) -> String {
    let r = if char::from_u32(r).is_some() { r } else { REPLACEMENT };
    let mut out = String::from('\'');
    escape_rune(&mut out, r, '\'');
    out.push('\'');
    out
}

fn escape_rune(out: &mut String, r: u32, q: char) {
    let ch = char::from_u32(r).unwrap_or('\u{FFFD}');
    if ch == q || ch == '\\' {
        out.push('\\');
        out.push(ch);
        return;
    }
    if is_print(r) {
        out.push(ch);
        return;
    }
    match r {
        0x07 => out.push_str("\\a"),
        0x08 => out.push_str("\\b"),
        0x0c => out.push_str("\\f"),
        0x0a => out.push_str("\\n"),
        0x0d => out.push_str("\\r"),
        0x09 => out.push_str("\\t"),
        0x0b => out.push_str("\\v"),
        _ if r < 0x20 || r == 0x7f => out.push_str(&format!("\\x{r:02x}")),
        _ if r < 0x10000 => out.push_str(&format!("\\u{r:04x}")),
        _ => out.push_str(&format!("\\U{r:08x}")),
    }
}

/// Bytes to text for values the go command keeps as (possibly invalid)
/// byte strings. Each invalid byte becomes one U+FFFD, as when Go ranges
/// over such a string (std's lossy conversion would merge some of them).
pub(crate) fn lossy(b: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(b) {
        return s.to_string();
    }
    let mut out = String::with_capacity(b.len() + 8);
    let mut i = 0;
    while i < b.len() {
        let (r, n) = decode_rune(&b[i..]);
        out.push(char::from_u32(r).unwrap_or('\u{FFFD}'));
        i += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode() {
        assert_eq!(decode_rune(b"a"), (0x61, 1));
        assert_eq!(decode_rune("é".as_bytes()), (0xe9, 2));
        assert_eq!(decode_rune(b"\xff"), (REPLACEMENT, 1));
        assert_eq!(decode_rune(b"\xe2\x82"), (REPLACEMENT, 1));
        assert_eq!(decode_rune(b"\xed\xa0\x80"), (REPLACEMENT, 1)); // surrogate
        assert_eq!(decode_rune("\u{10000}x".as_bytes()), (0x10000, 4));
    }

    #[test]
    fn lossy_per_byte() {
        assert_eq!(lossy(b"a\xe2\x80b"), "a\u{FFFD}\u{FFFD}b");
        assert_eq!(lossy("é".as_bytes()), "é");
    }

    #[test]
    fn printable() {
        assert!(is_print(u32::from(b'a')));
        assert!(is_print(0x20));
        assert!(!is_print(0x7f));
        assert!(!is_print(0xa0));
        assert!(!is_print(0x85));
        assert!(is_print(0xe9));
        assert!(!is_print(0x200b));
        assert!(!is_print(0x3000));
        assert!(is_print(0xFFFD));
        assert!(!is_print(0x10FFFF));
        assert!(is_print(0x1F600));
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote_double(br#""abc""#).unwrap(), b"abc");
        assert_eq!(unquote_double(br#""a\tb\"\\""#).unwrap(), b"a\tb\"\\");
        assert_eq!(unquote_double(br#""\x41\101\u00e9\U0001F600""#).unwrap(), "AAé😀".as_bytes());
        assert_eq!(unquote_double(br#""\xff""#).unwrap(), b"\xff");
        assert_eq!(unquote_double(b"\"\xff\"").unwrap(), "\u{FFFD}".as_bytes());
        assert!(unquote_double(br#""\'""#).is_none());
        assert!(unquote_double(br#""\400""#).is_none());
        assert!(unquote_double(br#""\ud800""#).is_none());
        assert!(unquote_double(br#""\q""#).is_none());
        assert!(unquote_double(b"\"a\\\nb\"").is_none());
        assert!(unquote_double(b"\"a\nb\"").is_none());
        assert!(unquote_double(br#""a"b""#).is_none());
        assert!(unquote_double(br#"""#).is_none());
        assert!(unquote_double(br#""\""#).is_none());
    }

    #[test]
    fn quoting() {
        assert_eq!(quote(b"abc"), r#""abc""#);
        assert_eq!(quote(b"a\"b\\"), r#""a\"b\\""#);
        assert_eq!(quote(b"\x01\x7f\n\xff"), r#""\x01\x7f\n\xff""#);
        assert_eq!(quote("é\u{a0}\u{200b}".as_bytes()), r#""é\u00a0\u200b""#);
        assert_eq!(quote("\u{E0001}".as_bytes()), r#""\U000e0001""#);
        assert_eq!(quote_rune(1), r"'\x01'");
        assert_eq!(quote_rune(0x0b), r"'\v'");
        assert_eq!(quote_rune(0xa0), r"'\u00a0'");
        assert_eq!(quote_rune(u32::from(b'?')), "'?'");
        assert_eq!(quote_rune(u32::from(b'\'')), r"'\''");
    }
}
