package bus

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rareterm/rareterm/model"
	"github.com/rareterm/rareterm/store"
)

// freePorts returns n ports free a moment ago on 127.0.0.1.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ls []net.Listener
	var ports []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// A desk on three nodes: the collector publishes through node 1 into a
// stream kept on all three; a terminal on node 3 reads the snapshot, the
// live batches and the history across the routes, and when node 3 goes
// it fails over to another node and carries on, missing nothing.
func TestClusterCollectorOnOneNodeTerminalOnAnother(t *testing.T) {
	if testing.Short() {
		t.Skip("a three-node cluster")
	}
	t0 := time.Now()
	dir := t.TempDir()
	ports := freePorts(t, 3)
	var routes []string
	for _, p := range ports {
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", p))
	}
	nodes := make([]*Server, 3)
	for i := range nodes {
		srv, err := StartServer(ServerConfig{
			Addr: "127.0.0.1:0", StoreDir: filepath.Join(dir, fmt.Sprintf("node%d", i+1)), Name: fmt.Sprintf("node%d", i+1),
			Cluster: &ClusterConfig{Name: "desk", Listen: fmt.Sprintf("127.0.0.1:%d", ports[i]), Routes: routes},
		})
		if err != nil {
			t.Fatal(err)
		}
		nodes[i] = srv
		t.Cleanup(srv.Close) // a second Close does nothing
	}
	if got := nodes[0].ClusterURL(); got != routes[0] {
		t.Fatalf("node 1's route URL %q, want %q", got, routes[0])
	}

	// The collector on node 1, its stream on three replicas.
	db, err := store.Open(filepath.Join(dir, "rareterm.db"), store.Options{NoReference: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cnc, err := nats.Connect(nodes[0].URL())
	if err != nil {
		t.Fatal(err)
	}
	defer cnc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	pub, err := NewPublisher(ctx, cnc, PublisherConfig{Stream: StreamConfig{Replicas: 3}, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close(5 * time.Second)
	stop, err := Serve(cnc, ServiceConfig{DB: db, Pub: pub, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	t.Logf("cluster formed, stream on 3 replicas: %v", time.Since(t0).Round(time.Millisecond))
	commit := func(b model.Batch) {
		t.Helper()
		if err := db.Append(b); err != nil {
			t.Fatal(err)
		}
		pub.Publish(b, true)
	}
	commit(batch(1, syms...))

	// The terminal lists node 3 then node 2 (--connect a,b).
	tm := attach(t, nodes[2].URL()+","+nodes[1].URL(), SubscriberConfig{Codes: syms}, nil)
	tm.waitSame(t, db, syms)
	for i := 2; i <= 4; i++ {
		commit(batch(i, syms...))
	}
	tm.waitSame(t, db, syms)
	if err := tm.increasing(); err != nil {
		t.Fatal(err)
	}
	if u := tm.nc.ConnectedUrl(); !strings.Contains(u, strings.TrimPrefix(nodes[2].URL(), "nats://")) {
		t.Fatalf("the terminal is on %s, not node 3", u)
	}
	// History by request/reply, answered on node 1.
	qs, err := NewClient(tm.nc).Quotes("600111", base, base.Add(time.Hour))
	if err != nil || len(qs) != 4 {
		t.Fatalf("history across the cluster: %d quotes, %v", len(qs), err)
	}
	t.Logf("live and history through node 3: %v", time.Since(t0).Round(time.Millisecond))

	// Node 3 goes: the terminal fails over to node 2 and misses nothing.
	nodes[2].Close()
	for i := 5; i <= 7; i++ {
		commit(batch(i, syms...))
	}
	tm.waitSame(t, db, syms)
	if err := tm.increasing(); err != nil {
		t.Fatal(err)
	}
	// The client learns every node from the cluster: it may land on 1 or 2.
	if u := tm.nc.ConnectedUrl(); u == "" || strings.Contains(u, strings.TrimPrefix(nodes[2].URL(), "nats://")) {
		t.Fatalf("after node 3 went the terminal is on %q", u)
	}
	t.Logf("failed over to %s: %v", tm.nc.ConnectedUrl(), time.Since(t0).Round(time.Millisecond))

	// Node 3 comes back; then node 1, the collector's, goes: the
	// collector's connection moves to another node and it publishes on,
	// the terminal following.
	n3, err := StartServer(ServerConfig{
		Addr: "127.0.0.1:0", StoreDir: filepath.Join(dir, "node3"), Name: "node3",
		Cluster: &ClusterConfig{Name: "desk", Listen: fmt.Sprintf("127.0.0.1:%d", ports[2]), Routes: routes},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n3.Close)
	waitFor(t, "node 3 back in the stream's replicas", func() bool {
		info, err := js(t, cnc).Stream(context.Background(), StreamName)
		if err != nil {
			return false
		}
		i, err := info.Info(context.Background())
		if err != nil || i.Cluster == nil {
			return false
		}
		current := 0
		for _, r := range i.Cluster.Replicas {
			if r.Current && !r.Offline {
				current++
			}
		}
		return current == 2
	})
	nodes[0].Close()
	for i := 8; i <= 10; i++ {
		commit(batch(i, syms...))
	}
	tm.waitSame(t, db, syms)
	if err := tm.increasing(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the publisher done with batch 10", func() bool { p, d, f := pub.Counts(); return p+d+f >= 10 })
	if p, _, f := pub.Counts(); p != 10 || f != 0 {
		t.Fatalf("published %d, failed %d; want 10 and 0", p, f)
	}
	t.Logf("node 1 gone, the collector on %s: %v", cnc.ConnectedUrl(), time.Since(t0).Round(time.Millisecond))
}

func js(t *testing.T, nc *nats.Conn) jetstream.JetStream {
	t.Helper()
	j, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return j
}
