package main

import (
	"fmt"
	"io"
)

func runSubcommand(name string, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stderr, "rareterm: unknown command %q (try rareterm --help)\n", name)
	return 2
}
