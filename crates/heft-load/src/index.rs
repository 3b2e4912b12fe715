//! The persistent index: what was read from directories that never change.
//!
//! A module cache directory (`path@version`) is immutable, and so is GOROOT
//! for a released toolchain (keyed by its VERSION file), so a package read
//! there once can be reused for the same build context. The index holds, per
//! such directory, its file names and the package read from it (without
//! errors: a package with errors is read again each time). Directories on
//! the user's disk (main modules, replacements) are always read afresh.

use rustc_hash::FxHashMap as HashMap;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::env::GoEnv;

/// Bumped whenever the stored shape or the loading rules change.
const FORMAT: u32 = 3;

/// An index file larger than this is not read (and is replaced by the next
/// load that writes one): no build context needs that much.
const MAX_FILE_BYTES: u64 = 256 << 20;

/// Past this many directories an index keeps only what the last load used,
/// so it does not grow forever as module versions come and go.
const MAX_DIRS: usize = 50_000;

/// One import as stored: the path (after std vendor rewriting) and its
/// site (file index, line, column), or no site for implicit imports.
pub(crate) type CachedImport = (String, Option<(u32, u32, u32)>);

/// A package read from an immutable directory.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct CachedPackage {
    pub name: String,
    pub go_files: Vec<String>,
    pub cgo_files: Vec<String>,
    pub ignored_go_files: Vec<String>,
    pub source_bytes: u64,
    pub imports: Vec<CachedImport>,
}

/// What is known of one immutable directory.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct CachedDir {
    /// Sorted file names when it has at least one `.go` file; None if it
    /// does not exist or has none.
    pub files: Option<Vec<String>>,
    pub package: Option<CachedPackage>,
}

/// The file: a header, then each directory with a checksum and its entry
/// still encoded, so opening costs one read and a table, and entries are
/// decoded only when a load asks for them (in its worker threads). An entry
/// whose checksum fails is read afresh, never trusted.
#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    format: u32,
    key: &'a str,
    #[serde(borrow)]
    dirs: Vec<(&'a str, u32, &'a [u8])>,
}

/// The checksum of one entry: its directory and its encoded bytes.
fn checksum(dir: &str, entry: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(dir.as_bytes());
    h.update(&(dir.len() as u64).to_le_bytes());
    h.update(entry);
    h.finalize()
}

/// Where one stored entry is: its byte range in the file, its checksum and
/// its slot in `used`.
#[derive(Clone, Copy)]
struct Slot {
    start: usize,
    end: usize,
    checksum: u32,
    index: usize,
}

/// The index of one build context, read at the start of a load and written
/// back at the end if the load learned something new.
pub(crate) struct Index {
    file: Option<PathBuf>,
    key: String,
    bytes: Vec<u8>,
    /// Directory → where its encoded entry is in `bytes`.
    table: HashMap<String, Slot>,
    /// Whether this load asked for each stored directory.
    used: Vec<AtomicBool>,
    max_dirs: usize,
    new: Mutex<HashMap<String, CachedDir>>,
    gomodcache: PathBuf,
    /// GOROOT/src when GOROOT is a release (its VERSION file names one).
    goroot_src: Option<PathBuf>,
}

impl Index {
    /// Opens the index for `env` in `cache_dir` (None: no index, read
    /// everything).
    pub fn open(cache_dir: Option<&Path>, env: &GoEnv) -> Index {
        let goroot_version = fs::read_to_string(env.goroot.join("VERSION"))
            .ok()
            .and_then(|v| v.lines().next().map(str::to_string))
            .filter(|v| v.starts_with("go"));
        let ctx = env.build_context();
        let key = format!(
            "{FORMAT}|{}|{}|{:?}|{}|{}|{}|{:?}|{:?}|{:?}|{:?}|{:?}",
            env.goroot.display(),
            env.gomodcache.display(),
            goroot_version,
            ctx.goos,
            ctx.goarch,
            ctx.cgo_enabled,
            ctx.build_tags,
            ctx.tool_tags,
            ctx.release_tags,
            // Imports the toolchain adds to cached main packages.
            env.linker_deps(),
            env.cover
        );
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut hasher);
        let file = cache_dir.map(|d| d.join(format!("index-{:016x}.bin", hasher.finish())));
        let bytes = file.as_deref().and_then(read_index_file).unwrap_or_default();
        let table = read_table(&bytes, &key).unwrap_or_default();
        let used = (0..table.len()).map(|_| AtomicBool::new(false)).collect();
        Index {
            file,
            key,
            bytes,
            table,
            used,
            max_dirs: MAX_DIRS,
            new: Mutex::new(HashMap::default()),
            gomodcache: env.gomodcache.clone(),
            goroot_src: goroot_version.map(|_| env.goroot_src()),
        }
    }

    /// Whether `dir` never changes, so what is read there may be kept.
    pub fn immutable(&self, dir: &Path) -> bool {
        self.file.is_some()
            && (dir.starts_with(&self.gomodcache) || self.goroot_src.as_deref().is_some_and(|g| dir.starts_with(g)))
    }

    /// What an earlier load kept for `dir`.
    pub fn get(&self, dir: &Path) -> Option<CachedDir> {
        let dir = dir.to_str()?;
        let slot = self.table.get(dir)?;
        self.used[slot.index].store(true, Ordering::Relaxed);
        postcard::from_bytes(self.entry(dir, slot)?).ok()
    }

    /// The stored bytes of an entry, if its checksum holds.
    fn entry(&self, dir: &str, slot: &Slot) -> Option<&[u8]> {
        let entry = &self.bytes[slot.start..slot.end];
        (checksum(dir, entry) == slot.checksum).then_some(entry)
    }

    /// Records what was read from an immutable directory.
    pub fn put_files(&self, dir: &Path, files: Option<Vec<String>>) {
        if let Some(d) = dir.to_str() {
            self.new.lock().expect("index lock").entry(d.to_string()).or_default().files = files;
        }
    }

    pub fn put_package(&self, dir: &Path, package: CachedPackage) {
        if let Some(d) = dir.to_str() {
            self.new.lock().expect("index lock").entry(d.to_string()).or_default().package = Some(package);
        }
    }

    /// Writes the index back if this load added to it. Failing to write
    /// only costs speed next time, so errors are ignored.
    pub fn save(self) {
        let Some(file) = self.file.clone() else { return };
        let new = std::mem::take(&mut *self.new.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        if new.is_empty() {
            return;
        }
        let mut encoded: HashMap<&str, Vec<u8>> = HashMap::default();
        for (dir, entry) in &new {
            let mut merged = self.get(Path::new(dir)).unwrap_or_default();
            if entry.files.is_some() {
                merged.files = entry.files.clone();
            }
            if entry.package.is_some() {
                merged.package = entry.package.clone();
            }
            if let Ok(bytes) = postcard::to_stdvec(&merged) {
                encoded.insert(dir, bytes);
            }
        }
        let prune = self.table.len() + encoded.len() > self.max_dirs;
        let mut dirs: Vec<(&str, &[u8])> = self
            .table
            .iter()
            .filter(|&(dir, slot)| {
                !encoded.contains_key(dir.as_str()) && (!prune || self.used[slot.index].load(Ordering::Relaxed))
            })
            // A damaged entry is dropped rather than copied forward.
            .filter_map(|(dir, slot)| Some((dir.as_str(), self.entry(dir, slot)?)))
            .collect();
        dirs.extend(encoded.iter().map(|(dir, bytes)| (*dir, bytes.as_slice())));
        let Some(bytes) = format::encode(&self.key, &dirs) else { return };
        let Some(parent) = file.parent() else { return };
        if fs::create_dir_all(parent).is_err() {
            return;
        }
        let tmp = file.with_extension(format!("tmp{}", std::process::id()));
        if fs::write(&tmp, bytes).is_ok() && fs::rename(&tmp, &file).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
}

/// The bytes of an index file, if it is a regular file of a sane size (a
/// FIFO or a link to a device is never read).
fn read_index_file(file: &Path) -> Option<Vec<u8>> {
    let meta = fs::metadata(file).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
        return None;
    }
    fs::read(file).ok()
}

/// The directory table of a stored index, if it is one for `key`.
fn read_table(bytes: &[u8], key: &str) -> Option<HashMap<String, Slot>> {
    let stored: Stored = postcard::from_bytes(bytes).ok()?;
    if stored.format != FORMAT || stored.key != key {
        return None;
    }
    let base = bytes.as_ptr() as usize;
    Some(
        stored
            .dirs
            .into_iter()
            .enumerate()
            .map(|(index, (dir, checksum, entry))| {
                let start = entry.as_ptr() as usize - base;
                (dir.to_string(), Slot { start, end: start + entry.len(), checksum, index })
            })
            .collect(),
    )
}

/// The file format alone, for the fuzz target: encoding entries, and
/// decoding a file into what each entry would give a load.
#[doc(hidden)]
pub mod format {
    use super::{FORMAT, Stored, checksum, read_table};

    /// An index file holding `entries` (directory, encoded entry) for `key`.
    pub fn encode(key: &str, entries: &[(&str, &[u8])]) -> Option<Vec<u8>> {
        let dirs = entries.iter().map(|&(dir, entry)| (dir, checksum(dir, entry), entry)).collect();
        postcard::to_stdvec(&Stored { format: FORMAT, key, dirs }).ok()
    }

    /// Each directory of the file with its entry, or None where the checksum
    /// fails (a load reads that directory afresh).
    pub fn decode(bytes: &[u8], key: &str) -> Vec<(String, Option<Vec<u8>>)> {
        let mut out: Vec<(String, Option<Vec<u8>>)> = read_table(bytes, key)
            .unwrap_or_default()
            .into_iter()
            .map(|(dir, slot)| {
                let entry = &bytes[slot.start..slot.end];
                let sound = checksum(&dir, entry) == slot.checksum;
                (dir, sound.then(|| entry.to_vec()))
            })
            .collect();
        out.sort();
        out
    }
}

/// Where heft keeps its index by default: `$HEFT_CACHE_DIR`, else the
/// user cache directory (`$XDG_CACHE_HOME/heft`, `~/.cache/heft`,
/// `%LocalAppData%\heft`). `HEFT_CACHE_DIR=off` disables it.
pub fn default_cache_dir() -> Option<PathBuf> {
    match std::env::var_os("HEFT_CACHE_DIR") {
        Some(v) if v == "off" => None,
        Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
        _ => std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("LOCALAPPDATA").map(PathBuf::from))
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))
            .map(|d| d.join("heft")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::EnvOverrides;

    fn env(root: &Path) -> GoEnv {
        let vars: std::collections::HashMap<String, String> = [
            ("GOROOT", root.join("goroot").display().to_string()),
            ("GOMODCACHE", root.join("mod").display().to_string()),
            ("GOOS", "linux".into()),
            ("GOARCH", "amd64".into()),
            ("GOVERSION", "go1.26.0".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        GoEnv::from_vars(&vars, &EnvOverrides::default()).unwrap()
    }

    #[test]
    fn keeps_entries_and_prunes_unused_ones_past_the_limit() {
        let root = std::env::temp_dir().join(format!("heft-index-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let env = env(&root);
        let dir = |name: &str| env.gomodcache.join(name);
        let index = Index::open(Some(&root), &env);
        assert!(index.immutable(&dir("a@v1")) && !index.immutable(&root.join("src")));
        for name in ["a@v1", "b@v1", "c@v1"] {
            index.put_files(&dir(name), Some(vec![format!("{name}.go")]));
        }
        index.save();

        let mut index = Index::open(Some(&root), &env);
        assert_eq!(index.get(&dir("b@v1")).and_then(|d| d.files), Some(vec!["b@v1.go".to_string()]));
        index.put_files(&dir("d@v1"), None);
        index.max_dirs = 3;
        index.save();

        let index = Index::open(Some(&root), &env);
        let kept: Vec<bool> = ["a@v1", "b@v1", "c@v1", "d@v1"].iter().map(|n| index.get(&dir(n)).is_some()).collect();
        assert_eq!(kept, [false, true, false, true], "only what the last load used, and what it added");
        let _ = fs::remove_dir_all(&root);
    }
}
