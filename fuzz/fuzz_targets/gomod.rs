//! Fuzzes the go.mod / go.work / vendor/modules.txt readers and the module
//! path helpers: nothing may panic, and errors must carry real positions.
#![no_main]

use heft_gomod::{Mode, ReplaceTarget};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = data.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    for mode in [Mode::Strict, Mode::Lax] {
        match heft_gomod::parse_go_mod_all(data, mode) {
            Ok(f) => {
                for r in &f.requires {
                    assert_eq!(heft_gomod::canonical_version(&r.version), r.version);
                }
                for r in &f.replaces {
                    if let ReplaceTarget::Dir(d) = &r.new {
                        assert!(heft_gomod::is_directory_path(&d.to_string_lossy()));
                    }
                }
            }
            Err(errs) => {
                assert!(!errs.is_empty());
                for e in &errs {
                    assert!(e.line >= 1 && e.line <= lines && e.col >= 1, "{e}");
                }
            }
        }
    }
    if let Err(errs) = heft_gomod::parse_go_work_all(data) {
        for e in &errs {
            assert!(e.line >= 1 && e.line <= lines && e.col >= 1, "{e}");
        }
    }
    assert!(heft_gomod::parse_modules_txt(data).is_ok());

    let text = String::from_utf8_lossy(data);
    for piece in text.split(['\n', ' ']).take(4) {
        if let Ok(e) = heft_gomod::escape_path(piece) {
            assert_eq!(heft_gomod::unescape_path(&e).as_deref(), Ok(piece));
        }
        if let Ok(e) = heft_gomod::escape_version(piece) {
            assert_eq!(heft_gomod::unescape_version(&e).as_deref(), Ok(piece));
        }
        let _ = heft_gomod::check_import_path(piece);
        let _ = heft_gomod::is_pseudo_version(piece);
        let _ = heft_gomod::compare_versions(piece, "v1.0.0");
        let _ = heft_gomod::compare_go_versions(piece, "1.21");
    }
});
