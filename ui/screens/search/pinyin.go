package search

import "github.com/rareterm/rareterm/model"

// PinyinInitials returns the pinyin initials of a name's likeliest reading
// ("北方稀土" → "bfxt", "中国银行" → "zgyh"); see model.Spell.
func PinyinInitials(s string) string { return model.PinyinInitials(s) }
