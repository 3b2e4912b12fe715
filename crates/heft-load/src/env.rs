//! The go command's configuration: `go env -json`, read once, then the
//! settings heft needs for file selection and module resolution.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use heft_gosrc::BuildContext;

use crate::error::LoadError;

/// How module dependencies are resolved (`-mod`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModMode {
    /// Not set: vendor mode when `vendor/modules.txt` applies, else readonly.
    Default,
    Readonly,
    Mod,
    Vendor,
}

/// The settings of one analysis: what `go env` says, after flags.
#[derive(Clone, Debug)]
pub struct GoEnv {
    pub goroot: PathBuf,
    pub gomodcache: PathBuf,
    pub goos: String,
    pub goarch: String,
    pub cgo_enabled: bool,
    /// `GOWORK`: empty = search parent directories, `off` = disabled, else a file.
    pub gowork: String,
    pub go111module: String,
    pub goexperiment: String,
    /// The architecture level variable for GOARCH (GOAMD64, GOARM64, ...).
    pub arch_level: Option<String>,
    /// The minor release of the installed toolchain (26 for go1.26.8).
    pub go_minor: u32,
    /// `-tags` from GOFLAGS and the command line, in that order.
    pub tags: Vec<String>,
    pub mod_mode: ModMode,
}

/// Overrides the user gave on heft's command line (`--goos` ...).
#[derive(Clone, Debug, Default)]
pub struct EnvOverrides {
    pub goos: Option<String>,
    pub goarch: Option<String>,
    pub cgo_enabled: Option<bool>,
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

impl GoEnv {
    /// Runs `go env -json` once, with the overrides in its environment so the
    /// go command derives its own defaults from them (cgo off when cross
    /// compiling, the architecture level of the target, ...).
    /// `dir` is where the go command runs (it finds go.work from there).
    pub fn from_go_command(dir: &Path, overrides: &EnvOverrides) -> Result<GoEnv, LoadError> {
        let mut cmd = Command::new("go");
        cmd.args(["env", "-json"])
            .current_dir(dir)
            .envs(overrides.vars.iter().map(|(k, v)| (k, v)));
        if let Some(goos) = &overrides.goos {
            cmd.env("GOOS", goos);
        }
        if let Some(goarch) = &overrides.goarch {
            cmd.env("GOARCH", goarch);
        }
        if let Some(cgo) = overrides.cgo_enabled {
            cmd.env("CGO_ENABLED", if cgo { "1" } else { "0" });
        }
        let out = cmd.output().map_err(|e| {
            LoadError::GoEnv(format!(
                "running `go env -json`: {e} (is Go installed and on PATH?)"
            ))
        })?;
        if !out.status.success() {
            return Err(LoadError::GoEnv(format!(
                "`go env -json` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        let vars: HashMap<String, String> = serde_json::from_slice(&out.stdout)
            .map_err(|e| LoadError::GoEnv(format!("reading `go env -json` output: {e}")))?;
        GoEnv::from_vars(&vars, overrides)
    }

    /// Builds the settings from `go env` variables.
    pub fn from_vars(
        vars: &HashMap<String, String>,
        overrides: &EnvOverrides,
    ) -> Result<GoEnv, LoadError> {
        let get = |k: &str| vars.get(k).map(String::as_str).unwrap_or("");
        let goroot = get("GOROOT");
        if goroot.is_empty() {
            return Err(LoadError::GoEnv("go env reports no GOROOT".into()));
        }
        let gomodcache = match get("GOMODCACHE") {
            "" => Path::new(
                get("GOPATH")
                    .split(path_list_separator())
                    .next()
                    .unwrap_or(""),
            )
            .join("pkg/mod"),
            dir => PathBuf::from(dir),
        };
        let goos = overrides
            .goos
            .clone()
            .unwrap_or_else(|| get("GOOS").to_string());
        let goarch = overrides
            .goarch
            .clone()
            .unwrap_or_else(|| get("GOARCH").to_string());
        let cgo_enabled = overrides.cgo_enabled.unwrap_or(get("CGO_ENABLED") == "1");
        let arch_level = ARCH_LEVEL_VARS
            .iter()
            .find(|(arch, _)| *arch == goarch)
            .map(|(_, var)| get(var).to_string())
            .filter(|v| !v.is_empty());
        let go_minor = parse_go_minor(get("GOVERSION")).ok_or_else(|| {
            LoadError::GoEnv(format!(
                "cannot read the Go release from GOVERSION={:?}",
                get("GOVERSION")
            ))
        })?;

        let mut tags = Vec::new();
        let mut mod_mode = ModMode::Default;
        for flag in get("GOFLAGS").split_ascii_whitespace() {
            let flag = flag.trim_start_matches('-');
            if let Some(v) = flag.strip_prefix("tags=") {
                tags = split_tags(v);
            } else if let Some(v) = flag.strip_prefix("mod=") {
                mod_mode = match v {
                    "readonly" => ModMode::Readonly,
                    "mod" => ModMode::Mod,
                    "vendor" => ModMode::Vendor,
                    other => {
                        return Err(LoadError::GoEnv(format!("GOFLAGS: invalid -mod={other}")));
                    }
                };
            }
        }
        if !overrides.tags.is_empty() {
            tags = overrides.tags.clone();
        }
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
            tags,
            mod_mode,
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
                &self.goos,
                &self.goarch,
                &self.goexperiment,
                self.arch_level.as_deref(),
            ),
            release_tags: BuildContext::release_tags_for(self.go_minor),
        }
    }

    pub fn goroot_src(&self) -> PathBuf {
        self.goroot.join("src")
    }
}

/// `-tags` takes a comma-separated list (a space-separated one is the old form).
pub fn split_tags(v: &str) -> Vec<String> {
    let sep = if v.contains(',') { ',' } else { ' ' };
    v.split(sep)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

fn path_list_separator() -> char {
    if cfg!(windows) { ';' } else { ':' }
}

/// "go1.26.8" or "go1.27rc1" → 26.
fn parse_go_minor(version: &str) -> Option<u32> {
    let rest = version.strip_prefix("go1.")?;
    let digits: &str = &rest[..rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len())];
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
