package main

import (
	"context"
	"fmt"
	"io"
	"os/signal"

	"github.com/rareterm/rareterm/bus"
	"github.com/rareterm/rareterm/i18n"
)

func runNode(args []string, stdout, stderr io.Writer) int {
	sf := newSubFlags("node", i18n.NodeUsage, false, args, stderr)
	l := sf.lang
	listen := sf.fs.String("listen", "", i18n.FlagListen.In(l))
	pos, code, ok := sf.parse(args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return sf.usageError(stderr, i18n.CLIUnexpected, pos[0])
	}
	cfg, err := LoadConfig(sf.opts.configPath())
	if err != nil {
		fmt.Fprintf(stderr, "rareterm node: %s\n", i18n.Say(l, err))
		return exitFail
	}
	ctx, cancel := signal.NotifyContext(context.Background(), shutdownSignals()...)
	defer cancel()
	if err := serveNode(ctx, l, cfg.Desk, sf.opts.dbPath(), *listen, stderr); err != nil {
		fmt.Fprintf(stderr, "rareterm node: %s\n", i18n.Say(l, err))
		return exitFail
	}
	return exitOK
}

// serveNode runs a cluster node until ctx ends.
func serveNode(ctx context.Context, l i18n.Lang, d DeskConfig, dbPath, addr string, stderr io.Writer) error {
	if d.Cluster == "" {
		return i18n.Errorf(i18n.NodeNoCluster)
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
	fmt.Fprintln(stderr, i18n.NodeStarted.F(l, scfg.Name, scfg.Cluster.Name, srv.URL(), srv.ClusterURL()))
	<-ctx.Done()
	fmt.Fprintln(stderr, i18n.NodeStopped.In(l))
	return nil
}
