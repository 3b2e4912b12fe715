//! What commands read besides the packages: size reports (a binary or a
//! saved `heft size --json`), heft.toml and heft.lock, and measurements —
//! saved, or taken now by building and running the binaries.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use anyhow::{Context, Result};
use heft_analyze::config::Config;
use heft_analyze::lock::Lock;
use heft_gobin::{GoBinary, SizeReport};
use heft_measure::{BinaryMeasure, JSON_VERSION, MeasureError, Measurement, Options};

/// A binary (or a saved report) mapped, not read: only the pages heft
/// looks at (headers, symbols, the function table) are brought in, never
/// the DWARF. Only a non-empty regular file: a FIFO would block and a
/// device never end.
fn map_file(path: &Path) -> Result<memmap2::Mmap> {
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if !meta.is_file() {
        anyhow::bail!("{}: not a regular file (a Go binary or a saved `heft size --json`)", path.display());
    }
    if meta.len() == 0 {
        anyhow::bail!("{}: an empty file (a Go binary or a saved `heft size --json`)", path.display());
    }
    let file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    // SAFETY: the map is read-only; a file truncated meanwhile by another
    // process is the one way it can fault, as with any program that maps
    // its input.
    unsafe { memmap2::Mmap::map(&file) }.with_context(|| format!("reading {}", path.display()))
}

/// Reads a binary, or a saved JSON report.
pub fn size_report(path: &Path) -> Result<SizeReport> {
    let map = map_file(path)?;
    let data = &map[..];
    let first = data.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let mut report = if first == Some(b'{') {
        serde_json::from_slice::<SizeReport>(data)
            .with_context(|| format!("{}: not a saved `heft size --json` result", path.display()))?
    } else {
        let bin = GoBinary::parse(data).with_context(|| format!("{}", path.display()))?;
        SizeReport::new(&bin)
    };
    if report.file.is_empty() {
        report.file = path.display().to_string();
    }
    Ok(report)
}

/// heft.toml and heft.lock of a directory, or the files named.
pub fn read_rules(
    dir: &std::path::Path,
    config: Option<&PathBuf>,
    lock: Option<&PathBuf>,
) -> Result<(Config, Option<Lock>, PathBuf)> {
    // `-C .` (the default) names files as users write them: heft.toml.
    let in_dir = |name: &str| if dir == std::path::Path::new(".") { PathBuf::from(name) } else { dir.join(name) };
    let config_file = config.cloned().unwrap_or_else(|| in_dir("heft.toml"));
    let mut config =
        if config.is_some() || config_file.is_file() { Config::read(&config_file)? } else { Config::default() };
    if config.dir.as_os_str().is_empty() {
        config.dir = dir.to_path_buf();
    }
    let lock_file = lock.cloned().unwrap_or_else(|| in_dir("heft.lock"));
    let lock = if lock.is_some() || lock_file.is_file() {
        let text = std::fs::read_to_string(&lock_file).with_context(|| format!("reading {}", lock_file.display()))?;
        Some(Lock::parse(&text, &lock_file)?)
    } else {
        None
    };
    Ok((config, lock, lock_file))
}

/// The roots to load: named, else the config's, else the lock's, else ./... .
pub fn roots(named: &[String], config: &Config, lock: Option<&Lock>) -> Vec<String> {
    if !named.is_empty() {
        return named.to_vec();
    }
    let from_config = config.roots();
    if !from_config.is_empty() {
        return from_config;
    }
    match lock {
        Some(l) if !l.binaries.is_empty() => l.binaries.keys().cloned().collect(),
        _ => vec!["./...".to_string()],
    }
}

/// The signal that interrupted the measurement (0: none).
static INTERRUPTED: AtomicI32 = AtomicI32::new(0);

/// On SIGINT or SIGTERM, stops the measured programs (their whole process
/// groups) and removes heft's temporary directories before exiting.
#[cfg(unix)]
pub fn stop_everything_on_signals() -> Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            INTERRUPTED.store(signal, Ordering::SeqCst);
            heft_measure::stop_everything();
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

/// The exit status of a run a signal cut short: the main thread may see
/// the killed program's end before the signal thread exits, and must not
/// report it as the program's failure.
pub fn interrupted() -> Option<ExitCode> {
    let signal = INTERRUPTED.load(Ordering::SeqCst);
    (signal != 0).then(|| ExitCode::from((128 + signal) as u8))
}

/// Builds and runs each main package `roots` match, saying which on stderr
/// (builds take seconds to minutes, the first one with a toolchain rebuilds
/// the standard library for the probe), and hands each result to `report`.
pub fn measure_mains(
    opts: &Options,
    roots: &[String],
    report: &mut impl FnMut(Result<Vec<BinaryMeasure>, MeasureError>),
) -> Result<(), MeasureError> {
    let mains = heft_measure::main_packages(opts, roots)?;
    for (i, m) in mains.iter().enumerate() {
        eprintln!("heft measure: [{}/{}] building and running {} ...", i + 1, mains.len(), m.import_path);
        report(heft_measure::measure_main(opts, m));
    }
    Ok(())
}

/// Measures `roots` (one run each, the default timeout) for a command that
/// needs measured figures; a failure is an error.
pub fn measure_for(
    dir: &std::path::Path,
    tags: Option<String>,
    cgo: Option<bool>,
    roots: &[String],
) -> Result<Measurement> {
    #[cfg(unix)]
    stop_everything_on_signals()?;
    let opts = Options {
        go: std::env::var_os("HEFT_GO").map_or_else(|| "go".into(), PathBuf::from),
        dir: dir.to_path_buf(),
        timeout: Duration::from_secs(60),
        runs: 1,
        tags,
        cgo,
    };
    let mut binaries = Vec::new();
    let mut error = None;
    measure_mains(&opts, roots, &mut |r| match r {
        Ok(runs) => binaries.extend(heft_measure::median(&runs)),
        Err(e) => error = Some(e),
    })?;
    if let Some(e) = error {
        return Err(e.into());
    }
    Ok(Measurement { heft_measure: JSON_VERSION, go_version: go_version(&opts), binaries })
}

/// The Go version in the build information of the binary at `path`
/// (relative to `dir`, as `heft measure --binary` runs it); empty when it
/// has none or cannot be read.
pub fn binary_go_version(dir: &std::path::Path, path: &std::path::Path) -> String {
    let Ok(data) = map_file(&dir.join(path)) else { return String::new() };
    heft_gobin::buildinfo::find(&data)
        .and_then(|blob| heft_gobin::buildinfo::parse(blob).ok())
        .map(|bi| bi.go_version)
        .unwrap_or_default()
}

pub fn go_version(opts: &Options) -> String {
    std::process::Command::new(&opts.go)
        .args(["env", "GOVERSION"])
        .current_dir(&opts.dir)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
