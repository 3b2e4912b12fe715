//! File-name rules: which names are Go sources at all, and the implicit
//! `_GOOS`, `_GOARCH` and `_GOOS_GOARCH` build constraints of go/build.

/// Every GOOS the go command knows (internal/syslist.KnownOS). A file-name
/// suffix naming one of these is a constraint even if it is not a
/// supported port.
pub const KNOWN_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "js",
    "linux",
    "nacl",
    "netbsd",
    "openbsd",
    "plan9",
    "solaris",
    "wasip1",
    "windows",
    "zos",
];

/// The GOOS values that satisfy the `unix` build tag (internal/syslist.UnixOS).
pub const UNIX_OS: &[&str] = &[
    "aix",
    "android",
    "darwin",
    "dragonfly",
    "freebsd",
    "hurd",
    "illumos",
    "ios",
    "linux",
    "netbsd",
    "openbsd",
    "solaris",
];

/// Every GOARCH the go command knows (internal/syslist.KnownArch).
pub const KNOWN_ARCH: &[&str] = &[
    "386",
    "amd64",
    "amd64p32",
    "arm",
    "armbe",
    "arm64",
    "arm64be",
    "loong64",
    "mips",
    "mipsle",
    "mips64",
    "mips64le",
    "mips64p32",
    "mips64p32le",
    "ppc",
    "ppc64",
    "ppc64le",
    "riscv",
    "riscv64",
    "s390",
    "s390x",
    "sparc",
    "sparc64",
    "wasm",
];

/// Whether `s` is a GOOS value go knows (go/build's knownOS), i.e. one a
/// `_GOOS` file-name suffix or a build tag can name.
pub fn is_known_os(s: &str) -> bool {
    KNOWN_OS.contains(&s)
}

/// Whether `s` is a GOARCH value go knows (go/build's knownArch).
pub fn is_known_arch(s: &str) -> bool {
    KNOWN_ARCH.contains(&s)
}

/// Whether GOOS `s` satisfies the `unix` build tag.
pub fn is_unix_os(s: &str) -> bool {
    UNIX_OS.contains(&s)
}

/// Reports whether a file name's `_GOOS` / `_GOARCH` / `_GOOS_GOARCH`
/// suffix (before the first '.', optionally followed by `_test`) is
/// satisfied, deciding each tag with `tag_ok`.
///
/// Only the part after the first '_' counts, so `linux.go` is unconstrained
/// while `x_linux.go` is not.
pub fn good_os_arch_file_with(name: &str, tag_ok: &mut impl FnMut(&str) -> bool) -> bool {
    let stem = match name.find('.') {
        Some(i) => &name[..i],
        None => name,
    };
    let Some(us) = stem.find('_') else {
        return true;
    };
    // The element before the first '_' never counts; a trailing "test" is
    // dropped. Only the last two remaining elements matter.
    let mut rest = &stem[us + 1..];
    let mut parts = rest.rsplit('_');
    let mut last = parts.next();
    if last == Some("test") {
        // "x_test" leaves no elements; "x_linux_test" leaves "linux".
        rest = match rest.rfind('_') {
            Some(i) => &rest[..i],
            None => return true,
        };
        parts = rest.rsplit('_');
        last = parts.next();
    }
    let Some(last) = last else {
        return true;
    };
    if let Some(prev) = parts.next()
        && is_known_os(prev)
        && is_known_arch(last)
    {
        return tag_ok(last) && tag_ok(prev);
    }
    if is_known_os(last) || is_known_arch(last) {
        return tag_ok(last);
    }
    true
}

/// [`good_os_arch_file_with`] for a plain GOOS/GOARCH pair, including the
/// GOOS aliases of go/build (android satisfies linux, illumos satisfies
/// solaris, ios satisfies darwin). Build tags given with `-tags` are not
/// considered; use `BuildContext::match_name` for that.
pub fn good_os_arch_file(name: &str, goos: &str, goarch: &str) -> bool {
    good_os_arch_file_with(name, &mut |tag| {
        tag == goos
            || tag == goarch
            || (goos == "android" && tag == "linux")
            || (goos == "illumos" && tag == "solaris")
            || (goos == "ios" && tag == "darwin")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_rules() {
        let ok = |n: &str| good_os_arch_file(n, "linux", "amd64");
        assert!(ok("linux.go"));
        assert!(ok("windows.go"));
        assert!(ok("amd64.go"));
        assert!(ok("foo.go"));
        assert!(ok("foo_linux.go"));
        assert!(!ok("foo_windows.go"));
        assert!(ok("foo_amd64.go"));
        assert!(!ok("foo_arm64.go"));
        assert!(ok("foo_linux_amd64.go"));
        assert!(!ok("foo_linux_arm64.go"));
        assert!(!ok("foo_windows_amd64.go"));
        assert!(ok("foo_linux_amd64_test.go"));
        assert!(!ok("foo_linux_386_test.go"));
        assert!(ok("foo_test.go"));
        assert!(ok("foo_linux_test.go"));
        assert!(!ok("foo_darwin_test.go"));
        // Only the part after the first '_' counts.
        assert!(ok("linux_amd64.go"));
        assert!(!ok("windows_arm.go")); // "arm" is the last element
        assert!(ok("windows_amd64.go"));
        // Cut at the first '.'.
        assert!(!ok("foo_windows.x.go"));
        assert!(ok("foo.windows.go"));
        // Unknown last element: unconstrained, even if the one before is an OS.
        assert!(ok("foo_windows_bar.go"));
        // arch_os order is not a pair; only the last element counts.
        assert!(!ok("foo_amd64_windows.go"));
        assert!(ok("foo_arm_linux.go"));
        // "test" alone after the stem.
        assert!(ok("x_test.go"));
        assert!(ok("_linux.go")); // first element empty, "linux" counts
        assert!(!ok("_windows.go"));
        assert!(ok("foo__.go"));
        // unix is not a known OS, so it is never a file-name constraint.
        assert!(ok("foo_unix.go"));
    }

    #[test]
    fn aliases() {
        assert!(good_os_arch_file("x_linux.go", "android", "arm64"));
        assert!(good_os_arch_file("x_android.go", "android", "arm64"));
        assert!(!good_os_arch_file("x_android.go", "linux", "arm64"));
        assert!(good_os_arch_file("x_darwin.go", "ios", "arm64"));
        assert!(good_os_arch_file("x_ios.go", "ios", "arm64"));
        assert!(!good_os_arch_file("x_ios.go", "darwin", "arm64"));
        assert!(good_os_arch_file("x_solaris_amd64.go", "illumos", "amd64"));
    }
}
