package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/homeward/homeward/httpapi"
	"github.com/homeward/homeward/jobs"
	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
	"github.com/homeward/homeward/monitoring"
)

func init() {
	register(spec{use: "serve", short: "run the HTTP server: the web application and the API (migrates the store first)",
		example: "  homeward serve --demo\n  homeward serve --addr 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem --database postgres://homeward@db/homeward",
		args:    cobra.NoArgs, define: runServe})
}

// serveFlags are serve's own settings (the shared ones are in config).
type serveFlags struct {
	addr, opsAddr, tlsCert, tlsKey string
	demo, behindProxy, work        bool
	requestLog                     bool
	seed                           int64
}

// bindServe registers serve's flags, with defaults from the environment.
func bindServe(fs *flag.FlagSet, env *cliEnv) *serveFlags {
	f := &serveFlags{addr: env.getenv("HOMEWARD_ADDR")}
	if f.addr == "" {
		f.addr = "127.0.0.1:8080"
	}
	fs.StringVar(&f.addr, "addr", f.addr, "listen address (env HOMEWARD_ADDR)")
	fs.BoolVar(&f.demo, "demo", false, "load the demo world into an empty store before serving")
	fs.Int64Var(&f.seed, "seed", 1950, "demo world seed (with --demo)")
	fs.BoolVar(&f.behindProxy, "behind-proxy", env.getenv("HOMEWARD_BEHIND_PROXY") == "1", "trust X-Forwarded-For/-Proto from a reverse proxy in front (cookies Secure when it says https; throttling by the client's address) (env HOMEWARD_BEHIND_PROXY=1)")
	fs.StringVar(&f.opsAddr, "ops-addr", env.getenv("HOMEWARD_OPS_ADDR"), "listen address for /metrics, /healthz and /readyz open to the operator's monitoring, e.g. 127.0.0.1:9090 (env HOMEWARD_OPS_ADDR); on the main listener /metrics needs HOMEWARD_METRICS_TOKEN")
	fs.BoolVar(&f.requestLog, "request-log", true, "write one line per request to standard error (method, route, status, duration, user, request ID)")
	fs.BoolVar(&f.work, "work", true, "also run background jobs (screens, sweeps) in this process; on SQLite the server is the only worker")
	fs.StringVar(&f.tlsCert, "tls-cert", env.getenv("HOMEWARD_TLS_CERT"), "serve HTTPS with this certificate (PEM, chain included) (env HOMEWARD_TLS_CERT)")
	fs.StringVar(&f.tlsKey, "tls-key", env.getenv("HOMEWARD_TLS_KEY"), "the certificate's private key (PEM) (env HOMEWARD_TLS_KEY)")
	return f
}

// tlsConfig loads the certificate when one is configured (nil: plain HTTP).
func (f *serveFlags) tlsConfig() (*tls.Config, error) {
	if f.tlsCert == "" && f.tlsKey == "" {
		return nil, nil
	}
	if f.tlsCert == "" || f.tlsKey == "" {
		return nil, fmt.Errorf("tls-cert and tls-key: give both or neither")
	}
	cert, err := tls.LoadX509KeyPair(f.tlsCert, f.tlsKey)
	if err != nil {
		return nil, fmt.Errorf("tls-cert %s, tls-key %s: %w", f.tlsCert, f.tlsKey, err)
	}
	return &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}, nil
}

// parseServe reads serve's settings from the flags, the environment and the configuration file.
func runServe(fs *flag.FlagSet, env *cliEnv) action {
	cfg := bindConfig(fs, env)
	sf := bindServe(fs, env)
	return func(ctx context.Context, args []string) error {
		if err := cfg.applyConfigFile(); err != nil {
			return err
		}
		tlsCfg, err := sf.tlsConfig()
		if err != nil {
			return err
		}
		addr := sf.addr
		logger := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

		a, err := openApp(ctx, cfg, appOptions{needBlob: true})
		if err != nil {
			return err
		}
		defer a.Close()

		if err := bootstrapAdmin(ctx, a, env, addr); err != nil {
			return err
		}
		if sf.demo {
			if err := loadDemo(ctx, a, env, sf.seed, true); err != nil {
				return err
			}
		}

		var screens httpapi.ScreenStarter
		q, err := openQueue(ctx, a, sf.work, 2, logger)
		if err != nil {
			return err
		}
		defer q.Close()
		if sf.work {
			if err := q.Start(ctx); err != nil {
				return err
			}
			defer stopQueue(q)
		}
		screens = jobs.Screens{DNA: a.db, Queue: q}

		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", addr, err)
		}
		scheme := "http"
		if tlsCfg != nil {
			ln, scheme = tls.NewListener(ln, tlsCfg), "https"
		}
		app, err := newHandler(a, logger, screens, sf.behindProxy)
		if err != nil {
			return err
		}
		metrics, checks := newMetrics(a), opsChecks(a)
		if sf.work {
			defer observeJobs(metrics, q)()
		}
		reqLog := logger
		if !sf.requestLog {
			reqLog = nil
		}
		handler := withOps(app, metrics, checks, env.getenv("HOMEWARD_METRICS_TOKEN"), reqLog)
		if sf.opsAddr != "" {
			stop, err := serveOps(env, sf.opsAddr, metrics, checks)
			if err != nil {
				return err
			}
			defer stop()
		}
		fmt.Fprintf(env.stdout, "Homeward is serving %s store at %s://%s/ (API: %s://%s/api/v1, OpenAPI: %s://%s/api/v1/openapi.json)\n",
			a.db.Dialect(), scheme, ln.Addr(), scheme, ln.Addr(), scheme, ln.Addr())
		return serveUntilDone(ctx, env, ln, handler, logger)
	}
}

// serveOps serves metrics and health checks on their own address; stop closes that server.
func serveOps(env *cliEnv, addr string, metrics *monitoring.Metrics, checks []monitoring.Check) (stop func() error, err error) {
	opsLn, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	opsSrv := &http.Server{Handler: monitoring.Handler(metrics, "", checks...), ReadHeaderTimeout: 10 * time.Second}
	go opsSrv.Serve(opsLn)
	fmt.Fprintf(env.stdout, "metrics and health at http://%s/metrics, /healthz, /readyz\n", opsLn.Addr())
	return opsSrv.Close, nil
}

// serveUntilDone serves handler on ln until ctx is cancelled (Ctrl-C, SIGTERM), then shuts down,
// giving requests under way 15 seconds to finish.
func serveUntilDone(ctx context.Context, env *cliEnv, ln net.Listener, handler http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // a whole request, photo uploads included
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(env.stdout, "Homeward stopped")
	return nil
}

// bootstrapAdmin creates the administrator "admin" with a random password when the store has no
// users, prints how to log in, and keeps the password in <data-dir>/admin-password (mode 0600)
// so that it is not lost with the terminal.
func bootstrapAdmin(ctx context.Context, a *app, env *cliEnv, addr string) error {
	sys := homeward.NewContextWithOperator(homeward.NewContextWithUser(ctx, systemUser), localOperator())
	n, err := a.db.CountUsers(sys)
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	pw := env.getenv("HOMEWARD_ADMIN_PASSWORD")
	if pw == "" {
		b := make([]byte, 15)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		pw = base64.RawURLEncoding.EncodeToString(b)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return fmt.Errorf("bootstrap administrator: %w", err)
	}
	u := &homeward.User{Username: "admin", DisplayName: "Bootstrap administrator", Roles: []homeward.Role{homeward.RoleAdmin}, PasswordHash: hash}
	if err := a.db.CreateUser(sys, u); err != nil {
		return fmt.Errorf("bootstrap administrator: %w", err)
	}
	where := "(set HOMEWARD_ADMIN_PASSWORD to choose it)"
	if !a.cfg.isPostgres() {
		p := filepath.Join(a.cfg.DataDir, "admin-password")
		if err := os.WriteFile(p, []byte(pw+"\n"), 0o600); err == nil {
			where = "(also saved in " + p + ")"
		}
	}
	fmt.Fprintf(env.stdout, "First start: created the administrator.\n  user: admin\n  password: %s %s\n", pw, where)
	fmt.Fprintf(env.stdout, "  log in: curl -c cookies --json '{\"username\":\"admin\",\"password\":\"%s\"}' http://%s/api/v1/session\n", pw, addr)
	return nil
}
