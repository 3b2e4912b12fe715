//! What every command shares: the flags that load packages, reporting the
//! load's errors, the one output writer, warnings and exit codes.

use std::io::{self, BufWriter, StdoutLock};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use heft_analyze::{Location, Weight};
use heft_load::{EnvOverrides, GoEnv, LoadConfig, PkgId, Program};
use heft_report::Shown;

/// The packages had errors (or a check found violations, a measurement failed).
pub const FAILED: ExitCode = ExitCode::FAILURE;
/// heft could not do what was asked (bad arguments, unreadable input).
pub fn could_not_run() -> ExitCode {
    ExitCode::from(2)
}

/// Standard output, buffered: every command writes through it (a closed
/// pipe ends the command quietly, see main).
pub fn stdout() -> BufWriter<StdoutLock<'static>> {
    BufWriter::new(io::stdout().lock())
}

/// Prints warnings the analysis returned.
pub fn warn(warnings: &[String]) {
    for w in warnings {
        eprintln!("heft: warning: {w}");
    }
}

/// Paths in text output are shown relative to the working directory.
pub fn shown() -> Shown {
    Shown::from(std::env::current_dir().unwrap_or_default())
}

/// `--by`: the weights, with their help, as clap lists them.
pub fn weight_parser() -> impl clap::builder::TypedValueParser<Value = Weight> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(Weight::ALL.map(|w| PossibleValue::new(w.name()).help(w.help())))
        .map(|name| Weight::ALL.into_iter().find(|w| w.name() == name).expect("a possible value"))
}

/// Where measured weights come from.
#[derive(Args, Debug, Clone, Default)]
pub struct WeightSources {
    /// A saved `heft measure --json`, for --by init-bytes|init-allocs|heap; repeatable (one file per binary).
    #[arg(long, value_name = "FILE")]
    pub measurements: Vec<PathBuf>,
    /// A binary built from the same roots (or a saved `heft size --json`), for --by binary.
    #[arg(long, value_name = "FILE")]
    pub binary: Option<PathBuf>,
}

impl WeightSources {
    /// The weights by `by`, reading the files it needs.
    pub fn weights(&self, prog: &Program, by: Weight) -> Result<heft_analyze::Weights> {
        let measured = self.measurements()?;
        let binary = match (&self.binary, by) {
            (Some(file), Weight::Binary) => Some(crate::inputs::size_report(file)?),
            _ => None,
        };
        Ok(heft_analyze::Weights::new(prog, by, Some(&measured), binary.as_ref())?)
    }

    /// The saved measurements (none when no file is named).
    pub fn measurements(&self) -> Result<heft_measure::Measurement> {
        Ok(heft_measure::read_saved(&self.measurements)?)
    }
}

/// Flags every command that loads packages shares.
#[derive(Args, Debug, Clone)]
pub struct LoadArgs {
    /// Run as if started in this directory.
    #[arg(short = 'C', long = "dir", value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Target operating system (default: GOOS from go env).
    #[arg(long, value_name = "GOOS", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub goos: Option<String>,
    /// Target architecture (default: GOARCH from go env).
    #[arg(long, value_name = "GOARCH", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub goarch: Option<String>,
    /// Build tags, comma-separated (replaces -tags from GOFLAGS).
    #[arg(long, value_name = "TAGS")]
    pub tags: Option<String>,
    /// cgo on or off (default: CGO_ENABLED, as go env reports it).
    #[arg(long, value_name = "on|off", value_parser = parse_on_off)]
    pub cgo: Option<bool>,
    /// Keep going past package errors and report them with the packages (like `go list -e`).
    #[arg(short = 'e')]
    pub keep_going: bool,
}

pub fn parse_on_off(s: &str) -> Result<bool, String> {
    match s {
        "on" | "1" | "true" => Ok(true),
        "off" | "0" | "false" => Ok(false),
        _ => Err(format!("expected on or off, got {s:?}")),
    }
}

impl LoadArgs {
    /// Loads the patterns; without `-e`, package errors fail the command
    /// after the output that is still right has been written.
    pub fn load(&self, patterns: &[String]) -> Result<Program> {
        if !self.dir.is_dir() {
            anyhow::bail!("-C {}: not a directory", self.dir.display());
        }
        let patterns = if patterns.is_empty() { &[".".to_string()][..] } else { patterns };
        let overrides = EnvOverrides {
            goos: self.goos.clone(),
            goarch: self.goarch.clone(),
            cgo_enabled: self.cgo,
            tags: self.tags.as_deref().map(heft_load::split_tags).unwrap_or_default(),
            vars: Vec::new(),
        };
        let cache_dir = heft_load::default_cache_dir();
        let env = GoEnv::from_go_command(&self.dir, &overrides, cache_dir.as_deref())?;
        let cfg = LoadConfig { dir: self.dir.clone(), patterns: patterns.to_vec(), env, index_dir: cache_dir };
        heft_load::load(&cfg).with_context(|| format!("loading {}", patterns.join(" ")))
    }

    /// Loads the patterns as binaries: the `main` packages among what they
    /// match, and the libraries named explicitly (never those a `...`
    /// pattern happened to match), saying on stderr what was skipped.
    pub fn load_binaries(&self, patterns: &[String]) -> Result<Program> {
        let mut prog = self.load(patterns)?;
        let is_main = |id: &PkgId| prog.package(*id).name == "main";
        let kept: Vec<PkgId> =
            prog.roots.iter().copied().filter(|id| is_main(id) || prog.named_roots.contains(id)).collect();
        let skipped = prog.roots.len() - kept.len();
        if kept.is_empty() {
            anyhow::bail!(
                "{} matched {skipped} package(s) and no main package: name the binaries (e.g. `./cmd/...`), \
                 or name a library by its own path to analyze it as one",
                patterns.join(" ")
            );
        }
        if skipped > 0 {
            let mains = kept.iter().filter(|id| is_main(id)).count();
            eprintln!(
                "heft: {mains} main package(s) of {} matched; skipped {skipped} non-main package(s) \
                 (name a library by its own path to analyze it)",
                prog.roots.len()
            );
            prog.keep_roots(&kept);
        }
        Ok(prog)
    }
}

/// Prints the load's warnings and package errors to stderr, each at the
/// import site it concerns when there is one (`file:line:col: message`);
/// true if there were errors. Modules missing from the module cache are
/// named once, with what fetches them; `detail` (`-e`) lists every import
/// site of them too.
pub fn report_package_errors(prog: &Program, detail: bool) -> bool {
    let shown = shown();
    for w in &prog.warnings {
        eprintln!("heft: warning: {w}");
    }
    let at = |id: PkgId, site| shown.at_col(&Location::of_site(prog, id, site));
    let mut any = false;
    let mut missing_modules: Vec<String> = Vec::new();
    for id in prog.deps_order() {
        let p = prog.package(id);
        for e in &p.errors {
            any = true;
            if let heft_load::PackageError::NotInCache { module, version, .. } = e {
                let at_version = format!("{module}@{version}");
                if !missing_modules.contains(&at_version) {
                    missing_modules.push(at_version);
                }
                if !detail {
                    continue;
                }
            }
            if let Some(site) =
                e.import_path().and_then(|path| p.imports.iter().find(|i| i.path == path)).and_then(|i| i.sites.first())
            {
                eprintln!("{}: {e}", at(id, site));
                continue;
            }
            let mut sites = Vec::new();
            if e.is_not_found() {
                for (i, importer) in prog.packages.iter().enumerate() {
                    for imp in importer.imports.iter().filter(|imp| imp.target == id) {
                        sites.extend(imp.sites.iter().map(|s| at(i as PkgId, s)));
                    }
                }
            }
            if sites.is_empty() {
                eprintln!("package {}: {e}", p.path);
            }
            for site in sites {
                eprintln!("{site}: {e}");
            }
        }
    }
    if !missing_modules.is_empty() {
        const SHOWN: usize = 5;
        let more = missing_modules.len().saturating_sub(SHOWN);
        let mut names = missing_modules[..missing_modules.len().min(SHOWN)].join(", ");
        if more > 0 {
            names.push_str(&format!(" and {more} more"));
        }
        eprintln!(
            "heft: {} module(s) the packages need are not in the module cache: {names}; \
             `go mod download` fetches them (heft never uses the network){}",
            missing_modules.len(),
            if detail { "" } else { "; -e lists every import site" }
        );
    }
    any
}

/// The exit status after a load: [`FAILED`] when packages had errors and
/// `-e` was not given.
pub fn load_status(prog: &Program, load: &LoadArgs) -> Option<ExitCode> {
    (report_package_errors(prog, load.keep_going) && !load.keep_going).then_some(FAILED)
}
