package main

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nats-io/nats.go"
	"github.com/rareterm/rareterm/bus"
	"github.com/rareterm/rareterm/i18n"
)

// deskTable is the config table of a desk of terminals sharing one
// collector over NATS.
const deskTable = "desk"

// DeskConfig is the [desk] table: where a collector listens, what it asks
// of clients, and how a terminal proves itself to a collector on another
// machine.
//
//	[desk]
//	listen = "0.0.0.0:4222"   # collect --serve without an address
//	window_hours = 24         # how long the stream keeps batches
//	max_mb = 512              # and how large it may grow
//	token = "…"               # or user/password; required of clients when set
//	user = "desk"
//	password = "…"
//	creds = "/path/desk.creds"  # a terminal's credentials file (NATS JWT)
//	nkey_seed = "/path/desk.nk" # a terminal's nkey seed file
//	tls_cert = "/path/cert.pem" # the server's certificate (collect --serve), or the client's
//	tls_key = "/path/key.pem"
//	tls_ca = "/path/ca.pem"     # the CA that signs the other side
//	# a desk on several machines: the collector's server joins a NATS cluster
//	server_name = "desk-a"      # this node's name, unique in the cluster (default: the host name)
//	cluster = "desk"            # the cluster's name, the same on every node
//	cluster_listen = "0.0.0.0:6222"
//	routes = ["nats-route://desk-a:6222", "nats-route://desk-b:6222", "nats-route://desk-c:6222"]
//	replicas = 3                # copies of the stream on the cluster's nodes (1 to 5)
type DeskConfig struct {
	Listen          string
	Window          time.Duration
	MaxBytes        int64
	Token           string
	User, Password  string
	Creds, NkeySeed string
	TLSCert, TLSKey string
	TLSCA           string
	ServerName      string
	Cluster         string
	ClusterListen   string
	Routes          []string
	Replicas        int
}

func isDeskKey(k string) bool { return k == deskTable || strings.HasPrefix(k, deskTable+".") }

func parseDesk(path string, data []byte) (DeskConfig, error) {
	var d DeskConfig
	var f struct {
		Desk map[string]any `toml:"desk"`
	}
	if _, err := toml.Decode(string(data), &f); err != nil {
		return d, &ConfigError{Path: path, Key: deskTable, Msg: err}
	}
	strs := map[string]*string{
		"listen": &d.Listen, "token": &d.Token, "user": &d.User, "password": &d.Password,
		"creds": &d.Creds, "nkey_seed": &d.NkeySeed, "tls_cert": &d.TLSCert, "tls_key": &d.TLSKey, "tls_ca": &d.TLSCA,
		"server_name": &d.ServerName, "cluster": &d.Cluster, "cluster_listen": &d.ClusterListen,
	}
	for k, v := range f.Desk {
		key := deskTable + "." + k
		bad := func(t i18n.Text) error {
			return &ConfigError{Path: path, Key: key, Line: keyLine(data, key), Msg: configMsg(t)}
		}
		if dst, ok := strs[k]; ok {
			s, ok := v.(string)
			if !ok {
				return d, bad(i18n.ConfigWantString)
			}
			*dst = s
			continue
		}
		if k == "routes" {
			list, ok := v.([]any)
			if !ok || len(list) == 0 {
				return d, bad(i18n.ConfigDeskRoutes)
			}
			for _, it := range list {
				r, ok := it.(string)
				if !ok {
					return d, bad(i18n.ConfigDeskRoutes)
				}
				if err := checkRoute(r); err != nil {
					return d, &ConfigError{Path: path, Key: key, Line: itemLine(data, key, r), Msg: err}
				}
				d.Routes = append(d.Routes, r)
			}
			continue
		}
		n, ok := v.(int64)
		switch k {
		case "replicas":
			if !ok || n < 1 || n > 5 {
				return d, bad(i18n.ConfigDeskReplicas)
			}
			d.Replicas = int(n)
		case "window_hours":
			if !ok || n < 1 || n > 24*366 {
				return d, bad(i18n.ConfigDeskHours)
			}
			d.Window = time.Duration(n) * time.Hour
		case "max_mb":
			if !ok || n < 1 || n > 1<<20 {
				return d, bad(i18n.ConfigDeskMB)
			}
			d.MaxBytes = n << 20
		default:
			return d, bad(i18n.ConfigDeskUnknown)
		}
	}
	at := func(k string, t i18n.Text) error {
		key := deskTable + "." + k
		return &ConfigError{Path: path, Key: key, Line: keyLine(data, key), Msg: configMsg(t)}
	}
	if d.ServerName != "" && !nodeNameRe.MatchString(d.ServerName) {
		return d, at("server_name", i18n.ConfigDeskName)
	}
	if d.ClusterListen != "" {
		if _, p, err := net.SplitHostPort(d.ClusterListen); err != nil || !portRe.MatchString(p) {
			return d, at("cluster_listen", i18n.ConfigDeskClusterListen)
		}
	}
	switch {
	case d.Cluster != "" && !nodeNameRe.MatchString(d.Cluster):
		return d, at("cluster", i18n.ConfigDeskName)
	case d.Cluster != "" && d.ClusterListen == "":
		return d, at("cluster", i18n.ConfigDeskNeedsListen)
	case d.Cluster == "" && d.ClusterListen != "":
		return d, at("cluster_listen", i18n.ConfigDeskNeedsName)
	case d.Cluster == "" && len(d.Routes) > 0:
		return d, at("routes", i18n.ConfigDeskRoutesAlone)
	case d.Cluster == "" && d.Replicas > 1:
		return d, at("replicas", i18n.ConfigDeskReplicasAlone)
	}
	if (d.TLSCert == "") != (d.TLSKey == "") {
		return d, &ConfigError{Path: path, Key: deskTable + ".tls_cert", Line: keyLine(data, deskTable+".tls_cert"), Msg: configMsg(i18n.ConfigDeskTLSPair)}
	}
	return d, nil
}

var (
	nodeNameRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)
	portRe     = regexp.MustCompile(`^[0-9]{1,5}$`)
)

// checkRoute accepts a route URL, nats-route://host:port.
func checkRoute(r string) error {
	u, err := url.Parse(r)
	if err != nil || (u.Scheme != "nats-route" && u.Scheme != "nats") || u.Hostname() == "" || !portRe.MatchString(u.Port()) {
		return i18n.Errorf(i18n.ConfigDeskRoute, r)
	}
	return nil
}

// serverTLS is the collector's TLS config, nil without a certificate.
func (d DeskConfig) serverTLS() (*tls.Config, error) {
	if d.TLSCert == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(d.TLSCert, d.TLSKey)
	if err != nil {
		return nil, i18n.Errorf(i18n.ConfigDeskCert, err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if d.TLSCA != "" {
		pool, err := loadPool(d.TLSCA)
		if err != nil {
			return nil, err
		}
		cfg.ClientCAs, cfg.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

func loadPool(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, i18n.Errorf(i18n.ConfigDeskCA, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, i18n.Errorf(i18n.ConfigDeskNoCA, file)
	}
	return pool, nil
}

// clientOptions are a terminal's connection options: it reconnects for as
// long as it runs.
func (d DeskConfig) clientOptions(name string) ([]nats.Option, error) {
	opts := []nats.Option{
		nats.Name(name), nats.MaxReconnects(-1), nats.ReconnectWait(500 * time.Millisecond),
		nats.RetryOnFailedConnect(true), nats.Timeout(3 * time.Second),
		nats.DontRandomize(), // --connect a,b,c: a first, then b, then c
	}
	switch {
	case d.Token != "":
		opts = append(opts, nats.Token(d.Token))
	case d.User != "":
		opts = append(opts, nats.UserInfo(d.User, d.Password))
	}
	if d.Creds != "" {
		opts = append(opts, nats.UserCredentials(d.Creds))
	}
	if d.NkeySeed != "" {
		o, err := nats.NkeyOptionFromSeed(d.NkeySeed)
		if err != nil {
			return nil, i18n.Errorf(i18n.ConfigDeskNkey, err)
		}
		opts = append(opts, o)
	}
	if d.TLSCA != "" {
		opts = append(opts, nats.RootCAs(d.TLSCA))
	}
	if d.TLSCert != "" {
		opts = append(opts, nats.ClientCert(d.TLSCert, d.TLSKey))
	}
	return opts, nil
}

// serverConfig is the embedded server's config for a collector serving
// beside the database at dbPath.
func (d DeskConfig) serverConfig(dbPath, addr string) (bus.ServerConfig, error) {
	if addr == "" {
		addr = d.Listen
	}
	t, err := d.serverTLS()
	if err != nil {
		return bus.ServerConfig{}, err
	}
	sc := bus.ServerConfig{
		Addr: addr, StoreDir: natsDir(dbPath), Token: d.Token, User: d.User, Password: d.Password, TLS: t,
		MaxStore: max(d.MaxBytes*2, 1<<30), Name: d.ServerName,
	}
	if d.Cluster != "" {
		if sc.Name == "" {
			h, err := os.Hostname()
			if err != nil || !nodeNameRe.MatchString(h) {
				return sc, i18n.Errorf(i18n.ConfigDeskHostName, h)
			}
			sc.Name = h
		}
		sc.Cluster = &bus.ClusterConfig{Name: d.Cluster, Listen: d.ClusterListen, Routes: d.Routes}
	}
	return sc, nil
}

// natsDir is where a collector keeps JetStream's files: beside the database.
func natsDir(dbPath string) string { return strings.TrimSuffix(dbPath, filepath.Ext(dbPath)) + ".nats" }

// addrFile is where a serving collector writes its address, beside the
// database, for the dashboards on the same machine.
func addrFile(dbPath string) string {
	return strings.TrimSuffix(dbPath, filepath.Ext(dbPath)) + ".collector.addr"
}

// readAddr returns the address a local collector wrote, "" when none.
func readAddr(dbPath string) string {
	b, err := os.ReadFile(addrFile(dbPath))
	if err != nil || len(b) > 512 {
		return ""
	}
	s := strings.TrimSpace(string(b))
	if !strings.HasPrefix(s, "nats://") && !strings.HasPrefix(s, "tls://") {
		return ""
	}
	return s
}

// writeAddr records the serving collector's address (atomically).
func writeAddr(dbPath, url string) error {
	tmp := addrFile(dbPath) + ".tmp"
	if err := os.WriteFile(tmp, []byte(url+"\n"), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, addrFile(dbPath))
}

// removeAddr removes the address file when it still names url.
func removeAddr(dbPath, url string) {
	if readAddr(dbPath) == url {
		_ = os.Remove(addrFile(dbPath))
	}
}

var errNoCollector error = i18n.Errorf(i18n.DeskNoCollector)
