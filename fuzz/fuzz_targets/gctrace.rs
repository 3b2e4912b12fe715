#![no_main]
//! parse_gctrace on arbitrary text: no panics, and errors name a line that exists.

use heft_measure::parse::parse_gctrace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = parse_gctrace(&text) {
        assert!(e.line >= 1 && e.line <= text.lines().count());
    }
});
