use thiserror::Error;

/// Everything that can go wrong reading a Go binary.
#[derive(Debug, Error)]
pub enum Error {
    #[error("not an executable heft can read (ELF, Mach-O or PE): {0}")]
    Container(String),
    #[error("not a Go binary: no pclntab and no Go build information found")]
    NotGo,
    #[error("no pclntab found")]
    NoPclntab,
    #[error("pclntab: unknown magic {0:#010x} (not a Go 1.2+ function table)")]
    UnknownPclntab(u32),
    #[error("pclntab: {0}")]
    BadPclntab(String),
    #[error("Go build information: {0}")]
    BadBuildInfo(String),
    #[error("no Go build information (.go.buildinfo) found")]
    NoBuildInfo,
}

pub type Result<T> = std::result::Result<T, Error>;
