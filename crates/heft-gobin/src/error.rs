use thiserror::Error;

/// Everything that can go wrong reading a Go binary.
#[derive(Debug, Error)]
pub enum Error {
    /// The `object` crate could not read the file, or it is not ELF, Mach-O
    /// or PE.
    #[error("not an executable heft can read (ELF, Mach-O or PE): {0}")]
    Container(String),
    /// Neither a pclntab nor build information: nothing to attribute.
    #[error("not a Go binary: no pclntab and no Go build information found")]
    NotGo,
    /// No `.gopclntab` section, no `runtime.pclntab` symbol, and no header
    /// found by scanning the data sections.
    #[error("no pclntab found")]
    NoPclntab,
    /// The magic (read little-endian) is none of Go 1.2 and later's.
    #[error("pclntab: unknown magic {0:#010x} (not a Go 1.2+ function table)")]
    UnknownPclntab(u32),
    /// The header, or a table it points to, is malformed or out of bounds.
    #[error("pclntab: {0}")]
    BadPclntab(String),
    /// The build-information blob is malformed, or in the layout before
    /// Go 1.18 (strings by pointer), which is not read.
    #[error("Go build information: {0}")]
    BadBuildInfo(String),
    /// The build-information magic is neither in its section (`.go.buildinfo`,
    /// `__go_buildinfo`) nor, in PE, in the first data section.
    #[error("no Go build information (.go.buildinfo) found")]
    NoBuildInfo,
}

/// What the readers of this crate return.
pub type Result<T> = std::result::Result<T, Error>;
