//! Inputs the fuzzer found: for every prefix, the answer is either "need
//! more" or the whole file's answer.

use heft_gosrc::{BuildContext, FileError, HeaderError, read_header};

const FOUND: &[&[u8]] = &[
    // A prefix ending in "/" of a later "//go:build" line, after lines the
    // tokenizer rejects (form feeds).
    b"//go:buil\x0b\n\x0c\x0c\x0b\n\x0c\x0c//go:build\x0c",
    b"\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\n\r//go:build\r\x0b79999999998\xc7\xc6\xc6\xff\x7f\xc6\xfc\r\r\x0b9\x0b\x0b\x0b\x0b\x0b\x9199",
];

#[test]
fn prefixes_agree_with_the_whole_file() {
    for data in FOUND {
        for cgo in [false, true] {
            let mut ctx = BuildContext::new("linux", "amd64", cgo);
            ctx.build_tags.push("a".to_string());
            let full = ctx.match_header(data, true);
            let full_read = read_header(data, true);
            for cut in 0..=data.len() {
                let part = ctx.match_header(&data[..cut], false);
                assert!(part == Err(FileError::Incomplete) || part == full, "cut {cut}: {part:?} vs {full:?}");
                let part = read_header(&data[..cut], false);
                assert!(part == Err(HeaderError::Incomplete) || part == full_read, "cut {cut}: {part:?}");
            }
        }
    }
}
