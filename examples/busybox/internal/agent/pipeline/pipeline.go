// Package pipeline is the agent's status pipeline: its stages gather the
// report's fields from the configuration and the policy, and its sink
// writes them out.
package pipeline

import (
	"io"

	"example.com/busybox/internal/agent/pipeline/sink"
	"example.com/busybox/internal/agent/pipeline/stage"
	"example.com/busybox/pkg/config"
)

// Pipeline is one status report in the making.
type Pipeline struct {
	fields []stage.Field
}

// New runs every stage on cfg.
func New(cfg config.Config) *Pipeline {
	p := &Pipeline{}
	for _, s := range []stage.Stage{stage.Timing, stage.Policy} {
		p.fields = append(p.fields, s(cfg)...)
	}
	return p
}

// Add appends a field the stages do not know.
func (p *Pipeline) Add(name string, value any) {
	p.fields = append(p.fields, stage.Field{Name: name, Value: value})
}

// Write writes the fields in order, each name converted by rename.
func (p *Pipeline) Write(w io.Writer, rename func(string) (string, error)) error {
	for _, f := range p.fields {
		name, err := rename(f.Name)
		if err != nil {
			return err
		}
		if err := sink.Line(w, name, f.Value); err != nil {
			return err
		}
	}
	return nil
}
