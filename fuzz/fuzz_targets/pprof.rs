#![no_main]
//! The heap profile decoder and its attribution on arbitrary bytes (raw
//! protobuf, or gzip when the input starts with its magic): never a panic,
//! and every attributed byte is one of the profile's.

use heft_analyze::heap::{Owners, Space, attribute};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(profile) = heft_pprof::decode(data) else { return };
    let owners = Owners::of_modules(vec!["example.com/app".into()], &profile);
    for space in [Space::Inuse, Space::Alloc] {
        if let Ok(r) = attribute(&profile, &owners, space) {
            let sum: u64 = r.by_allocator.iter().map(|p| p.bytes).fold(0, u64::saturating_add);
            assert!(sum <= r.total_bytes);
            let users: u64 = r.by_user_package.iter().map(|p| p.bytes).fold(0, u64::saturating_add);
            assert_eq!(sum, users);
        }
    }
});
