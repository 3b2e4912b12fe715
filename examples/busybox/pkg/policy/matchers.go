package policy

import "regexp"

// SHAPE eager-init-regexp: these matchers are compiled while the package
// initializes, in every binary that links policy, before main runs and
// whether or not an image is ever checked.
// Cut: var imageRef = sync.OnceValue(func() *regexp.Regexp { ... }).
var imageRef = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?/)?[a-z0-9]+(?:[._/-][a-z0-9]+)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`)

var (
	latestTag   = regexp.MustCompile(`:latest(?:@|$)`)
	trustedHost = regexp.MustCompile(`^(?:registry\.example\.com|[a-z0-9-]+\.registry\.example\.net)(?::[0-9]+)?/`)
	debugTag    = regexp.MustCompile(`(?i)[:_-](?:debug|dbg|dev)(?:[._-]|@|$)`)
)
