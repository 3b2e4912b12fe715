// Package server is the server component: web UI, static files and a
// registry proxy.
package server

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/busybox/internal/cli"
	"example.com/busybox/pkg/audit"
	"example.com/busybox/pkg/config"
	"example.com/busybox/pkg/jobs"
	"example.com/busybox/pkg/mimetypes"
	"example.com/busybox/pkg/registry"
	"example.com/busybox/pkg/webui"
)

// Component describes the server to the busybox dispatcher.
var Component = cli.Component{
	Name:    "server",
	Summary: "server: web UI, static files, registry proxy",
	Main:    Main,
}

// envToken is a registry token taken from the environment; it satisfies the
// registry's token source interface without importing the cloud SDK.
type envToken string

func (t envToken) Token(context.Context) (string, error) { return string(t), nil }

// Main runs the server with args (without the program name).
func Main(args []string) int {
	fs := cli.FlagSet("server", "server [--config file] [--listen addr] [--static dir]")
	cfgPath := fs.String("config", "", "configuration file (JSON); default: built-in settings")
	listen := fs.String("listen", "", "address to serve on; empty: print the routes and exit")
	static := fs.String("static", ".", "directory of static files")
	version := fs.Bool("version", false, "print the version and exit")
	if code, done := cli.Parse(fs, args); done {
		return code
	}
	if *version {
		cli.PrintVersion(os.Stdout, "server")
		return 0
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		return cli.Fail("server", err)
	}
	if *listen == "" {
		*listen = cfg.Listen
	}

	rec := newMetrics()
	reg := &registry.Client{}
	if tok := os.Getenv("REGISTRY_TOKEN"); tok != "" {
		reg.Tokens = envToken(tok)
	}
	mux := http.NewServeMux()
	routes := []string{"/", "/static/", "/check"}
	mux.Handle("/", webui.Handler(webui.Status{Name: "busybox server", Started: time.Now(), Routes: routes}))
	mux.HandleFunc("/static/", func(w http.ResponseWriter, r *http.Request) {
		rec.Add("static_requests", 1)
		name := filepath.Join(*static, filepath.FromSlash(r.URL.Path[len("/static/"):]))
		w.Header().Set("Content-Type", mimetypes.ForPath(name))
		http.ServeFile(w, r, name)
	})
	mux.HandleFunc("/check", func(w http.ResponseWriter, r *http.Request) {
		rec.Add("check_requests", 1)
		ref, err := registry.ParseReference(r.URL.Query().Get("image"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		digest, err := reg.Head(r.Context(), ref)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		fmt.Fprintln(w, digest)
	})

	if *listen == "" {
		fmt.Printf("server: %d routes, %d media types, check interval %s (use --listen to serve)\n",
			len(routes), mimetypes.Len(), cfg.Interval)
		return 0
	}
	startup := []jobs.Job{{Name: "audit", Run: func() error {
		what := fmt.Sprintf("started, %d audit columns", len(audit.Columns()))
		fmt.Println(audit.Format(audit.Record{At: time.Now(), Who: "server", What: what}))
		return nil
	}}}
	if failed := jobs.RunAll(startup); len(failed) > 0 {
		return cli.Fail("server", fmt.Errorf("start-up jobs failed: %v", failed))
	}
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("server: listening on %s\n", *listen)
	if err := srv.ListenAndServe(); err != nil {
		return cli.Fail("server", err)
	}
	return 0
}
