package bus

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// DefaultAddr is where a collector listens unless told otherwise: this
// machine only.
const DefaultAddr = "127.0.0.1:4222"

// ServerConfig configures the embedded NATS server.
type ServerConfig struct {
	// Addr is host:port to listen on; port 0 picks a free one (tests).
	// Empty: DefaultAddr.
	Addr string
	// StoreDir holds JetStream's files (beside the database).
	StoreDir string
	// Token, or User and Password, are required of clients when set.
	Token          string
	User, Password string
	// TLS, when set, is required of clients.
	TLS *tls.Config
	// MaxStore bounds JetStream's files (0: 1 GiB).
	MaxStore int64
	// Name names this server; every node of a cluster needs its own
	// (empty: rareterm-collector).
	Name string
	// Cluster, when set, makes the server a node of a NATS cluster:
	// JetStream is then clustered, and the stream can keep replicas on
	// other nodes (StreamConfig.Replicas).
	Cluster *ClusterConfig
}

// ClusterConfig joins the embedded server to a NATS cluster.
type ClusterConfig struct {
	// Name is the cluster's, the same on every node.
	Name string
	// Listen is host:port where the other nodes' routes connect (port 0
	// picks a free one: tests).
	Listen string
	// Routes are the other nodes' route URLs, nats-route://host:6222; a
	// node's own address may be among them (one list for every node).
	Routes []string
}

// Server is an embedded NATS server with JetStream.
type Server struct {
	ns *server.Server
}

// StartServer starts the embedded server and waits until it takes
// connections.
func StartServer(cfg ServerConfig) (*Server, error) {
	addr := cfg.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("listen address %q: %w", addr, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return nil, fmt.Errorf("listen address %q: bad port", addr)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	if cfg.StoreDir == "" {
		return nil, errors.New("the server needs a store directory")
	}
	if err := os.MkdirAll(cfg.StoreDir, 0o700); err != nil {
		return nil, err
	}
	maxStore := cfg.MaxStore
	if maxStore <= 0 {
		maxStore = 1 << 30
	}
	name := cfg.Name
	if name == "" {
		name = "rareterm-collector"
	}
	opts := &server.Options{
		ServerName:         name,
		Host:               host,
		Port:               port,
		JetStream:          true,
		StoreDir:           cfg.StoreDir,
		JetStreamMaxStore:  maxStore,
		JetStreamMaxMemory: 64 << 20,
		MaxPayload:         MaxPayload,
		NoSigs:             true,
		NoLog:              true,
		Authorization:      cfg.Token,
		Username:           cfg.User,
		Password:           cfg.Password,
	}
	if cfg.TLS != nil {
		opts.TLSConfig = cfg.TLS
		opts.TLS = true
		opts.TLSVerify = cfg.TLS.ClientAuth == tls.RequireAndVerifyClientCert
	}
	if c := cfg.Cluster; c != nil {
		if c.Name == "" {
			return nil, errors.New("a cluster needs a name")
		}
		h, p, err := net.SplitHostPort(c.Listen)
		if err != nil {
			return nil, fmt.Errorf("cluster listen address %q: %w", c.Listen, err)
		}
		cp, err := strconv.Atoi(p)
		if err != nil || cp < 0 || cp > 65535 {
			return nil, fmt.Errorf("cluster listen address %q: bad port", c.Listen)
		}
		if cp == 0 {
			cp = server.RANDOM_PORT
		}
		opts.Cluster.Name, opts.Cluster.Host, opts.Cluster.Port = c.Name, h, cp
		if len(c.Routes) > 0 {
			opts.Routes = server.RoutesFromStr(strings.Join(c.Routes, ","))
			if len(opts.Routes) != len(c.Routes) {
				return nil, fmt.Errorf("cluster routes %q: not all are URLs", strings.Join(c.Routes, ", "))
			}
		}
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("nats server: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("nats server on %s did not start (is the port in use?)", addr)
	}
	return &Server{ns: ns}, nil
}

// URL is the address clients connect to, nats://host:port.
func (s *Server) URL() string { return s.ns.ClientURL() }

// ClusterURL is where the other nodes' routes reach this one,
// nats-route://host:port ("" outside a cluster).
func (s *Server) ClusterURL() string {
	a := s.ns.ClusterAddr()
	if a == nil {
		return ""
	}
	return "nats-route://" + a.String()
}

// Close stops the server and waits until it has.
func (s *Server) Close() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}
