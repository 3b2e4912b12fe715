// Package agent is the node agent component.
package agent

import (
	"fmt"
	"time"

	"example.com/busybox/internal/cli"
	"example.com/busybox/internal/initalloc/churn4m"
	"example.com/busybox/internal/initalloc/retain1m"
	"example.com/busybox/pkg/config"
	"example.com/busybox/pkg/policy"
	"example.com/busybox/pkg/protohelp"
)

// Component describes the agent to the busybox dispatcher.
var Component = cli.Component{
	Name:    "agent",
	Summary: "node agent: reports status, checks images against policy",
	Main:    Main,
}

// Main runs the agent with args (without the program name).
func Main(args []string) int {
	fs := cli.FlagSet("agent", "agent [--config file] [image...]")
	cfgPath := fs.String("config", "", "configuration file (JSON); default: built-in settings")
	if code, done := cli.Parse(fs, args); done {
		return code
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return cli.Fail("agent", err)
	}
	report := []struct {
		field string
		value any
	}{
		{"report_interval", cfg.Interval},
		{"max_clock_skew", cfg.MaxSkew},
		{"policy_rules", policy.Rules()},
		{"ballast_bytes", retain1m.Len()},
		{"warmup_checksum", fmt.Sprintf("%08x", churn4m.Checksum)},
	}
	fmt.Println(statusTitle())
	fmt.Printf("agent: status at %s\n", time.Now().UTC().Format(time.RFC3339))
	for _, kv := range report {
		name, err := protohelp.GraphQLName(kv.field)
		if err != nil {
			return cli.Fail("agent", err)
		}
		fmt.Printf("  %-16s %v\n", name, kv.value)
	}
	code := 0
	for _, ref := range fs.Args() {
		if why := policy.CheckImage(ref); why != "" {
			fmt.Printf("  deny %s: %s\n", ref, why)
			code = 1
		} else {
			fmt.Printf("  allow %s\n", ref)
		}
	}
	return code
}
