#![no_main]
//! The Go binary readers on arbitrary bytes: containers, pclntab, build
//! information and size attribution must never panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = heft_gobin::pclntab::parse(data);
    let _ = heft_gobin::buildinfo::parse(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = heft_gobin::buildinfo::parse_modinfo(text);
    }
    if let Ok(bin) = heft_gobin::GoBinary::parse(data) {
        let r = heft_gobin::SizeReport::new(&bin);
        for s in &r.sections {
            assert_eq!(s.attributed + s.unattributed, s.size);
        }
    }
});
