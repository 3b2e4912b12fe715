// Package agent is the node agent component.
package agent

import (
	"fmt"
	"os"
	"time"

	// SHAPE program-structure: the agent hands its report to its own
	// pipeline (one identifier, New), and the pipeline builds on the
	// agent's configuration and policy, which stay linked without it.
	// Cutting this import would drop the agent's report, not a
	// dependency: heft ranks it after every other cut.
	"example.com/busybox/internal/agent/pipeline"
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
	report := pipeline.New(cfg)
	report.Add("ballast_bytes", retain1m.Len())
	report.Add("warmup_checksum", fmt.Sprintf("%08x", churn4m.Checksum))
	fmt.Println(statusTitle())
	fmt.Printf("agent: status at %s\n", time.Now().UTC().Format(time.RFC3339))
	if err := report.Write(os.Stdout, protohelp.GraphQLName); err != nil {
		return cli.Fail("agent", err)
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
