package main

import (
	"context"
	"fmt"
	"github.com/rareterm/rareterm/i18n"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/rareterm/rareterm/bus"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

func TestDeskClusterConfig(t *testing.T) {
	good := "[desk]\nserver_name = \"desk-a\"\ncluster = \"desk\"\ncluster_listen = \"0.0.0.0:6222\"\nroutes = [\n  \"nats-route://desk-a:6222\",\n  \"nats-route://desk-b:6222\",\n]\nreplicas = 3\n"
	c, err := parseConfig("c.toml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	d := c.Desk
	if d.ServerName != "desk-a" || d.Cluster != "desk" || d.ClusterListen != "0.0.0.0:6222" || d.Replicas != 3 || strings.Join(d.Routes, " ") != "nats-route://desk-a:6222 nats-route://desk-b:6222" {
		t.Fatalf("%+v", d)
	}
	sc, err := d.serverConfig(filepath.Join(t.TempDir(), "rareterm.db"), "")
	if err != nil || sc.Name != "desk-a" || sc.Cluster == nil || sc.Cluster.Name != "desk" || len(sc.Cluster.Routes) != 2 {
		t.Fatalf("server config %+v, %v", sc, err)
	}
	for _, tc := range []struct{ cfg, want string }{
		{"[desk]\ncluster = \"desk\"\ncluster_listen = \"0.0.0.0:6222\"\nroutes = [\n  \"nats-route://desk-a:6222\",\n  \"http://desk-b\",\n]\n", "c.toml:6: desk.routes: route \"http://desk-b\""},
		{"[desk]\nroutes = \"nats-route://a:6222\"\n", "c.toml:2: desk.routes: want a list"},
		{"[desk]\ncluster = \"desk\"\ncluster_listen = \"0.0.0.0:6222\"\nreplicas = 7\n", "c.toml:4: desk.replicas: want a number of copies from 1 to 5"},
		{"[desk]\n\nreplicas = 3\n", "c.toml:3: desk.replicas: more than one copy needs a cluster"},
		{"[desk]\ncluster = \"desk\"\n", "c.toml:2: desk.cluster: a cluster needs cluster_listen"},
		{"[desk]\ncluster_listen = \"0.0.0.0:6222\"\n", "c.toml:2: desk.cluster_listen: set cluster"},
		{"[desk]\ncluster = \"desk\"\ncluster_listen = \"6222\"\n", "c.toml:3: desk.cluster_listen: want host:port"},
		{"[desk]\nserver_name = \"desk a\"\n", "c.toml:2: desk.server_name: want letters"},
		{"[desk]\nroutes = [\"nats-route://a:6222\"]\n", "c.toml:2: desk.routes: set cluster and cluster_listen too"},
	} {
		_, err := parseConfig("c.toml", []byte(tc.cfg))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.cfg, err, tc.want)
		}
	}
}

func TestNodeNeedsACluster(t *testing.T) {
	err := serveNode(context.Background(), i18n.EN, DeskConfig{}, filepath.Join(t.TempDir(), "rareterm.db"), "127.0.0.1:0", io.Discard)
	if err == nil || !strings.Contains(err.Error(), "[desk] cluster") {
		t.Fatalf("a node with no cluster: %v", err)
	}
}

func TestConnectList(t *testing.T) {
	urls, name, err := connectList("nats://a:4222, b:4222,tls://c:4443")
	if err != nil || urls != "nats://a:4222,nats://b:4222,tls://c:4443" || name != "a:4222,b:4222,c:4443" {
		t.Fatalf("%q %q %v", urls, name, err)
	}
	for _, bad := range []string{"", " , ", "http://a:4222", "nats://a:4222,nats://:4222", "nats://a:x"} {
		if _, _, err := connectList(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// urlWriter takes the client URL from rareterm node's first line.
type urlWriter struct {
	url  chan string
	sent bool
}

func (w *urlWriter) Write(p []byte) (int, error) {
	if _, rest, ok := strings.Cut(string(p), "terminals at "); ok && !w.sent {
		w.sent = true
		w.url <- strings.TrimSpace(strings.Split(rest, ",")[0])
	}
	return len(p), nil
}

// A desk on three nodes from the configuration: the collector's server
// (node 1, collect --serve's path) and two rareterm nodes, each from its
// [desk] cluster keys; a terminal given node 3 and node 2 (--connect)
// receives the collector's batches and history.
func TestDeskClusterFromConfig(t *testing.T) {
	if testing.Short() {
		t.Skip("a three-node cluster")
	}
	dir := t.TempDir()
	var ports []int
	for i := 0; i < 3; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
		l.Close() // free again: the nodes listen on it
	}
	var routes []string
	for _, p := range ports {
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", p))
	}
	nodeConfig := func(i int) DeskConfig {
		t.Helper()
		text := fmt.Sprintf("[desk]\nserver_name = \"node%d\"\ncluster = \"desk\"\ncluster_listen = \"127.0.0.1:%d\"\nroutes = [\"%s\"]\nreplicas = 3\n", i+1, ports[i], strings.Join(routes, "\", \""))
		cfg, err := parseConfig("c.toml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Desk
	}
	// Nodes 2 and 3: rareterm node, no collector.
	nctx, ncancel := context.WithCancel(context.Background())
	var nwg sync.WaitGroup
	defer func() { ncancel(); nwg.Wait() }()
	var nodes []string // the nodes' client URLs
	for i := 1; i < 3; i++ {
		w := &urlWriter{url: make(chan string, 1)}
		nwg.Add(1)
		go func() {
			defer nwg.Done()
			if err := serveNode(nctx, i18n.EN, nodeConfig(i), filepath.Join(dir, fmt.Sprintf("node%d", i+1), "rareterm.db"), "127.0.0.1:0", w); err != nil {
				t.Error(err)
				close(w.url)
			}
		}()
		u, ok := <-w.url
		if !ok {
			t.FailNow()
		}
		nodes = append(nodes, u)
	}
	// Node 1: the collector, from its config.
	desk1 := nodeConfig(0)
	dbPath := filepath.Join(dir, "rareterm.db")
	db, err := store.Open(dbPath, store.Options{NoReference: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Now()
	desk, err := startServing(desk1, dbPath, "127.0.0.1:0", db, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.close()
	t.Logf("the collector's stream on the cluster after %v", time.Since(t0).Round(time.Millisecond))
	js, err := jetstream.New(desk.nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, bus.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil || info.Config.Replicas != 3 || info.Cluster == nil || info.Cluster.Name != "desk" {
		t.Fatalf("stream %+v, %v", info, err)
	}

	commit := func(seq int) {
		t.Helper()
		at := time.Now()
		b := model.Batch{Seq: uint64(seq), At: at, Quotes: []model.Quote{{Symbol: "600111", Time: at, Last: 50 + float64(seq)/100, PrevClose: 50, Source: "test"}}}
		err := db.Append(b)
		if err != nil {
			t.Fatal(err)
		}
		desk.publish(b, err)
	}
	commit(1)

	// The terminal: node 3 first, node 2 if node 3 fails.
	urls, name, err := connectList(nodes[1] + "," + nodes[0])
	if err != nil {
		t.Fatal(err)
	}
	nc, cli, err := dialCollector(urls, desk1, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	var mu sync.Mutex
	last := 0.0
	sub, err := bus.NewSubscriber(nc, bus.SubscriberConfig{Codes: []string{"600111"}, Name: name, Out: func(b model.Batch) {
		mu.Lock()
		defer mu.Unlock()
		for _, q := range b.Quotes {
			last = q.Last
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	sctx, scancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = sub.Run(sctx) }()
	defer func() { scancel(); <-done }()
	waitUntil(t, "the snapshot on node 3", func() bool { return sub.Stats().Snapshots > 0 })
	for i := 2; i <= 4; i++ {
		commit(i)
	}
	waitUntil(t, "the live batches on node 3", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return last == 50.04 && sub.Stats().Batches >= 3
	})
	if u := nc.ConnectedUrl(); u != nodes[1] {
		t.Fatalf("the terminal is on %s, not node 3 (%s)", u, nodes[1])
	}
	qs, err := cli.Quotes("600111", time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil || len(qs) != 4 {
		t.Fatalf("history through node 3: %d quotes, %v", len(qs), err)
	}
	t.Logf("live and history on node 3 after %v", time.Since(t0).Round(time.Millisecond))
}
