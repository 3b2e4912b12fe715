//! The `--json` shape of packages (documented in docs/json.md).

use std::io::Write;

use heft_load::{Package, PkgId, Program, Replacement, Site};
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PackageJson<'a> {
    path: &'a str,
    dir: String,
    name: &'a str,
    module: Option<ModuleJson<'a>>,
    standard: bool,
    go_files: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    cgo_files: &'a [String],
    source_bytes: u64,
    imports: Vec<ImportJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<String>,
}

#[derive(Serialize)]
struct ModuleJson<'a> {
    path: &'a str,
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    main: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    replace: Option<ReplaceJson<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ReplaceJson<'a> {
    Module { path: &'a str, version: &'a str },
    Dir { dir: String },
}

#[derive(Serialize)]
struct ImportJson<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    implicit: bool,
    sites: Vec<SiteJson>,
}

#[derive(Serialize)]
pub struct SiteJson {
    file: String,
    line: u32,
    col: u32,
}

/// The sites of one import of `p`, with absolute file names.
pub fn sites_json(p: &Package, sites: &[Site]) -> Vec<SiteJson> {
    sites
        .iter()
        .map(|s| SiteJson { file: p.dir.join(p.site_file(s)).display().to_string(), line: s.line, col: s.col })
        .collect()
}

fn package_json<'a>(prog: &'a Program, p: &'a Package) -> PackageJson<'a> {
    let module = p.module.map(|id| {
        let m = &prog.modules.list[id as usize];
        ModuleJson {
            path: &m.path,
            version: m.version.as_deref(),
            main: m.main,
            replace: m.replace.as_ref().map(|r| match r {
                Replacement::Module { path, version } => ReplaceJson::Module { path, version },
                Replacement::Dir(d) => ReplaceJson::Dir { dir: d.display().to_string() },
            }),
        }
    });
    let imports = p
        .imports
        .iter()
        .map(|i| ImportJson { path: &i.path, implicit: i.implicit, sites: sites_json(p, &i.sites) })
        .collect();
    PackageJson {
        path: &p.path,
        dir: p.dir.display().to_string(),
        name: &p.name,
        module,
        standard: p.standard,
        go_files: &p.go_files,
        cgo_files: &p.cgo_files,
        source_bytes: p.source_bytes,
        imports,
        errors: p.errors.iter().map(ToString::to_string).collect(),
    }
}

pub fn write_packages(out: &mut impl Write, prog: &Program, order: &[PkgId]) -> std::io::Result<()> {
    let list: Vec<PackageJson> = order.iter().map(|&id| package_json(prog, prog.package(id))).collect();
    serde_json::to_writer_pretty(&mut *out, &list)?;
    writeln!(out)
}
