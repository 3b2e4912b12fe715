package agent

import (
	// SHAPE pass-it-in-import: agent calls one small function,
	// render.Title (3 lines), and for it links render and
	// render/markdown. Title itself calls markdown.Heading: copying it
	// here would keep markdown. Cut: pass the title in (or Title as a
	// function value) from code that links render anyway.
	"example.com/busybox/pkg/render"
)

// statusTitle is the heading of the agent's status report.
func statusTitle() string {
	return render.Title("agent status")
}
