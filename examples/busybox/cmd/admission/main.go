// Command admission is the admission controller: it validates workload
// specifications before they are accepted.
package main

import (
	"os"

	"example.com/busybox/internal/admission"
)

func main() {
	os.Exit(admission.Main(os.Args[1:]))
}
