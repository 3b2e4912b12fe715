#![no_main]
//! parse_inittrace on arbitrary text: no panics; every line read prints
//! back to a line that parses to the same package, bytes and allocs.

use heft_measure::parse::{parse_init_line, parse_inittrace};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for l in parse_inittrace(&text).lines {
        let again = format!(
            "init {} @{} ms, {} ms clock, {} bytes, {} allocs",
            l.package, l.start_ms, l.clock_ms, l.bytes, l.allocs
        );
        let back = parse_init_line(&again).expect("an init line").expect("parses");
        assert_eq!((back.package, back.bytes, back.allocs), (l.package, l.bytes, l.allocs));
    }
});
