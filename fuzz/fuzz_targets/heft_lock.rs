//! heft.lock: any text is a lock or an error at one of its lines; a lock
//! read back from its own rendering is the same lock.
#![no_main]

use std::path::Path;

use heft_analyze::lock::Lock;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Lock::parse(text, Path::new("heft.lock")) {
        Ok(lock) => {
            let again = Lock::parse(&lock.render(), Path::new("heft.lock")).expect("a rendered lock reads back");
            // Names with tabs or newlines cannot round-trip; real import paths have none.
            let plain = |s: &str| !s.contains(['\t', '\n', '\r']) && !s.starts_with('#') && !s.trim().is_empty();
            if lock.binaries.iter().all(|(b, ps)| plain(b) && ps.iter().all(|(p, i)| plain(p) && plain(i))) {
                assert_eq!(again, lock);
            }
        }
        Err(e) => assert!(e.line >= 1 && e.line <= text.lines().count().max(1)),
    }
});
