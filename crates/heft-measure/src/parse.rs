//! Parsers for what a measured Go program prints on stderr: inittrace lines,
//! gctrace lines and the probe's own report. They never panic; malformed
//! lines are errors carrying their 1-based line number.

use serde::{Deserialize, Serialize};

/// A parse failure at a 1-based line of the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct ParseError {
    /// 1-based line of the input.
    pub line: usize,
    /// What was wrong with it.
    pub kind: ParseErrorKind,
}

/// What was wrong with the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    /// A line starting `gc N @` that does not read as gctrace; the text
    /// after the `@`, quoted.
    #[error("malformed gctrace line: {0}")]
    GcTrace(String),
    /// A probe line out of place (before `begin`, after `end`, a second
    /// `mem`) or malformed; what is wrong.
    #[error("malformed probe line: {0}")]
    Probe(String),
    /// A probe line of a format version other than 1; the version token,
    /// at most 20 characters.
    #[error("unsupported probe format version {0} (this heft reads version 1)")]
    ProbeVersion(String),
    /// A `begin` without its `end`: the program died while the probe
    /// printed.
    #[error("probe report incomplete: {0}")]
    ProbeIncomplete(String),
}

fn err(line: usize, kind: ParseErrorKind) -> ParseError {
    ParseError { line, kind }
}

/// One `GODEBUG=inittrace=1` line:
/// `init <pkg> @<start> ms, <dur> ms clock, <bytes> bytes, <allocs> allocs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitLine {
    /// The package's import path.
    pub package: String,
    /// When its init started, in milliseconds since the program started
    /// (`@<start> ms`).
    pub start_ms: f64,
    /// Wall-clock time of the init, in milliseconds.
    pub clock_ms: f64,
    /// Heap bytes the init goroutine allocated during the init (total, not
    /// what stays live).
    pub bytes: u64,
    /// Heap allocations the init goroutine made during the init.
    pub allocs: u64,
}

fn parse_ms(s: &str) -> Option<f64> {
    let v: f64 = s.parse().ok()?;
    (v.is_finite() && v >= 0.0).then_some(v)
}

/// Parses one inittrace line. `None` when the line is not an inittrace line
/// at all (does not start with `init ` followed by a path and ` @`).
pub fn parse_init_line(line: &str) -> Option<Result<InitLine, String>> {
    let rest = line.strip_prefix("init ")?;
    let (package, rest) = rest.split_once(" @")?;
    if package.is_empty() || package.contains(' ') {
        return None;
    }
    Some(parse_init_rest(package, rest))
}

fn parse_init_rest(package: &str, rest: &str) -> Result<InitLine, String> {
    let bad = || format!("{rest:?}");
    let mut parts = rest.split(", ");
    let mut next =
        |suffix: &str| -> Result<&str, String> { parts.next().and_then(|p| p.strip_suffix(suffix)).ok_or_else(bad) };
    let start_ms = parse_ms(next(" ms")?).ok_or_else(bad)?;
    let clock_ms = parse_ms(next(" ms clock")?).ok_or_else(bad)?;
    let bytes = next(" bytes")?.parse().map_err(|_| bad())?;
    let allocs = next(" allocs")?.parse().map_err(|_| bad())?;
    if parts.next().is_some() {
        return Err(bad());
    }
    Ok(InitLine { package: package.to_string(), start_ms, clock_ms, bytes, allocs })
}

/// What a program's stderr says through inittrace.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inittrace {
    /// Every inittrace line, in order.
    pub lines: Vec<InitLine>,
    /// Lines that start like an inittrace line but do not read as one (a
    /// log line "init config @ startup", a line cut short by a dying
    /// process), 1-based line number and text.
    pub unread: Vec<(usize, String)>,
}

/// Reads the inittrace lines of a program's stderr. The runtime writes each
/// line whole, but a program printing without a trailing newline glues its
/// text in front of the next one: such a line is found after that text.
pub fn parse_inittrace(text: &str) -> Inittrace {
    let mut out = Inittrace::default();
    for (i, line) in text.lines().enumerate() {
        let starts = line.match_indices("init ").map(|(at, _)| at);
        let mut read = starts.filter_map(|at| parse_init_line(&line[at..])).filter_map(Result::ok);
        match read.next() {
            Some(l) => out.lines.push(l),
            None if matches!(parse_init_line(line), Some(Err(_))) => out.unread.push((i + 1, line.to_string())),
            None => {}
        }
    }
    out
}

/// One `GODEBUG=gctrace=1` line (the fields heft uses):
/// `gc # @#s #%: #+#+# ms clock, #+#/#/#+# ms cpu, #->#-># MB, # MB goal, # MB stacks, #MB globals, # P [(forced)]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GcLine {
    /// The GC cycle's number, from 1 (`gc #`).
    pub number: u64,
    /// Seconds since the program started (`@#s`).
    pub at_s: f64,
    /// Percentage of the program's time spent in GC since it started
    /// (`#%`), as the runtime rounds it (whole percents).
    #[serde(default)]
    pub gc_cpu_percent: f64,
    /// Heap size at the start of the GC, in MB (first of `#->#->#`).
    pub heap_before_mb: u64,
    /// Heap size at the end of the GC, in MB (second).
    pub heap_after_mb: u64,
    /// Live heap marked by the GC, in MB (third).
    pub heap_live_mb: u64,
    /// The heap goal, in MB (`# MB goal`).
    pub goal_mb: u64,
    /// Processors used, GOMAXPROCS (`# P`).
    pub procs: u64,
    /// The line ends with `(forced)`: a `runtime.GC()` call started the
    /// cycle, not heap growth.
    pub forced: bool,
}

/// Parses one gctrace line; `None` when it is not one (does not start with
/// `gc <number> @`).
pub fn parse_gc_line(line: &str) -> Option<Result<GcLine, String>> {
    let rest = line.strip_prefix("gc ")?;
    let (num, rest) = rest.split_once(" @")?;
    let number: u64 = num.parse().ok()?;
    Some(parse_gc_rest(number, rest))
}

fn parse_gc_rest(number: u64, rest: &str) -> Result<GcLine, String> {
    let bad = || format!("{rest:?}");
    let (at, rest) = rest.split_once("s ").ok_or_else(bad)?;
    let at_s = parse_ms(at).ok_or_else(bad)?;
    let (percent, rest) = rest.split_once(": ").ok_or_else(bad)?;
    let gc_cpu_percent = percent.strip_suffix('%').and_then(parse_ms).ok_or_else(bad)?;
    let (rest, forced) = match rest.strip_suffix(" (forced)") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let parts: Vec<&str> = rest.split(", ").collect();
    // clock, cpu, heap, goal, stacks, globals, P (older Go versions lack
    // stacks and globals: the heap is always third, the goal fourth, P last).
    if parts.len() < 5 {
        return Err(bad());
    }
    let heap = parts[2].strip_suffix(" MB").ok_or_else(bad)?;
    let h: Vec<&str> = heap.split("->").collect();
    if h.len() != 3 {
        return Err(bad());
    }
    let num = |s: &str| s.trim().parse::<u64>().map_err(|_| bad());
    let goal = parts[3].strip_suffix(" MB goal").ok_or_else(bad)?;
    let procs = parts[parts.len() - 1].strip_suffix(" P").ok_or_else(bad)?;
    Ok(GcLine {
        number,
        at_s,
        gc_cpu_percent,
        heap_before_mb: num(h[0])?,
        heap_after_mb: num(h[1])?,
        heap_live_mb: num(h[2])?,
        goal_mb: num(goal)?,
        procs: num(procs)?,
        forced,
    })
}

/// Every gctrace line of a program's stderr, like [`parse_inittrace`].
pub fn parse_gctrace(text: &str) -> Result<Vec<GcLine>, ParseError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match parse_gc_line(line) {
            None => {}
            Some(Ok(l)) => out.push(l),
            Some(Err(_)) if i + 1 == lines.len() && !text.ends_with('\n') => {}
            Some(Err(e)) => return Err(err(i + 1, ParseErrorKind::GcTrace(e))),
        }
    }
    Ok(out)
}

/// The gctrace lines of a program's stderr, read leniently (for `heft gc`,
/// where the program's own output runs alongside).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GcTrace {
    /// Every well-formed gctrace line, in order.
    pub lines: Vec<GcLine>,
    /// Lines that start like a gctrace line (`gc <n> @`) but do not read as
    /// one — another write cut into it, or the program died while the
    /// runtime printed it —, 1-based line number and text.
    pub unread: Vec<(usize, String)>,
}

/// Reads the gctrace lines of a program's stderr, skipping what does not
/// read: like [`parse_inittrace`], a line glued after the program's own
/// text without a newline is found after that text.
pub fn read_gctrace(text: &str) -> GcTrace {
    let mut out = GcTrace::default();
    for (i, line) in text.lines().enumerate() {
        let mut bad = false;
        let mut found = None;
        for (at, _) in line.match_indices("gc ") {
            match parse_gc_line(&line[at..]) {
                Some(Ok(l)) => {
                    found = Some(l);
                    break;
                }
                Some(Err(_)) => bad = true,
                None => {}
            }
        }
        match found {
            Some(l) => out.lines.push(l),
            None if bad => out.unread.push((i + 1, line.to_string())),
            None => {}
        }
    }
    out
}

/// Memory statistics the probe read at the end of init, after two GCs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeMem {
    /// MemStats.HeapAlloc: bytes of live heap objects.
    pub heap_alloc: u64,
    /// MemStats.HeapObjects: live heap objects.
    pub heap_objects: u64,
    /// MemStats.TotalAlloc: heap bytes allocated since the process started.
    pub total_alloc: u64,
    /// MemStats.Mallocs: heap objects allocated since the process started.
    pub mallocs: u64,
    /// MemStats.Frees: heap objects freed since the process started.
    pub frees: u64,
    /// MemStats.Sys: bytes of memory obtained from the OS.
    pub sys: u64,
    /// MemStats.HeapInuse: bytes in heap spans with at least one object.
    pub heap_inuse: u64,
    /// MemStats.NumGC: completed GC cycles (at least the probe's two).
    pub num_gc: u64,
    /// `runtime.MemProfileRate` when the probe read it: 1 (every allocation
    /// profiled) unless the program changed it.
    pub rate: i64,
}

/// One in-use heap profile record: what is still live, and its stack,
/// innermost frame first (function names as runtime.Frame.Function).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeRecord {
    /// Bytes allocated at this stack and not freed
    /// (MemProfileRecord.InUseBytes).
    pub inuse_bytes: i64,
    /// Objects allocated at this stack and not freed (InUseObjects).
    pub inuse_objects: i64,
    /// Bytes allocated at this stack, freed or not (AllocBytes).
    pub alloc_bytes: i64,
    /// Objects allocated at this stack, freed or not (AllocObjects).
    pub alloc_objects: i64,
    /// Program counters in the record's stack, and the most it can hold
    /// (`MemProfileRecord.Stack0`): equal means the stack was cut. 0 when absent.
    pub depth: u32,
    /// `len(MemProfileRecord.Stack0)`, 32 today; 0 when absent.
    pub max_depth: u32,
    /// The stack's functions, innermost first, inlined calls expanded
    /// (`runtime.CallersFrames`).
    pub frames: Vec<String>,
}

/// The probe's whole report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeReport {
    /// The `mem` line.
    pub mem: ProbeMem,
    /// The `rec` lines with their frames, in the profile's order.
    pub records: Vec<ProbeRecord>,
}

/// The prefix of every probe line; the token after it is the format version.
pub const PROBE_PREFIX: &str = "heft-probe ";

/// Parses the probe report out of a program's stderr (format version 1):
///
/// ```text
/// heft-probe 1 begin
/// heft-probe 1 mem heap_alloc=N heap_objects=N total_alloc=N mallocs=N frees=N sys=N heap_inuse=N num_gc=N rate=N
/// heft-probe 1 rec inuse_bytes=N inuse_objects=N alloc_bytes=N alloc_objects=N depth=N max_depth=N
/// heft-probe 1 frame <function>          (innermost first, zero or more per rec)
/// heft-probe 1 end records=N
/// ```
///
/// Lines without the prefix are skipped (the program's own output). `Ok(None)`
/// when there is no `begin` line at all: the probe never ran.
pub fn parse_probe(text: &str) -> Result<Option<ProbeReport>, ParseError> {
    let mut report: Option<ProbeReport> = None;
    let mut have_mem = false;
    let mut ended = false;
    let mut last = 0;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let Some(rest) = line.strip_prefix(PROBE_PREFIX) else { continue };
        last = n;
        let (ver, rest) = rest.split_once(' ').unwrap_or((rest, ""));
        if ver != "1" {
            return Err(err(n, ParseErrorKind::ProbeVersion(ver.chars().take(20).collect())));
        }
        let (kind, body) = rest.split_once(' ').unwrap_or((rest, ""));
        let probe_err = |m: &str| err(n, ParseErrorKind::Probe(m.to_string()));
        if ended {
            return Err(probe_err("line after end"));
        }
        match kind {
            "begin" => {
                if report.is_some() {
                    return Err(probe_err("second begin"));
                }
                report = Some(ProbeReport::default());
                continue;
            }
            _ if report.is_none() => return Err(probe_err("line before begin")),
            _ => {}
        }
        let r = report.as_mut().expect("checked above");
        match kind {
            "mem" => {
                if have_mem {
                    return Err(probe_err("second mem line"));
                }
                let kv = fields(body).map_err(|m| probe_err(&m))?;
                let mut mem = ProbeMem::default();
                for (k, v) in kv {
                    let u = || v.parse::<u64>().map_err(|_| probe_err(&format!("bad number for {k}")));
                    match k {
                        "heap_alloc" => mem.heap_alloc = u()?,
                        "heap_objects" => mem.heap_objects = u()?,
                        "total_alloc" => mem.total_alloc = u()?,
                        "mallocs" => mem.mallocs = u()?,
                        "frees" => mem.frees = u()?,
                        "sys" => mem.sys = u()?,
                        "heap_inuse" => mem.heap_inuse = u()?,
                        "num_gc" => mem.num_gc = u()?,
                        "rate" => mem.rate = v.parse().map_err(|_| probe_err("bad number for rate"))?,
                        _ => {} // later fields of the same version are ignored
                    }
                }
                r.mem = mem;
                have_mem = true;
            }
            "rec" => {
                let kv = fields(body).map_err(|m| probe_err(&m))?;
                let mut rec = ProbeRecord::default();
                for (k, v) in kv {
                    let i = || v.parse::<i64>().map_err(|_| probe_err(&format!("bad number for {k}")));
                    match k {
                        "inuse_bytes" => rec.inuse_bytes = i()?,
                        "inuse_objects" => rec.inuse_objects = i()?,
                        "alloc_bytes" => rec.alloc_bytes = i()?,
                        "alloc_objects" => rec.alloc_objects = i()?,
                        "depth" | "max_depth" => {
                            let d = v.parse::<u32>().map_err(|_| probe_err(&format!("bad number for {k}")))?;
                            if k == "depth" { rec.depth = d } else { rec.max_depth = d }
                        }
                        _ => {}
                    }
                }
                r.records.push(rec);
            }
            "frame" => {
                if body.is_empty() {
                    return Err(probe_err("empty frame"));
                }
                match r.records.last_mut() {
                    Some(rec) => rec.frames.push(body.to_string()),
                    None => return Err(probe_err("frame before any rec")),
                }
            }
            "end" => {
                let kv = fields(body).map_err(|m| probe_err(&m))?;
                let count = kv
                    .iter()
                    .find(|(k, _)| *k == "records")
                    .and_then(|(_, v)| v.parse::<usize>().ok())
                    .ok_or_else(|| probe_err("end without records=N"))?;
                if count != r.records.len() {
                    return Err(probe_err(&format!("end says {count} records, {} were printed", r.records.len())));
                }
                if !have_mem {
                    return Err(probe_err("no mem line"));
                }
                ended = true;
            }
            other => {
                return Err(probe_err(&format!("unknown kind {:?}", other.chars().take(20).collect::<String>())));
            }
        }
    }
    match report {
        None => Ok(None),
        Some(_) if !ended => {
            Err(err(last, ParseErrorKind::ProbeIncomplete("no end line (the program died during the probe?)".into())))
        }
        Some(r) => Ok(Some(r)),
    }
}

fn fields(body: &str) -> Result<Vec<(&str, &str)>, String> {
    body.split(' ')
        .filter(|f| !f.is_empty())
        .map(|f| f.split_once('=').ok_or_else(|| format!("field without '=': {:?}", truncate(f))))
        .collect()
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_lines() {
        let text = "hello\ninit internal/bytealg @0 ms, 0 ms clock, 0 bytes, 0 allocs\n\
            init example.com/x/tzdb @11 ms, 12 ms clock, 587752 bytes, 12171 allocs\n\
            init runtime @0.012 ms, 0.057 ms clock, 0 bytes, 0 allocs\n";
        let l = parse_inittrace(text).lines;
        assert_eq!(l.len(), 3);
        assert_eq!(l[1].package, "example.com/x/tzdb");
        assert_eq!(l[1].bytes, 587752);
        assert_eq!(l[1].allocs, 12171);
        assert!((l[2].clock_ms - 0.057).abs() < 1e-9);
    }

    #[test]
    fn lines_that_do_not_read_are_set_aside_with_their_numbers() {
        let text = "x\ninit a @1 ms, 2 ms clock, many bytes, 0 allocs\ninit config @ startup\ninit b @1 ms, 2 ms cl";
        let t = parse_inittrace(text);
        assert!(t.lines.is_empty());
        let numbers: Vec<usize> = t.unread.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [2, 3, 4]);
    }

    #[test]
    fn a_line_glued_to_program_output_is_read() {
        // fmt.Fprint(os.Stderr, "loading") in an init, then the runtime's line.
        let text = "loadinginit example.com/x/p @1.5 ms, 0.2 ms clock, 4096 bytes, 3 allocs\n\
            init: ready init example.com/x/q @2 ms, 0.1 ms clock, 16 bytes, 1 allocs\n";
        let t = parse_inittrace(text);
        let read: Vec<(&str, u64, u64)> = t.lines.iter().map(|l| (l.package.as_str(), l.bytes, l.allocs)).collect();
        assert_eq!(read, [("example.com/x/p", 4096, 3), ("example.com/x/q", 16, 1)]);
        assert!(t.unread.is_empty(), "{:?}", t.unread);
    }

    #[test]
    fn gc_lines() {
        let text = "gc 4 @0.001s 16%: 0.084+0.036+0.001 ms clock, 0.16+0.034/0.015/0+0.002 ms cpu, 32->32->32 MB, 32 MB goal, 0 MB stacks, 0 MB globals, 2 P\n\
            gc 5 @1.5s 1%: 0.1+0.2+0.3 ms clock, 0.1+0.2/0.3/0+0.4 ms cpu, 4->4->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 8 P (forced)\ngc ";
        let g = parse_gctrace(text).unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].heap_live_mb, 32);
        assert!(g[1].forced);
        assert_eq!(g[1].procs, 8);
        assert_eq!(parse_gctrace("gc 1 @0.1s 1%: nonsense\n").unwrap_err().line, 1);
        assert_eq!((g[0].gc_cpu_percent, g[1].gc_cpu_percent), (16.0, 1.0));
    }

    #[test]
    fn gctrace_read_leniently() {
        let good = "gc 7 @2.5s 3%: 0.1+0.2+0.3 ms clock, 0.1+0.2/0.3/0+0.4 ms cpu, 130->131->65 MB, 134 MB goal, 0 MB stacks, 0 MB globals, 2 P";
        let text = format!(
            "serving on :8080\n{good}\nlog: {good}\ngc 8 @2.7s 3%: 0.1+0.2+0.3 ms clock, 0.1+0.2/0.3/0+0.4 ms cpu, 12request done\ngc 9 @"
        );
        let t = read_gctrace(&text);
        assert_eq!(t.lines.len(), 2, "the line glued after 'log: ' is read");
        assert_eq!((t.lines[0].heap_live_mb, t.lines[0].gc_cpu_percent), (65, 3.0));
        let unread: Vec<usize> = t.unread.iter().map(|(n, _)| *n).collect();
        assert_eq!(unread, [4, 5]);
    }

    #[test]
    fn probe_report() {
        let text = "noise\nheft-probe 1 begin\n\
            heft-probe 1 mem heap_alloc=10 heap_objects=2 total_alloc=30 mallocs=4 frees=2 sys=100 heap_inuse=12 num_gc=3 rate=1\n\
            heft-probe 1 rec inuse_bytes=8 inuse_objects=1 alloc_bytes=8 alloc_objects=1 depth=2 max_depth=32\n\
            heft-probe 1 frame runtime.makeslice\nheft-probe 1 frame a/b.init\n\
            heft-probe 1 end records=1\n";
        let r = parse_probe(text).unwrap().unwrap();
        assert_eq!(r.mem.heap_alloc, 10);
        assert_eq!(r.records[0].frames, vec!["runtime.makeslice", "a/b.init"]);
        assert_eq!((r.records[0].depth, r.records[0].max_depth), (2, 32));
        assert_eq!(parse_probe("nothing\n").unwrap(), None);
        let cut = &text[..text.len() - 26];
        assert!(matches!(parse_probe(cut).unwrap_err().kind, ParseErrorKind::ProbeIncomplete(_)));
        let e = parse_probe("heft-probe 2 begin\n").unwrap_err();
        assert_eq!((e.line, matches!(e.kind, ParseErrorKind::ProbeVersion(_))), (1, true));
        assert_eq!(parse_probe("a\nheft-probe 1 frame x\n").unwrap_err().line, 2);
    }
}
