//! Property test: no input makes any parser panic, and every error has a
//! sane position. Inputs are random bytes, random mutations of valid
//! files, and random directive-shaped files. `HEFT_PROP_CASES` raises the
//! count (default 10000).

mod common;

use common::{Rng, SEEDS, generate, mutate};
use heft_gomod::*;

fn cases() -> usize {
    std::env::var("HEFT_PROP_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000)
}

fn check_error_position(text: &[u8], e: &ParseError) {
    let lines = text.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    assert!(e.line >= 1 && e.line <= lines, "line {} of {lines}: {e} in {text:?}", e.line);
    assert!(e.col >= 1, "col {}: {e}", e.col);
    assert!(!e.msg.is_empty());
}

fn exercise(text: &[u8]) {
    for mode in [Mode::Strict, Mode::Lax] {
        match parse_go_mod_all(text, mode) {
            Ok(f) => {
                // Whatever parses has canonical versions and sane lines.
                for r in &f.requires {
                    assert_eq!(canonical_version(&r.version), r.version);
                    assert!(r.line >= 1);
                }
                for r in &f.replaces {
                    if let ReplaceTarget::Dir(d) = &r.new {
                        assert!(is_directory_path(&d.to_string_lossy()));
                    }
                }
            }
            Err(errs) => {
                assert!(!errs.is_empty());
                for e in &errs {
                    check_error_position(text, e);
                }
                let _ = format_errors("go.mod", &errs);
            }
        }
    }
    match parse_go_work_all(text) {
        Ok(w) => assert!(w.uses.iter().all(|u| u.line >= 1)),
        Err(errs) => errs.iter().for_each(|e| check_error_position(text, e)),
    }
    let m = parse_modules_txt(text).expect("modules.txt parsing is lenient");
    for vm in &m.modules {
        assert!(vm.line >= 1);
        assert!(vm.packages.iter().all(|p| check_import_path(p).is_ok()));
    }
    // Path and version helpers on arbitrary text.
    let s = String::from_utf8_lossy(text);
    for piece in s.split(['\n', ' ']).take(8) {
        let _ = escape_path(piece);
        let _ = escape_version(piece);
        let _ = unescape_path(piece);
        let _ = unescape_version(piece);
        let _ = check_import_path(piece);
        let _ = check_file_path(piece);
        let _ = is_pseudo_version(piece);
        let _ = compare_versions(piece, "v1.2.3-pre");
        let _ = compare_go_versions(piece, "1.21rc1");
        if let Some((_, major)) = split_path_version(piece) {
            let _ = check_path_major("v2.0.0", major);
        }
        if let Ok(e) = escape_path(piece) {
            assert_eq!(unescape_path(&e).as_deref(), Ok(piece));
        }
        if let Ok(e) = escape_version(piece) {
            assert_eq!(unescape_version(&e).as_deref(), Ok(piece));
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng::new(1);
    for _ in 0..cases() {
        let len = rng.below(200);
        // Skew toward ASCII so that tokens and lines actually form.
        let text: Vec<u8> = (0..len)
            .map(|_| match rng.below(4) {
                0 => rng.next() as u8,
                1 => *rng.pick(b"()[]{},\"`'/\\\n\t =>"),
                _ => *rng.pick(b"abcdefghijklmnopqrstuvwxyz.v0123456789-+!ABC"),
            })
            .collect();
        exercise(&text);
    }
}

#[test]
fn mutated_files_never_panic() {
    let mut rng = Rng::new(2);
    let bases: Vec<&[u8]> = SEEDS.iter().map(|s| s.as_bytes()).collect();
    for _ in 0..cases() {
        let base = bases[rng.below(bases.len())];
        let mut text = mutate(&mut rng, base);
        if rng.below(2) == 0 {
            text = mutate(&mut rng, &text);
        }
        exercise(&text);
    }
}

#[test]
fn generated_files_never_panic() {
    let mut rng = Rng::new(3);
    for _ in 0..cases() {
        let text = generate(&mut rng);
        exercise(&text);
        let mutated = mutate(&mut rng, &text);
        exercise(&mutated);
    }
}

#[test]
fn modules_txt_mutations_never_panic() {
    let base = b"# example.com/a v1.2.3\n## explicit; go 1.21\nexample.com/a\n# example.com/b v1.0.0 => ../b\n\
# example.com/c => example.com/d v1.1.0\n## go 1.18\nexample.com/c/x\n";
    let mut rng = Rng::new(4);
    for _ in 0..cases() / 4 {
        let text = mutate(&mut rng, base);
        exercise(&text);
    }
}

#[test]
fn pathological_inputs() {
    let deep = "(".repeat(10_000);
    let long_line = format!("require {} v1.0.0\n", "a".repeat(100_000));
    let many_blocks = "require (\n)\n".repeat(5_000);
    let unterminated = format!("require (\n{}", "\tx.com v1.0.0\n".repeat(1000));
    for text in
        [deep.as_str(), &long_line, &many_blocks, &unterminated, "\u{feff}module m\n", "\r\r\r", "//", "\"", "`"]
    {
        exercise(text.as_bytes());
    }
    // A byte-order mark is not whitespace to the go command.
    assert_eq!(
        parse_go_mod("\u{feff}module m\n".as_bytes()).unwrap_err().to_string(),
        "1:1: unexpected input character '\\ufeff'"
    );
}
