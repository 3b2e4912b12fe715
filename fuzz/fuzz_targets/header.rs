#![no_main]
//! read_header and match_header on arbitrary bytes: no panics, and a
//! prefix either asks for more input or agrees with the whole file.

use heft_gosrc::{BuildContext, FileError, HeaderError, read_header};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let full = read_header(data, true);
    assert_ne!(full, Err(HeaderError::Incomplete));
    let cut = data.first().map_or(0, |&b| b as usize) % (data.len() + 1);
    let part = read_header(&data[..cut], false);
    if part != Err(HeaderError::Incomplete) {
        assert_eq!(part, full);
    }

    let mut ctx = BuildContext::new("linux", "amd64", data.len() % 2 == 0);
    ctx.build_tags.push("a".to_string());
    let full = ctx.match_header(data, true);
    assert_ne!(full, Err(FileError::Incomplete));
    let part = ctx.match_header(&data[..cut], false);
    if part != Err(FileError::Incomplete) {
        assert_eq!(part, full);
    }
});
