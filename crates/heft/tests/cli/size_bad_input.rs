//! `heft size` on bad input: not a Go binary, truncated files, corrupted
//! pclntab and build information. A clear error or a result marked partial,
//! never a panic.

use std::sync::OnceLock;

use heft_gobin::{Error, GoBinary, SizeReport};
use heft_testkit::go::run;
use heft_testkit::{go, scratch, workspace_root};

/// The bundled example server, built once per run of this file.
fn example_binary() -> &'static [u8] {
    static BINARY: OnceLock<Vec<u8>> = OnceLock::new();
    BINARY.get_or_init(|| {
        let out = scratch("size-bad-input");
        let exe = out.path().join("server");
        run(go(["build", "-o"])
            .arg(&exe)
            .arg("./cmd/server")
            .current_dir(workspace_root().join("examples/busybox"))
            .env("GOWORK", "off")
            .env("CGO_ENABLED", "0"));
        std::fs::read(exe).unwrap()
    })
}

fn find(data: &[u8], needle: &[u8]) -> usize {
    data.windows(needle.len()).position(|w| w == needle).expect("needle")
}

#[test]
fn size_rejects_non_executables() {
    for data in [&b""[..], b"hello", &[0x7f, b'E', b'L', b'F', 2, 1, 1, 0], &[0u8; 4096]] {
        assert!(matches!(GoBinary::parse(data), Err(Error::Container(_))), "{data:?}");
    }
}

#[test]
fn size_rejects_non_go_executables() {
    let Ok(data) = std::fs::read("/bin/true") else { return };
    let err = GoBinary::parse(&data).unwrap_err();
    assert!(matches!(err, Error::NotGo), "{err}");
    assert!(err.to_string().contains("not a Go binary"));
}

#[test]
fn size_truncated_binary_never_panics() {
    let data = example_binary();
    for frac in [1usize, 2, 5, 10, 30, 50, 70, 90, 99] {
        let cut = &data[..data.len() * frac / 100];
        if let Ok(bin) = GoBinary::parse(cut) {
            let r = SizeReport::new(&bin);
            for s in &r.sections {
                assert_eq!(s.attributed + s.unattributed, s.size);
            }
        }
    }
}

#[test]
fn size_corrupted_pclntab_is_reported() {
    let data = example_binary();
    let magic = find(data, &[0xf1, 0xff, 0xff, 0xff, 0, 0, 1, 8]);
    // Unknown version: a clear error, build information still read.
    let mut bad = data.to_vec();
    bad[magic..magic + 4].copy_from_slice(&0xFFFF_FFF7u32.to_le_bytes());
    let bin = GoBinary::parse(&bad).unwrap();
    assert!(bin.pclntab.is_none());
    assert!(bin.warnings.iter().any(|w| w.contains("unknown magic")), "{:?}", bin.warnings);
    assert!(bin.buildinfo.is_some());
    let r = SizeReport::new(&bin);
    assert!(r.partial);
    // A function count far past the data.
    let mut bad = data.to_vec();
    bad[magic + 8..magic + 16].copy_from_slice(&u64::MAX.to_le_bytes());
    let bin = GoBinary::parse(&bad).unwrap();
    assert!(bin.pclntab.is_none() && !bin.warnings.is_empty());
    // Garbage over the function table and names: partial or error, no panic.
    for (i, off) in [64usize, 1000, 100_000, 1_000_000].into_iter().enumerate() {
        let mut bad = data.to_vec();
        for (j, b) in bad[magic + off..magic + off + 4096].iter_mut().enumerate() {
            *b = (j as u8).wrapping_mul(37).wrapping_add(i as u8) | 0x80;
        }
        if let Ok(bin) = GoBinary::parse(&bad) {
            let _ = SizeReport::new(&bin);
        }
    }
}

#[test]
fn size_corrupted_buildinfo_is_reported() {
    let data = example_binary();
    let at = find(data, b"\xff Go buildinf:");
    // Flags without inline strings (the pre-1.18 layout): not supported, said so.
    let mut bad = data.to_vec();
    bad[at + 15] &= !2;
    let bin = GoBinary::parse(&bad).unwrap();
    assert!(bin.buildinfo.is_none());
    assert!(bin.warnings.iter().any(|w| w.contains("pre-Go 1.18")), "{:?}", bin.warnings);
    assert!(bin.pclntab.is_some());
    // A string length past the end.
    let mut bad = data.to_vec();
    bad[at + 32..at + 37].copy_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
    let bin = GoBinary::parse(&bad).unwrap();
    assert!(bin.buildinfo.is_none() && !bin.warnings.is_empty());
    assert!(SizeReport::new(&bin).partial);
}

/// A FIFO would block and a device never end: only regular files are read.
#[cfg(unix)]
#[test]
fn size_reads_only_regular_files() {
    let dir = scratch("size-special");
    let fifo = dir.path().join("fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for path in [fifo.as_path(), std::path::Path::new("/dev/zero"), dir.path()] {
        let (tx, rx) = std::sync::mpsc::channel();
        let path_arg = path.to_path_buf();
        std::thread::spawn(move || {
            let out = crate::env::heft_command().arg("size").arg(&path_arg).output().unwrap();
            let _ = tx.send(out);
        });
        let out = rx.recv_timeout(std::time::Duration::from_secs(30)).expect("heft size returns");
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("not a regular file"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
