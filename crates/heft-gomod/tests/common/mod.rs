//! Helpers shared by the integration tests: a tiny deterministic PRNG,
//! seed files and mutators, and a JSON view of parse results.
#![allow(dead_code)]

use heft_gomod::{ModFile, ReplaceTarget, WorkFile};
use serde_json::{Value, json};

/// xorshift64*: deterministic and dependency-free.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    pub fn pick_str<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

pub const SEEDS: &[&str] = &[
    "module example.com/m\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/mod v0.43.0\n\tgithub.com/a/b v1.2.3 // indirect\n)\n",
    "module \"example.com/q\"\ngo 1.21rc1\ntoolchain go1.22.3\nrequire x.com/y/v2 v2.0.0\nexclude x.com/y/v2 v2.0.1\n",
    "module m.com\nreplace (\n\tx.com => ../x\n\ty.com v1.0.0 => z.com v1.1.0\n\tw.com v1.0.0 => /abs/w\n)\nreplace a.com => C:\\a\n",
    "module m.com\nretract v1.0.0\nretract [v1.1.0, v1.2.0] // bad\nretract (\n\tv1.3.0 // why\n\t[v1.4.0, v1.5.0]\n)\n",
    "module m.com\ngodebug (\n\tpanicnil=1\n\tx=y\n)\ngodebug a=b\ntool m.com/cmd/x\ntool (\n\tm.com/cmd/y\n)\nignore ./node_modules\n",
    "// comment\nmodule m.com // trailing\n\n// Deprecated: use other\nrequire (\n\t// lead\n\ta.com v1.0.0 // indirect; reason\n\tb.com v1.0.0 //indirect\n\n\tc.com v2.0.0+incompatible\n)\n",
    "go 1.23.0\n\nuse ./a\nuse (\n\t./b\n\t\"./c d\"\n)\nreplace x.com v1.0.0 => ./x\ntoolchain go1.23.4\ngodebug x=1\n",
    "module gopkg.in/yaml.v2\nrequire gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405\nrequire gopkg.in/yaml.v3 v3.0.1\n",
    "module m.com\nrequire (\n\ta.com v1.2\n\tb.com v1.2.3+meta\n\tc.com v1.2.3-pre+meta\n)\nrequire d.com v1\n",
    "module m.com\ngo 1.21.0-foo\nfoo bar\nrequire ( x.com v1.0.0 )\nunknown (\n\tz\n)\n",
];

/// Characters that exercise the lexer's and parser's edge cases.
const ALPHABET: &[&[u8]] = &[
    b"(",
    b")",
    b"[",
    b"]",
    b",",
    b"\"",
    b"`",
    b"'",
    b"/",
    b"//",
    b"/*",
    b"*",
    b"\n",
    b"\r\n",
    b"\t",
    b" ",
    b"=>",
    b"=",
    b"v",
    b"1",
    b".",
    b"0",
    b"-",
    b"+",
    b"!",
    b"\\",
    b"\r",
    b"\xc2\xa0",
    b"\x01",
    b"a",
    b"Z",
    b"~",
    b"@",
    b"\xff",
    b"\xe2\x80\x8b",
    b"\xc3\xa9",
    b"{",
    b"}",
    b"// indirect",
    b"v1.2.3",
    b"v2.0.0",
    b"/v2",
    b"x.com",
    b"require",
    b"replace",
    b"exclude",
    b"retract",
    b"module",
    b"go",
    b"toolchain",
    b"godebug",
    b"tool",
    b"ignore",
    b"use",
    b"1.21",
    b"go1.21",
    b"default",
    b"./",
    b"../",
    b"\\x41",
    b"\\n",
];

pub fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let pos = rng.below(v.len() + 1);
        match rng.below(6) {
            0 | 1 => {
                let s = rng.pick(ALPHABET);
                v.splice(pos..pos, s.iter().copied());
            }
            2 => {
                let end = (pos + 1 + rng.below(6)).min(v.len());
                if pos < end {
                    v.drain(pos..end);
                }
            }
            3 => {
                if pos < v.len() {
                    v[pos] = rng.next() as u8;
                }
            }
            4 => {
                // Duplicate a line.
                let text = v.clone();
                let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
                let l = rng.pick(&lines);
                let mut ins = l.to_vec();
                ins.push(b'\n');
                let at = v.iter().take(pos).rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                v.splice(at..at, ins);
            }
            _ => {
                let end = (pos + rng.below(20)).min(v.len());
                v.truncate(end.max(pos.min(v.len())));
            }
        }
    }
    v
}

fn target(t: &ReplaceTarget) -> (String, String) {
    match t {
        ReplaceTarget::Module { path, version } => (path.clone(), version.clone()),
        ReplaceTarget::Dir(d) => (d.to_string_lossy().into_owned(), String::new()),
    }
}

pub fn mod_json(f: &ModFile) -> Value {
    json!({
        "Module": f.module,
        "ModuleLine": f.module_line,
        "Go": f.go,
        "Toolchain": f.toolchain,
        "Require": f.requires.iter().map(|r| json!({"Path": r.path, "Version": r.version, "Indirect": r.indirect, "Line": r.line})).collect::<Vec<_>>(),
        "Exclude": f.excludes.iter().map(|r| json!({"Path": r.path, "Version": r.version, "Indirect": false, "Line": r.line})).collect::<Vec<_>>(),
        "Replace": f.replaces.iter().map(|r| {
            let (np, nv) = target(&r.new);
            json!({"OldPath": r.old_path, "OldVersion": r.old_version.clone().unwrap_or_default(), "NewPath": np, "NewVersion": nv, "Line": r.line})
        }).collect::<Vec<_>>(),
        "Retract": f.retracts.iter().map(|r| json!([r.low, r.high])).collect::<Vec<_>>(),
        "Tool": f.tools,
        "Ignore": f.ignores,
        "Godebug": f.godebugs.iter().map(|g| json!([g.key, g.value])).collect::<Vec<_>>(),
        "Use": [],
    })
}

pub fn work_json(f: &WorkFile) -> Value {
    json!({
        "Module": null,
        "ModuleLine": 0,
        "Go": f.go,
        "Toolchain": f.toolchain,
        "Require": [],
        "Exclude": [],
        "Replace": f.replaces.iter().map(|r| {
            let (np, nv) = target(&r.new);
            json!({"OldPath": r.old_path, "OldVersion": r.old_version.clone().unwrap_or_default(), "NewPath": np, "NewVersion": nv, "Line": r.line})
        }).collect::<Vec<_>>(),
        "Retract": [],
        "Tool": [],
        "Ignore": [],
        "Godebug": f.godebugs.iter().map(|g| json!([g.key, g.value])).collect::<Vec<_>>(),
        "Use": f.uses.iter().map(|u| json!({"Path": u.dir.to_string_lossy(), "Version": "", "Indirect": false, "Line": u.line})).collect::<Vec<_>>(),
    })
}

const VERBS: &[&str] = &[
    "module",
    "go",
    "toolchain",
    "require",
    "exclude",
    "replace",
    "retract",
    "godebug",
    "tool",
    "ignore",
    "use",
    "foo",
];
const ARGS: &[&str] = &[
    "example.com/a",
    "example.com/a/v2",
    "example.com/a/v1",
    "gopkg.in/yaml.v2",
    "gopkg.in/yaml.v1-unstable",
    "\"example.com/q\"",
    "`example.com/r`",
    "\"a\\x41\"",
    "\"bad\\q\"",
    "x",
    "m",
    "v1.2.3",
    "v1.2",
    "v1",
    "v2.0.0",
    "v2.0.0+incompatible",
    "v1.0.0-pre",
    "v1.0.0+meta",
    "v0.0.0-20200101000000-abcdef123456",
    "vbad",
    "\"v1.0.0\"",
    "1.21",
    "1.21.0",
    "1.21rc1",
    "1.021",
    "v1.21",
    "1.21.0-foo",
    "go1.21",
    "go1.21.3",
    "default",
    "go2",
    "=>",
    "=>",
    "=>",
    "./dir",
    "../dir",
    "/abs",
    "C:\\dir",
    ".\\dir",
    "dir\\sub",
    ".",
    "..",
    "x.com@v1.0.0",
    "[",
    "]",
    ",",
    "(",
    ")",
    "k=v",
    "k",
    "a=b=c",
    "\"k=v\"",
    "'q'",
    "é.com/x",
];

/// A random file built from directive-shaped lines, which gets much
/// further into directive checking than byte mutations do.
pub fn generate(rng: &mut Rng) -> Vec<u8> {
    let mut s = String::new();
    let tidy = rng.below(2) == 0;
    let verbs: &[&str] = match (tidy, rng.below(3)) {
        (false, _) => VERBS,
        (true, 0) => &["use", "replace", "godebug", "use"],
        (true, _) => &["require", "require", "exclude", "replace", "retract", "godebug", "tool", "ignore"],
    };
    if tidy && rng.below(2) == 0 {
        s.push_str(if verbs[0] == "use" { "go 1.22\n" } else { "module example.com/main\ngo 1.21\n" });
    }
    for _ in 0..1 + rng.below(8) {
        let verb = *rng.pick(verbs);
        let arg = |rng: &mut Rng| {
            if tidy && rng.below(8) != 0 { args_for(rng, verb) } else { args(rng) }
        };
        let indent = *rng.pick(&["", "", " ", "\t"]);
        if rng.below(4) == 0 {
            s.push_str(&format!("{indent}{verb} ("));
            if rng.below(4) == 0 {
                s.push_str(" // c");
            }
            s.push('\n');
            for _ in 0..rng.below(4) {
                s.push_str(rng.pick_str(&["\t", "    ", ""]));
                s.push_str(&arg(rng));
                s.push('\n');
                if rng.below(5) == 0 {
                    s.push_str(rng.pick_str(&["\n", "\t// whole line\n"]));
                }
            }
            let ends: &[&str] =
                if tidy { &[")\n", ") // end\n"] } else { &[")\n", ")\n", ") // end\n", ")", ") x\n", ""] };
            s.push_str(rng.pick_str(ends));
        } else {
            s.push_str(&format!("{indent}{verb} {}\n", arg(rng)));
        }
        if rng.below(6) == 0 {
            s.push_str(rng.pick_str(&["\n", "// comment\n", "\r\n"]));
        }
    }
    s.into_bytes()
}

/// Mostly well-formed arguments for `verb`, so that files get accepted
/// often enough to compare parsed values, not just errors.
fn args_for(rng: &mut Rng, verb: &str) -> String {
    let path = *rng.pick(&ARGS[..6]);
    let version = *rng.pick(&ARGS[12..20]);
    let dir = *rng.pick(&["./dir", "../dir", "/abs", "\"./a b\"", ".", ".."]);
    let s = match verb {
        "module" | "tool" | "ignore" => path.to_string(),
        "use" => dir.to_string(),
        "go" => rng.pick(&["1.21", "1.22.3", "1.23rc1", "1.21.0-foo", "v1.21"]).to_string(),
        "toolchain" => rng.pick(&["go1.22.0", "default", "go1.21rc2"]).to_string(),
        "require" | "exclude" => format!("{path} {version}"),
        "replace" => match rng.below(3) {
            0 => format!("{path} => {dir}"),
            1 => format!("{path} {version} => {dir}"),
            _ => format!("{path} {version} => {} {version}", *rng.pick(&ARGS[..6])),
        },
        "retract" => rng.pick(&["v1.0.0", "[v1.0.0, v1.1.0]", "v1.0.0 // bad", "[v1.0.0,v1.2.0]"]).to_string(),
        "godebug" => rng.pick(&["a=b", "panicnil=1", "x="]).to_string(),
        _ => return args(rng),
    };
    if verb == "require" && rng.below(3) == 0 { format!("{s} // indirect") } else { s }
}

fn args(rng: &mut Rng) -> String {
    let n = rng.below(5);
    let mut v: Vec<&str> = (0..n).map(|_| *rng.pick(ARGS)).collect();
    // Bias toward well-formed shapes.
    match rng.below(6) {
        0 => v = vec![*rng.pick(&ARGS[..6]), *rng.pick(&ARGS[12..20])],
        1 => v = vec![*rng.pick(&ARGS[..6]), "=>", *rng.pick(&ARGS[34..40])],
        2 => {
            v = vec![
                *rng.pick(&ARGS[..6]),
                *rng.pick(&ARGS[12..20]),
                "=>",
                *rng.pick(&ARGS[..6]),
                *rng.pick(&ARGS[12..20]),
            ]
        }
        _ => {}
    }
    let mut s = v.join(" ");
    match rng.below(5) {
        0 => s.push_str(" // indirect"),
        1 => s.push_str(rng.pick_str(&[
            " //indirect",
            " // indirect; x",
            " // indirect x",
            " // x; indirect",
            "// indirect",
        ])),
        _ => {}
    }
    s
}
