//! Rune classification and decoding with Go's exact rules (go/scanner,
//! unicode, bytes.TrimSpace), on raw bytes.

use crate::runes::in_table;
pub(crate) use crate::runes::{is_graphic_nonspace, is_print};
use crate::unicode_tables::{DIGIT, LETTER};

/// Go's utf8.RuneError.
pub(crate) const RUNE_ERROR: u32 = 0xFFFD;

/// unicode.IsLetter.
pub(crate) fn is_letter(r: u32) -> bool {
    if r < 0x80 { (r as u8).is_ascii_alphabetic() } else { in_table(LETTER, r) }
}

/// unicode.IsDigit.
pub(crate) fn is_digit(r: u32) -> bool {
    if r < 0x80 { (r as u8).is_ascii_digit() } else { in_table(DIGIT, r) }
}

/// unicode.IsSpace.
pub(crate) fn is_space(r: u32) -> bool {
    matches!(
        r,
        0x09..=0x0D
            | 0x20
            | 0x85
            | 0xA0
            | 0x1680
            | 0x2000..=0x200A
            | 0x2028
            | 0x2029
            | 0x202F
            | 0x205F
            | 0x3000
    )
}

/// utf8.DecodeRune: the rune at the start of `b` and its width. Invalid
/// encodings give (RUNE_ERROR, 1); empty input gives (RUNE_ERROR, 0).
pub(crate) fn decode_rune(b: &[u8]) -> (u32, usize) {
    let Some(&b0) = b.first() else {
        return (RUNE_ERROR, 0);
    };
    if b0 < 0x80 {
        return (b0 as u32, 1);
    }
    let (need, min, init) = match b0 {
        0xC2..=0xDF => (1, 0x80, (b0 & 0x1F) as u32),
        0xE0..=0xEF => (2, 0x800, (b0 & 0x0F) as u32),
        0xF0..=0xF4 => (3, 0x10000, (b0 & 0x07) as u32),
        _ => return (RUNE_ERROR, 1),
    };
    if b.len() <= need {
        return (RUNE_ERROR, 1);
    }
    let mut r = init;
    for &c in &b[1..=need] {
        if c & 0xC0 != 0x80 {
            return (RUNE_ERROR, 1);
        }
        r = (r << 6) | (c & 0x3F) as u32;
    }
    if r < min || r > 0x10FFFF || (0xD800..0xE000).contains(&r) {
        return (RUNE_ERROR, 1);
    }
    (r, need + 1)
}

/// utf8.DecodeLastRune: the rune ending `b` and its width.
pub(crate) fn decode_last_rune(b: &[u8]) -> (u32, usize) {
    let n = b.len();
    if n == 0 {
        return (RUNE_ERROR, 0);
    }
    if b[n - 1] < 0x80 {
        return (b[n - 1] as u32, 1);
    }
    // Back up over at most three continuation bytes to a possible start.
    let lim = n.saturating_sub(4);
    let mut start = n - 1;
    while start > lim && b[start] & 0xC0 == 0x80 {
        start -= 1;
    }
    let (r, w) = decode_rune(&b[start..]);
    if start + w != n {
        return (RUNE_ERROR, 1);
    }
    (r, w)
}

/// bytes.TrimSpace.
pub(crate) fn trim_space(mut b: &[u8]) -> &[u8] {
    loop {
        match b.first() {
            Some(&c) if c < 0x80 => {
                if matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
                    b = &b[1..];
                    continue;
                }
                break;
            }
            Some(_) => {
                let (r, w) = decode_rune(b);
                if is_space(r) {
                    b = &b[w..];
                    continue;
                }
                break;
            }
            None => return b,
        }
    }
    loop {
        match b.last() {
            Some(&c) if c < 0x80 => {
                if matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
                    b = &b[..b.len() - 1];
                    continue;
                }
                break;
            }
            Some(_) => {
                let (r, w) = decode_last_rune(b);
                if is_space(r) {
                    b = &b[..b.len() - w];
                    continue;
                }
                break;
            }
            None => break,
        }
    }
    b
}

/// Appends a rune as UTF-8 (Go's string(rune) conversion: invalid values
/// become U+FFFD).
pub(crate) fn push_rune(out: &mut String, r: u32) {
    out.push(char::from_u32(r).unwrap_or('\u{FFFD}'));
}

/// Go's `%#U` verb: "U+0041 'A'" (the quoted form only for printable runes).
pub(crate) fn fmt_sharp_u(r: u32) -> String {
    let mut s = format!("U+{r:04X}");
    if r <= 0x10FFFF && is_print(r) {
        s.push_str(" '");
        push_rune(&mut s, r);
        s.push('\'');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode() {
        assert_eq!(decode_rune(b"a"), ('a' as u32, 1));
        assert_eq!(decode_rune("é".as_bytes()), ('é' as u32, 2));
        assert_eq!(decode_rune(b"\xff"), (RUNE_ERROR, 1));
        assert_eq!(decode_rune(b"\xc0\x80"), (RUNE_ERROR, 1)); // overlong
        assert_eq!(decode_rune(b"\xed\xa0\x80"), (RUNE_ERROR, 1)); // surrogate
        assert_eq!(decode_rune(b"\xe2\x82"), (RUNE_ERROR, 1)); // short
        assert_eq!(decode_rune("\u{FFFD}".as_bytes()), (RUNE_ERROR, 3));
        assert_eq!(decode_last_rune("xé".as_bytes()), ('é' as u32, 2));
        assert_eq!(decode_last_rune(b"x\xa9"), (RUNE_ERROR, 1));
    }

    #[test]
    fn classes() {
        assert!(is_letter('é' as u32));
        assert!(is_letter('α' as u32));
        assert!(!is_letter('²' as u32));
        assert!(is_digit('٣' as u32));
        assert!(!is_digit('²' as u32));
        assert!(!is_graphic_nonspace(0xA0));
        assert!(is_graphic_nonspace('€' as u32));
        assert_eq!(fmt_sharp_u('@' as u32), "U+0040 '@'");
        assert_eq!(fmt_sharp_u(1), "U+0001");
    }

    #[test]
    fn trim() {
        assert_eq!(trim_space(b"  x y \t\r\n"), b"x y");
        assert_eq!(trim_space("\u{a0}x\u{3000}".as_bytes()), b"x");
        assert_eq!(trim_space(b"\xffx\xff"), b"\xffx\xff");
        assert_eq!(trim_space(b"   "), b"");
    }
}
