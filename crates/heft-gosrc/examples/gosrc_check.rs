//! Prints how heft-gosrc classifies Go files, one line per file, in the
//! format of gen/gobuild_oracle.go, for differential testing against the go
//! command:
//!
//!     name \t class \t package \t imports \t error
//!
//! Usage: gosrc_check [--modindex] [--tags a,b] [--prefix N] files...
//! GOOS, GOARCH, CGO_ENABLED, GOEXPERIMENT and the arch-level variable come
//! from the environment (defaults linux/amd64, cgo on). `--modindex` reports
//! parse errors of excluded files like the go command's module index;
//! without it, like go/build. `--prefix N` first offers only N bytes.

use heft_gosrc::{BuildContext, FileError, FileMatch, HeaderError, NameMatch};
use std::env;

fn pos(name: &str, line: u32, col: u32, file: Option<&str>) -> String {
    let f = file.unwrap_or(name);
    if col == 0 { format!("{f}:{line}") } else { format!("{f}:{line}:{col}") }
}

fn header_msg(name: &str, e: &HeaderError) -> String {
    match e {
        HeaderError::Incomplete => "incomplete".into(),
        HeaderError::Nul { .. } => format!("read {name}: unexpected NUL in input"),
        HeaderError::InvalidUtf8 { line, col, file }
        | HeaderError::Syntax { line, col, file, .. }
        | HeaderError::InvalidImportPath { line, col, file, .. } => {
            format!("{}: {e}", pos(name, *line, *col, file.as_deref()))
        }
    }
}

fn main() {
    let mut args: Vec<String> = env::args().skip(1).collect();
    let mut modindex = false;
    let mut tags = Vec::new();
    let mut prefix = None;
    while let Some(a) = args.first().cloned() {
        match a.as_str() {
            "--modindex" => modindex = true,
            "--tags" => {
                tags = args[1].split(',').filter(|s| !s.is_empty()).map(String::from).collect();
                args.remove(0);
            }
            "--prefix" => {
                prefix = Some(args[1].parse::<usize>().unwrap());
                args.remove(0);
            }
            _ => break,
        }
        args.remove(0);
    }
    let var = |k: &str, d: &str| env::var(k).ok().filter(|v| !v.is_empty()).unwrap_or(d.into());
    let goos = var("GOOS", "linux");
    let goarch = var("GOARCH", "amd64");
    let level_var = match goarch.as_str() {
        "amd64" => "GOAMD64",
        "arm64" => "GOARM64",
        "arm" => "GOARM",
        "386" => "GO386",
        "mips" | "mipsle" => "GOMIPS",
        "mips64" | "mips64le" => "GOMIPS64",
        "ppc64" | "ppc64le" => "GOPPC64",
        "riscv64" => "GORISCV64",
        _ => "GOWASM",
    };
    let level = env::var(level_var).ok();
    let native = goos == "linux" && goarch == "amd64";
    let cgo = var("CGO_ENABLED", if native { "1" } else { "0" }) == "1";
    let mut ctx = BuildContext::new(&goos, &goarch, cgo);
    ctx.tool_tags = BuildContext::tool_tags_for(26, &goos, &goarch, &var("GOEXPERIMENT", ""), level.as_deref());
    ctx.build_tags = tags;
    for path in &args {
        let name = path.rsplit('/').next().unwrap();
        let data = std::fs::read(path).unwrap();
        let (mut class, mut pkg, mut imps, mut err) = ("none", String::new(), Vec::new(), String::new());
        match ctx.match_name(name) {
            NameMatch::NotGo => {}
            NameMatch::Ignored => class = "ignored",
            NameMatch::Candidate => {
                let mut res = match prefix {
                    Some(n) if n < data.len() => ctx.match_header_detailed(&data[..n], false),
                    _ => ctx.match_header_detailed(&data, true),
                };
                if matches!(res, Err(FileError::Incomplete)) {
                    res = ctx.match_header_detailed(&data, true);
                }
                match res {
                    Ok((FileMatch::Included(h), _)) if h.package == "documentation" => class = "ignored",
                    Ok((FileMatch::Included(h), _)) => {
                        class = if h.imports_c() { "cgo" } else { "go" };
                        pkg = h.package.clone();
                        for i in &h.imports {
                            let f = i.file.as_deref().filter(|f| *f != name).unwrap_or("");
                            imps.push(format!("{:?}@{}:{}:{}", i.path, f, i.line, i.col));
                        }
                    }
                    Ok((FileMatch::Excluded(h), cgo_only)) => {
                        class = "ignored";
                        if cgo_only && h.package != "documentation" {
                            pkg = h.package;
                        }
                    }
                    Err(FileError::Parse { error, included, package }) => {
                        if included {
                            class = "invalid+go";
                            pkg = package;
                            err = header_msg(name, &error);
                        } else if modindex {
                            class = "invalid+ignored";
                            err = header_msg(name, &error);
                        } else {
                            class = "ignored";
                        }
                    }
                    Err(FileError::Nul { .. }) => {
                        class = "invalid";
                        err = format!("read {name}: unexpected NUL in input");
                    }
                    Err(e @ (FileError::MultipleGoBuild { .. } | FileError::BadGoBuild { .. })) => {
                        class = "invalid";
                        err = format!("{name}: {e}");
                    }
                    Err(FileError::Incomplete) => err = "incomplete".into(),
                }
            }
        }
        imps.sort();
        let err = err.replace('\n', "\\n");
        println!("{name}\t{class}\t{pkg}\t{}\t{err}", imps.join(" "));
    }
}
