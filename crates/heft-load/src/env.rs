//! The go command's configuration: `go env -json`, read once, then the
//! settings heft needs for file selection and module resolution.

use std::collections::HashMap;
use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

use heft_gosrc::BuildContext;

use crate::error::LoadError;

/// How module dependencies are resolved (`-mod`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModMode {
    /// Not set: vendor mode when `vendor/modules.txt` applies, else readonly.
    Default,
    /// `-mod=readonly`: go.mod must already be tidy enough; never updated.
    Readonly,
    /// `-mod=mod`: the go command would update go.mod; heft takes the
    /// versions it would write.
    Mod,
    /// `-mod=vendor`: packages come from the vendor directory.
    Vendor,
}

/// The settings of one analysis: what `go env` says, after flags.
#[derive(Clone, Debug)]
pub struct GoEnv {
    /// `GOROOT`: where the standard library is.
    pub goroot: PathBuf,
    /// `GOMODCACHE`: where module versions are.
    pub gomodcache: PathBuf,
    /// Target `GOOS`.
    pub goos: String,
    /// Target `GOARCH`.
    pub goarch: String,
    /// `CGO_ENABLED`.
    pub cgo_enabled: bool,
    /// `GOWORK`: empty = search parent directories, `off` = disabled, else a file.
    pub gowork: String,
    /// `GO111MODULE`; `off` (GOPATH mode) is refused.
    pub go111module: String,
    /// `GOEXPERIMENT`, which adds `goexperiment.*` build tags.
    pub goexperiment: String,
    /// The architecture level variable for GOARCH (GOAMD64, GOARM64, ...).
    pub arch_level: Option<String>,
    /// The minor release of the installed toolchain (26 for go1.26.8).
    pub go_minor: u32,
    /// GOVERSION, e.g. "go1.26.8".
    pub go_version: String,
    /// `-tags` from GOFLAGS and the command line, in that order.
    pub tags: Vec<String>,
    /// `-mod` from GOFLAGS.
    pub mod_mode: ModMode,
    /// `-race`, `-msan` or `-asan` from GOFLAGS: the mode's build tag, and
    /// its runtime package linked into every program.
    pub instrument: Option<Instrument>,
    /// `-cover` or `-covermode` from GOFLAGS: runtime/coverage linked into
    /// every program. (With `atomic` the compiled packages also use
    /// sync/atomic, which runtime/coverage links anyway; `go list` does not
    /// show those imports, and neither does heft.)
    pub cover: Option<CoverMode>,
}

/// A sanitizer mode of the build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instrument {
    /// `-race`.
    Race,
    /// `-msan`.
    Msan,
    /// `-asan`.
    Asan,
}

impl Instrument {
    /// The mode's name: its flag without the dash, and its build tag.
    pub fn name(self) -> &'static str {
        match self {
            Instrument::Race => "race",
            Instrument::Msan => "msan",
            Instrument::Asan => "asan",
        }
    }

    /// The runtime package the linker adds for it.
    pub fn runtime_package(self) -> &'static str {
        match self {
            Instrument::Race => "runtime/race",
            Instrument::Msan => "runtime/msan",
            Instrument::Asan => "runtime/asan",
        }
    }

    /// The targets the go command supports the mode on
    /// (internal/platform's RaceDetectorSupported, MSanSupported,
    /// ASanSupported, Go 1.26).
    fn supported(self, goos: &str, goarch: &str) -> bool {
        match (self, goos) {
            (Instrument::Race, "linux") => {
                matches!(goarch, "amd64" | "arm64" | "loong64" | "ppc64le" | "riscv64" | "s390x")
            }
            (Instrument::Race, "darwin") => matches!(goarch, "amd64" | "arm64"),
            (Instrument::Race, "freebsd" | "netbsd" | "windows") => goarch == "amd64",
            (Instrument::Msan, "linux") => matches!(goarch, "amd64" | "arm64" | "loong64"),
            (Instrument::Msan, "freebsd") => goarch == "amd64",
            (Instrument::Asan, "linux") => matches!(goarch, "arm64" | "amd64" | "loong64" | "riscv64" | "ppc64le"),
            _ => false,
        }
    }
}

/// `-covermode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoverMode {
    /// `set`, the default.
    Set,
    /// `count`.
    Count,
    /// `atomic`, the default with `-race`: counters updated with sync/atomic.
    Atomic,
}

/// Overrides the user gave on heft's command line (`--goos` ...).
#[derive(Clone, Debug, Default)]
pub struct EnvOverrides {
    /// Target GOOS instead of `go env`'s.
    pub goos: Option<String>,
    /// Target GOARCH instead of `go env`'s.
    pub goarch: Option<String>,
    /// CGO_ENABLED instead of `go env`'s.
    pub cgo_enabled: Option<bool>,
    /// Build tags added after those of GOFLAGS.
    pub tags: Vec<String>,
    /// More environment for the go command (GOFLAGS, GOWORK, ...), as if set
    /// in heft's own environment.
    pub vars: Vec<(String, String)>,
}

const ARCH_LEVEL_VARS: &[(&str, &str)] = &[
    ("amd64", "GOAMD64"),
    ("arm64", "GOARM64"),
    ("arm", "GOARM"),
    ("386", "GO386"),
    ("mips", "GOMIPS"),
    ("mipsle", "GOMIPS"),
    ("mips64", "GOMIPS64"),
    ("mips64le", "GOMIPS64"),
    ("ppc64", "GOPPC64"),
    ("ppc64le", "GOPPC64"),
    ("riscv64", "GORISCV64"),
    ("wasm", "GOWASM"),
];

/// Build flags that may stand in GOFLAGS and do not change which packages
/// are built (beside -tags and -mod, which heft follows).
const NEUTRAL_FLAGS: &[&str] = &[
    "a",
    "n",
    "p",
    "v",
    "x",
    "work",
    "trimpath",
    "buildvcs",
    "buildmode",
    "ldflags",
    "gcflags",
    "asmflags",
    "gccgoflags",
    "modcacherw",
    "compiler",
    "installsuffix",
    "toolexec",
    "pgo",
    "linkshared",
    "json",
    "debug-actiongraph",
    "debug-deprecated-importcfg",
    "debug-runtime-trace",
    "debug-trace",
];

/// Build flags that change the package graph in ways heft does not model.
const GRAPH_FLAGS: &[&str] = &["coverpkg", "modfile", "overlay"];

/// Go's flag package's booleans (strconv.ParseBool).
fn parse_go_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// The sanitizer mode, checked as the go command checks it (work/init.go's
/// instrumentInit; the messages are its).
fn instrument_mode(
    race: bool,
    msan: bool,
    asan: bool,
    goos: &str,
    goarch: &str,
    cgo_enabled: bool,
) -> Result<Option<Instrument>, LoadError> {
    let refuse = |msg: String| Err(LoadError::GoEnv(msg));
    for (a, b, an, bn) in [(race, msan, "race", "msan"), (race, asan, "race", "asan"), (msan, asan, "msan", "asan")] {
        if a && b {
            return refuse(format!("may not use -{an} and -{bn} simultaneously"));
        }
    }
    let mode = match (race, msan, asan) {
        (true, _, _) => Instrument::Race,
        (_, true, _) => Instrument::Msan,
        (_, _, true) => Instrument::Asan,
        _ => return Ok(None),
    };
    if !mode.supported(goos, goarch) {
        return refuse(format!("-{} is not supported on {goos}/{goarch}", mode.name()));
    }
    // On macOS -race does not need cgo; -msan and -asan always do.
    if !cgo_enabled && (goos != "darwin" || mode != Instrument::Race) {
        return refuse(format!("-{} requires cgo; enable cgo by setting CGO_ENABLED=1", mode.name()));
    }
    Ok(Some(mode))
}

impl GoEnv {
    /// Runs `go env -json` once, with the overrides in its environment so the
    /// go command derives its own defaults from them (cgo off when cross
    /// compiling, the architecture level of the target, ...).
    /// `dir` is where the go command runs (it finds go.work from there).
    ///
    /// With a cache directory, the answer is kept and reused while nothing
    /// it can depend on changes: the environment, the directory, the go
    /// executable, its go.env, the user's go env file, and the go.mod and
    /// go.work files above `dir` (which may select another toolchain).
    pub fn from_go_command(dir: &Path, overrides: &EnvOverrides, cache_dir: Option<&Path>) -> Result<GoEnv, LoadError> {
        // OS strings: a variable that is not UTF-8 (a non-UTF-8 $PWD) is
        // passed on as it is.
        let mut child_env: Vec<(OsString, OsString)> = std::env::vars_os().collect();
        let mut set = |k: &str, v: &str| {
            child_env.retain(|(name, _)| name != k);
            child_env.push((k.into(), v.into()));
        };
        for (k, v) in &overrides.vars {
            set(k, v);
        }
        if let Some(goos) = &overrides.goos {
            set("GOOS", goos);
        }
        if let Some(goarch) = &overrides.goarch {
            set("GOARCH", goarch);
        }
        if let Some(cgo) = overrides.cgo_enabled {
            set("CGO_ENABLED", if cgo { "1" } else { "0" });
        }
        child_env.sort();
        let cache_file = cache_dir.map(|d| {
            let key = env_cache_key(dir, &child_env);
            let mut h = std::collections::hash_map::DefaultHasher::new();
            key.hash(&mut h);
            (d.join(format!("goenv-{:016x}.json", h.finish())), key)
        });
        if let Some((file, key)) = &cache_file
            && let Some(vars) = read_cached_env(file, key)
        {
            return GoEnv::from_vars(&vars, overrides);
        }
        let out = Command::new("go")
            .args(["env", "-json"])
            .current_dir(dir)
            .env_clear()
            .envs(child_env.iter().map(|(k, v)| (k, v)))
            .output()
            .map_err(|e| LoadError::GoEnv(format!("running `go env -json`: {e} (is Go installed and on PATH?)")))?;
        if !out.status.success() {
            return Err(LoadError::GoEnv(format!(
                "`go env -json` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        let vars: HashMap<String, String> = serde_json::from_slice(&out.stdout)
            .map_err(|e| LoadError::GoEnv(format!("reading `go env -json` output: {e}")))?;
        if let Some((file, key)) = &cache_file {
            write_cached_env(file, key, &vars);
        }
        GoEnv::from_vars(&vars, overrides)
    }

    /// Builds the settings from `go env` variables.
    pub fn from_vars(vars: &HashMap<String, String>, overrides: &EnvOverrides) -> Result<GoEnv, LoadError> {
        let get = |k: &str| vars.get(k).map(String::as_str).unwrap_or("");
        let goroot = get("GOROOT");
        if goroot.is_empty() {
            return Err(LoadError::GoEnv("go env reports no GOROOT".into()));
        }
        let gomodcache = match get("GOMODCACHE") {
            "" => Path::new(get("GOPATH").split(path_list_separator()).next().unwrap_or("")).join("pkg/mod"),
            dir => PathBuf::from(dir),
        };
        let goos = overrides.goos.clone().unwrap_or_else(|| get("GOOS").to_string());
        let goarch = overrides.goarch.clone().unwrap_or_else(|| get("GOARCH").to_string());
        let cgo_enabled = overrides.cgo_enabled.unwrap_or(get("CGO_ENABLED") == "1");
        let arch_level = ARCH_LEVEL_VARS
            .iter()
            .find(|(arch, _)| *arch == goarch)
            .map(|(_, var)| get(var).to_string())
            .filter(|v| !v.is_empty());
        let go_minor = parse_go_minor(get("GOVERSION")).ok_or_else(|| {
            LoadError::GoEnv(format!("cannot read the Go release from GOVERSION={:?}", get("GOVERSION")))
        })?;

        let mut tags = Vec::new();
        let mut mod_mode = ModMode::Default;
        let (mut race, mut msan, mut asan, mut cover) = (false, false, false, false);
        let mut cover_mode = None;
        for word in get("GOFLAGS").split_ascii_whitespace() {
            let flag = word.strip_prefix("--").or_else(|| word.strip_prefix('-')).unwrap_or(word);
            let (name, value) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (flag, None),
            };
            let goflags_error = |msg: String| LoadError::GoEnv(format!("parsing $GOFLAGS: {msg}"));
            match (name, value) {
                ("tags" | "mod", None) => return Err(goflags_error(format!("flag needs an argument: -{name}"))),
                ("tags", Some(v)) => tags = split_tags(v),
                ("mod", Some(v)) => {
                    mod_mode = match v {
                        "readonly" => ModMode::Readonly,
                        "mod" => ModMode::Mod,
                        "vendor" => ModMode::Vendor,
                        other => return Err(goflags_error(format!("invalid -mod={other}"))),
                    }
                }
                ("race" | "msan" | "asan" | "cover", v) => {
                    let on = match v {
                        None => true,
                        Some(v) => parse_go_bool(v).ok_or_else(|| {
                            goflags_error(format!("invalid boolean value {v:?} for -{name}: parse error"))
                        })?,
                    };
                    *match name {
                        "race" => &mut race,
                        "msan" => &mut msan,
                        "asan" => &mut asan,
                        _ => &mut cover,
                    } = on;
                }
                ("covermode", None) => return Err(goflags_error("flag needs an argument: -covermode".into())),
                ("covermode", Some(v)) => {
                    cover_mode = Some(match v {
                        "set" => CoverMode::Set,
                        "count" => CoverMode::Count,
                        "atomic" => CoverMode::Atomic,
                        _ => {
                            return Err(goflags_error(format!(
                                "invalid value {v:?} for flag -covermode: valid modes are set, count, atomic"
                            )));
                        }
                    });
                }
                _ if GRAPH_FLAGS.contains(&name) => {
                    return Err(LoadError::Unsupported(format!(
                        "GOFLAGS {word}: what this changes in the package graph is not modeled by heft yet; \
                         unset it for heft"
                    )));
                }
                _ if !NEUTRAL_FLAGS.contains(&name) => return Err(goflags_error(format!("unknown flag -{name}"))),
                _ => {}
            }
        }
        if !matches!(get("GOFIPS140"), "" | "off") {
            return Err(LoadError::Unsupported(format!(
                "GOFIPS140={} builds from a frozen snapshot of the FIPS 140 module, which heft does not model yet; \
                 unset it for heft",
                get("GOFIPS140")
            )));
        }
        if !overrides.tags.is_empty() {
            tags = overrides.tags.clone();
        }
        let instrument = instrument_mode(race, msan, asan, &goos, &goarch, cgo_enabled)?;
        // -covermode implies -cover; the default mode is atomic under -race.
        let cover = (cover || cover_mode.is_some()).then(|| {
            cover_mode.unwrap_or(if instrument == Some(Instrument::Race) { CoverMode::Atomic } else { CoverMode::Set })
        });
        Ok(GoEnv {
            goroot: PathBuf::from(goroot),
            gomodcache,
            goos,
            goarch,
            cgo_enabled,
            gowork: get("GOWORK").to_string(),
            go111module: get("GO111MODULE").to_string(),
            goexperiment: get("GOEXPERIMENT").to_string(),
            arch_level,
            go_minor,
            go_version: get("GOVERSION").to_string(),
            tags,
            mod_mode,
            instrument,
            cover,
        })
    }

    /// The file-selection context for these settings.
    pub fn build_context(&self) -> BuildContext {
        BuildContext {
            goos: self.goos.clone(),
            goarch: self.goarch.clone(),
            cgo_enabled: self.cgo_enabled,
            build_tags: self.tags.clone(),
            tool_tags: BuildContext::tool_tags_for(
                self.go_minor,
                &self.goos,
                &self.goarch,
                &self.goexperiment,
                self.arch_level.as_deref(),
            )
            .into_iter()
            .chain(self.instrument.map(|i| i.name().to_string()))
            .collect(),
            release_tags: BuildContext::release_tags_for(self.go_minor),
        }
    }

    /// What the linker adds to every program beyond runtime (and cgo's and
    /// arm's additions): the sanitizer's runtime, runtime/coverage; in the
    /// go command's order.
    pub fn linker_deps(&self) -> Vec<&'static str> {
        self.instrument
            .map(Instrument::runtime_package)
            .into_iter()
            .chain(self.cover.map(|_| "runtime/coverage"))
            .collect()
    }

    /// `$GOROOT/src`, where standard packages live.
    pub fn goroot_src(&self) -> PathBuf {
        self.goroot.join("src")
    }
}

/// Everything `go env` can depend on, as one string.
fn env_cache_key(dir: &Path, child_env: &[(OsString, OsString)]) -> String {
    let get = |k: &str| child_env.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_os_str());
    // The directory matters only through the go.mod and go.work files above
    // it (GOWORK, toolchain selection), stamped below.
    let mut key = String::from("v1\n");
    // The variables the go command reads (hyperfine and shells change others).
    let read_by_go = |k: &str| {
        k.starts_with("GO")
            || k.starts_with("CGO_")
            || matches!(k, "CC" | "CXX" | "AR" | "PKG_CONFIG" | "PATH" | "HOME" | "XDG_CONFIG_HOME" | "APPDATA")
    };
    for (k, v) in child_env.iter().filter(|(k, _)| k.to_str().is_some_and(read_by_go)) {
        // Debug formatting keeps bytes that are not UTF-8 distinct.
        key.push_str(&format!("env {k:?}={v:?}\n"));
    }
    let exe = get("PATH").and_then(|p| {
        std::env::split_paths(p).map(|d| d.join(if cfg!(windows) { "go.exe" } else { "go" })).find(|f| f.is_file())
    });
    if let Some(exe) = &exe {
        key.push_str(&format!("go {}\n", stamp(exe)));
        if let Ok(real) = std::fs::canonicalize(exe)
            && let Some(root) = real.parent().and_then(Path::parent)
        {
            key.push_str(&format!("go.env {}\n", stamp(&root.join("go.env"))));
        }
    }
    let goenv = match get("GOENV") {
        Some(f) if !f.is_empty() => Some(PathBuf::from(f)),
        _ => get("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| get("HOME").map(|h| Path::new(h).join(".config")))
            .or_else(|| get("APPDATA").map(PathBuf::from))
            .map(|d| d.join("go/env")),
    };
    if let Some(f) = goenv {
        key.push_str(&format!("goenv {}\n", stamp(&f)));
    }
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    for d in dir.ancestors() {
        for name in ["go.mod", "go.work"] {
            let f = d.join(name);
            if f.exists() {
                key.push_str(&format!("{name} {}\n", stamp(&f)));
            }
        }
    }
    key
}

/// Path, modification time and size: enough to see that a file changed.
fn stamp(file: &Path) -> String {
    match std::fs::metadata(file) {
        Ok(m) => {
            let mtime =
                m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).unwrap_or_default();
            format!("{} {} {}", file.display(), mtime.as_nanos(), m.len())
        }
        Err(_) => format!("{} missing", file.display()),
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CachedEnv {
    key: String,
    vars: HashMap<String, String>,
}

fn read_cached_env(file: &Path, key: &str) -> Option<HashMap<String, String>> {
    let bytes = std::fs::read(file).ok()?;
    let cached: CachedEnv = serde_json::from_slice(&bytes).ok()?;
    (cached.key == key).then_some(cached.vars)
}

/// Keeps `go env`'s answer; a failure only costs speed next time.
fn write_cached_env(file: &Path, key: &str, vars: &HashMap<String, String>) {
    let cached = CachedEnv { key: key.to_string(), vars: vars.clone() };
    let (Ok(bytes), Some(parent)) = (serde_json::to_vec(&cached), file.parent()) else { return };
    if std::fs::create_dir_all(parent).is_ok() {
        let tmp = file.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, file).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// `-tags` takes a comma-separated list (a space-separated one is the old form).
pub fn split_tags(v: &str) -> Vec<String> {
    let sep = if v.contains(',') { ',' } else { ' ' };
    v.split(sep).map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect()
}

fn path_list_separator() -> char {
    if cfg!(windows) { ';' } else { ':' }
}

/// "go1.26.8" or "go1.27rc1" → 26.
fn parse_go_minor(version: &str) -> Option<u32> {
    let rest = version.strip_prefix("go1.")?;
    let digits: &str = &rest[..rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len())];
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_minor() {
        assert_eq!(parse_go_minor("go1.26.8"), Some(26));
        assert_eq!(parse_go_minor("go1.27rc1"), Some(27));
        assert_eq!(parse_go_minor("devel"), None);
    }

    #[test]
    fn tags_forms() {
        assert_eq!(split_tags("a,b"), vec!["a", "b"]);
        assert_eq!(split_tags("a b"), vec!["a", "b"]);
        assert!(split_tags("").is_empty());
    }

    #[test]
    fn goflags_and_overrides() {
        let mut vars = HashMap::new();
        for (k, v) in [
            ("GOROOT", "/go"),
            ("GOPATH", "/p"),
            ("GOOS", "linux"),
            ("GOARCH", "amd64"),
            ("GOAMD64", "v3"),
            ("CGO_ENABLED", "1"),
            ("GOVERSION", "go1.26.1"),
            ("GOFLAGS", "-mod=vendor -tags=x,y"),
        ] {
            vars.insert(k.to_string(), v.to_string());
        }
        let env = GoEnv::from_vars(&vars, &EnvOverrides::default()).unwrap();
        assert_eq!(env.gomodcache, PathBuf::from("/p/pkg/mod"));
        assert_eq!(env.tags, vec!["x", "y"]);
        assert_eq!(env.mod_mode, ModMode::Vendor);
        assert_eq!(env.arch_level.as_deref(), Some("v3"));
        let over = EnvOverrides {
            goos: Some("windows".into()),
            cgo_enabled: Some(false),
            tags: vec!["z".into()],
            ..Default::default()
        };
        let env = GoEnv::from_vars(&vars, &over).unwrap();
        assert_eq!(env.goos, "windows");
        assert!(!env.cgo_enabled);
        assert_eq!(env.tags, vec!["z"]);
    }
}
