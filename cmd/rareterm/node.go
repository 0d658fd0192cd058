package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"

	"github.com/rareterm/rareterm/bus"
)

const nodeUsage = `
usage: rareterm node [--listen ADDR] [--db PATH] [--config PATH]

A node of a desk's NATS cluster that runs no collector: the embedded NATS
server with JetStream, configured by the config's [desk] table (server_name,
cluster, cluster_listen, routes, and the listen address, token or user and
TLS its terminals use), its files beside the database path (which it does
not open). The collector's own server is the cluster's first node
(collect --serve with the same [desk] cluster keys); terminals --connect to
any node. Stops on SIGINT or SIGTERM.
`

func runNode(args []string, stdout, stderr io.Writer) int {
	sf := newSubFlags("node", nodeUsage, false, stderr)
	listen := sf.fs.String("listen", "", "where terminals connect, `ADDR` host:port (default [desk] listen, else 127.0.0.1:4222)")
	pos, code, ok := sf.parse(args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return sf.usageError(stderr, "unexpected argument %q", pos[0])
	}
	cfg, err := LoadConfig(sf.opts.configPath())
	if err != nil {
		fmt.Fprintf(stderr, "rareterm node: %v\n", err)
		return exitFail
	}
	ctx, cancel := signal.NotifyContext(context.Background(), shutdownSignals()...)
	defer cancel()
	if err := serveNode(ctx, cfg.Desk, sf.opts.dbPath(), *listen, stderr); err != nil {
		fmt.Fprintf(stderr, "rareterm node: %v\n", err)
		return exitFail
	}
	return exitOK
}

// serveNode runs a cluster node until ctx ends.
func serveNode(ctx context.Context, d DeskConfig, dbPath, addr string, stderr io.Writer) error {
	if d.Cluster == "" {
		return errors.New("[desk] cluster is not set: a node joins a cluster (cluster, cluster_listen, routes)")
	}
	scfg, err := d.serverConfig(dbPath, addr)
	if err != nil {
		return err
	}
	srv, err := bus.StartServer(scfg)
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(stderr, "node: %s of cluster %s: terminals at %s, routes at %s\n", scfg.Name, scfg.Cluster.Name, srv.URL(), srv.ClusterURL())
	<-ctx.Done()
	fmt.Fprintln(stderr, "node: stopped")
	return nil
}
