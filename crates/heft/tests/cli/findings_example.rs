//! `heft findings` on the bundled example: each designed shape (see
//! examples/busybox/README.md) is found at its exact file:line.

use std::path::Path;
use std::process::Output;

use heft_analyze::recipe::eager_recipe;
use heft_syntax::{EagerInit, EagerKind};
use serde_json::Value;

use crate::env::example;

fn heft(args: &[&str]) -> Output {
    crate::env::heft_output(&example(), args)
}

fn findings_json(args: &[&str]) -> Value {
    let mut all = vec!["findings", "--json"];
    all.extend_from_slice(args);
    let out = heft(&all);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The non-test Go files of a directory of the example.
fn go_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("example directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".go") && !f.ends_with("_test.go"))
        .collect();
    files.sort();
    files
}

fn eager(pkg: &str) -> Vec<EagerInit> {
    let dir = example().join(pkg);
    heft_syntax::eager_inits(&dir, &go_files(&dir)).expect("parse")
}

/// (file, line, kind, callee) of each initializer.
fn summary(inits: &[EagerInit]) -> Vec<(String, u32, EagerKind, Option<String>)> {
    inits.iter().map(|i| (i.pos.file.clone(), i.pos.line, i.kind, i.callee.clone())).collect()
}

#[test]
fn eager_regexps_are_found_with_the_once_value_recipe() {
    let mut inits = eager("pkg/policy");
    inits.retain(|i| i.pos.file == "matchers.go");
    let re = Some("regexp.MustCompile".to_string());
    assert_eq!(
        summary(&inits),
        vec![
            ("matchers.go".into(), 9, EagerKind::Call, re.clone()),
            ("matchers.go".into(), 12, EagerKind::Call, re.clone()),
            ("matchers.go".into(), 13, EagerKind::Call, re.clone()),
            ("matchers.go".into(), 14, EagerKind::Call, re),
        ]
    );
    assert_eq!(inits[0].names, ["imageRef"]);
    assert_eq!(
        eager_recipe(&inits[0]),
        "var imageRef = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(...) }); call imageRef() where it is used"
    );
}

#[test]
fn eager_template_map_schema_and_table_are_found() {
    assert_eq!(
        summary(&eager("pkg/webui")),
        vec![("templates.go".into(), 9, EagerKind::Call, Some("template.Must".into()))]
    );
    assert!(eager_recipe(&eager("pkg/webui")[0]).contains("sync.OnceValue(func() *template.Template"));

    let mime = eager("pkg/mimetypes");
    assert_eq!(summary(&mime), vec![("table.go".into(), 9, EagerKind::LargeLiteral, None)]);
    assert_eq!(mime[0].elements, Some(349));
    assert!(
        eager_recipe(&mime[0]).starts_with("var byExt = sync.OnceValue(func() map[string]string {"),
        "{}",
        eager_recipe(&mime[0])
    );

    let schema = eager("pkg/schema");
    assert_eq!(summary(&schema), vec![("bundled.go".into(), 12, EagerKind::Call, Some("mustParse".into()))]);
    assert!(
        eager_recipe(&schema[0]).contains("sync.OnceValue(func() *Schema { return mustParse(...) })"),
        "{}",
        eager_recipe(&schema[0])
    );

    let tz = eager("pkg/tzdb");
    assert_eq!(summary(&tz), vec![("table.go".into(), 15, EagerKind::Call, Some("buildTable".into()))]);
    assert!(
        eager_recipe(&tz[0]).contains("func() map[string]*Zone { return buildTable() }"),
        "{}",
        eager_recipe(&tz[0])
    );
}

#[test]
fn small_literals_and_cheap_calls_are_not_eager() {
    // tzdb's 12-element `regions` array is below the threshold; config's
    // files declare no initializers at all.
    assert!(eager("pkg/tzdb").iter().all(|i| i.names != ["regions"]));
    assert!(eager("pkg/config").is_empty(), "{:?}", summary(&eager("pkg/config")));
}

#[test]
fn init_functions_are_found() {
    let inits = eager("pkg/db/driver");
    let init = inits.iter().find(|i| i.kind == EagerKind::InitFunc).expect("driver's init");
    assert_eq!((init.pos.file.as_str(), init.pos.line), ("driver.go", 17));
    assert!(eager_recipe(init).contains("sync.OnceFunc"), "{}", eager_recipe(init));
}

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .expect("array")
        .iter()
        .find(|v| v[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list:#}"))
}

/// `file:line` of a JSON location.
fn at(loc: &Value) -> String {
    format!("{}:{}", loc["file"].as_str().expect("a location"), loc["line"])
}

/// The test-code diagnostic whose chain ends at `package`.
fn test_code<'a>(doc: &'a Value, package: &str) -> &'a Value {
    doc["testCode"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["chain"].as_array().unwrap().last().unwrap()["package"] == package)
        .unwrap_or_else(|| panic!("no test code {package} in {doc:#}"))
}

#[test]
fn findings_json_reports_testing_in_the_server() {
    let doc = findings_json(&["./cmd/server"]);
    let t = test_code(&doc, "testing");
    assert_eq!((&t["code"], &t["severity"]), (&"test-code-in-binary".into(), &"warning".into()));
    assert_eq!(t["binaries"], serde_json::json!(["example.com/busybox/cmd/server"]));
    let chain: Vec<&str> = t["chain"].as_array().unwrap().iter().map(|h| h["package"].as_str().unwrap()).collect();
    assert_eq!(
        chain,
        [
            "example.com/busybox/cmd/server",
            "example.com/busybox/internal/server",
            "example.com/busybox/pkg/testutil",
            "testing"
        ]
    );
    assert_eq!(at(&t["chain"][3]["at"]), "pkg/testutil/metrics.go:13");
    assert_eq!(t["chain"][3]["at"]["package"], "example.com/busybox/pkg/testutil");
    assert_eq!(at(&t["location"]), "pkg/testutil/metrics.go:13");
    let direct = find(&t["related"], "message", "example.com/busybox/pkg/testutil -> testing");
    assert_eq!(at(&direct["location"]), "pkg/testutil/metrics.go:13");
    assert!(direct["recipe"].as_str().unwrap().starts_with("test helpers only (T)"), "{direct:#}");
    let caller =
        find(&t["related"], "message", "example.com/busybox/internal/server -> example.com/busybox/pkg/testutil");
    assert_eq!(at(&caller["location"]), "internal/server/metrics.go:7");
    assert!(caller["recipe"].as_str().unwrap().starts_with("test helpers only"), "{caller:#}");
    assert!(caller["note"].as_str().unwrap().contains("testutil.NewRecorder (function)"), "{caller:#}");
}

#[test]
fn findings_json_reports_each_eager_initializer() {
    let doc = findings_json(&["./cmd/..."]);
    let eager = &doc["eagerInit"];
    assert_eq!(eager["rankedBy"], "estimate");
    assert_eq!(eager["largeLiteralElements"], 100);
    let inits = |pkg: &str| -> Vec<(String, String)> {
        find(&eager["packages"], "package", &format!("example.com/busybox/{pkg}"))["initializers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                assert_eq!(
                    (&d["code"], &d["location"]["package"]),
                    (&"eager-init".into(), &format!("example.com/busybox/{pkg}").into())
                );
                (at(&d["location"]), d["message"].as_str().unwrap().to_string())
            })
            .collect()
    };
    let re =
        |line, name: &str| (format!("pkg/policy/matchers.go:{line}"), format!("var {name} = regexp.MustCompile(...)"));
    let policy = inits("pkg/policy");
    assert_eq!(policy.len(), 5, "the seven labels folded, four regexps: {policy:?}");
    assert_eq!(policy[0], ("pkg/policy/labels.go:11".into(), "7 × newLabel(...) in labels.go".into()));
    assert_eq!(policy[1], re(9, "imageRef"));
    assert_eq!(inits("pkg/webui"), [("pkg/webui/templates.go:9".into(), "var pages = template.Must(...)".into())]);
    assert_eq!(inits("pkg/mimetypes"), [("pkg/mimetypes/table.go:9".into(), "var byExt = 349-element literal".into())]);
    assert_eq!(inits("pkg/schema")[0].0, "pkg/schema/bundled.go:12");
    assert!(inits("pkg/schema")[0].1.ends_with("= mustParse(...)"), "{:?}", inits("pkg/schema"));
    assert_eq!(inits("pkg/tzdb")[0].0, "pkg/tzdb/table.go:15");
    assert!(inits("pkg/tzdb")[0].1.ends_with("= buildTable(...)"), "{:?}", inits("pkg/tzdb"));
    // Ranked by the static estimate: policy's regexps and template parsing
    // above a plain call.
    assert_eq!(eager["packages"][0]["package"], "example.com/busybox/pkg/policy");
    assert_eq!(eager["packages"][1]["package"], "example.com/busybox/pkg/webui");
}

#[test]
fn findings_json_reports_the_constant_only_import() {
    let doc = findings_json(&["./cmd/agent"]);
    let c = &doc["constantImports"][0];
    assert_eq!(c["code"], "constant-only-import");
    let edge: Vec<&str> = c["chain"].as_array().unwrap().iter().map(|h| h["package"].as_str().unwrap()).collect();
    assert_eq!(edge, ["example.com/busybox/pkg/config", "example.com/busybox/pkg/timeutil"]);
    assert_eq!(at(&c["location"]), "pkg/config/defaults.go:11");
    assert!(
        c["message"].as_str().unwrap().ends_with("for constants only (DefaultTickSeconds, MaxClockSkewSeconds)"),
        "{c:#}"
    );
    let removed: Vec<&str> = c["removes"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(removed.len() >= 3 && removed.contains(&"example.com/busybox/pkg/tzdb"), "{removed:?}");
    // Above the threshold it is not reported.
    let doc = findings_json(&["--min-packages", "50", "./cmd/agent"]);
    assert_eq!(doc["constantImports"], serde_json::json!([]));
}

#[test]
fn findings_text_has_a_section_per_kind() {
    let out = heft(&["findings", "./cmd/server"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("# Test-only code in the binaries (1)"), "{text}");
    assert!(text.contains("pkg/testutil/metrics.go:13  example.com/busybox/pkg/testutil -> testing"), "{text}");
    assert!(text.contains("internal/server/metrics.go:7  example.com/busybox/internal/server"), "{text}");
    assert!(text.contains("recipe: test helpers only"), "{text}");
    assert!(text.contains("# Eager initialization"), "{text}");
    assert!(text.contains("pkg/webui/templates.go:9  var pages = template.Must(...)"), "{text}");
    assert!(text.contains("# Constant-only imports that drag >= 3 packages (1)"), "{text}");
    assert!(
        text.contains("pkg/config/defaults.go:11  example.com/busybox/pkg/config -> example.com/busybox/pkg/timeutil"),
        "{text}"
    );
}

#[test]
fn test_package_patterns_extend_the_list() {
    let doc = findings_json(&["--test-package", "example.com/busybox/pkg/testutil", "./cmd/server"]);
    let t = test_code(&doc, "example.com/busybox/pkg/testutil");
    assert_eq!(at(&t["related"][0]["location"]), "internal/server/metrics.go:7");
    // The agent links no test code.
    let doc = findings_json(&["./cmd/agent"]);
    assert_eq!(doc["testCode"], serde_json::json!([]));
}

/// The designed shapes of pkg/policy/labels.go and zz_generated.go, as
/// syntax facts: the generated file is marked, the map literal nothing
/// names is unreferenced, and reading an environment variable is no
/// initializer at all.
#[test]
fn generated_unreferenced_and_cheap_initializers_are_told_apart() {
    let inits = eager("pkg/policy");
    let of = |name: &str| inits.iter().find(|i| i.names == [name]);
    assert!(of("policyHome").is_none(), "os.Getenv is cheap");
    let legacy = of("legacyCodes").expect("the map literal");
    assert_eq!(
        (legacy.kind, legacy.referenced, legacy.value_type.as_deref()),
        (EagerKind::LargeLiteral, false, Some("map[string]int"))
    );
    let generated = of("generatedRules").expect("the generated initializer");
    assert!(generated.generated && generated.referenced);
    assert_eq!(inits.iter().filter(|i| i.callee.as_deref() == Some("newLabel")).count(), 7);
    assert!(inits.iter().filter(|i| !i.generated).all(|i| i.pos.file != "zz_generated.go"));
}

/// What the findings make of them: one folded finding for the seven
/// labels, the generated file and the map literal left out with a count.
#[test]
fn findings_fold_repeats_and_leave_out_what_costs_nothing_or_is_generated() {
    let doc = findings_json(&["./cmd/agent"]);
    let eager = &doc["eagerInit"];
    assert_eq!(eager["rankedBy"], "estimate");
    assert_eq!(eager["leftOut"]["generated"], 1, "{:#}", eager["leftOut"]);
    assert_eq!(eager["leftOut"]["unreferencedMaps"], 1, "{:#}", eager["leftOut"]);
    let policy = find(&eager["packages"], "package", "example.com/busybox/pkg/policy");
    let messages: Vec<&str> =
        policy["initializers"].as_array().unwrap().iter().map(|d| d["message"].as_str().unwrap()).collect();
    assert!(messages.contains(&"7 × newLabel(...) in labels.go"), "{messages:?}");
    assert!(
        !messages.iter().any(|m| m.contains("policyHome") || m.contains("legacyCodes") || m.contains("generatedRules")),
        "{messages:?}"
    );
    // Recipes name the real type, never a made-up one.
    for d in eager["packages"].as_array().unwrap().iter().flat_map(|p| p["initializers"].as_array().unwrap()) {
        let recipe = d["recipe"].as_str().unwrap();
        assert!(!recipe.contains("func() T ") && !recipe.contains("(T1, T2)"), "{recipe}");
    }
    let with_generated = findings_json(&["--generated", "./cmd/agent"]);
    assert_eq!(with_generated["eagerInit"]["leftOut"]["generated"], 0);
    assert!(with_generated.to_string().contains("var generatedRules = compileRules(...)"));
}

#[test]
fn measurements_rank_eager_init_by_init_bytes() {
    let measured = heft(&["measure", "--json", "./cmd/agent"]);
    assert!(measured.status.success(), "heft measure: {}", String::from_utf8_lossy(&measured.stderr));
    let file = std::env::temp_dir().join(format!("heft-measure-findings-{}.json", std::process::id()));
    std::fs::write(&file, &measured.stdout).unwrap();
    let doc = findings_json(&["--measurements", file.to_str().unwrap(), "./cmd/agent"]);
    let _ = std::fs::remove_file(&file);
    let eager = &doc["eagerInit"];
    assert_eq!(eager["rankedBy"], "measured");
    let keys: Vec<(u64, u64)> = eager["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["retainedBytes"].as_u64().unwrap(), p["initBytes"].as_u64().unwrap()))
        .collect();
    assert!(keys.windows(2).all(|w| w[0] >= w[1]), "{keys:?}");
    // What init keeps comes first: the 1 MiB fixture, then the time-zone
    // table (≈0.48 MB kept); the 4 MiB churn keeps nothing but still ranks.
    assert_eq!(eager["packages"][0]["package"], "example.com/busybox/internal/initalloc/retain1m");
    assert_eq!(eager["packages"][1]["package"], "example.com/busybox/pkg/tzdb");
    let tz = find(&eager["packages"], "package", "example.com/busybox/pkg/tzdb");
    assert!(tz["retainedBytes"].as_u64().unwrap() > 400_000, "{tz:#}");
    find(&eager["packages"], "package", "example.com/busybox/internal/initalloc/churn4m");
}

#[test]
fn conversions_and_interface_assertions_are_not_eager() {
    let dir = std::env::temp_dir().join(format!("heft-findings-conv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a.go"),
        "package a\n\nimport (\n\t\"errors\"\n\t\"io\"\n\t\"time\"\n)\n\n\
         var _ io.Reader = (*T)(nil)\n\nvar ErrX = errors.New(\"x\")\n\nvar d = time.Duration(5)\n\n\
         var c = Code(3)\n\nvar n = newT()\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.go"),
        "package a\n\ntype (\n\tT struct{}\n\tCode int\n)\n\nfunc newT() *T { return &T{} }\n",
    )
    .unwrap();
    let inits = heft_syntax::eager_inits(&dir, &["a.go".into(), "b.go".into()]).expect("parse");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(summary(&inits), vec![("a.go".into(), 17, EagerKind::Call, Some("newT".into()))]);
    assert_eq!(inits[0].value_type.as_deref(), Some("*T"));
}
