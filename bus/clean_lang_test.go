package bus

import (
	"testing"

	"github.com/rareterm/rareterm/model"
)

// A fired alert's Chinese title and body from the bus are sanitised like
// its English ones.
func TestCleanBatchSanitisesChineseAlertText(t *testing.T) {
	b := model.Batch{Alerts: []model.AlertEvent{{Rule: "600111 limit_up", Title: "t", Body: "b",
		TitleZh: "600111 北方稀土 涨停\x1b]0;x\x07", BodyZh: "涨停\x1b[2J"}}}
	cleanBatch(&b)
	if a := b.Alerts[0]; a.TitleZh != "600111 北方稀土 涨停" || a.BodyZh != "涨停" {
		t.Errorf("Chinese %q — %q", a.TitleZh, a.BodyZh)
	}
}
