package termcost

import (
	"bufio"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// echoModel shows a fixed screen and, on its last row, the keys typed so far.
type echoModel struct {
	rows  []string
	typed string
}

func (m echoModel) Init() tea.Cmd { return nil }

func (m echoModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && k.Text != "" {
		m.typed += k.Text
	}
	return m, nil
}

func (m echoModel) View() tea.View {
	rows := slices.Clone(m.rows)
	rows[len(rows)-1] = "> " + m.typed
	v := tea.NewView(strings.Join(rows, "\n"))
	v.AltScreen = true
	return v
}

// switches is the number of context switches of every thread of this
// process so far: each one is a thread going to sleep or being woken.
func switches(t *testing.T) int {
	t.Helper()
	tasks, err := filepath.Glob("/proc/self/task/*/status")
	if err != nil || len(tasks) == 0 {
		t.Skip("no /proc/self/task: context switches cannot be counted here")
	}
	n := 0
	for _, path := range tasks {
		f, err := os.Open(path)
		if err != nil {
			continue // a thread that has just exited
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ":")
			if ok && (k == "voluntary_ctxt_switches" || k == "nonvoluntary_ctxt_switches") {
				c, _ := strconv.Atoi(strings.TrimSpace(v))
				n += c
			}
		}
		_ = f.Close()
	}
	return n
}

// A program with nothing to draw stops its frame timer: over a second of
// idling the whole process wakes far fewer times than the frame rate. A key
// typed then is still echoed within one frame (plus what a loaded machine
// adds to waking a goroutine), and the timer stops again after it.
func TestIdleProgramSleepsAndStillEchoesWithinAFrame(t *testing.T) {
	const (
		fps   = 120 // bubbletea's highest rate: the timer is as loud as it gets
		frame = time.Second / fps
		w, h  = 80, 24
	)
	inR, inW := io.Pipe()
	out := &Counter{}
	p := tea.NewProgram(echoModel{rows: fullScreen(w, h, "15:04:05")},
		tea.WithInput(inR),
		tea.WithOutput(out),
		tea.WithFPS(fps),
		tea.WithWindowSize(w, h),
		tea.WithColorProfile(colorprofile.ANSI256),
		tea.WithEnvironment([]string{"TERM=xterm-256color"}),
		tea.WithoutSignals(),
		tea.WithoutSignalHandler(),
	)
	done := make(chan error, 1)
	go func() {
		_, err := p.Run()
		done <- err
	}()
	t.Cleanup(func() {
		p.Quit()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			p.Kill()
			t.Errorf("program did not stop")
		}
		_ = inW.Close()
	})
	if _, ok := out.Settle(0, 100*time.Millisecond, time.Now().Add(15*time.Second)); !ok {
		t.Fatal("first frame never came")
	}

	// idle measures the wake-ups of one second of nothing to draw, once the
	// timer has had its idle frames (a tenth of a second) to stop. The
	// lowest of up to three seconds counts: a running timer wakes the
	// process fps times in each of them, while a second taken by the
	// runtime (a collection, the race detector, a loaded machine's
	// scheduling) is a passing noise.
	idle := func(step string) float64 {
		t.Helper()
		time.Sleep(time.Second)
		best := math.Inf(1)
		for range 3 {
			s0, t0 := switches(t), time.Now()
			time.Sleep(time.Second)
			rate := float64(switches(t)-s0) / time.Since(t0).Seconds()
			t.Logf("%s: %.0f wake-ups/s with nothing to draw (a running frame timer alone: %d/s)", step, rate, fps)
			best = min(best, rate)
			if best <= fps/3 {
				break
			}
		}
		return best
	}
	// The frame timer alone wakes the process fps times a second; what is
	// left when it stops is the Go runtime's and the test's own (and the
	// race detector's background thread, about 10 a second).
	const most = fps / 3
	if rate := idle("after the first frame"); rate > most {
		t.Errorf("%.0f wake-ups/s on an idle screen, want at most %d: the frame timer still runs", rate, most)
	}

	// Keys typed into the idle program: each is drawn within a frame of
	// being read. The delay is measured from the write to the input,
	// which also counts reading and decoding it.
	var took []time.Duration
	for i, key := range "abcde" {
		if i > 0 {
			time.Sleep(700 * time.Millisecond) // long enough for the timer to stop again
		}
		before := out.Len()
		start := time.Now()
		if _, err := inW.Write([]byte(string(key))); err != nil {
			t.Fatalf("typing %q: %v", key, err)
		}
		if _, ok := out.Settle(before, 0, start.Add(10*time.Second)); !ok {
			t.Fatalf("%q was never echoed", key)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	median := took[len(took)/2]
	t.Logf("key echo after an idle spell: %v (median %v; a frame is %v)", took, median, frame)
	// One frame, and up to 25 ms more for a loaded machine to wake the
	// goroutines (the timer that never stops takes about as long).
	if median > frame+25*time.Millisecond {
		t.Errorf("keys echoed in a median %v, want within a frame (%v)", median, frame)
	}
	checkScreen(t, out, w, h, append(fullScreen(w, h, "")[:h-1], "> abcde"+strings.Repeat(" ", w-7)), "after typing")

	if rate := idle("after the keys"); rate > most {
		t.Errorf("%.0f wake-ups/s once the keys were drawn, want at most %d: the frame timer did not stop again", rate, most)
	}
}
