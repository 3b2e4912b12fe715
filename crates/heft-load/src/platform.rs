//! Facts about target platforms the go command uses when it decides which
//! packages a main package links (internal/platform in the Go tree).

/// Whether linking a main package for goos/goarch must go through the
/// external linker, which makes every main package import `runtime/cgo`.
pub fn external_linking_required(goos: &str, goarch: &str) -> bool {
    must_link_external(goos, goarch) || (default_pie(goos) && !internal_link_pie_supported(goos, goarch))
}

fn must_link_external(goos: &str, goarch: &str) -> bool {
    match goos {
        "android" => goarch != "arm64",
        "ios" => goarch == "arm64",
        _ => false,
    }
}

fn default_pie(goos: &str) -> bool {
    matches!(goos, "android" | "ios" | "windows" | "darwin")
}

fn internal_link_pie_supported(goos: &str, goarch: &str) -> bool {
    matches!(
        (goos, goarch),
        ("android", "arm64")
            | ("darwin", "amd64" | "arm64")
            | ("linux", "amd64" | "arm64" | "loong64" | "ppc64le")
            | ("windows", "386" | "amd64" | "arm64")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_targets_link_internally() {
        for (os, arch) in [("linux", "amd64"), ("darwin", "arm64"), ("windows", "amd64"), ("linux", "arm")] {
            assert!(!external_linking_required(os, arch), "{os}/{arch}");
        }
        assert!(external_linking_required("ios", "arm64"));
        assert!(external_linking_required("android", "amd64"));
        assert!(external_linking_required("windows", "arm"));
    }
}
