package main

import (
	"testing"

	"github.com/rareterm/rareterm/i18n"
)

// Webhooks and commands get Chinese only when the config file says so;
// the locale or --lang choose the screen's language, not theirs.
func TestAlertDeliveryLanguage(t *testing.T) {
	for in, want := range map[string]i18n.Lang{"": i18n.EN, "en": i18n.EN, "zh": i18n.ZH} {
		if got := deliveryLang(in); got != want {
			t.Errorf("lang %q: %v, want %v", in, got, want)
		}
	}
}
