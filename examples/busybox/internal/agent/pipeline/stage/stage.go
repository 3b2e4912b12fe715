// Package stage holds the steps of the agent's status pipeline.
package stage

import (
	"example.com/busybox/pkg/config"
	"example.com/busybox/pkg/policy"
)

// Field is one line of the status report.
type Field struct {
	Name  string
	Value any
}

// Stage computes some of the report's fields.
type Stage func(cfg config.Config) []Field

// Timing reports the agent's clock settings.
func Timing(cfg config.Config) []Field {
	return []Field{{"report_interval", cfg.Interval}, {"max_clock_skew", cfg.MaxSkew}}
}

// Policy reports the policy in force.
func Policy(config.Config) []Field {
	return []Field{{"policy_rules", policy.Rules()}}
}
