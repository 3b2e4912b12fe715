// Command agent is the node agent: it reports status and checks images
// against the local policy.
package main

import (
	"os"

	"example.com/busybox/internal/agent"
)

func main() {
	os.Exit(agent.Main(os.Args[1:]))
}
