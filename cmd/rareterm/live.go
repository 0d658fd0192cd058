package main

import (
	"errors"
	"log"

	"github.com/rareterm/rareterm/feeds"
)

// liveSources wires the real feeds.
func liveSources(cfg Config, logger *log.Logger) (feeds.PollerConfig, error) {
	return feeds.PollerConfig{}, errors.New("the live feeds are not built yet: run `rareterm --demo` for the simulated market")
}
