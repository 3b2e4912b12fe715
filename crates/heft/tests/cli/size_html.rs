//! `heft size --html` in a real browser: the page of a saved report and of
//! a diff, opened by headless Chromium from a file (the page makes no
//! request), must draw its treemap without a script error and look like
//! something (a screenshot of many colours), and the data it carries must
//! be the `--json` document. Chromium is required, not optional: `.ci/run`
//! installs it; without it these tests fail and say how to install it.
//! The screenshots stay in the target directory (`size-html/*.png`) to be
//! looked at.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::env::heft_command;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures").join(name).display().to_string()
}

/// heft's stdout for `args`; the command must succeed.
fn heft(args: &[&str]) -> String {
    let out = heft_command().args(args).output().expect("run heft");
    assert!(out.status.success(), "heft {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The JSON document the page carries, as written in it (the `<` of
/// strings escaped as `\u003c`, so nothing in it can close the element).
fn embedded(page: &str) -> &str {
    let open = r#"<script type="application/json" id="heft-data""#;
    let start = page.find(open).expect("the page has its data element");
    let body = &page[start..];
    let body = &body[body.find('>').expect("the element's tag closes") + 1..];
    &body[..body.find("</script>").expect("the data element closes")]
}

/// The data of the page is `--json`'s document: the same value, and the
/// same text but for the escaped `<`.
fn assert_same_data(page: &str, json: &str) {
    let data = embedded(page);
    assert!(!data.contains('<'), "a `<` in the page's data");
    let value: serde_json::Value = serde_json::from_str(data).expect("the page's data is JSON");
    let want: serde_json::Value = serde_json::from_str(json).expect("--json is JSON");
    assert_eq!(value, want);
    assert_eq!(data.trim_start().replace("\\u003c", "<"), json, "the page's data differs from --json in text");
}

/// Chromium, which these tests need.
fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
        if let Some(dir) =
            std::env::var_os("PATH").iter().flat_map(std::env::split_paths).find(|dir| dir.join(name).is_file())
        {
            return dir.join(name);
        }
    }
    panic!(
        "headless Chromium is needed to test `heft size --html` and is not on PATH: \
         install it (Debian: apt-get install chromium; .ci/run does)"
    )
}

/// Runs headless Chromium on `page` (and its `#fragment`, if not empty)
/// with `args`, in a profile of its own; its stdout. Killed after two
/// minutes.
fn run_chromium(dir: &Path, page: &Path, fragment: &str, args: &[&str]) -> String {
    let profile = dir.join(format!("profile-{}{}", args.len(), fragment.len()));
    let mut child = Command::new(chromium())
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"])
        .args(["--window-size=1280,900", "--disable-dev-shm-usage", "--disable-extensions"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}{fragment}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            child.wait().ok();
            panic!("chromium {args:?} on {} took over two minutes", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = reader.join().unwrap();
    let err = errors.join().unwrap();
    assert!(status.success(), "chromium {args:?}: {status}\n{err}");
    out
}

/// Opens `page` in Chromium: the DOM after its script ran, checked for a
/// treemap of at least `min_rectangles` and no error, and a screenshot,
/// checked for many colours; both kept under `size-html/` in the target
/// directory.
fn render(name: &str, page: &str, min_rectangles: usize) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("size-html").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{name}.html"));
    std::fs::write(&file, page).unwrap();

    let dom = run_chromium(&dir, &file, "", &["--dump-dom", "--virtual-time-budget=5000"]);
    std::fs::write(dir.join(format!("{name}.dom.html")), &dom).unwrap();
    let root = &dom[dom.find("<html").expect("a root element")..];
    let root = &root[..root.find('>').expect("the root element's tag closes")];
    assert!(!root.contains("data-error"), "the page's script failed: {root}");
    let rendered = root
        .split("data-rendered=\"")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("the page drew no treemap: {root}"));
    assert!(rendered >= min_rectangles, "{rendered} rectangles, fewer than {min_rectangles}");

    let shot = dir.join(format!("{name}.png"));
    run_chromium(&dir, &file, "", &[&format!("--screenshot={}", shot.display())]);
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).expect("a screenshot")));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("an image of sane size")];
    let info = reader.next_frame(&mut pixels).expect("the PNG decodes");
    assert_eq!((info.width, info.height), (1280, 900), "the screenshot's size");
    let step = info.color_type.samples();
    let mut colours = std::collections::HashMap::<&[u8], usize>::new();
    for px in pixels[..info.buffer_size()].chunks_exact(step) {
        *colours.entry(px).or_default() += 1;
    }
    let most = colours.values().max().copied().unwrap_or(0);
    let all = (info.width * info.height) as usize;
    assert!(colours.len() >= 30, "{} colours in the screenshot {}", colours.len(), shot.display());
    assert!(most < all * 8 / 10, "one colour covers {most} of {all} pixels of {}", shot.display());
    dom
}

#[test]
fn size_html_of_a_saved_report() {
    let report = fixture("server.size.json");
    let page = heft(&["size", "--html", &report]);
    assert_same_data(&page, &heft(&["size", "--json", &report]));
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.contains("http://") && !page.contains("https://"), "the page names an address");
    let dom = render("server", &page, 50);
    for text in ["server", "go1.26.8", "13.1 MB", "example.com/busybox", "runtime", ".gopclntab", "-s -w removes"] {
        assert!(dom.contains(text), "the page does not show {text:?}");
    }
}

#[test]
fn size_html_of_a_diff() {
    let (old, new) = (fixture("agent.size.json"), fixture("server.size.json"));
    let page = heft(&["size", "--html", &old, &new]);
    assert_same_data(&page, &heft(&["size", "--json", &old, &new]));
    let dom = render("diff", &page, 20);
    for text in ["agent → server", "Sections that changed", "Packages that changed", "net/http"] {
        assert!(dom.contains(text), "the page does not show {text:?}");
    }
    let by_module = heft(&["size", "--html", "--by", "module", &old, &new]);
    assert_same_data(&by_module, &heft(&["size", "--json", "--by", "module", &old, &new]));
}

/// The address names the view: `#std|net/http` opens zoomed into net/http,
/// whose parts are the only rectangles; an unknown name stops the descent.
#[test]
fn size_html_zooms_by_address() {
    let page = heft(&["size", "--html", &fixture("server.size.json")]);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("size-html").join("zoom");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("zoom.html");
    std::fs::write(&file, &page).unwrap();
    for (fragment, view) in [("#std%7Cnet%2Fhttp", "std|net/http"), ("#std%7Cno-such", "std"), ("#%zz", "")] {
        let dom = run_chromium(&dir, &file, fragment, &["--dump-dom", "--virtual-time-budget=5000"]);
        let root = &dom[dom.find("<html").unwrap()..];
        let root = &root[..root.find('>').unwrap()];
        assert!(!root.contains("data-error"), "{fragment}: {root}");
        assert!(root.contains(&format!("data-view=\"{view}\"")), "{fragment}: {root}");
        if view == "std|net/http" {
            // text, fn table, data (its rodata is all function table).
            assert!(root.contains("data-rendered=\"3 rectangles\""), "{root}");
        }
    }
}

/// A program of 2,500 packages: the tiny ones are drawn as "N more", so
/// the page stays a few thousand rectangles and quick.
#[test]
fn size_html_of_thousands_of_packages() {
    let mut report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("server.size.json")).unwrap()).unwrap();
    let template = report["packages"][0].clone();
    let packages = report["packages"].as_array_mut().unwrap();
    for i in 0..2500u64 {
        let mut p = template.clone();
        p["name"] = format!("example.com/many/m{}/p{i}</script>", i % 40).into();
        p["module"] = format!("example.com/many/m{}", i % 40).into();
        for (k, n) in
            [("text", 3000 + i * 37 % 9000), ("rodata", 1000 + i * 13 % 4000), ("pclntab", 900), ("data", i % 300)]
        {
            p[k] = n.into();
        }
        p["bss"] = 0.into();
        p["other"] = 0.into();
        p["total"] = (p["text"].as_u64().unwrap() + p["rodata"].as_u64().unwrap() + p["data"].as_u64().unwrap()).into();
        packages.push(p);
    }
    let dir = heft_testkit::scratch("size-html-many");
    let saved = dir.path().join("many.size.json");
    std::fs::write(&saved, serde_json::to_string(&report).unwrap()).unwrap();
    let saved = saved.display().to_string();
    let page = heft(&["size", "--html", &saved]);
    assert_same_data(&page, &heft(&["size", "--json", &saved]));
    let start = Instant::now();
    let dom = render("many", &page, 100);
    let rendered: usize = dom.split("data-rendered=\"").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(rendered < 5000, "{rendered} rectangles for 2,500 packages");
    assert!(dom.contains(" more"), "no \"N more\" rectangle");
    assert!(start.elapsed() < Duration::from_secs(60), "rendering took {:?}", start.elapsed());
}

#[test]
fn size_html_and_json_conflict() {
    let out = heft_command().args(["size", "--html", "--json", &fixture("agent.size.json")]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}
