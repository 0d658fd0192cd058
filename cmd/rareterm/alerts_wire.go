package main

import (
	"context"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/rareterm/rareterm/alerts"
	"github.com/rareterm/rareterm/feeds"
	"github.com/rareterm/rareterm/feeds/demo"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

// alertWiring is the alert engine of a run and where :alert keeps rules.
type alertWiring struct {
	engine *alerts.Engine
	// rulesFile is where :alert add and rm write: the config file, or in
	// --demo the demo's own file beside demo.db.
	rulesFile string
	demo      bool
}

// newAlerts builds the engine from the config's rules (and, in --demo, the
// demo's own) over its own copy of the cached market, and hooks it into
// the poller: evaluated on each batch before it is written, its delivery
// health shown with the feeds'.
func newAlerts(cfg Config, snap model.Snapshot, spec model.IndexSpec, demoMode bool, dbPath string,
	pcfg *feeds.PollerConfig, logf func(string, ...any)) (*alertWiring, error) {
	rules := append([]model.AlertRule(nil), cfg.Alerts...)
	w := &alertWiring{rulesFile: cfg.Path, demo: demoMode}
	if demoMode {
		w.rulesFile = demoAlertsPath(dbPath)
		extra, err := loadDemoAlerts(w.rulesFile)
		if err != nil {
			return nil, err
		}
		rules = append(rules, extra...)
	}
	// The engine applies every batch to its snapshot: a copy of its own,
	// never the screen's. Without rules it holds none: the dashboard gives
	// it a clone of the screen's with the first rule typed (:alert add).
	acfg := alerts.Config{Rules: rules, Index: spec, AlwaysOpen: demoMode, Estimate: cfg.Estimate,
		Lang: deliveryLang(cfg.Lang), Logf: logf, OnPanic: feedPanicHook(currentCrashDir(), logf)}
	if len(rules) > 0 {
		acfg.Snapshot = snap.Clone()
	} else {
		acfg.Unseeded = true
	}
	w.engine = alerts.New(acfg)
	pcfg.Observe = w.engine.Observe
	pcfg.ExtraHealth = w.engine.Health
	return w, nil
}

// add and remove keep the rules file in step with :alert (run in a command).
func (w *alertWiring) add(rule string) error {
	if w.rulesFile == "" {
		return nil
	}
	return AddAlertRule(w.rulesFile, rule)
}

func (w *alertWiring) remove(rule string) error {
	if w.rulesFile == "" {
		return nil
	}
	ok, err := RemoveAlertRule(w.rulesFile, rule)
	if err == nil && !ok && w.demo {
		return i18n.Errorf(i18n.CLIAlertInConfig)
	}
	return err
}

// seedDemoContract writes the demo market's simulated contract quarters
// (after the reference history) into the demo database, so the contract
// estimate has quarters to fit and new ones to be judged against.
func seedDemoContract(db *store.DB, seed int64, logf func(string, ...any)) {
	cs, err := demo.New(seed).ContractQuarters(context.Background())
	// The current quarter is left to the demo's announcement, which the
	// announcement watcher reads as it would a company's.
	cur := model.QuarterOf(time.Now())
	cs = slices.DeleteFunc(cs, func(c model.ContractQuarter) bool { return c.Quarter == cur })
	if err == nil && len(cs) > 0 {
		err = db.Append(model.Batch{Contract: cs})
	}
	if err != nil {
		logf("demo contract quarters: %v", err)
	}
}

// alertDrain is how long collect waits at its end for commands and webhooks
// still queued.
const alertDrain = 20 * time.Second

// desktopOSC picks the desktop notification sequence the terminal
// understands: OSC 777 for urxvt, foot and VTE terminals, else OSC 9.
func desktopOSC() string {
	term := os.Getenv("TERM")
	if os.Getenv("VTE_VERSION") != "" || strings.Contains(term, "rxvt") || strings.HasPrefix(term, "foot") {
		return "777"
	}
	return "9"
}

// deliveryLang is the language of what webhooks and commands receive:
// Chinese only when the config file says lang = "zh", English otherwise
// (whatever the locale or --lang chose for the screen).
func deliveryLang(fileLang string) i18n.Lang {
	if fileLang == "zh" {
		return i18n.ZH
	}
	return i18n.EN
}
