#![no_main]
//! Build-constraint parsing on arbitrary input: no panics, and evaluation
//! while parsing agrees with evaluating the parsed expression.

use heft_gosrc::BuildContext;
use heft_gosrc::constraint::{parse_go_build, parse_plus_build, scan_constraint_lines};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = scan_constraint_lines(data);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ctx = BuildContext::new("linux", "amd64", true);
    for line in [format!("//go:build {text}"), text.to_string()] {
        let parsed = parse_go_build(&line);
        let _ = parse_plus_build(&line);
        // match_header evaluates without building an Expr; both must agree.
        let file = format!("{line}\npackage p\n");
        if let (Ok(x), Ok(m)) = (parsed, ctx.match_header(file.as_bytes(), true)) {
            let want = x.eval(&mut |t| ctx.match_tag(t));
            let got = matches!(m, heft_gosrc::FileMatch::Included(_));
            assert_eq!(want, got, "{line:?}");
        }
    }
});
