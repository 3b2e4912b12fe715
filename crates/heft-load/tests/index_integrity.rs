//! The persistent index never changes an answer: a damaged entry (any bit
//! flipped), a file that is not a regular file, or one too large to be an
//! index is ignored and rewritten, and the load equals a load without it.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use heft_load::Program;
use heft_testkit::oracle::Case;
use heft_testkit::{Platform, scratch, workspace_root};

/// Everything a load answers, per package.
fn summary(prog: &Program) -> Vec<String> {
    prog.deps_order()
        .into_iter()
        .map(|id| {
            let p = prog.package(id);
            let imports: Vec<String> = p
                .imports
                .iter()
                .map(|i| {
                    format!("{}@{:?}", i.path, i.sites.iter().map(|s| (s.file, s.line, s.col)).collect::<Vec<_>>())
                })
                .collect();
            let errors: Vec<String> = p.errors.iter().map(ToString::to_string).collect();
            format!(
                "{} {} {:?} {:?} {:?} {} {imports:?} {errors:?}",
                p.path,
                p.dir.display(),
                p.go_files,
                p.cgo_files,
                p.ignored_go_files,
                p.source_bytes
            )
        })
        .collect()
}

/// Equal, or a panic naming the first package that differs.
fn assert_same(got: &[String], want: &[String], what: &str) {
    if got != want {
        let at = got.iter().zip(want).position(|(g, w)| g != w).unwrap_or(got.len().min(want.len()));
        panic!(
            "{what}: {} vs {} packages; first difference:\n  got  {:?}\n  want {:?}",
            got.len(),
            want.len(),
            got.get(at),
            want.get(at)
        );
    }
}

fn case() -> Case {
    Case::whole(&workspace_root().join("examples/busybox"), "./...", Platform::LINUX_AMD64)
}

/// A load with the index in `dir`, on a thread: a hang is a failure, not a
/// stuck test.
fn load_with(dir: &Path) -> Vec<String> {
    let (tx, rx) = mpsc::channel();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(summary(&case().heft_with_index(Some(dir)).expect("load")));
    });
    rx.recv_timeout(Duration::from_secs(60)).expect("a load with the index finishes")
}

fn index_file(dir: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("index-")))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn flipped_bits_never_change_the_answer() {
    let fresh = summary(&case().heft().expect("load"));
    let cache = scratch("index-flips");
    assert_same(&load_with(cache.path()), &fresh, "writing the index");
    let file = index_file(cache.path());
    let good = std::fs::read(&file).unwrap();
    assert_same(&load_with(cache.path()), &fresh, "reading the index");
    // Bits spread over the whole file (header, table, entries).
    let bits = good.len() * 8;
    let samples = 240;
    for k in 0..samples {
        let bit = (k * 7919 + k * k * 104_729) % bits;
        let mut bad = good.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        std::fs::write(&file, &bad).unwrap();
        assert_same(&load_with(cache.path()), &fresh, &format!("bit {bit} of {bits} flipped"));
        // What was damaged is rewritten: the next load reads a sound index.
        assert_same(&load_with(cache.path()), &fresh, &format!("after bit {bit}"));
    }
}

#[cfg(unix)]
#[test]
fn an_index_that_is_not_a_regular_file_is_replaced() {
    let fresh = summary(&case().heft().expect("load"));
    let cache = scratch("index-special");
    assert_same(&load_with(cache.path()), &fresh, "after replacing the index");
    let file = index_file(cache.path());
    let replace = |make: &dyn Fn(&Path)| {
        std::fs::remove_file(&file).unwrap();
        make(&file);
        assert_same(&load_with(cache.path()), &fresh, "after replacing the index");
        assert!(std::fs::symlink_metadata(&file).unwrap().is_file(), "rewritten as a regular file");
    };
    replace(&|f| {
        let st = std::process::Command::new("mkfifo").arg(f).status().expect("mkfifo");
        assert!(st.success());
    });
    replace(&|f| std::os::unix::fs::symlink("/dev/zero", f).unwrap());
    // Sparse: larger than any index, without taking the disk.
    replace(&|f| std::fs::File::create(f).unwrap().set_len(1 << 30).unwrap());
    assert!(std::fs::metadata(&file).unwrap().len() < 1 << 20);
}
