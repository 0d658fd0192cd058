package main

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// Alert rules in the config file, one [[alerts]] table each:
//
//	[[alerts]]
//	rule = "600111 > 55"            # TARGET [METRIC] OP VALUE (README: Alerts)
//	deliver = ["bell", "webhook"]   # status bell desktop command webhook (default status, bell)
//	webhook = "http://127.0.0.1:9000/hook"
//	command = ["notify-send", "{title}", "{body}"]
//	session = "any"                 # also outside trading hours
//	hysteresis = 0.3                # re-arm margin, in the metric's units
//	cooldown = "5m"
//
// Only rules from this file may run a command or post to a webhook.

type fileAlert struct {
	Rule       string   `toml:"rule"`
	Deliver    []string `toml:"deliver"`
	Webhook    string   `toml:"webhook"`
	Command    []string `toml:"command"`
	Session    string   `toml:"session"`
	Hysteresis *float64 `toml:"hysteresis"`
	Cooldown   string   `toml:"cooldown"`
}

var alertsHeaderRe = regexp.MustCompile(`^\s*\[\[\s*alerts\s*\]\]\s*(#.*)?$`)

// isAlertKey reports whether an undecoded config key belongs to [[alerts]]
// (read by parseAlerts).
func isAlertKey(k string) bool { return k == "alerts" || strings.HasPrefix(k, "alerts.") }

// alertBlocks returns the line (1-based) of each [[alerts]] header.
func alertBlocks(data []byte) []int {
	var out []int
	for i, l := range strings.Split(string(data), "\n") {
		if alertsHeaderRe.MatchString(l) {
			out = append(out, i+1)
		}
	}
	return out
}

// alertKeyLine finds the line of key inside the n-th [[alerts]] table (the
// header's line when the key is not found).
func alertKeyLine(data []byte, n int, key string) int {
	heads := alertBlocks(data)
	if n >= len(heads) {
		return 0
	}
	lines := strings.Split(string(data), "\n")
	for i := heads[n]; i < len(lines); i++ {
		if tableRe.MatchString(lines[i]) || strings.HasPrefix(strings.TrimSpace(lines[i]), "[") {
			break
		}
		if m := keyRe.FindStringSubmatch(lines[i]); m != nil && normKey(m[1]) == key {
			return i + 1
		}
	}
	return heads[n]
}

// parseAlerts reads the [[alerts]] tables. A rule that does not parse, an
// unknown key, a delivery that is not known, a webhook that is not an
// http(s) URL or a command that is empty is an error naming the line.
func parseAlerts(path string, data []byte) ([]model.AlertRule, error) {
	var f struct {
		Alerts []map[string]any `toml:"alerts"`
	}
	if _, err := toml.Decode(string(data), &f); err != nil {
		return nil, &ConfigError{Path: path, Key: "alerts", Msg: err}
	}
	var out []model.AlertRule
	for n, raw := range f.Alerts {
		bad := func(key string, t i18n.Text, args ...any) error {
			return &ConfigError{Path: path, Key: "alerts." + key, Line: alertKeyLine(data, n, key), Msg: configMsg(t, args...)}
		}
		badErr := func(key string, err error) error {
			return &ConfigError{Path: path, Key: "alerts." + key, Line: alertKeyLine(data, n, key), Msg: err}
		}
		var a fileAlert
		md, err := toml.Decode(encodeTOML(raw), &a)
		if err != nil {
			return nil, badErr("rule", err)
		}
		for _, u := range md.Undecoded() {
			return nil, bad(u.String(), i18n.ConfigAlertUnknownKey)
		}
		if strings.TrimSpace(a.Rule) == "" {
			return nil, bad("rule", i18n.ConfigAlertNoRule)
		}
		r, err := model.ParseAlertRule(a.Rule)
		if err != nil {
			return nil, badErr("rule", err)
		}
		r.FromConfig = true
		r.Deliver = []string{model.DeliverStatus}
		deliver := a.Deliver
		if deliver == nil {
			deliver = []string{model.DeliverBell}
		}
		for _, d := range deliver {
			switch d {
			case model.DeliverStatus:
			case model.DeliverBell, model.DeliverDesktop, model.DeliverCommand, model.DeliverWebhook:
				r.Deliver = append(r.Deliver, d)
			default:
				return nil, bad("deliver", i18n.ConfigAlertDeliver, d)
			}
		}
		has := func(d string) bool {
			for _, x := range r.Deliver {
				if x == d {
					return true
				}
			}
			return false
		}
		if a.Webhook != "" {
			if err := checkURL(a.Webhook); err != nil {
				return nil, badErr("webhook", err)
			}
			r.Webhook = a.Webhook
		}
		if has(model.DeliverWebhook) && r.Webhook == "" {
			return nil, bad("deliver", i18n.ConfigAlertNeedsWebhook)
		}
		if a.Command != nil {
			if len(a.Command) == 0 || strings.TrimSpace(a.Command[0]) == "" {
				return nil, bad("command", i18n.ConfigAlertCommand)
			}
			for _, s := range a.Command {
				if model.HasControl(s) {
					return nil, bad("command", i18n.ConfigControlChars)
				}
			}
			r.Command = a.Command
		}
		if has(model.DeliverCommand) && len(r.Command) == 0 {
			return nil, bad("deliver", i18n.ConfigAlertNeedsCommand)
		}
		switch a.Session {
		case "", "trading":
		case "any":
			r.AnyTime = true
		default:
			return nil, bad("session", i18n.ConfigAlertSession, a.Session)
		}
		if a.Hysteresis != nil {
			if !model.Known(*a.Hysteresis) || *a.Hysteresis < 0 {
				return nil, bad("hysteresis", i18n.ConfigAlertHysteresis)
			}
			r.Hyst = *a.Hysteresis
		}
		if a.Cooldown != "" {
			d, err := time.ParseDuration(a.Cooldown)
			if err != nil || d < 0 {
				return nil, bad("cooldown", i18n.ConfigAlertCooldown, a.Cooldown)
			}
			r.Cool = d
		}
		out = append(out, r)
	}
	return out, nil
}

// encodeTOML writes one decoded table back as TOML, to decode it strictly
// into fileAlert (unknown keys found).
func encodeTOML(m map[string]any) string {
	var b strings.Builder
	_ = toml.NewEncoder(&b).Encode(m)
	return b.String()
}

// AddAlertRule appends an [[alerts]] table holding rule to the file at
// path (created if missing), leaving everything else as written.
func AddAlertRule(path, rule string) error {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	out := string(data)
	if out != "" && !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	if out != "" {
		out += "\n"
	}
	out += "[[alerts]]\nrule = " + strconv.Quote(rule) + "\n"
	return writeAlertFile(path, out)
}

// RemoveAlertRule deletes the first [[alerts]] table whose rule is rule,
// from its header to the next table; false when none is.
func RemoveAlertRule(path, rule string) (bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	rules, err := parseAlerts(path, data)
	if err != nil {
		return false, err
	}
	heads := alertBlocks(data)
	lines := strings.Split(string(data), "\n")
	for n, r := range rules {
		if r.Text != model.Sanitize(rule) || n >= len(heads) {
			continue
		}
		start, end := heads[n]-1, len(lines)
		for i := start + 1; i < len(lines); i++ {
			if strings.HasPrefix(strings.TrimSpace(lines[i]), "[") {
				end = i
				break
			}
		}
		out := append(append([]string(nil), lines[:start]...), lines[end:]...)
		return true, writeAlertFile(path, strings.Join(out, "\n"))
	}
	return false, nil
}

// writeAlertFile checks that the new text still parses, then replaces the
// file atomically, keeping its mode.
func writeAlertFile(path, out string) error {
	if _, err := parseConfig(path, []byte(out)); err != nil {
		return i18n.Errorf(i18n.ConfigAlertsWrite, err)
	}
	return replaceConfig(path, out)
}

// demoAlertsPath is where --demo keeps the rules added with :alert: beside
// demo.db, never in the config file.
func demoAlertsPath(demoDB string) string {
	return filepath.Join(filepath.Dir(demoDB), "demo-alerts.toml")
}

// loadDemoAlerts reads the demo's own rules (status and bell only).
func loadDemoAlerts(path string) ([]model.AlertRule, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rs, err := parseAlerts(path, data)
	for i := range rs {
		rs[i].FromConfig, rs[i].Command, rs[i].Webhook = false, nil, ""
		rs[i].Deliver = []string{model.DeliverStatus, model.DeliverBell}
	}
	return rs, err
}

// The contract estimate's regressors:
//
//	[contract]
//	estimate_with_la = true   # La oxide's average beside PrNd oxide's (default false)
func parseEstimate(path string, data []byte) (model.EstimateSpec, error) {
	var f struct {
		Contract map[string]any `toml:"contract"`
	}
	var spec model.EstimateSpec
	if _, err := toml.Decode(string(data), &f); err != nil {
		return spec, &ConfigError{Path: path, Key: "contract", Msg: err}
	}
	for k, v := range f.Contract {
		key := "contract." + k
		if k != "estimate_with_la" {
			return spec, &ConfigError{Path: path, Key: key, Line: keyLine(data, key), Msg: configMsg(i18n.ConfigContractKey)}
		}
		b, ok := v.(bool)
		if !ok {
			return spec, &ConfigError{Path: path, Key: key, Line: keyLine(data, key), Msg: configMsg(i18n.ConfigBool, v)}
		}
		spec.WithLa = b
	}
	return spec, nil
}

// isEstimateKey reports whether an undecoded config key belongs to
// [contract] (read by parseEstimate).
func isEstimateKey(k string) bool { return k == "contract" || strings.HasPrefix(k, "contract.") }
