//! Name resolution on small packages written to a temporary directory:
//! aliases, dot and blank imports, package names unlike the path, shadowing,
//! generics, members and errors.As targets.

use std::path::PathBuf;

use heft_syntax::{Anatomy, ImportForm, Kind};

const B: &str = r#"package realname

import "testing"

const Limit = 3
const (
	A, Bee = 1, 2
)

var Default = &Client{}

type Client struct {
	Addr string
}

func (c *Client) Do() error { return nil }

type Source interface {
	Token() string
}

type Box[T any] struct{ V T }

type Code int

type Err struct{ Code string }

func (e *Err) Error() string { return e.Code }

func New() *Client { return &Client{} }

func Helper(t *testing.T) {}

func Small(s string) bool {
	return s != ""
}
"#;

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn setup(name: &str, a_files: &[(&str, &str)]) -> (Dir, Anatomy) {
    let root = std::env::temp_dir().join(format!("heft-syntax-{}-{name}", std::process::id()));
    let (a, b) = (root.join("a"), root.join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::write(b.join("b.go"), B).unwrap();
    for (f, src) in a_files {
        std::fs::write(a.join(f), src).unwrap();
    }
    let files: Vec<String> = a_files.iter().map(|(f, _)| f.to_string()).collect();
    let an = heft_syntax::explain(&a, &files, "example.com/x/b", &b, &["b.go".to_string()]).unwrap();
    (Dir(root), an)
}

fn names(a: &Anatomy) -> Vec<(String, Kind)> {
    a.idents.iter().map(|i| (i.name.clone(), i.kind)).collect()
}

#[test]
fn package_name_from_the_package_clause_and_kinds() {
    let (_d, a) = setup(
        "kinds",
        &[(
            "a.go",
            r#"package a

import "example.com/x/b"

var _ = realname.Limit + realname.A
var c realname.Client
var s realname.Source
var box realname.Box[int]
var code realname.Code = 2
var d = realname.Default

func f() {
	_ = realname.New()
}
"#,
        )],
    );
    assert_eq!(a.package_name, "realname");
    let mut got = names(&a);
    got.sort();
    let mut want = vec![
        ("Limit".into(), Kind::Constant),
        ("A".into(), Kind::Constant),
        ("Client".into(), Kind::Struct),
        ("Source".into(), Kind::Interface),
        ("Box".into(), Kind::Struct),
        ("Code".into(), Kind::Type),
        ("Default".into(), Kind::Variable),
        ("New".into(), Kind::Function),
    ];
    want.sort();
    assert_eq!(got, want);
    assert_eq!(a.counts.identifiers, 8);
}

#[test]
fn aliases_and_shadowing() {
    let (_d, a) = setup(
        "shadow",
        &[(
            "a.go",
            r#"package a

import bb "example.com/x/b"

type T struct{ bb int }

func param(bb int) int { return bb.Limit }

func local() {
	bb := struct{ Limit int }{}
	_ = bb.Limit
}

func block() {
	{
		var bb = 1
		_ = bb
	}
	for bb := range 3 {
		_ = bb.Limit
	}
	if bb := 1; bb > 0 {
		_ = bb.Limit
	}
	_ = bb.Bee
}

func lit() func() {
	return func() { _ = bb.A }
}
"#,
        )],
    );
    assert_eq!(names(&a), vec![("Bee".into(), Kind::Constant), ("A".into(), Kind::Constant)]);
    assert_eq!(a.forms, vec![ImportForm::Named]);
}

#[test]
fn dot_and_blank_imports() {
    let (_d, a) = setup(
        "dot",
        &[
            (
                "a.go",
                r#"package a

import . "example.com/x/b"

var Limit2 = Limit

// Bee is A's own (d.go, a file that does not import B).
var z = Bee

func f(Small int) Code { return Code(Small) }
"#,
            ),
            ("c.go", "package a\n\nimport _ \"example.com/x/b\"\n"),
            ("d.go", "package a\n\nconst Bee = 5\n"),
        ],
    );
    assert_eq!(names(&a), vec![("Limit".into(), Kind::Constant), ("Code".into(), Kind::Type)]);
    assert_eq!(a.forms, vec![ImportForm::Dot, ImportForm::Blank]);

    let (_d, blank) = setup("blank", &[("c.go", "package a\n\nimport _ \"example.com/x/b\"\n")]);
    assert!(blank.idents.is_empty());
    assert_eq!(blank.forms, vec![ImportForm::Blank]);
}

#[test]
fn members_through_values_of_b_types_and_errors_as() {
    let (_d, a) = setup(
        "members",
        &[(
            "a.go",
            r#"package a

import (
	"errors"

	"example.com/x/b"
)

type holder struct{ src realname.Source }

func f(h holder, err error) string {
	c := realname.New()
	_ = c.Do()
	_ = c.Addr
	var e *realname.Err
	if errors.As(err, &e) {
		return e.Code
	}
	return h.src.Token()
}
"#,
        )],
    );
    let got: Vec<_> = a.idents.iter().map(|i| (i.name.as_str(), i.kind, i.errors_target)).collect();
    assert_eq!(
        got,
        vec![
            ("Source", Kind::Interface, false),
            ("New", Kind::Function, false),
            ("Err", Kind::Struct, true),
            ("Client.Do", Kind::Method, false),
            ("Client.Addr", Kind::Field, false),
            ("Err.Code", Kind::Field, false),
            ("Source.Token", Kind::Method, false),
        ]
    );
    assert_eq!((a.counts.identifiers, a.counts.members), (3, 4));
}

#[test]
fn deeply_nested_expressions_do_not_overflow_the_stack() {
    let mut expr = String::from("realname.Limit");
    for _ in 0..5000 {
        expr = format!("({expr} + 1)");
    }
    let src = format!("package a\n\nimport \"example.com/x/b\"\n\nvar x = {expr}\nvar y = realname.A\n");
    let (_d, a) = setup("deep", &[("a.go", &src)]);
    // Past the walk's depth limit the innermost use is not seen; the rest is.
    assert!(a.idents.iter().any(|i| i.name == "A"), "{a:?}");
}

/// `errors.AsType[*T](err)` (Go 1.26) makes T an errors target as
/// `errors.As(err, &t)` does, whatever the errors package is imported as.
#[test]
fn errors_as_type_is_an_errors_target() {
    let (_d, a) = setup(
        "astype",
        &[(
            "a.go",
            r#"package a

import (
	stderrors "errors"

	"example.com/x/b"
)

func code(err error) string {
	if e, ok := stderrors.AsType[*realname.Err](err); ok {
		return e.Code
	}
	return ""
}
"#,
        )],
    );
    let got: Vec<_> = a.idents.iter().map(|i| (i.name.as_str(), i.kind, i.errors_target)).collect();
    assert_eq!(got[0], ("Err", Kind::Struct, true), "{got:?}");
}

#[test]
fn the_one_function_that_uses_an_import() {
    let sole_with = |name: &str, src: &str, other: &str| {
        let (d, _) = setup(name, &[("a.go", src), ("other.go", other)]);
        let files = ["a.go".to_string(), "other.go".to_string()];
        heft_syntax::sole_function_using(&d.0.join("a"), &files, "example.com/x/b", "realname").unwrap()
    };
    let sole = |name: &str, src: &str| sole_with(name, src, "package a\n\nfunc Other() int { return 1 }\n");
    let head = "package a\n\nimport rn \"example.com/x/b\"\n\n";
    let uses = "func Check(s string) bool {\n\treturn rn.Small(s)\n}\n";
    assert_eq!(sole("sole", &format!("{head}{uses}")), Some("Check".to_string()));
    // Called from A itself: it cannot move alone.
    assert_eq!(sole("called", &format!("{head}{uses}var ok = Check(\"x\")\n")), None);
    let calls = "package a\n\nfunc Other() bool { return Check(\"y\") }\n";
    assert_eq!(sole_with("called-elsewhere", &format!("{head}{uses}"), calls), None);
    // Used by a second declaration (a type), or by a method.
    assert_eq!(sole("typed", &format!("{head}{uses}type T struct{{ c *rn.Client }}\n")), None);
    assert_eq!(sole("method", &format!("{head}type T struct{{}}\n\nfunc (T) M() {{ rn.Small(\"\") }}\n")), None);
    // Unexported: only A calls it.
    assert_eq!(sole("unexported", &format!("{head}func check() bool {{ return rn.Small(\"\") }}\n")), None);
}
