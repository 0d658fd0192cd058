package bus

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
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
	opts := &server.Options{
		ServerName:         "rareterm-collector",
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

// Close stops the server and waits until it has.
func (s *Server) Close() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}
