package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rareterm/rareterm/model"
)

// WebhookBody is the JSON a webhook receives. Text is title and body on
// two lines, the field most chat bots (Slack, Mattermost, Discord's
// Slack-compatible hooks) post as the message.
type WebhookBody struct {
	Text  string   `json:"text"`
	Title string   `json:"title"`
	Body  string   `json:"body"`
	Rule  string   `json:"rule"`
	Value *float64 `json:"value,omitempty"`
	Level *float64 `json:"level,omitempty"`
	Time  string   `json:"time"` // RFC 3339, CST
}

func finite(v float64) *float64 {
	if !model.Known(v) {
		return nil
	}
	return &v
}

// NewWebhookBody is the body posted for an alert; every text sanitised.
func NewWebhookBody(a model.AlertEvent) WebhookBody {
	t, b := model.Sanitize(a.Title), model.Sanitize(a.Body)
	return WebhookBody{Text: t + "\n" + b, Title: t, Body: b, Rule: model.Sanitize(a.Rule),
		Value: finite(a.Value), Level: finite(a.Level), Time: a.At.In(model.CST).Format(time.RFC3339)}
}

// errPermanent marks a webhook answer not worth retrying (a 4xx).
type errPermanent struct{ error }

// postWebhook posts the alert, trying again after Backoff on a network
// error, a timeout, a 429 or a 5xx.
func (e *Engine) postWebhook(ctx context.Context, a model.AlertEvent) error {
	body, err := json.Marshal(NewWebhookBody(a))
	if err != nil {
		return err
	}
	var last error
	for attempt := 0; attempt <= e.cfg.Retries; attempt++ {
		if attempt > 0 {
			t := time.NewTimer(e.cfg.Backoff(attempt - 1))
			select {
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("%w (after %d attempts: %v)", ctx.Err(), attempt, last)
			case <-t.C:
			}
		}
		last = e.postOnce(ctx, a.Webhook, body)
		if last == nil {
			return nil
		}
		var p errPermanent
		if errors.As(last, &p) {
			return last
		}
	}
	return fmt.Errorf("after %d attempts: %w", e.cfg.Retries+1, last)
}

func (e *Engine) postOnce(ctx context.Context, url string, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.WebhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return errPermanent{fmt.Errorf("webhook: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "rareterm")
	resp, err := e.cfg.Client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("webhook: HTTP %d", resp.StatusCode)
	}
	return errPermanent{fmt.Errorf("webhook: HTTP %d", resp.StatusCode)}
}

// CommandArgs fills the placeholders of a command's argv: {title} {body}
// {rule} {value} {level} {time}, each sanitised. Each argument stays one
// argument whatever the text holds: no shell sees it.
func CommandArgs(argv []string, a model.AlertEvent) []string {
	val := func(v float64) string {
		if !model.Known(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	r := strings.NewReplacer(
		"{title}", model.Sanitize(a.Title), "{body}", model.Sanitize(a.Body), "{rule}", model.Sanitize(a.Rule),
		"{value}", val(a.Value), "{level}", val(a.Level), "{time}", a.At.In(model.CST).Format(time.RFC3339))
	out := make([]string, len(argv))
	for i, s := range argv {
		out[i] = r.Replace(s)
	}
	return out
}

func (e *Engine) runCommand(ctx context.Context, a model.AlertEvent) error {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.CommandTimeout)
	defer cancel()
	argv := CommandArgs(a.Command, a)
	if err := e.cfg.Exec(ctx, argv); err != nil {
		return fmt.Errorf("command %s: %w", model.Sanitize(argv[0]), err)
	}
	return nil
}
