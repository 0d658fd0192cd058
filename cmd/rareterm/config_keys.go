package main

import (
	"errors"
	"sort"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/ui"
)

// parseKeys reads the [keys] section: action = ["key", ...] (a single
// "key" also works). Entries are checked in the file's order, so a clash
// names the later line; every error names the file, the line and the key.
func parseKeys(path string, data []byte, raw map[string]any) ([]ui.KeyBinding, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var out []ui.KeyBinding
	line := map[string]int{}
	for action, v := range raw {
		key := "keys." + action
		line[action] = keyLine(data, key)
		var keys []string
		switch v := v.(type) {
		case string:
			keys = []string{v}
		case []any:
			for _, k := range v {
				s, ok := k.(string)
				if !ok {
					return nil, &ConfigError{Path: path, Key: key, Line: line[action], Msg: configMsg(i18n.ConfigKeyList, v)}
				}
				keys = append(keys, s)
			}
		default:
			return nil, &ConfigError{Path: path, Key: key, Line: line[action], Msg: configMsg(i18n.ConfigKeyList, v)}
		}
		out = append(out, ui.KeyBinding{Action: action, Keys: keys})
	}
	sort.SliceStable(out, func(i, j int) bool { return line[out[i].Action] < line[out[j].Action] })
	// Check one entry more at a time: the first prefix that fails names
	// the entry at fault.
	for i := range out {
		if err := ui.CheckKeys(out[:i+1]); err != nil {
			var ke *ui.KeyError
			if errors.As(err, &ke) {
				return nil, &ConfigError{Path: path, Key: "keys." + out[i].Action, Line: line[out[i].Action], Msg: plainMsg(ke.Msg)}
			}
			return nil, &ConfigError{Path: path, Key: "keys." + out[i].Action, Line: line[out[i].Action], Msg: err}
		}
	}
	return out, nil
}
