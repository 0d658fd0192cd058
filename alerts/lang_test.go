package alerts

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rareterm/rareterm/i18n"
	"github.com/rareterm/rareterm/model"
)

// Webhooks receive the alert in English unless the config says zh.
func TestWebhookSpeaksTheConfiguredLanguage(t *testing.T) {
	for _, c := range []struct {
		lang        i18n.Lang
		title, body string
	}{
		{i18n.EN, "600111 北方稀土 price > 55.00", "600111 北方稀土 price is 55.50 at "},
		{i18n.ZH, "600111 北方稀土 价格 > 55.00", "600111 北方稀土 价格 为 55.50 于 "},
	} {
		sink := newWebhookSink(t, 0)
		r := rule(t, "600111 > 55", model.DeliverWebhook)
		r.Webhook = sink.srv.URL
		e := New(Config{Rules: []model.AlertRule{r}, AlwaysOpen: true, Lang: c.lang, Backoff: func(int) time.Duration { return time.Millisecond }})
		ctx, cancel := context.WithCancel(context.Background())
		e.Start(ctx)
		b := quoteBatch(55.5, t0)
		e.Observe(&b)
		if !e.Close(5 * time.Second) {
			t.Fatal("delivery not done within 5 s")
		}
		cancel()
		sink.srv.Close()
		if got := sink.posts(); len(got) != 1 || got[0].Title != c.title || !strings.HasPrefix(got[0].Body, c.body) {
			t.Errorf("%v: webhook %+v", c.lang, got)
		}
		// What the batch carries for the screens keeps both languages.
		if len(b.Alerts) != 1 || b.Alerts[0].Title != "600111 北方稀土 price > 55.00" || b.Alerts[0].TitleZh != "600111 北方稀土 价格 > 55.00" {
			t.Errorf("%v: batch alerts %+v", c.lang, b.Alerts)
		}
	}
}
