//! Go heap profiles — what `runtime/pprof.WriteHeapProfile`, `go test
//! -memprofile` and `/debug/pprof/heap` write: pprof's `profile.proto`,
//! usually gzipped — decoded with prost, checked, and resolved to stacks
//! of Go frames with their packages.

#![warn(missing_docs)]

mod proto;

use std::collections::HashMap;
use std::io::Read;

use prost::Message;

/// Why a file is not a heap profile heft can read.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The gzip stream is cut short or damaged.
    #[error("truncated or corrupted gzip data: {0}")]
    Gzip(std::io::Error),
    /// Decompressed, it is larger than heft accepts.
    #[error("decompresses to more than {} MiB: not a profile heft reads", MAX_DECODED >> 20)]
    TooLarge,
    /// The legacy text form (`?debug=1`).
    #[error(
        "this is the text form of a heap profile (debug=1): save the binary form (`/debug/pprof/heap` without ?debug, pprof.WriteHeapProfile, or `go tool pprof -proto`)"
    )]
    TextForm,
    /// Not protobuf of profile.proto.
    #[error("not a pprof profile (truncated or corrupted protobuf): {0}")]
    Decode(#[from] prost::DecodeError),
    /// A profile, but of something other than the heap.
    #[error(
        "this is a {what} profile ({types}), not a heap profile: write one with pprof.WriteHeapProfile, `go test -memprofile`, or from /debug/pprof/heap"
    )]
    NotHeap {
        /// What the sample types say it is (cpu, goroutine, …).
        what: String,
        /// Its sample types, `type/unit` each.
        types: String,
    },
    /// An index or id that points nowhere.
    #[error("corrupted profile: {0}")]
    Corrupted(String),
}

/// The most a profile may decompress to.
const MAX_DECODED: u64 = 1 << 30;

/// One Go function at one line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Frame {
    /// The function's full name (`go.uber.org/zap/zapcore.newCounters`,
    /// `main.main`, `pkg.(*T).Method`).
    pub function: String,
    /// Its package's import path (`main` for the main package), or `None`
    /// for names of no package.
    pub package: Option<String>,
    /// The source file, as the binary records it.
    pub file: String,
    /// The line in it (0 when unknown).
    pub line: u32,
}

/// What one stack holds on the heap; the profile's estimates of the
/// program's totals (Go scales its samples up by the sampling rate).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeapValues {
    /// Bytes in use at the last collection.
    pub inuse_bytes: u64,
    /// Objects in use at the last collection.
    pub inuse_objects: u64,
    /// Bytes allocated since the program started.
    pub alloc_bytes: u64,
    /// Objects allocated since the program started.
    pub alloc_objects: u64,
}

impl HeapValues {
    /// Both sums, saturating.
    pub fn add(&mut self, o: &HeapValues) {
        self.inuse_bytes = self.inuse_bytes.saturating_add(o.inuse_bytes);
        self.inuse_objects = self.inuse_objects.saturating_add(o.inuse_objects);
        self.alloc_bytes = self.alloc_bytes.saturating_add(o.alloc_bytes);
        self.alloc_objects = self.alloc_objects.saturating_add(o.alloc_objects);
    }
}

/// One allocation stack.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Indexes into [`HeapProfile::frames`], the allocating frame first,
    /// the outermost caller last (inlined calls expanded).
    pub stack: Vec<u32>,
    /// What it holds.
    pub values: HeapValues,
}

/// A decoded heap profile.
#[derive(Debug, Clone, Default)]
pub struct HeapProfile {
    /// Every distinct frame.
    pub frames: Vec<Frame>,
    /// Every sample.
    pub samples: Vec<Sample>,
    /// The profiled executable, as its first mapping names it (may be
    /// empty).
    pub binary: String,
    /// When it was taken, in nanoseconds since the Unix epoch (0 unknown).
    pub time_nanos: i64,
    /// The sampling period: on average one sample per this many bytes
    /// allocated (Go's `runtime.MemProfileRate`; 1 samples every
    /// allocation, 0 unknown).
    pub period: u64,
}

impl HeapProfile {
    /// The totals of every sample.
    pub fn totals(&self) -> HeapValues {
        let mut t = HeapValues::default();
        for s in &self.samples {
            t.add(&s.values);
        }
        t
    }
}

/// Decodes a heap profile, gzipped or not.
pub fn decode(data: &[u8]) -> Result<HeapProfile, ProfileError> {
    let raw;
    let bytes = if data.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(data)
            .take(MAX_DECODED + 1)
            .read_to_end(&mut out)
            .map_err(ProfileError::Gzip)?;
        if out.len() as u64 > MAX_DECODED {
            return Err(ProfileError::TooLarge);
        }
        raw = out;
        &raw[..]
    } else if data.starts_with(b"heap profile:") {
        return Err(ProfileError::TextForm);
    } else {
        data
    };
    resolve(proto::Profile::decode(bytes)?)
}

fn resolve(p: proto::Profile) -> Result<HeapProfile, ProfileError> {
    let string = |i: i64| -> Result<&str, ProfileError> {
        usize::try_from(i)
            .ok()
            .and_then(|i| p.string_table.get(i))
            .map(String::as_str)
            .ok_or_else(|| ProfileError::Corrupted(format!("string index {i} is outside the string table")))
    };
    let mut types = Vec::with_capacity(p.sample_type.len());
    for t in &p.sample_type {
        types.push((string(t.r#type)?, string(t.unit)?));
    }
    let column = |name: &str| types.iter().position(|(t, _)| *t == name);
    let (Some(inuse_bytes), Some(inuse_objects), Some(alloc_bytes), Some(alloc_objects)) =
        (column("inuse_space"), column("inuse_objects"), column("alloc_space"), column("alloc_objects"))
    else {
        let what = match types.first().map(|t| t.0) {
            Some("samples") | Some("cpu") => "CPU",
            Some("goroutine") => "goroutine",
            Some("contentions") | Some("delay") => "contention (block or mutex)",
            Some("threadcreate") => "threadcreate",
            _ if types.is_empty() => "empty",
            _ => "non-heap",
        };
        let types = if types.is_empty() {
            "no sample types".to_string()
        } else {
            types.iter().map(|(t, u)| format!("{t}/{u}")).collect::<Vec<_>>().join(", ")
        };
        return Err(ProfileError::NotHeap { what: what.to_string(), types });
    };

    let functions: HashMap<u64, &proto::Function> = p.function.iter().map(|f| (f.id, f)).collect();
    let mut frames: Vec<Frame> = Vec::new();
    let mut frame_ids: HashMap<(u64, i64), u32> = HashMap::new();
    let mut locations: HashMap<u64, Vec<u32>> = HashMap::with_capacity(p.location.len());
    for loc in &p.location {
        let mut ids = Vec::with_capacity(loc.line.len());
        for line in &loc.line {
            let key = (line.function_id, line.line);
            let id = match frame_ids.get(&key) {
                Some(&id) => id,
                None => {
                    let f = functions.get(&line.function_id).ok_or_else(|| {
                        ProfileError::Corrupted(format!(
                            "location {} refers to function {}, which is not in the profile",
                            loc.id, line.function_id
                        ))
                    })?;
                    let function = string(f.name)?.to_string();
                    let id = frames.len() as u32;
                    frames.push(Frame {
                        package: package_of_function(&function),
                        function,
                        file: string(f.filename)?.to_string(),
                        line: u32::try_from(line.line).unwrap_or(0),
                    });
                    frame_ids.insert(key, id);
                    id
                }
            };
            ids.push(id);
        }
        locations.insert(loc.id, ids);
    }

    let mut samples = Vec::with_capacity(p.sample.len());
    for (n, s) in p.sample.iter().enumerate() {
        if s.value.len() != types.len() {
            return Err(ProfileError::Corrupted(format!(
                "sample {} has {} values for {} sample types",
                n + 1,
                s.value.len(),
                types.len()
            )));
        }
        let value = |i: usize| {
            u64::try_from(s.value[i]).map_err(|_| {
                ProfileError::Corrupted(format!(
                    "sample {} has a negative {} ({}): a difference of two profiles? `heft heap OLD NEW` diffs them itself",
                    n + 1,
                    types[i].0,
                    s.value[i]
                ))
            })
        };
        let mut stack = Vec::with_capacity(s.location_id.len());
        for id in &s.location_id {
            let frames = locations.get(id).ok_or_else(|| {
                ProfileError::Corrupted(format!(
                    "sample {} refers to location {id}, which is not in the profile",
                    n + 1
                ))
            })?;
            stack.extend_from_slice(frames);
        }
        samples.push(Sample {
            stack,
            values: HeapValues {
                inuse_bytes: value(inuse_bytes)?,
                inuse_objects: value(inuse_objects)?,
                alloc_bytes: value(alloc_bytes)?,
                alloc_objects: value(alloc_objects)?,
            },
        });
    }
    let binary = match p.mapping.first() {
        Some(m) => string(m.filename)?.to_string(),
        None => String::new(),
    };
    Ok(HeapProfile { frames, samples, binary, time_nanos: p.time_nanos, period: u64::try_from(p.period).unwrap_or(0) })
}

/// The package of a function as the runtime names it: the linker's rules
/// for symbols ([`heft_gobin::symname::package_of`]).
pub fn package_of_function(name: &str) -> Option<String> {
    heft_gobin::symname::package_of(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proto::{Function, Line, Location, Profile, Sample as PSample, ValueType};

    /// A profile with the given sample types and one sample per values
    /// row, each at `main.main` (inlined into nothing) over `runtime.main`.
    fn profile(types: &[(&str, &str)], rows: &[Vec<i64>]) -> Profile {
        let mut strings = vec![String::new()];
        let mut s = |v: &str| {
            strings.push(v.to_string());
            strings.len() as i64 - 1
        };
        let sample_type = types.iter().map(|(t, u)| ValueType { r#type: s(t), unit: s(u) }).collect();
        let function = vec![
            Function { id: 1, name: s("main.main"), filename: s("/src/app/main.go") },
            Function { id: 2, name: s("runtime.main"), filename: s("/go/src/runtime/proc.go") },
        ];
        let location = vec![
            Location { id: 1, mapping_id: 0, address: 0, line: vec![Line { function_id: 1, line: 7 }] },
            Location { id: 2, mapping_id: 0, address: 0, line: vec![Line { function_id: 2, line: 283 }] },
        ];
        let sample = rows.iter().map(|v| PSample { location_id: vec![1, 2], value: v.clone() }).collect();
        Profile { sample_type, sample, location, function, string_table: strings, ..Profile::default() }
    }

    const HEAP: [(&str, &str); 4] =
        [("alloc_objects", "count"), ("alloc_space", "bytes"), ("inuse_objects", "count"), ("inuse_space", "bytes")];

    fn gzip(data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn reads_a_heap_profile_gzipped_or_not() {
        let bytes = profile(&HEAP, &[vec![3, 300, 1, 100]]).encode_to_vec();
        for data in [bytes.clone(), gzip(&bytes)] {
            let p = decode(&data).unwrap();
            assert_eq!(p.samples.len(), 1);
            let v = p.samples[0].values;
            assert_eq!((v.alloc_objects, v.alloc_bytes, v.inuse_objects, v.inuse_bytes), (3, 300, 1, 100));
            let names: Vec<&str> = p.samples[0].stack.iter().map(|&i| p.frames[i as usize].function.as_str()).collect();
            assert_eq!(names, ["main.main", "runtime.main"]);
            assert_eq!(p.frames[p.samples[0].stack[0] as usize].package.as_deref(), Some("main"));
            assert_eq!(p.frames[p.samples[0].stack[0] as usize].line, 7);
        }
    }

    #[test]
    fn a_cpu_or_goroutine_profile_is_named_as_such() {
        let cpu = profile(&[("samples", "count"), ("cpu", "nanoseconds")], &[vec![1, 10_000_000]]);
        let e = decode(&gzip(&cpu.encode_to_vec())).unwrap_err().to_string();
        assert!(e.contains("CPU profile (samples/count, cpu/nanoseconds), not a heap profile"), "{e}");
        let g = profile(&[("goroutine", "count")], &[vec![4]]);
        let e = decode(&g.encode_to_vec()).unwrap_err().to_string();
        assert!(e.contains("goroutine profile"), "{e}");
    }

    #[test]
    fn truncated_corrupted_and_text_forms_are_errors() {
        let data = gzip(&profile(&HEAP, &[vec![3, 300, 1, 100]]).encode_to_vec());
        let e = decode(&data[..data.len() / 2]).unwrap_err().to_string();
        assert!(e.starts_with("truncated or corrupted gzip data"), "{e}");
        let raw = profile(&HEAP, &[vec![3, 300, 1, 100]]).encode_to_vec();
        let e = decode(&raw[..raw.len() - 3]).unwrap_err().to_string();
        assert!(e.starts_with("not a pprof profile") || e.starts_with("corrupted profile"), "{e}");
        let e = decode(b"heap profile: 1: 2 [3: 4] @ heap/1048576\n").unwrap_err().to_string();
        assert!(e.contains("text form"), "{e}");
    }

    #[test]
    fn dangling_ids_and_negative_values_are_corruption() {
        let mut p = profile(&HEAP, &[vec![3, 300, 1, 100]]);
        p.sample[0].location_id.push(99);
        let e = decode(&p.encode_to_vec()).unwrap_err().to_string();
        assert!(e.contains("refers to location 99"), "{e}");
        let mut p = profile(&HEAP, &[vec![3, 300, 1, 100]]);
        p.location[0].line[0].function_id = 42;
        let e = decode(&p.encode_to_vec()).unwrap_err().to_string();
        assert!(e.contains("refers to function 42"), "{e}");
        let mut p = profile(&HEAP, &[vec![3, 300, 1, 100]]);
        p.function[0].name = 1000;
        let e = decode(&p.encode_to_vec()).unwrap_err().to_string();
        assert!(e.contains("string index 1000"), "{e}");
        let p = profile(&HEAP, &[vec![3, -300, 1, 100]]);
        let e = decode(&p.encode_to_vec()).unwrap_err().to_string();
        assert!(e.contains("negative alloc_space"), "{e}");
        let p = profile(&HEAP, &[vec![3, 300]]);
        let e = decode(&p.encode_to_vec()).unwrap_err().to_string();
        assert!(e.contains("2 values for 4 sample types"), "{e}");
    }
}
