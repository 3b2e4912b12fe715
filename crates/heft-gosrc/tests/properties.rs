//! Property tests: arbitrary input never panics, and a prefix of a file
//! either asks for more input or gives the same answer as the whole file.

use heft_gosrc::constraint::{parse_go_build, parse_plus_build, scan_constraint_lines};
use heft_gosrc::{BuildContext, FileError, HeaderError, read_header};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SEEDS: &[&[u8]] = &[
    b"// Copyright 2024\n\n//go:build linux && !cgo\n// +build linux,!cgo\n\n// Package p.\npackage p // import \"x\"\n\nimport (\n\t\"fmt\"\n\t_ \"embed\"\n\t. `raw`\n\tc \"C\"\n)\n\nvar x = 1\n",
    b"\xef\xbb\xbfpackage p; import \"a\\x62\\u00e9\"; import \"b\"\nfunc f() {}\n",
    b"/* c */ package main\n/*\n#include <x.h>\n*/\nimport \"C\"\n//line foo.y:10:3\nimport \"os\"\n",
    b"//go:build (a || b) && !c\n\npackage q\n\nimport \"x\" /* y\n*/ ; import ('1' 0x1p3 \"z\")\n",
];

/// Bytes that steer the readers into their interesting states.
const PIECES: &[&[u8]] = &[
    b"\"",
    b"`",
    b"\\",
    b"/",
    b"*",
    b"/*",
    b"*/",
    b"//",
    b"\n",
    b";",
    b"(",
    b")",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b".",
    b"_",
    b"a",
    b"1",
    b"0x",
    b" ",
    b"\r",
    b"import",
    b"package",
    b"//go:build ",
    b"// +build ",
    b"\n\n",
    b"\"C\"",
    b"\xc3\xa9",
    b"\xe2\x80\x9c",
    b"'",
    b"//line x:1:2\n",
    b"/*line :3*/",
    b"!",
    b"&&",
    b"||",
    b"\\u",
    b"\\x",
    b"e",
    b"p",
    b"\xfe",
    b"\xc0",
];

fn mutate(rng: &mut Rng) -> Vec<u8> {
    if rng.below(4) == 0 {
        let n = rng.below(200);
        return (0..n).map(|_| rng.next() as u8).collect();
    }
    let mut s = SEEDS[rng.below(SEEDS.len())].to_vec();
    for _ in 0..1 + rng.below(6) {
        let pos = rng.below(s.len() + 1);
        match rng.below(3) {
            0 => {
                let p = PIECES[rng.below(PIECES.len())];
                s.splice(pos..pos, p.iter().copied());
            }
            1 if !s.is_empty() => {
                let end = (pos + 1 + rng.below(4)).min(s.len());
                s.drain(pos.min(s.len())..end);
            }
            _ if !s.is_empty() => {
                let i = pos.min(s.len() - 1);
                s[i] = rng.next() as u8;
            }
            _ => {}
        }
    }
    s
}

fn contexts() -> Vec<BuildContext> {
    let mut cs = vec![
        BuildContext::new("linux", "amd64", true),
        BuildContext::new("windows", "arm64", false),
        BuildContext::new("ios", "arm64", false),
    ];
    cs[1].build_tags.push("a".into());
    cs
}

#[test]
fn arbitrary_input_never_panics_and_prefixes_agree() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let cs = contexts();
    for _ in 0..20000 {
        let src = mutate(&mut rng);
        let full_header = read_header(&src, true);
        assert_ne!(full_header, Err(HeaderError::Incomplete));
        let ctx = &cs[rng.below(cs.len())];
        let full = ctx.match_header(&src, true);
        assert_ne!(full, Err(FileError::Incomplete));
        let _ = scan_constraint_lines(&src);
        for cut in [rng.below(src.len() + 1), rng.below(src.len() + 1), src.len()] {
            let part = &src[..cut];
            match read_header(part, false) {
                Err(HeaderError::Incomplete) => {}
                other => assert_eq!(other, full_header, "read_header prefix {cut} of {src:?}"),
            }
            match ctx.match_header(part, false) {
                Err(FileError::Incomplete) => {}
                other => assert_eq!(other, full, "match_header prefix {cut} of {src:?}"),
            }
        }
    }
}

#[test]
fn constraint_lines_never_panic() {
    let mut rng = Rng(42);
    let atoms: &[&str] =
        &["a", "b", "!", "(", ")", "&&", "||", " ", "\t", ",", "é", "²", "&", "|", "~", "go1.2", "\u{a0}"];
    for _ in 0..20000 {
        let n = rng.below(12);
        let mut body = String::new();
        for _ in 0..n {
            body.push_str(atoms[rng.below(atoms.len())]);
        }
        let _ = parse_go_build(&format!("//go:build {body}"));
        let _ = parse_plus_build(&format!("// +build {body}"));
        let mut bytes = body.into_bytes();
        if !bytes.is_empty() {
            let i = rng.below(bytes.len());
            bytes[i] = rng.next() as u8;
        }
        let line = [&b"//go:build "[..], &bytes].concat();
        let ctx = BuildContext::new("linux", "amd64", true);
        let _ = ctx.match_header(&[&line[..], b"\npackage p\n"].concat(), true);
    }
    // Hostile nesting is bounded, not a stack overflow.
    let deep = format!("//go:build {}x", "!(".repeat(100_000));
    assert!(parse_go_build(&deep).is_err());
    let wide = format!("// +build {}", "a,".repeat(100_000));
    assert!(parse_plus_build(&wide).is_err());
}

/// Positions of early imports are found without rescanning the file: a
/// header of 32,000 import declarations (and a block of 100,000 specs)
/// reads in linear time, each import at its own line. Quadratic before:
/// minutes for this test.
#[test]
fn many_imports_read_in_linear_time_at_their_lines() {
    let decls: String = (0..32_000).map(|_| "import _ \"fmt\"\n").collect();
    let block: String = (0..100_000).map(|_| "\t_ \"fmt\"\n").collect();
    for (src, first_line) in [(format!("package p\n{decls}"), 2), (format!("package p\nimport (\n{block})\n"), 3)] {
        let h = read_header(src.as_bytes(), true).expect("a header");
        assert!(h.imports.len() >= 32_000);
        for (i, imp) in h.imports.iter().enumerate() {
            assert_eq!(imp.line as usize, first_line + i, "import {i}");
        }
    }
}
