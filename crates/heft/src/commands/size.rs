//! `heft size`: bytes per package and per module in a Go binary, and the
//! difference between two.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use heft_analyze::size::{By, Diff};

use crate::{cli, inputs};

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  heft size app                        sections, then bytes per package, with the function table's share
  heft size --by module app            per module
  heft size old new                    what changed between two binaries
  heft size --json app > app.json      a report to keep; heft size reads it back in place of a binary
  heft size --html app > size.html     a zoomable treemap: module, package, kind of section
  heft size --html old new > diff.html the groups that changed, coloured by growth")]
pub struct SizeArgs {
    /// A Go binary (ELF, Mach-O or PE), or two — OLD NEW — to compare. Either
    /// may also be a result saved with `heft size --json`.
    #[arg(value_name = "BINARY", required = true, num_args = 1..=2)]
    pub files: Vec<PathBuf>,
    /// Group bytes by package or by module.
    #[arg(long, value_parser = by_parser(), default_value = "package")]
    pub by: By,
    /// Show the N largest groups (0: all).
    #[arg(long, value_name = "N", default_value_t = 25)]
    pub top: usize,
    /// Print JSON (see docs/json.md).
    #[arg(long)]
    pub json: bool,
    /// Print one self-contained HTML page (no network): a zoomable treemap of
    /// module, package and kind of section, or for OLD NEW the groups that
    /// changed; its data is the --json document. Redirect it to a file.
    #[arg(long, conflicts_with = "json")]
    pub html: bool,
}

fn by_parser() -> impl clap::builder::TypedValueParser<Value = By> {
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new([By::Package.name(), By::Module.name()])
        .map(|name| if name == By::Module.name() { By::Module } else { By::Package })
}

pub fn run(args: &SizeArgs) -> Result<ExitCode> {
    let reports = args.files.iter().map(|p| inputs::size_report(p)).collect::<Result<Vec<_>>>()?;
    let mut out = cli::stdout();
    match reports.as_slice() {
        [one] if args.json => heft_report::json::size(&mut out, one)?,
        [one] if args.html => heft_report::html::size(&mut out, one)?,
        [one] => heft_report::text::size(&mut out, one, args.by, args.top)?,
        [old, new] => {
            if old.stripped != new.stripped {
                eprintln!(
                    "heft: warning: {} is stripped and {} is not: the symbol table and DWARF make most of the \
                     difference in file size, and without symbols data and bss stay unattributed",
                    if old.stripped { &old.file } else { &new.file },
                    if old.stripped { &new.file } else { &old.file }
                );
            }
            let diff = Diff::new(old, new, args.by);
            if args.json {
                heft_report::json::size_diff(&mut out, &diff)?;
            } else if args.html {
                heft_report::html::size_diff(&mut out, &diff)?;
            } else {
                heft_report::text::size_diff(&mut out, &diff, args.top)?;
            }
        }
        _ => unreachable!("clap allows one or two files"),
    }
    out.flush()?;
    let mut partial = false;
    for r in &reports {
        if r.partial {
            for w in &r.warnings {
                eprintln!("heft: {}: {w}", r.file);
            }
        }
        partial |= r.partial;
    }
    Ok(if partial { cli::FAILED } else { ExitCode::SUCCESS })
}
