//! The lexer that counts what a Go file writes of an import (`b.Name`),
//! which `heft cuts --by cheap`, `evict` and `heft heap` run over every
//! importer's files: nothing may panic, every name found is an identifier,
//! and a file that does not write the import's path yields nothing.
#![no_main]

use heft_syntax::qualified_uses_in;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&shape, rest)) = data.split_first() else { return };
    let path = ["x/y", "example.com/importCmd", "a"][usize::from(shape % 3)];
    // Half the inputs import the path (under an alias, plain, or blank)
    // before arbitrary text; the others are arbitrary text only.
    let mut src = Vec::new();
    if shape & 4 != 0 {
        let spec = ["k", "", "_", ".", "importCmd"][usize::from(shape / 8 % 5)];
        src.extend_from_slice(format!("package p\n\nimport (\n\t{spec} \"{path}\"\n)\n\n").as_bytes());
    }
    src.extend_from_slice(rest);
    let quoted = [format!("\"{path}\""), format!("`{path}`")];
    let mentions = quoted.iter().any(|q| src.windows(q.len()).any(|w| w == q.as_bytes()));
    match qualified_uses_in(&src, path, "y") {
        Some(names) => {
            assert!(mentions || names.is_empty(), "{names:?} without an import of {path}");
            for n in &names {
                assert!(!n.is_empty() && !n.starts_with(|c: char| c.is_ascii_digit()), "{n:?}");
                assert!(n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii()), "{n:?}");
            }
        }
        None => assert!(mentions, "a dot import of {path} that is not there"),
    }
});
