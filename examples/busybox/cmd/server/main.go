// Command server is the central server: web UI, static files and a registry
// proxy.
package main

import (
	"os"

	"example.com/busybox/internal/server"
)

func main() {
	os.Exit(server.Main(os.Args[1:]))
}
