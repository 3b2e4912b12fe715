#![no_main]
//! parse_probe on arbitrary text: no panics; a parsed report's records sum
//! without overflow in attribution, and errors name a line that exists.

use heft_measure::{attrib, parse::parse_probe};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse_probe(&text) {
        Ok(Some(r)) => {
            let _ = attrib::attribute(&r.records);
        }
        Ok(None) => {}
        Err(e) => assert!(e.line <= text.lines().count()),
    }
});
