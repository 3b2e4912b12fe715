//! What a new user meets first: a module made by `go mod init myapp`, the
//! patterns Go users type, and output sent to a closed pipe or a full disk.

use std::fs;
use std::path::Path;
use std::process::{Output, Stdio};

use heft_testkit::go::run;
use heft_testkit::{go, scratch, scratch_with, workspace_root};
use tempfile::TempDir;

/// A module as `go mod init myapp` writes it, with a command and a library.
fn myapp() -> TempDir {
    scratch_with(
        "myapp",
        &[
            ("go.mod", "module myapp\n\ngo 1.22\n"),
            (
                "main.go",
                "package main\n\nimport (\n\t\"fmt\"\n\n\t\"myapp/greet\"\n)\n\nfunc main() { fmt.Println(greet.Hi()) }\n",
            ),
            (
                "greet/greet.go",
                "package greet\n\nimport \"strings\"\n\nfunc Hi() string { return strings.ToUpper(\"hi\") }\n",
            ),
            ("cmd/tool/main.go", "package main\n\nimport \"os\"\n\nfunc main() { os.Exit(0) }\n"),
        ],
    )
}

fn heft(dir: &Path, args: &[&str]) -> Output {
    crate::env::heft_command().args(args).current_dir(dir).env("GOWORK", "off").output().expect("run heft")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_module_without_a_dot_in_its_path_is_analyzed() {
    let dir = myapp();
    for args in [&["deps", "."][..], &["."], &["cuts", "."], &["why", ".", "myapp/greet"], &["findings", "."]] {
        let out = heft(dir.path(), args);
        assert!(out.status.success(), "heft {args:?}: {}", text(&out.stderr));
    }
    let listed = run(go(["list", "-deps", "."]).current_dir(dir.path()).env("GOWORK", "off"));
    assert_eq!(text(&heft(dir.path(), &["deps", "."]).stdout), text(&listed.stdout));
}

#[test]
fn wildcard_patterns_select_the_main_packages() {
    let dir = myapp();
    let out = heft(dir.path(), &["--json", "./..."]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let roots: Vec<&str> = doc["binaries"].as_array().unwrap().iter().map(|b| b["root"].as_str().unwrap()).collect();
    assert_eq!(roots, ["myapp", "myapp/cmd/tool"]);
    assert!(text(&out.stderr).contains("2 main package(s) of 3 matched; skipped 1 non-main package(s)"));
}

#[test]
fn a_pattern_without_main_packages_is_a_clear_error() {
    let dir = myapp();
    let out = heft(dir.path(), &["cuts", "./greet/..."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("./greet/... matched 1 package(s) and no main package"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_library_named_explicitly_is_labelled_as_one() {
    let dir = myapp();
    let out = heft(dir.path(), &["./greet"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("myapp/greet (library)"), "{}", text(&out.stdout));
    let json = heft(dir.path(), &["--json", "./greet"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["binaries"][0]["library"], true);
}

/// Every command, its output sent to a pipe closed before it writes: a
/// normal end (exit 0), never a panic; and to a full disk: exit 2.
#[test]
fn closed_pipes_end_quietly_and_failed_writes_fail() {
    let example = workspace_root().join("examples/busybox");
    let bins = scratch("output-bins");
    let server = bins.path().join("server");
    run(go(["build", "-o"]).arg(&server).arg("./cmd/server").current_dir(&example).env("GOWORK", "off"));
    let server = server.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["deps", "./cmd/server"],
        vec!["why", "./cmd/server", "net/http"],
        vec!["cuts", "./cmd/server"],
        vec!["evict", "./cmd/server", "example.com/busybox/pkg/cloud/auth"],
        vec!["explain", "./cmd/agent", "example.com/busybox/pkg/config", "example.com/busybox/pkg/timeutil"],
        vec!["findings", "./cmd/server"],
        vec!["./cmd/server"],
        vec!["size", server],
        vec!["measure", "--binary", server, "--", "-h"],
    ];
    for args in &commands {
        let mut child = crate::env::heft_command()
            .args(args)
            .current_dir(&example)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert!(!text(&out.stderr).contains("panicked"), "heft {args:?}: {}", text(&out.stderr));
        assert!(out.status.code().is_some_and(|c| c == 0 || c == 1), "heft {args:?}: {:?}", out.status);

        let full = fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let out = crate::env::heft_command().args(args).current_dir(&example).stdout(full).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "heft {args:?} > /dev/full: {}", text(&out.stderr));
        assert!(!text(&out.stderr).contains("panicked"), "heft {args:?}: {}", text(&out.stderr));
    }
}

#[test]
fn packages_are_named_the_same_way_in_every_command() {
    let example = workspace_root().join("examples/busybox");
    let chain = |name: &str| {
        let out = heft(&example, &["why", "./cmd/agent", name]);
        assert!(out.status.success(), "why {name}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    let full = chain("example.com/busybox/pkg/tzdb");
    assert_eq!(chain("pkg/tzdb"), full);
    assert_eq!(chain("./pkg/tzdb"), full);
    for target in ["pkg/tzdb", "./pkg/tzdb", "example.com/busybox/pkg/tzdb"] {
        let out = heft(&example, &["evict", "./cmd/agent", target]);
        assert!(out.status.success(), "evict {target}: {}", text(&out.stderr));
    }
    let out = heft(&example, &["explain", "./cmd/agent", "./pkg/config", "pkg/timeutil"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = heft(&example, &["why", "./cmd/agent", "tzdbx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("tzdbx is not linked"), "{}", text(&out.stderr));
}

#[test]
fn top_zero_means_all_in_every_command() {
    let example = workspace_root().join("examples/busybox");
    let json = |args: &[&str]| -> serde_json::Value {
        let out = heft(&example, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let cuts = json(&["cuts", "--json", "--no-anatomy", "--top", "0", "./cmd/server"]);
    let report = json(&["--json", "--no-findings", "--top", "0", "./cmd/server"]);
    let all = cuts["cuts"].as_array().unwrap().len();
    assert!(all > 5, "{all} cuts");
    assert_eq!(report["binaries"][0]["cuts"].as_array().unwrap().len(), all);
}

#[test]
fn go_files_named_on_the_command_line_are_a_program() {
    let dir = myapp();
    fs::write(dir.path().join("flags.go"), "//go:build ignore\n\npackage main\n\nimport _ \"os\"\n").unwrap();
    for args in [&["main.go"][..], &["./main.go", "flags.go"]] {
        let listed = run(go(["list", "-deps"]).args(args).current_dir(dir.path()).env("GOWORK", "off"));
        let mut deps = vec!["deps"];
        deps.extend(args);
        assert_eq!(text(&heft(dir.path(), &deps).stdout), text(&listed.stdout), "heft deps {args:?}");
        let out = heft(dir.path(), &[&["--json"][..], args].concat());
        assert!(out.status.success(), "heft {args:?}: {}", text(&out.stderr));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["binaries"][0]["root"], "command-line-arguments");
    }
    let out = heft(dir.path(), &["cuts", "main.go", "greet/greet.go"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("named files must all be in one directory"), "{}", text(&out.stderr));
}

#[test]
fn tags_may_be_written_the_go_way() {
    let fixture = workspace_root().join("tests/fixtures/buildtags");
    let long = heft(&fixture, &["deps", "--json", "--tags", "extra", "./tags"]);
    assert!(long.status.success(), "{}", text(&long.stderr));
    for args in [&["deps", "--json", "-tags", "extra", "./tags"][..], &["deps", "--json", "-tags=extra", "./tags"]] {
        assert_eq!(text(&heft(&fixture, args).stdout), text(&long.stdout), "{args:?}");
    }
    let without = heft(&fixture, &["deps", "--json", "./tags"]);
    assert_ne!(text(&without.stdout), text(&long.stdout), "the tag changes the files");
}

#[test]
fn size_reads_like_the_other_commands() {
    let example = workspace_root().join("examples/busybox");
    let bins = scratch("size-text");
    let (full, stripped) = (bins.path().join("server"), bins.path().join("server.stripped"));
    run(go(["build", "-o"]).arg(&full).arg("./cmd/server").current_dir(&example).env("GOWORK", "off"));
    run(go(["build", "-ldflags=-s -w", "-o"])
        .arg(&stripped)
        .arg("./cmd/server")
        .current_dir(&example)
        .env("GOWORK", "off"));
    let out = heft(&example, &["size", full.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    let size = fs::metadata(&full).unwrap().len();
    assert!(report.lines().next().unwrap().contains(&format!("in the file ({size} bytes)")), "{report}");
    assert!(report.contains("built from example.com/busybox/cmd/server in module example.com/busybox"), "{report}");
    assert!(report.contains("CGO_ENABLED="), "{report}");
    // Bytes in the file and bytes in memory only are totalled apart.
    let totals: Vec<&str> = report.lines().filter(|l| l.starts_with("= sections")).collect();
    assert_eq!(totals.len(), 2, "{report}");
    assert!(totals[0].ends_with("in the file") && totals[1].contains("in memory only"), "{report}");
    assert!(report.lines().any(|l| l.trim_start().starts_with("in file")), "{report}");
    assert!(report.contains(" MB ") && report.contains(" kB "), "human units: {report}");

    let diff = heft(&example, &["size", full.to_str().unwrap(), stripped.to_str().unwrap()]);
    assert!(diff.status.success(), "{}", text(&diff.stderr));
    assert!(text(&diff.stderr).contains("is stripped and"), "{}", text(&diff.stderr));
    let same = heft(&example, &["size", full.to_str().unwrap(), full.to_str().unwrap()]);
    assert!(!text(&same.stderr).contains("stripped"), "{}", text(&same.stderr));
}

/// A module whose main package links `example.com/t/tagged` only with the
/// build tag `extra`, and `example.com/t/withcgo` only with cgo on.
fn tagged_module() -> TempDir {
    scratch_with(
        "measure-flags",
        &[
            ("go.mod", "module example.com/t\n\ngo 1.22\n"),
            ("main.go", "package main\n\nfunc main() {}\n"),
            ("extra.go", "//go:build extra\n\npackage main\n\nimport _ \"example.com/t/tagged\"\n"),
            ("cgo.go", "//go:build cgo\n\npackage main\n\nimport _ \"example.com/t/withcgo\"\n"),
            ("tagged/t.go", "package tagged\n\nvar Table = make([]byte, 1<<16)\n"),
            ("withcgo/c.go", "package withcgo\n\nvar Table = make([]byte, 1<<16)\n"),
        ],
    )
}

fn measured_packages(dir: &Path, args: &[&str]) -> Vec<String> {
    let out = heft(dir, &[&["measure", "--json"][..], args, &["."]].concat());
    assert!(out.status.success(), "heft measure {args:?}: {}", text(&out.stderr));
    // Progress goes to stderr even when it is not a terminal.
    assert!(
        text(&out.stderr).contains("heft measure: [1/1] building and running example.com/t"),
        "{}",
        text(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["binaries"][0]["packages"].as_array().unwrap().iter().map(|p| p["path"].as_str().unwrap().to_string()).collect()
}

#[test]
fn measure_takes_tags_and_cgo_like_the_other_commands() {
    let dir = tagged_module();
    let plain = measured_packages(dir.path(), &["--cgo", "off"]);
    assert!(!plain.iter().any(|p| p.starts_with("example.com/t/")), "{plain:?}");
    let tagged = measured_packages(dir.path(), &["--cgo", "off", "-tags", "extra"]);
    assert!(tagged.contains(&"example.com/t/tagged".to_string()), "{tagged:?}");
    assert!(!tagged.contains(&"example.com/t/withcgo".to_string()), "{tagged:?}");
}

#[test]
fn measure_binary_says_how_the_program_ended() {
    let dir = scratch("measure-ended");
    fs::write(dir.path().join("go.mod"), "module example.com/p\n\ngo 1.22\n").unwrap();
    fs::write(dir.path().join("main.go"), "package main\n\nfunc main() { panic(\"boom\") }\n").unwrap();
    let exe = dir.path().join("p");
    run(go(["build", "-o"]).arg(&exe).arg(".").current_dir(dir.path()).env("GOWORK", "off"));
    let out = heft(dir.path(), &["measure", "--json", "--binary", exe.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("exited with status 2: panic: boom"), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["binaries"][0]["ended"], "exited with status 2: panic: boom");
}

#[test]
fn measurements_of_several_files_are_merged() {
    let example = workspace_root().join("examples/busybox");
    let files = scratch("measure-merge");
    let mut flags = Vec::new();
    for root in ["./cmd/agent", "./cmd/server"] {
        let out = heft(&example, &["measure", "--json", root]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let file = files.path().join(format!("{}.json", &root[6..]));
        fs::write(&file, &out.stdout).unwrap();
        flags.push("--measurements".to_string());
        flags.push(file.to_str().unwrap().to_string());
    }
    let mut args: Vec<&str> = vec!["--json", "--no-findings"];
    args.extend(flags.iter().map(String::as_str));
    args.extend(["./cmd/agent", "./cmd/server"]);
    let out = heft(&example, &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for b in doc["binaries"].as_array().unwrap() {
        assert!(b["measured"]["heapLive"].as_u64().is_some_and(|h| h > 0), "{b}");
    }
}

/// `go mod init myapp`, then a real dependency from the module proxy.
#[test]
fn a_dotless_module_with_a_real_dependency() {
    let dir = scratch("myapp-real");
    let program = heft_testkit::RealProgram::TOML;
    fs::write(dir.path().join("go.mod"), "module myapp\n\ngo 1.22\n").unwrap();
    fs::write(
        dir.path().join("main.go"),
        format!(
            "package main\n\nimport (\n\t\"fmt\"\n\n\t\"{}\"\n)\n\nfunc main() {{\n\tvar v map[string]any\n\t_, err := toml.Decode(\"a = 1\", &v)\n\tfmt.Println(v, err)\n}}\n",
            program.module
        ),
    )
    .unwrap();
    run(go(["get", &format!("{}@{}", program.module, program.version)]).current_dir(dir.path()).env("GOWORK", "off"));
    let listed = run(go(["list", "-deps", "."]).current_dir(dir.path()).env("GOWORK", "off"));
    let deps = heft(dir.path(), &["deps", "."]);
    assert!(deps.status.success(), "{}", text(&deps.stderr));
    assert_eq!(text(&deps.stdout), text(&listed.stdout));
    let report = heft(dir.path(), &["."]);
    assert!(report.status.success(), "{}", text(&report.stderr));
    assert!(text(&report.stdout).contains("myapp -> github.com/BurntSushi/toml"), "{}", text(&report.stdout));
}

/// A variable that is not UTF-8 (a `$PWD` under a directory named so) and a
/// module in such a directory.
#[cfg(unix)]
#[test]
fn environment_and_paths_that_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let parent = scratch("not-utf8");
    let dir = parent.path().join(std::ffi::OsStr::from_bytes(b"d\xff"));
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("go.mod"), "module example.com/u\n\ngo 1.22\n").unwrap();
    fs::write(dir.join("main.go"), "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println() }\n").unwrap();
    let out = crate::env::heft_command()
        .args(["deps", "."])
        .current_dir(&dir)
        .env("PWD", &dir)
        .env("HEFT_TEST_NOT_UTF8", std::ffi::OsStr::from_bytes(b"\xff\xfe"))
        .env("GOWORK", "off")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).ends_with("fmt\nexample.com/u\n"), "{}", text(&out.stdout));
}

/// A `replace` directive and a go.work `use` naming directories whose
/// names are not UTF-8: the same packages as `go list -deps`.
#[cfg(unix)]
#[test]
fn replace_and_use_of_directories_whose_names_are_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let root = scratch("not-utf8-dirs");
    let (app, lib) = (root.path().join("app"), root.path().join(std::ffi::OsStr::from_bytes(b"lib\xff")));
    fs::create_dir_all(&app).unwrap();
    fs::create_dir_all(&lib).unwrap();
    fs::write(app.join("go.mod"), b"module example.com/app\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\xff\n").unwrap();
    fs::write(app.join("main.go"), "package main\n\nimport _ \"example.com/lib\"\n\nfunc main() {}\n").unwrap();
    fs::write(lib.join("go.mod"), "module example.com/lib\n\ngo 1.22\n").unwrap();
    fs::write(lib.join("lib.go"), "package lib\n").unwrap();
    fs::write(root.path().join("go.work"), b"go 1.22\n\nuse ./app\nuse ./lib\xff\n").unwrap();
    let work = root.path().join("go.work");
    for gowork in [std::ffi::OsStr::new("off"), work.as_os_str()] {
        let listed = heft_testkit::go::run(
            heft_testkit::go(["list", "-deps", "."]).current_dir(&app).env("GOWORK", gowork).env("GOFLAGS", ""),
        );
        let out =
            crate::env::heft_command().args(["deps", "."]).current_dir(&app).env("GOWORK", gowork).output().unwrap();
        assert!(out.status.success(), "GOWORK={gowork:?}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), text(&listed.stdout), "GOWORK={gowork:?}");
        assert!(text(&out.stdout).contains("example.com/lib\n"));
    }
}
