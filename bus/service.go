package bus

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/rareterm/rareterm/model"
)

// Store is what the history service reads: the collector's database
// (store.DB satisfies it).
type Store interface {
	Snapshot(asOf time.Time, symbols []string, days int) (model.Snapshot, error)
	Bars(sym string, iv model.Interval, from, to time.Time) ([]model.Bar, error)
	Quotes(sym string, from, to time.Time) ([]model.Quote, error)
	Margin(sym string, from, to time.Time) ([]model.MarginDay, error)
	Notices(code string, asOf time.Time, n int) ([]model.Notice, error)
	NoticeText(id string) (text string, ok bool, err error)
}

// DetailStore is what the history service reads of the detail views'
// cached minutes and fund flow (store.DB satisfies it); a Store without it
// answers those requests with an error.
type DetailStore interface {
	Sessions(sym string, from, to time.Time) ([]model.Session, error)
	FlowToday(sym string, asOf time.Time) (model.FlowToday, bool, error)
	FlowDays(sym string, from, to time.Time) ([]model.FlowDay, error)
}

// request is a terminal's question to the collector.
type request struct {
	Op       string // hello, snapshot, bars, quotes, margin, notices, noticetext, want, detail, sessions, flowtoday, flowdays
	Sym      string
	Interval model.Interval
	From, To time.Time
	AsOf     time.Time
	Codes    []string
	Days, N  int
	ID       string
	Lease    time.Duration // detail: how long the collector polls it unless asked again
}

// reply is the collector's answer. Seq and Batch are the stream position
// the snapshot includes (Publisher.Mark taken before the read).
type reply struct {
	Err      string
	Epoch    string
	Seq      uint64
	Batch    uint64
	Health   []model.FeedHealth
	Snapshot model.Snapshot
	Bars     []model.Bar
	Quotes   []model.Quote
	Margin   []model.MarginDay
	Notices  []model.Notice
	Text     string
	OK       bool
	Sessions []model.Session
	Flow     model.FlowToday
	FlowDays []model.FlowDay
}

// ServiceConfig is what the history service answers from.
type ServiceConfig struct {
	DB  Store
	Pub *Publisher
	// Health is the collector's current feed health (the poller's).
	Health func() []model.FeedHealth
	// Want asks the collector's poller to quote and backfill a symbol a
	// terminal opened or added to its watchlist (nil: refused). Each code
	// is passed on once per run.
	Want func(model.Symbol)
	// Detail leases a security's detail (order book, minutes, fund flow)
	// to a terminal that has it open: the collector's poller polls it, and
	// publishes it on rt.detail.<SYM>, until the lease runs out (nil:
	// refused). Feeds' LeaseDetail.
	Detail func(sym model.Symbol, lease time.Duration) error
	// Workers bounds the reads served at once (0: 4).
	Workers int
	Logf    func(format string, args ...any)

	wanted *wantedSet
}

// Serve answers terminals' requests (history, snapshots) from the
// database until the returned stop is called. Both take effect at the
// server before they return.
func Serve(nc *nats.Conn, cfg ServiceConfig) (stop func(), err error) {
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	sem := make(chan struct{}, cfg.Workers)
	cfg.wanted = &wantedSet{seen: map[string]bool{}}
	sub, err := nc.QueueSubscribe(rpcPrefix+"v1", "rareterm-history", func(m *nats.Msg) {
		if m.Reply == "" {
			return
		}
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			rep := cfg.answer(m.Data)
			data, err := encode(rep)
			if err != nil {
				data, _ = encode(reply{Err: err.Error()})
			}
			if err := m.Respond(data); err != nil {
				cfg.Logf("bus: reply: %v", err)
			}
		}()
	})
	if err != nil {
		return nil, err
	}
	// The subscription is only buffered until the connection flushes it;
	// a round trip makes Serve's return mean the server routes requests
	// here, so a terminal asking at once never meets "no responders".
	// (The caller's nc is connected: the collector's own, to its own
	// embedded server.)
	if err := nc.Flush(); err != nil {
		_ = sub.Unsubscribe()
		return nil, err
	}
	return func() {
		_ = sub.Unsubscribe()
		// Likewise, stop's return means no request is routed here any
		// more (a queue group would otherwise still pick this member and
		// the asker would wait out its timeout).
		if nc.IsConnected() {
			_ = nc.FlushTimeout(2 * time.Second)
		}
	}, nil
}

func (cfg ServiceConfig) answer(body []byte) (rep reply) {
	defer func() {
		if r := recover(); r != nil {
			rep = reply{Err: fmt.Sprintf("internal error: %v", r)}
		}
	}()
	var req request
	if err := decode(body, &req); err != nil {
		return reply{Err: err.Error()}
	}
	if cfg.Pub != nil {
		rep.Epoch = cfg.Pub.Epoch()
		rep.Seq, rep.Batch = cfg.Pub.Mark() // before the read: the read holds all of it
	}
	var err error
	switch req.Op {
	case "hello":
	case "snapshot":
		days := req.Days
		if days <= 0 || days > 4000 {
			days = 400
		}
		if len(req.Codes) > 2000 {
			req.Codes = req.Codes[:2000]
		}
		rep.Snapshot, err = cfg.DB.Snapshot(req.AsOf, req.Codes, days)
		if cfg.Health != nil && req.AsOf.IsZero() {
			rep.Health = cfg.Health()
		}
	case "bars":
		rep.Bars, err = cfg.DB.Bars(req.Sym, req.Interval, req.From, req.To)
	case "quotes":
		rep.Quotes, err = cfg.DB.Quotes(req.Sym, req.From, req.To)
	case "margin":
		rep.Margin, err = cfg.DB.Margin(req.Sym, req.From, req.To)
	case "notices":
		rep.Notices, err = cfg.DB.Notices(req.Sym, req.AsOf, min(max(req.N, 1), 1000))
	case "noticetext":
		rep.Text, rep.OK, err = cfg.DB.NoticeText(req.ID)
	case "want":
		err = cfg.want(req.Sym)
	case "detail":
		err = cfg.detail(req.Sym, req.Lease)
	case "sessions", "flowtoday", "flowdays":
		ds, ok := cfg.DB.(DetailStore)
		if !ok {
			err = errors.New("this collector keeps no detail history")
			break
		}
		switch req.Op {
		case "sessions":
			rep.Sessions, err = ds.Sessions(req.Sym, req.From, req.To)
		case "flowtoday":
			rep.Flow, rep.OK, err = ds.FlowToday(req.Sym, req.AsOf)
		default:
			rep.FlowDays, err = ds.FlowDays(req.Sym, req.From, req.To)
		}
	default:
		err = fmt.Errorf("unknown request %q", model.Sanitize(req.Op))
	}
	if err != nil {
		rep.Err = err.Error()
	}
	return rep
}

// Client asks a collector for history and snapshots. It satisfies the
// screen's history reader (Bars, Quotes, Margin) and notice reader.
type Client struct {
	nc      *nats.Conn
	Timeout time.Duration // per request (0: 10 s)
}

// NewClient asks over nc.
func NewClient(nc *nats.Conn) *Client { return &Client{nc: nc} }

// ErrRemote is a failure the collector reported.
var ErrRemote = errors.New("collector")

func (c *Client) call(ctx context.Context, req request) (reply, error) {
	t := c.Timeout
	if t <= 0 {
		t = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, t)
	defer cancel()
	body, err := encode(req)
	if err != nil {
		return reply{}, err
	}
	m, err := c.nc.RequestWithContext(ctx, rpcPrefix+"v1", body)
	if err != nil {
		return reply{}, fmt.Errorf("collector: %s: %w", req.Op, err)
	}
	var rep reply
	if err := decode(m.Data, &rep); err != nil {
		return reply{}, fmt.Errorf("collector: %s: %w", req.Op, err)
	}
	cleanHealth(rep.Health)
	if rep.Err != "" {
		return rep, fmt.Errorf("%w: %s: %s", ErrRemote, req.Op, model.Sanitize(rep.Err))
	}
	return rep, nil
}

// Hello returns the collector's epoch and stream position.
func (c *Client) Hello(ctx context.Context) (epoch string, seq, batch uint64, err error) {
	rep, err := c.call(ctx, request{Op: "hello"})
	return rep.Epoch, rep.Seq, rep.Batch, err
}

// SnapshotAt reads the market as of asOf (zero: now) from the collector's
// database.
func (c *Client) SnapshotAt(asOf time.Time, codes []string, days int) (model.Snapshot, error) {
	rep, err := c.call(context.Background(), request{Op: "snapshot", AsOf: asOf, Codes: codes, Days: days})
	return fixSnapshot(rep.Snapshot), err
}

// snapshot is SnapshotAt now, with the stream position and the health.
func (c *Client) snapshot(ctx context.Context, codes []string, days int) (reply, error) {
	rep, err := c.call(ctx, request{Op: "snapshot", Codes: codes, Days: days})
	rep.Snapshot = fixSnapshot(rep.Snapshot)
	return rep, err
}

// fixSnapshot makes the maps a decoded snapshot left nil (gob sends no
// empty map).
func fixSnapshot(s model.Snapshot) model.Snapshot {
	cleanSnapshot(&s)
	e := model.NewSnapshot()
	if s.Quotes == nil {
		s.Quotes = e.Quotes
	}
	if s.Daily == nil {
		s.Daily = e.Daily
	}
	if s.Elements == nil {
		s.Elements = e.Elements
	}
	if s.Margin == nil {
		s.Margin = e.Margin
	}
	if s.Sector == nil {
		s.Sector = e.Sector
	}
	if s.Boards == nil {
		s.Boards = e.Boards
	}
	if s.Members == nil {
		s.Members = e.Members
	}
	if s.Symbols == nil {
		s.Symbols = e.Symbols
	}
	return s
}

// Bars reads a bar series from the collector's database.
func (c *Client) Bars(sym string, iv model.Interval, from, to time.Time) ([]model.Bar, error) {
	rep, err := c.call(context.Background(), request{Op: "bars", Sym: sym, Interval: iv, From: from, To: to})
	cleanBars(rep.Bars)
	return rep.Bars, err
}

// Quotes reads intraday quotes from the collector's database.
func (c *Client) Quotes(sym string, from, to time.Time) ([]model.Quote, error) {
	rep, err := c.call(context.Background(), request{Op: "quotes", Sym: sym, From: from, To: to})
	cleanQuotes(rep.Quotes)
	return rep.Quotes, err
}

// Margin reads margin days from the collector's database.
func (c *Client) Margin(sym string, from, to time.Time) ([]model.MarginDay, error) {
	rep, err := c.call(context.Background(), request{Op: "margin", Sym: sym, From: from, To: to})
	cleanMargin(rep.Margin)
	return rep.Margin, err
}

// Notices reads a code's announcements from the collector's database.
func (c *Client) Notices(code string, asOf time.Time, n int) ([]model.Notice, error) {
	rep, err := c.call(context.Background(), request{Op: "notices", Sym: code, AsOf: asOf, N: n})
	cleanNotices(rep.Notices)
	return rep.Notices, err
}

// NoticeText reads an announcement's kept text.
func (c *Client) NoticeText(id string) (string, bool, error) {
	rep, err := c.call(context.Background(), request{Op: "noticetext", ID: id})
	return model.SanitizeLines(rep.Text), rep.OK, err
}

// maxWantedCodes bounds the codes terminals may add to a collector's run.
const maxWantedCodes = 500

// wantedSet is the codes already passed to the poller this run.
type wantedSet struct {
	mu   sync.Mutex
	seen map[string]bool
}

// want passes a terminal's symbol to the poller, once per code: asking
// again does not make the poller hurry (it resets nothing).
func (cfg ServiceConfig) want(code string) error {
	if cfg.Want == nil {
		return fmt.Errorf("this collector polls its own watchlist only")
	}
	sym, err := model.ParseSymbol(code)
	if err != nil {
		return err
	}
	w := cfg.wanted
	if w == nil {
		cfg.Want(sym)
		return nil
	}
	w.mu.Lock()
	first := !w.seen[sym.Code]
	if first && len(w.seen) >= maxWantedCodes {
		w.mu.Unlock()
		return fmt.Errorf("the collector already polls %d symbols for terminals", maxWantedCodes)
	}
	w.seen[sym.Code] = true
	w.mu.Unlock()
	if first {
		cfg.Want(sym)
	}
	return nil
}

// Want asks the collector to quote and backfill code (a symbol opened, or
// added to the watchlist, on this terminal).
func (c *Client) Want(code string) error {
	_, err := c.call(context.Background(), request{Op: "want", Sym: code})
	return err
}

// Detail leases: a terminal asks at least every lease/3; the lease asked
// for is kept between MinLease and MaxLease.
const (
	MinLease     = time.Second
	MaxLease     = 5 * time.Minute
	DefaultLease = 30 * time.Second
)

func (cfg ServiceConfig) detail(code string, lease time.Duration) error {
	if cfg.Detail == nil {
		return fmt.Errorf("this collector serves no order books")
	}
	sym, err := model.ParseSymbol(code)
	if err != nil {
		return err
	}
	if lease <= 0 {
		lease = DefaultLease
	}
	return cfg.Detail(sym, min(max(lease, MinLease), MaxLease))
}

// Detail asks the collector to poll code's order book, minutes and fund
// flow for lease (0: DefaultLease) and publish them on rt.detail.<SYM>. A
// terminal renews the lease while the security stays open.
func (c *Client) Detail(code string, lease time.Duration) error {
	_, err := c.call(context.Background(), request{Op: "detail", Sym: code, Lease: lease})
	return err
}

// Sessions reads the cached minute sessions of sym from the collector's
// database (the detail views' reader).
func (c *Client) Sessions(sym string, from, to time.Time) ([]model.Session, error) {
	rep, err := c.call(context.Background(), request{Op: "sessions", Sym: sym, From: from, To: to})
	cleanSessions(rep.Sessions)
	return rep.Sessions, err
}

// FlowToday reads the cached intraday fund flow of sym as of asOf.
func (c *Client) FlowToday(sym string, asOf time.Time) (model.FlowToday, bool, error) {
	rep, err := c.call(context.Background(), request{Op: "flowtoday", Sym: sym, AsOf: asOf})
	cleanFlowToday(&rep.Flow)
	return rep.Flow, rep.OK, err
}

// FlowDays reads the cached daily fund flow of sym.
func (c *Client) FlowDays(sym string, from, to time.Time) ([]model.FlowDay, error) {
	rep, err := c.call(context.Background(), request{Op: "flowdays", Sym: sym, From: from, To: to})
	cleanFlowDays(rep.FlowDays)
	return rep.FlowDays, err
}
