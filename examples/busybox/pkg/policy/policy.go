// Package policy decides which images may run.
package policy

import "strings"

// CheckImage returns "" if ref may run, else the reason it may not.
func CheckImage(ref string) string {
	switch {
	case !imageRef.MatchString(ref):
		return "not a valid image reference"
	case latestTag.MatchString(ref) || !strings.ContainsAny(ref, ":@"):
		return "mutable tag: pin a version or a digest"
	case !trustedHost.MatchString(ref):
		return "registry is not trusted"
	case debugTag.MatchString(ref):
		return "debug images are not allowed"
	}
	return ""
}

// Rules returns the number of rules.
func Rules() int { return 4 }
