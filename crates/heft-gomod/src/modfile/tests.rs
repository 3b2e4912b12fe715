//! Directive-by-directive checks. The messages are the go command's (Go
//! 1.26, `go mod edit -json` on the same input); tests/oracle.rs compares
//! against its parser wholesale.

use super::*;

fn ok(src: &str) -> ModFile {
    match parse_go_mod_all(src.as_bytes(), Mode::Strict) {
        Ok(f) => f,
        Err(e) => panic!("unexpected errors:\n{}", format_errors("go.mod", &e)),
    }
}

fn errs(src: &str) -> String {
    match parse_go_mod_all(src.as_bytes(), Mode::Strict) {
        Ok(f) => panic!("expected an error, parsed {f:?}"),
        Err(e) => format_errors("go.mod", &e),
    }
}

fn lax(src: &str) -> Result<ModFile, String> {
    parse_go_mod_all(src.as_bytes(), Mode::Lax).map_err(|e| format_errors("go.mod", &e))
}

fn work_ok(src: &str) -> WorkFile {
    match parse_go_work_all(src.as_bytes()) {
        Ok(f) => f,
        Err(e) => panic!("unexpected errors:\n{}", format_errors("go.work", &e)),
    }
}

fn work_errs(src: &str) -> String {
    match parse_go_work_all(src.as_bytes()) {
        Ok(f) => panic!("expected an error, parsed {f:?}"),
        Err(e) => format_errors("go.work", &e),
    }
}

fn req(path: &str, version: &str, indirect: bool, line: u32) -> Require {
    Require { path: path.into(), version: version.into(), indirect, line }
}

#[test]
fn empty_and_comment_only() {
    assert_eq!(ok(""), ModFile::default());
    assert_eq!(ok("// just a comment\n\n// another\n"), ModFile::default());
    assert_eq!(ok("\n\n\r\n"), ModFile::default());
}

#[test]
fn module_directive() {
    let f = ok("// top\n\nmodule example.com/m // trailing\n");
    assert_eq!(f.module.as_deref(), Some("example.com/m"));
    assert_eq!(f.module_line, 3);
    assert_eq!(ok("module \"example.com/q\\x41\"\n").module.as_deref(), Some("example.com/qA"));
    assert_eq!(ok("module (\n\texample.com/b\n)\n").module.as_deref(), Some("example.com/b"));
    assert_eq!(ok("module (\n\texample.com/b\n)\n").module_line, 2);
    // The go command only checks the path when it loads the module.
    assert_eq!(ok("module m\n").module.as_deref(), Some("m"));
    assert_eq!(
        errs("module `example.com/m`\n"),
        "go.mod:1: invalid quoted string: unquoted string cannot contain quote"
    );
    assert_eq!(errs("module \"a\\q\"\n"), "go.mod:1: invalid quoted string: invalid syntax");
    assert_eq!(errs("module a'b\n"), "go.mod:1: invalid quoted string: unquoted string cannot contain quote");
    assert_eq!(
        errs("module m\nmodule n\nmodule a b\n"),
        "go.mod:2: repeated module statement\ngo.mod:3: repeated module statement"
    );
    assert_eq!(errs("module\n"), "go.mod:1: usage: module module/path");
    // A malformed first module line still makes later ones repeats.
    assert_eq!(
        errs("module a b\nmodule c\n"),
        "go.mod:1: usage: module module/path\ngo.mod:2: repeated module statement"
    );
}

#[test]
fn go_directive() {
    for v in ["1.21", "1.21.0", "1.21rc1", "1.9", "1.26.7", "2.0", "1.22.0beta2", "10.100.1000"] {
        assert_eq!(ok(&format!("go {v}\n")).go.as_deref(), Some(v), "{v}");
    }
    for v in
        ["1", "1.021", "01.2", "0.1", "1.2.3.4", "v1.21", "1.21-x", "1.21.0-foo", "go1.21", "1.2.", "1.2rc", "1.2RC1"]
    {
        assert_eq!(
            errs(&format!("go {v}\n")),
            format!("go.mod:1: invalid go version '{v}': must match format 1.23.0"),
            "{v}"
        );
    }
    assert_eq!(errs("go\n"), "go.mod:1: go directive expects exactly one argument");
    assert_eq!(errs("go 1.21 1.22\n"), "go.mod:1: go directive expects exactly one argument");
    assert_eq!(errs("go 1.21\ngo 1.22\n"), "go.mod:2: repeated go statement");
    assert_eq!(errs("go \"1.21\"\n"), "go.mod:1: invalid go version '\"1.21\"': must match format 1.23.0");
    assert_eq!(errs("go (\n\t1.21\n)\n"), "go.mod:1: unknown block type: go");
}

#[test]
fn toolchain_directive() {
    for v in ["go1.21.0", "go1", "go1.22rc1", "default", "go1.21.0-custom"] {
        assert_eq!(ok(&format!("toolchain {v}\n")).toolchain.as_deref(), Some(v));
    }
    for v in ["go1x", "go2", "1.21", "Default", "go"] {
        assert_eq!(
            errs(&format!("toolchain {v}\n")),
            format!("go.mod:1: invalid toolchain version '{v}': must match format go1.23.0 or default")
        );
    }
    assert_eq!(errs("toolchain\n"), "go.mod:1: toolchain directive expects exactly one argument");
    assert_eq!(errs("toolchain go1.21.0\ntoolchain default\n"), "go.mod:2: repeated toolchain statement");
}

#[test]
fn require_directive() {
    let f = ok("module m\n\
require a.com v1.0.0\n\
require (\n\
\tb.com v1.2.3 // indirect\n\
\n\
\t// leading comment\n\
\tc.com/v2 v2.0.0 //indirect\n\
\t\"d.com\" \"v0.1.0\" // indirect; some reason\n\
\te.com v2.0.0+incompatible // x; indirect\n\
\tf.com v1.0.0 // indirect x\n\
)\n\
require g.com v1.2 // indirect\n\
require h.com v1.2.3+meta\n\
require gopkg.in/yaml.v2 v2.4.0\n\
require gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405\n");
    assert_eq!(
        f.requires,
        [
            req("a.com", "v1.0.0", false, 2),
            req("b.com", "v1.2.3", true, 4),
            req("c.com/v2", "v2.0.0", true, 7),
            req("d.com", "v0.1.0", true, 8),
            req("e.com", "v2.0.0+incompatible", false, 9),
            req("f.com", "v1.0.0", false, 10),
            req("g.com", "v1.2.0", true, 12),
            req("h.com", "v1.2.3", false, 13),
            req("gopkg.in/yaml.v2", "v2.4.0", false, 14),
            req("gopkg.in/check.v1", "v0.0.0-20161208181325-20d25e280405", false, 15),
        ]
    );
}

#[test]
fn require_errors() {
    assert_eq!(errs("require x.com\n"), "go.mod:1: usage: require module/path v1.2.3");
    assert_eq!(errs("require x.com v1.0.0 v1.0.1\n"), "go.mod:1: usage: require module/path v1.2.3");
    assert_eq!(
        errs("require x.com vbad\n"),
        "go.mod:1: require x.com: version \"vbad\" invalid: must be of the form v1.2.3"
    );
    assert_eq!(
        errs("require x.com latest\n"),
        "go.mod:1: require x.com: version \"latest\" invalid: must be of the form v1.2.3"
    );
    assert_eq!(
        errs("require x.com v1'\n"),
        "go.mod:1: require x.com: version \"v1'\" invalid: unquoted string cannot contain quote"
    );
    assert_eq!(
        errs("require x.com \"v1\\q\"\n"),
        "go.mod:1: require x.com: version \"\\\"v1\\\\q\\\"\" invalid: invalid syntax"
    );
    assert_eq!(
        errs("require `x.com` v1.0.0\n"),
        "go.mod:1: invalid quoted string: unquoted string cannot contain quote"
    );
    assert_eq!(
        errs(
            "module \"example.com/m\"\nfoo bar\nrequire x.com v1\nrequire (\n\ty.com v2.0.0\n    z.com/v2 v1.0.0\n)\n"
        ),
        "go.mod:2: unknown directive: foo\n\
go.mod:5:2: require y.com: version \"v2.0.0\" invalid: should be v0 or v1, not v2\n\
go.mod:6:5: require z.com/v2: version \"v1.0.0\" invalid: should be v2, not v1"
    );
    assert_eq!(errs("require x.com/v1 v1.0.0\n"), "go.mod:1: invalid module path");
    assert_eq!(
        errs("require gopkg.in/yaml.v2 v3.0.0\n"),
        "go.mod:1: require gopkg.in/yaml.v2: version \"v3.0.0\" invalid: should be v2, not v3"
    );
    // The version is checked before the path.
    assert_eq!(
        errs("require x.com/v1 bad\n"),
        "go.mod:1: require x.com/v1: version \"bad\" invalid: must be of the form v1.2.3"
    );
    // "( )" at the end of a line is an empty block.
    assert_eq!(errs("require x.com/y ( )\n"), "go.mod:1: unknown block type: require x.com/y");
    assert_eq!(errs("require x.com/y ( ) v1\n"), "go.mod:1: usage: require module/path v1.2.3");
    assert_eq!(errs("require x.com (\n)\n"), "go.mod:1: unknown block type: require x.com");
}

#[test]
fn exclude_directive() {
    let f = ok("exclude x.com v1.0.0\nexclude (\n\ty.com/v3 v3.1\n)\n");
    assert_eq!(
        f.excludes,
        [
            Exclude { path: "x.com".into(), version: "v1.0.0".into(), line: 1 },
            Exclude { path: "y.com/v3".into(), version: "v3.1.0".into(), line: 3 },
        ]
    );
    assert_eq!(errs("exclude x.com\n"), "go.mod:1: usage: exclude module/path v1.2.3");
    assert_eq!(
        errs("exclude x.com v2.0.0\n"),
        "go.mod:1: exclude x.com: version \"v2.0.0\" invalid: should be v0 or v1, not v2"
    );
}

#[test]
fn replace_directive() {
    let f = ok("replace (\n\
\tx.com => ../y\n\
\tx.com v1.0.0 => y.com v1.2\n\
\t\"x.com/q\" => C:foo\n\
\t. => ..\n\
\ta.com => /abs/dir\n\
\tb.com v1.0.0 => ./b\n\
)\n");
    let r = &f.replaces;
    assert_eq!(r.len(), 6);
    assert_eq!(
        r[0],
        Replace { old_path: "x.com".into(), old_version: None, new: ReplaceTarget::Dir("../y".into()), line: 2 }
    );
    assert_eq!(
        r[1],
        Replace {
            old_path: "x.com".into(),
            old_version: Some("v1.0.0".into()),
            new: ReplaceTarget::Module { path: "y.com".into(), version: "v1.2.0".into() },
            line: 3
        }
    );
    assert_eq!(r[2].new, ReplaceTarget::Dir("C:foo".into()));
    assert_eq!((r[3].old_path.as_str(), &r[3].new), (".", &ReplaceTarget::Dir("..".into())));
    assert_eq!(r[4].new, ReplaceTarget::Dir("/abs/dir".into()));
    assert_eq!(r[5].old_version.as_deref(), Some("v1.0.0"));
    assert_eq!(r[5].new, ReplaceTarget::Dir("./b".into()));
}

#[test]
fn replace_errors() {
    let usage = "usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory";
    assert_eq!(
        errs(
            "module m\n\
replace x.com => y.com\n\
replace x.com => y.com@v1.0.0\n\
replace x.com v1.0.0 => ./foo v1.0.0\n\
replace x.com => .\\foo\n\
replace x.com v1 =>\n\
replace x.com v1.0.0 y.com v1.0.0\n\
replace x.com/v2 v1.0.0 => ../a\n\
replace a//b => ../a\n\
replace x.com/v1 => ../a\n"
        ),
        format!(
            "go.mod:2: replacement module without version must be directory path (rooted or starting with . or ..)\n\
go.mod:3: replacement module must match format 'path version', not 'path@version'\n\
go.mod:4: replacement module directory path \"./foo\" cannot have version\n\
go.mod:5: replacement directory appears to be Windows path (on a non-windows system)\n\
go.mod:6: {usage}\n\
go.mod:7: {usage}\n\
go.mod:8: replace x.com/v2: version \"v1.0.0\" invalid: should be v2, not v1\n\
go.mod:9: {usage}\n\
go.mod:10: replace x.com/v1: invalid module path"
        )
    );
    assert_eq!(errs("replace x.com\n"), format!("go.mod:1: {usage}"));
    assert_eq!(errs("replace x.com => a b c\n"), format!("go.mod:1: {usage}"));
    assert_eq!(
        errs("replace x.com vbad => ../a\n"),
        "go.mod:1: replace x.com: version \"vbad\" invalid: must be of the form v1.2.3"
    );
    assert_eq!(
        errs("replace x.com => y.com vbad\n"),
        "go.mod:1: replace y.com: version \"vbad\" invalid: must be of the form v1.2.3"
    );
    assert_eq!(
        errs("replace x.com => `../a`\n"),
        "go.mod:1: invalid quoted string: unquoted string cannot contain quote"
    );
    // The replacement's version is not checked against its path.
    assert_eq!(
        ok("replace x.com => y.com v2.0.0\n").replaces[0].new,
        ReplaceTarget::Module { path: "y.com".into(), version: "v2.0.0".into() }
    );
}

#[test]
fn retract_directive() {
    let f = ok(
        "module m.com\nretract v1.0.0\nretract [v1.1.0, v1.2.0] // why\nretract (\n\tv1.3.0\n\t[v1.4.0,v1.5.0]\n)\nretract banana\n",
    );
    let got: Vec<_> = f.retracts.iter().map(|r| (r.low.as_str(), r.high.as_str(), r.line)).collect();
    assert_eq!(
        got,
        [
            ("v1.0.0", "v1.0.0", 2),
            ("v1.1.0", "v1.2.0", 3),
            ("v1.3.0", "v1.3.0", 5),
            ("v1.4.0", "v1.5.0", 6),
            ("banana", "banana", 8)
        ]
    );
    assert_eq!(errs("retract\n"), "go.mod:1: expected '[' or version");
    assert_eq!(errs("retract ( v1.0.0 )\n"), "go.mod:1: expected '[' or version");
    assert_eq!(errs("retract [\n"), "go.mod:1: expected version after '['");
    assert_eq!(errs("retract [v1.0.0\n"), "go.mod:1: expected ',' after version");
    assert_eq!(errs("retract [v1.0.0,\n"), "go.mod:1: expected version after ','");
    assert_eq!(errs("retract [v1.0.0, v1.1.0\n"), "go.mod:1: expected ']' after version");
    assert_eq!(errs("retract v1.0.0 v1.1.0\n"), "go.mod:1: unexpected token after version: \"v1.1.0\"");
    assert_eq!(
        errs("retract v1'\n"),
        "go.mod:1: retract: version \"v1'\" invalid: unquoted string cannot contain quote"
    );
}

#[test]
fn godebug_tool_ignore() {
    let f = ok(
        "godebug x=y\ngodebug (\n\ta=b\n\tc=\n)\ntool (\n\tx.com/a\n\t\"x.com/b\"\n)\ntool y.com/c\nignore ./foo\nignore (\n\t../bar\n)\n",
    );
    let g: Vec<_> = f.godebugs.iter().map(|g| (g.key.as_str(), g.value.as_str(), g.line)).collect();
    assert_eq!(g, [("x", "y", 1), ("a", "b", 3), ("c", "", 4)]);
    assert_eq!(f.tools, ["x.com/a", "x.com/b", "y.com/c"]);
    assert_eq!(f.ignores, ["./foo", "../bar"]);
    assert_eq!(
        errs(
            "module m\ngodebug x=y\ngodebug (\n\ta=b\n\tc\n\t\"d=e\"\n)\ntool (\n\tx.com/a\n\t\"x.com/b\"\n)\ntool a b\nignore ./foo\nignore ( ../bar\n)\n"
        ),
        "go.mod:5:2: usage: godebug key=value\n\
go.mod:6:2: usage: godebug key=value\n\
go.mod:12: tool directive expects exactly one argument\n\
go.mod:14: ignore directive expects exactly one argument\n\
go.mod:15: unknown directive: )"
    );
    assert_eq!(errs("godebug a=b,c=d\n"), "go.mod:1: usage: godebug key=value");
    assert_eq!(errs("godebug a=b c=d\n"), "go.mod:1: usage: godebug key=value");
    assert_eq!(errs("tool\n"), "go.mod:1: tool directive expects exactly one argument");
    assert_eq!(errs("ignore `x`\n"), "go.mod:1: invalid quoted string: unquoted string cannot contain quote");
}

#[test]
fn unknown_directives_and_blocks() {
    assert_eq!(errs("module m\n\nfoo\n"), "go.mod:3: unknown directive: foo");
    assert_eq!(errs("module m\nuse ./x\n"), "go.mod:2: unknown directive: use");
    assert_eq!(errs("foo (\n\tbar\n)\n"), "go.mod:1: unknown block type: foo");
    assert_eq!(errs("  foo (\n)\n"), "go.mod:1:3: unknown block type: foo");
    assert_eq!(errs("( x\n"), "go.mod:1: unknown directive: (");
    assert_eq!(errs(", x\n"), "go.mod:1: unknown directive: ,");
    assert_eq!(
        errs("\trequire x.com v2.0.0\n"),
        "go.mod:1:2: require x.com: version \"v2.0.0\" invalid: should be v0 or v1, not v2"
    );
}

#[test]
fn syntax_errors() {
    assert_eq!(errs("module m\n\"abc\n"), "go.mod:2:5: unexpected newline in string");
    assert_eq!(errs("module m\n\"abc"), "go.mod:2: unexpected EOF in string");
    assert_eq!(errs("module m\n`abc"), "go.mod:2: unexpected EOF in string");
    assert_eq!(errs("module m\nx \"abc\\"), "go.mod:2:3: unexpected EOF in string");
    assert_eq!(
        errs("module m\nrequire (\n\tx.com v1.0.0\n"),
        "go.mod:4: syntax error (unterminated block started at go.mod:2:1)"
    );
    assert_eq!(
        errs("module m\nrequire (\n\tx.com v1.0.0\n) x\nfoo\n"),
        "go.mod:4:4: syntax error (expected newline after closing paren)"
    );
    assert_eq!(errs("module m\n/* x */\n"), "go.mod:2: mod files must use // comments (not /* */ comments)");
    assert_eq!(errs("module m/*x*/\n"), "go.mod:1:9: mod files must use // comments (not /* */ comments)");
    assert_eq!(errs("module m\nfoo\u{a0}bar\n"), "go.mod:2:4: unexpected input character '\\u00a0'");
    assert_eq!(errs("module m\nrequire x.com vv\u{1}\n"), "go.mod:2:17: unexpected input character '\\x01'");
    assert_eq!(errs("é \u{200b}"), "go.mod:1:3: unexpected input character '\\u200b'");
    // Syntax errors win over directive errors anywhere in the file.
    assert_eq!(errs("foo\nbar \"x\n"), "go.mod:2:7: unexpected newline in string");
    let e = parse_go_mod(b"module m\nrequire (\n").unwrap_err();
    assert_eq!((e.line, e.col), (3, 1));
    assert_eq!(e.to_string(), "3:1: syntax error (unterminated block started at 2:1)");
}

#[test]
fn first_error_is_returned() {
    let e = parse_go_mod(b"module m\nfoo\nbar\n").unwrap_err();
    assert_eq!(e, ParseError { line: 2, col: 1, msg: "unknown directive: foo".into() });
    assert_eq!(e.go_format("/x/go.mod"), "/x/go.mod:2: unknown directive: foo");
}

#[test]
fn comments_and_indirect() {
    let f = ok("require a.com v1.0.0 // indirect\r\n\
require b.com v1.0.0 // indirect\n// whole line\n\
require (\n\
\tc.com v1.0.0\n\
\t// indirect\n\
\td.com v1.0.0\n\
) // indirect\n\
require ( // indirect\n\
\te.com v1.0.0\n\
)\n\
require f.com v1.0.0 //   indirect   \n\
require g.com v1.0.0 // indirect; \n\
require h.com v1.0.0 // indirect;\n");
    let ind: Vec<_> = f.requires.iter().map(|r| (r.path.as_str(), r.indirect)).collect();
    assert_eq!(
        ind,
        [
            ("a.com", true),
            ("b.com", true),
            ("c.com", false),
            ("d.com", false),
            ("e.com", false),
            ("f.com", true),
            ("g.com", false),
            ("h.com", false),
        ]
    );
    // A token may end right where a comment starts.
    let f = ok("require a.com v1.0.0// indirect\nmodule x//c\n");
    assert!(f.requires[0].indirect);
    assert_eq!(f.module.as_deref(), Some("x"));
}

#[test]
fn lax_mode() {
    // Dependencies may use directives this parser does not know.
    let f = lax("module d.com\ngo 1.21.0-foo\ntoolchain bad\nfuture directive\nfuture (\n\tx\n)\nreplace x.com => y.com\nexclude x.com bad\ngodebug bad\ntool a b\nrequire a.com v1.0.0\nretract ( v1 )\nretract v1.0.0 extra\nignore ./x\n").unwrap();
    assert_eq!(f.module.as_deref(), Some("d.com"));
    assert_eq!(f.go.as_deref(), Some("1.21"));
    assert_eq!(f.toolchain, None);
    assert!(f.replaces.is_empty() && f.excludes.is_empty() && f.godebugs.is_empty() && f.tools.is_empty());
    assert_eq!(f.requires, [req("a.com", "v1.0.0", false, 12)]);
    assert_eq!(f.retracts.len(), 1);
    assert_eq!(f.ignores, ["./x"]);
    assert_eq!(lax("go v1.21.0\n").unwrap().go.as_deref(), Some("1.21"));
    assert!(lax("go v1.21\n").is_err());
    assert_eq!(lax("go 1.21.3\n").unwrap().go.as_deref(), Some("1.21.3"));
    // Still errors for the directives it reads.
    assert_eq!(
        lax("require a.com bad\n").unwrap_err(),
        "go.mod:1: require a.com: version \"bad\" invalid: must be of the form v1.2.3"
    );
    assert_eq!(lax("go 1\n").unwrap_err(), "go.mod:1: invalid go version '1': must match format 1.23.0");
    assert_eq!(lax("go 1.21\ngo 1.22\n").unwrap_err(), "go.mod:2: repeated go statement");
    assert_eq!(lax("module a\nmodule b\n").unwrap_err(), "go.mod:2: repeated module statement");
    assert_eq!(lax("require (\n").unwrap_err(), "go.mod:2: syntax error (unterminated block started at go.mod:1:1)");
    assert!(parse_go_mod_lax(b"require a.com bad\n").is_err());
}

#[test]
fn work_files() {
    let w = work_ok(
        "go 1.23.0\n\nuse ./a\nuse (\n\t./b\n\t\"./c d\"\n\t../e // comment\n)\nreplace x.com v1.0.0 => ./x\nreplace y.com => z.com v1.0.0\ntoolchain go1.23.4\ngodebug x=1\n",
    );
    assert_eq!(w.go.as_deref(), Some("1.23.0"));
    assert_eq!(w.toolchain.as_deref(), Some("go1.23.4"));
    let uses: Vec<_> = w.uses.iter().map(|u| (u.dir.to_str().unwrap(), u.line)).collect();
    assert_eq!(uses, [("./a", 3), ("./b", 5), ("./c d", 6), ("../e", 7)]);
    assert_eq!(w.replaces.len(), 2);
    assert_eq!(w.replaces[0].new, ReplaceTarget::Dir("./x".into()));
    assert_eq!(w.godebugs.len(), 1);
    assert_eq!(work_ok("use .\n").uses[0].dir, std::path::Path::new("."));
    assert_eq!(work_ok(""), WorkFile::default());

    assert_eq!(work_errs("module m\n"), "go.work:1: unknown directive: module");
    assert_eq!(work_errs("require x.com v1.0.0\n"), "go.work:1: unknown directive: require");
    assert_eq!(work_errs("use\n"), "go.work:1: usage: use local/dir");
    assert_eq!(work_errs("use a b\n"), "go.work:1: usage: use local/dir");
    assert_eq!(work_errs("use `a`\n"), "go.work:1: invalid quoted string: unquoted string cannot contain quote");
    assert_eq!(work_errs("go 1.21.0-foo\n"), "go.work:1: invalid go version '1.21.0-foo': must match format 1.23.0");
    assert_eq!(work_errs("go 1.21\ngo 1.22\n"), "go.work:2: repeated go statement");
    assert_eq!(
        work_errs("toolchain x\n"),
        "go.work:1: invalid toolchain version 'x': must match format go1.23.0 or default"
    );
    assert_eq!(
        work_errs("require (\n)\nuse a (\n)\n"),
        "go.work:1: unknown block type: require\ngo.work:3: unknown block type: use a"
    );
    assert_eq!(
        work_errs("replace x.com => y.com\n"),
        "go.work:1: replacement module without version must be directory path (rooted or starting with . or ..)"
    );
    assert_eq!(work_errs("use (\n"), "go.work:2: syntax error (unterminated block started at go.work:1:1)");
    assert!(parse_go_work(b"use (\n").is_err());
}

#[test]
fn directory_paths() {
    for p in [".", "..", "./x", ".\\x", "../x", "..\\x", "/x", "\\x", "C:x", "c:\\x"] {
        assert!(is_directory_path(p), "{p}");
    }
    for p in ["", "x", ".x", "..x", "x/y", "1:x", "x.com/a"] {
        assert!(!is_directory_path(p), "{p}");
    }
}

#[test]
fn invalid_utf8_is_tolerated() {
    // Invalid bytes are identifier characters to the go command's lexer.
    let f = ok("module a\u{e9}\nrequire x.com v1.0.0 // \u{e9}\n");
    assert_eq!(f.module.as_deref(), Some("a\u{e9}"));
    let f = parse_go_mod(b"module a\xffb\n").unwrap();
    assert_eq!(f.module.as_deref(), Some("a\u{FFFD}b"));
    assert!(parse_go_mod(b"module m\n\xff\xfe (\n").is_err());
}
