//! Parsers for what a measured Go program prints on stderr: inittrace lines,
//! gctrace lines and the probe's own report. They never panic. The trace
//! lines are read among the program's own output: what reads is kept, a line
//! that does not is set aside with its 1-based line number; a malformed
//! probe report is an error carrying its line number.

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
    /// Runtime lines that were there but were not read: the runtime writes
    /// each line's ` allocs` in one piece, so there are as many lines as
    /// those pieces (unless the program prints ` allocs` itself). A line
    /// cut at every piece by the program's writes can leave nothing that
    /// looks like inittrace but that piece.
    pub lost: usize,
}

/// Reads the inittrace lines of a program's stderr, as [`find_trace`]
/// finds them among the program's own output.
pub fn parse_inittrace(text: &str) -> Inittrace {
    let (lines, unread) =
        find_trace(text, "init ", &[" allocs"], parse_init_line, |rest| matches!(parse_gc_line(rest), Some(Ok(_))));
    let lost = text.matches(" allocs").count().saturating_sub(lines.len());
    Inittrace { lines, unread, lost }
}

/// How many lines after a cut runtime line its second half is looked for
/// (a program logging from several goroutines writes dozens of lines while
/// the runtime prints one).
const REJOIN_WINDOW: usize = 256;

/// How far into a cut runtime line the cut is looked for (a runtime line
/// is a few hundred bytes at most, a long import path included).
const REJOIN_REACH: usize = 512;

/// A character a number the runtime prints can hold.
fn numeric(c: char) -> bool {
    c.is_ascii_digit() || c == '.'
}

/// Finds the runtime's trace lines of one kind (`marker`: `init ` or
/// `gc `) in a program's stderr, where the program's own writes run
/// alongside. The runtime writes each line piece by piece (every argument
/// of its `print` is one write; a gctrace line holds the print lock, an
/// inittrace line does not), so another write lands around or inside one:
///
/// - text without a newline glued in front: the line is found after it;
/// - text written between the last piece and the newline: the longest
///   beginning of the line that reads is kept;
/// - a whole line written right after the marker piece: the rest of the
///   runtime's line starts a later line and reads with the marker put back;
/// - a whole line written between two other pieces (a log line from another
///   goroutine, or a gctrace line inside an inittrace line) cuts the line
///   in two: the first half ends the physical line, the second half is a
///   later line. The halves are joined again when the cut is certain: at
///   the start of a whole runtime line of the other kind (`other` reads
///   it), or else after a separator piece, past the ` @` (so a number or
///   an import path is never cut), with every such cut that reads giving
///   the same values. A cut after a number is ambiguous (the inserted text
///   may start with digits) and is left unread.
///
/// Returns what was read, in order, and the lines that could not be read
/// (1-based line number and text): those that start like one, and the
/// second halves left over (a number and one of the line's `endings`), whose
/// first half may not be recognisable (cut inside its import path).
fn find_trace<T: PartialEq>(
    text: &str,
    marker: &str,
    endings: &[&str],
    parse: impl Fn(&str) -> Option<Result<T, String>>,
    other: impl Fn(&str) -> bool,
) -> (Vec<T>, Vec<(usize, String)>) {
    let lines: Vec<&str> = text.lines().collect();
    let second_half = |line: &str| {
        endings.iter().any(|e| line.strip_suffix(e).is_some_and(|rest| rest.ends_with(|c: char| c.is_ascii_digit())))
    };
    let mut joined = vec![false; lines.len()];
    let mut out = Vec::new();
    let mut unread = Vec::new();
    for i in 0..lines.len() {
        if joined[i] {
            continue;
        }
        let line = lines[i];
        let mut cut = Vec::new();
        let mut found = None;
        for (at, _) in line.match_indices(marker) {
            match parse(&line[at..]) {
                Some(Ok(l)) => {
                    found = Some(l);
                    break;
                }
                Some(Err(_)) => cut.push(at),
                None => {}
            }
        }
        if found.is_none() {
            // Text glued after the line: its longest beginning that reads.
            found = cut.iter().find_map(|&s| {
                let end = line.len().min(s + REJOIN_REACH);
                (s + marker.len()..end)
                    .rev()
                    .filter(|&k| line.is_char_boundary(k))
                    .find_map(|k| parse(&line[s..k])?.ok())
            });
        }
        if found.is_none() {
            for &s in cut.iter().rev() {
                match rejoin(&lines, i, s, &joined, &parse, &other, &second_half) {
                    Rejoined::Read(l, j) => {
                        joined[j] = true;
                        found = Some(l);
                    }
                    Rejoined::Ambiguous => {}
                    Rejoined::NotFound => continue,
                }
                break;
            }
        }
        if found.is_none() && cut.is_empty() && !line.contains(marker) && second_half(line) {
            // Cut right after the marker piece (`init `, `gc `): the rest,
            // from the piece after it, reads whole.
            found = parse(&format!("{marker}{line}")).and_then(Result::ok);
        }
        match found {
            Some(l) => out.push(l),
            None if !cut.is_empty() => unread.push((i + 1, line.to_string())),
            None if line.contains(marker) => {}
            None if second_half(line) => unread.push((i + 1, line.to_string())),
            None => {}
        }
    }
    (out, unread)
}

enum Rejoined<T> {
    /// The line read, and the index of the line its second half was.
    Read(T, usize),
    /// Cuts that read as different lines.
    Ambiguous,
    NotFound,
}

/// Joins the runtime line starting at byte `s` of `lines[i]`, cut by a
/// whole line written inside it, with its second half in a later line; see
/// [`find_trace`].
fn rejoin<T: PartialEq>(
    lines: &[&str],
    i: usize,
    s: usize,
    joined: &[bool],
    parse: &impl Fn(&str) -> Option<Result<T, String>>,
    other: &impl Fn(&str) -> bool,
    second_half: &impl Fn(&str) -> bool,
) -> Rejoined<T> {
    let line = lines[i];
    let Some(head) = line[s..].find(" @").map(|at| s + at + 2) else { return Rejoined::NotFound };
    let end = line.len().min(s + REJOIN_REACH);
    let bounds = (head..=end).filter(|&k| line.is_char_boundary(k));
    // A whole runtime line of the other kind inside: the cut is where it starts.
    let known: Vec<usize> = bounds.clone().filter(|&k| k < line.len() && other(&line[k..])).take(1).collect();
    let cuts: Vec<usize> =
        if known.is_empty() { bounds.filter(|&k| !line[..k].ends_with(numeric)).collect() } else { known };
    for j in (i + 1..lines.len().min(i + 1 + REJOIN_WINDOW)).filter(|&j| !joined[j] && second_half(lines[j])) {
        let mut read: Option<T> = None;
        for &k in &cuts {
            let Some(Ok(l)) = parse(&format!("{}{}", &line[s..k], lines[j])) else { continue };
            match &read {
                Some(r) if *r != l => return Rejoined::Ambiguous,
                Some(_) => {}
                None => read = Some(l),
            }
        }
        if let Some(l) = read {
            return Rejoined::Read(l, j);
        }
    }
    Rejoined::NotFound
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
/// read, as [`find_trace`] finds them among the program's own output.
pub fn read_gctrace(text: &str) -> GcTrace {
    let (lines, unread) = find_trace(text, "gc ", &[" P", " P (forced)"], parse_gc_line, |rest| {
        matches!(parse_init_line(rest), Some(Ok(_)))
    });
    GcTrace { lines, unread }
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

    const GC: &str = "gc 7 @2.5s 3%: 0.1+0.2+0.3 ms clock, 0.1+0.2/0.3/0+0.4 ms cpu, 130->131->65 MB, 134 MB goal, 0 MB stacks, 0 MB globals, 2 P";

    /// The runtime prints an inittrace line in pieces without its print
    /// lock: a gctrace line (whole, under the lock) lands between two.
    #[test]
    fn a_gctrace_line_inside_an_inittrace_line_is_cut_out() {
        let text = format!(
            "init a/b @1.25{GC}\n ms, 0.5 ms clock, 4096 bytes, 3 allocs\ninit c @2 ms, 1 ms clock, 8 bytes, 1 allocs\n"
        );
        let t = parse_inittrace(&text);
        let read: Vec<(&str, f64, u64)> = t.lines.iter().map(|l| (l.package.as_str(), l.start_ms, l.bytes)).collect();
        assert_eq!(read, [("a/b", 1.25, 4096), ("c", 2.0, 8)]);
        assert!(t.unread.is_empty(), "{:?}", t.unread);
        let g = read_gctrace(&text);
        assert_eq!((g.lines.len(), g.lines[0].heap_live_mb), (1, 65));
    }

    /// A log line written by another goroutine between two pieces: the
    /// halves are joined again when the cut follows a separator; after a
    /// number the cut is uncertain (the log line may start with digits) and
    /// the line is set aside, never read wrong.
    #[test]
    fn a_line_cut_by_a_log_line_is_joined_when_the_cut_is_certain() {
        let text = "init a @1 ms, 0.5 ms clock, 2009/11/10 23:00:00 worker 1 line 5\n\
            level=INFO worker=2\n4096 bytes, 3 allocs\n\
            init b @2 ms, 0.5 ms clock, 100level=INFO worker=2\n bytes, 1 allocs\n\
            init c @3 ms, 0.5 ms clock, 1002009/11/10 23:00:00 worker 1\n bytes, 1 allocs\n\
            init d/elevel=INFO\n @4 ms, 0.5 ms clock, 16 bytes, 1 allocs\n\
            init e @5 ms, 0.5 ms clock, 32 bytes, 2 allocslevel=INFO worker=3\n\
            init level=INFO worker=1\nf/g @6 ms, 0.5 ms clock, 64 bytes, 4 allocs\n";
        let t = parse_inittrace(text);
        let read: Vec<(&str, u64, u64)> = t.lines.iter().map(|l| (l.package.as_str(), l.bytes, l.allocs)).collect();
        assert_eq!(read, [("a", 4096, 3), ("e", 32, 2), ("f/g", 64, 4)]);
        let unread: Vec<usize> = t.unread.iter().map(|(n, _)| *n).collect();
        // b and c are cut after a number (lines 4 and 6, their second
        // halves 5 and 7), d after its path (its second half, line 9).
        assert_eq!(unread, [4, 5, 6, 7, 9]);

        let cut_gc = "gc 8 @2.7s 3%: 0.1+0.2+0.3 ms clock, 0.1+0.2/0.3/0+0.4 ms cpu, 130->level=INFO a=1\n\
            131->65 MB, 134 MB goal, 0 MB stacks, 0 MB globals, 2 P\n\
            gc 9 @2.8s 3%: 0.1+0.2+0.3 ms clock, 0.1+0.2/0.3/0+0.4 ms cpu, 1302009/11/10 23:00:00 x\n\
            ->131->65 MB, 134 MB goal, 0 MB stacks, 0 MB globals, 2 P\n";
        let g = read_gctrace(cut_gc);
        let read: Vec<(u64, u64, u64)> =
            g.lines.iter().map(|l| (l.number, l.heap_before_mb, l.heap_after_mb)).collect();
        assert_eq!(read, [(8, 130, 131)]);
        assert_eq!(g.unread.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn a_line_cut_at_every_piece_is_counted_as_lost() {
        // Seen on a program logging from four goroutines: every piece of the
        // runtime's line has a log line after it, the newline last.
        let text = "init level=INFO worker=1 line=427\n\
                    example.com/t/p102009/11/10 23:00:00 worker 1 line 428\n\
                    \x20@level=INFO worker=1 line=429\n\
                    702009/11/10 23:00:00 worker 1 line 430\n\
                    \x20ms, level=INFO worker=1 line=431\n\
                    1.22009/11/10 23:00:00 worker 1 line 432\n\
                    \x20ms clock, level=INFO worker=1 line=433\n\
                    3270162009/11/10 23:00:00 worker 1 line 434\n\
                    \x20bytes, 210 allocslevel=INFO worker=1 line=435\n\
                    \n\
                    init example.com/t/p11 @71 ms, 1.1 ms clock, 327016 bytes, 210 allocs\n";
        let t = parse_inittrace(text);
        assert_eq!(t.lines.iter().map(|l| l.package.as_str()).collect::<Vec<_>>(), ["example.com/t/p11"]);
        assert_eq!(t.lost, 1);
    }

    #[test]
    fn gc_lines() {
        let text = "gc 4 @0.001s 16%: 0.084+0.036+0.001 ms clock, 0.16+0.034/0.015/0+0.002 ms cpu, 32->32->32 MB, 32 MB goal, 0 MB stacks, 0 MB globals, 2 P\n\
            gc 5 @1.5s 1%: 0.1+0.2+0.3 ms clock, 0.1+0.2/0.3/0+0.4 ms cpu, 4->4->1 MB, 5 MB goal, 0 MB stacks, 0 MB globals, 8 P (forced)\ngc ";
        let g = read_gctrace(text).lines;
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].heap_live_mb, 32);
        assert!(g[1].forced);
        assert_eq!(g[1].procs, 8);
        assert_eq!(read_gctrace("gc 1 @0.1s 1%: nonsense\n").unread[0].0, 1);
        assert_eq!((g[0].gc_cpu_percent, g[1].gc_cpu_percent), (16.0, 1.0));
    }

    #[test]
    fn gctrace_read_leniently() {
        let good = GC;
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
