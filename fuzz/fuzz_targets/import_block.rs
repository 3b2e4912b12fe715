#![no_main]
//! Large import blocks built from a small input: thousands of declarations
//! or specs, with the input's own text repeated between them. Reading them
//! must stay linear (the fuzzer's -timeout catches what is not), and every
//! import the header gives is one that was written, at its line.

use heft_gosrc::read_header;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&shape, filler)) = data.split_first() else { return };
    let count = 1_000 + usize::from(shape) * 200; // up to 52,000 imports
    let filler: String = String::from_utf8_lossy(filler).chars().filter(|c| *c != '\n' && *c != '"').take(40).collect();
    let mut src = String::from("package p\n");
    let declarations = shape % 2 == 0;
    if !declarations {
        src.push_str("import (\n");
    }
    for i in 0..count {
        let name = format!("example.com/p{}", i % 97);
        if declarations {
            src.push_str(&format!("import _ \"{name}\" // {filler}\n"));
        } else {
            src.push_str(&format!("\t_ \"{name}\" // {filler}\n"));
        }
    }
    if !declarations {
        src.push_str(")\n");
    }
    let Ok(h) = read_header(src.as_bytes(), true) else { return };
    let first = if declarations { 2 } else { 3 };
    for (i, imp) in h.imports.iter().enumerate() {
        assert_eq!(imp.path, format!("example.com/p{}", i % 97));
        assert_eq!(imp.line as usize, first + i, "import {i}");
    }
});
