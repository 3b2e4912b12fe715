//! heft.toml: any text is a config or an error at a line and column inside
//! the file; never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = heft_analyze::config::Config::parse(text, Path::new("heft.toml")) {
        let lines = text.lines().count().max(1);
        assert!(e.line >= 1 && e.line <= lines + 1, "line {} of {lines}", e.line);
        assert!(e.col >= 1);
    }
});
