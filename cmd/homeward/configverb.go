package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/blob"
)

func init() {
	register(spec{use: "config", short: "configuration: the effective settings and where each comes from; check a file", subs: []spec{
		{use: "print", short: "the settings serve would run with (any serve flag may be given), secrets masked, each with its source",
			example: "  homeward config print --config /etc/homeward/homeward.toml", args: cobra.NoArgs, define: printConfig},
		{use: "check FILE", short: "refuse a configuration file with an unknown key or a bad value",
			example: "  homeward config check /etc/homeward/homeward.toml", args: cobra.ExactArgs(1), define: func(_ *flag.FlagSet, env *cliEnv) action {
				return func(_ context.Context, args []string) error {
					if err := checkConfigFile(env, args[0]); err != nil {
						return err
					}
					_, err := fmt.Fprintf(env.stdout, "%s: ok\n", args[0])
					return err
				}
			}},
	}})
}

// sectionFlags registers a verb's own flags, for the tables of a configuration file.
var sectionFlags = map[string]func(fs *flag.FlagSet, env *cliEnv){
	"serve":  func(fs *flag.FlagSet, env *cliEnv) { bindServe(fs, env) },
	"worker": func(fs *flag.FlagSet, _ *cliEnv) { bindWorker(fs) },
}

// printConfig shows every setting of serve (shared ones included) with its source.
func printConfig(fs *flag.FlagSet, env *cliEnv) action {
	cfg := bindConfig(fs, env)
	sf := bindServe(fs, env)
	return func(context.Context, []string) error { return printSettings(fs, env, cfg, sf) }
}

func printSettings(fs *flag.FlagSet, env *cliEnv, cfg *config, sf *serveFlags) error {
	if err := cfg.applyConfigFile(); err != nil {
		return err
	}
	if err := validateSettings(cfg, sf); err != nil {
		return err
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	w := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "setting\tvalue\tfrom")
	fs.VisitAll(func(f *flag.Flag) {
		from := "default"
		switch {
		case explicit[f.Name]:
			from = "flag"
		case flagEnv[f.Name] != "" && env.getenv(flagEnv[f.Name]) != "":
			from = "env " + flagEnv[f.Name]
		case f.Name == "config" && env.getenv("HOMEWARD_CONFIG") != "":
			from = "env HOMEWARD_CONFIG"
		case cfg.fromFile[f.Name]:
			from = "file " + cfg.File
		}
		v := masked(f.Name, f.Value.String())
		if f.Name == "as" {
			v = cfg.User
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", f.Name, v, from)
	})
	for _, secret := range []string{"HOMEWARD_CUSTODY_KEY", "HOMEWARD_TOKEN", "HOMEWARD_METRICS_TOKEN", "HOMEWARD_ADMIN_PASSWORD"} {
		v := "(not set)"
		if env.getenv(secret) != "" {
			v = "(set, not shown)"
		}
		fmt.Fprintf(w, "%s\t%s\tenv\n", secret, v)
	}
	fmt.Fprintf(w, "custody key file\t%s\t\n", cfg.keyPath())
	return w.Flush()
}

// masked hides the password of a database URL.
func masked(name, v string) string {
	if name == "database" || name == "blob" {
		return redactURL(v)
	}
	return v
}

// validateSettings checks values beyond their types: addresses, URLs, the accession pattern, the
// certificate. It names every problem.
func validateSettings(cfg *config, sf *serveFlags) error {
	return errors.Join(validateShared(cfg), validateServe(sf))
}

func validateShared(cfg *config) error {
	var errs []error
	if cfg.DatabaseURL != "" && !cfg.isPostgres() {
		errs = append(errs, fmt.Errorf("database: %q is not a postgres:// URL (leave it empty for the embedded store in the data directory)", redactURL(cfg.DatabaseURL)))
	} else if _, err := url.Parse(cfg.DatabaseURL); cfg.isPostgres() && err != nil {
		errs = append(errs, fmt.Errorf("database: %w", err))
	}
	if strings.HasPrefix(cfg.BlobURL, "s3://") {
		if _, err := blob.ParseS3URL(cfg.BlobURL); err != nil {
			errs = append(errs, fmt.Errorf("blob: %w", err))
		}
	}
	if cfg.AccessionPattern != "" {
		if err := (homeward.AccessionScheme{Pattern: cfg.AccessionPattern}).Validate(); err != nil {
			errs = append(errs, fmt.Errorf("accession-pattern: %w", err))
		}
	}
	return errors.Join(errs...)
}

func validateServe(sf *serveFlags) error {
	if sf == nil {
		return nil
	}
	var errs []error
	for _, name := range []string{"addr", "ops-addr"} {
		a := map[string]string{"addr": sf.addr, "ops-addr": sf.opsAddr}[name]
		if a == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(a); err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not host:port: %w", name, a, err))
		}
	}
	if _, err := sf.tlsConfig(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// checkConfigFile refuses a file with a section or key no verb has, or a value its setting
// refuses.
func checkConfigFile(env *cliEnv, path string) error {
	top, sections, err := readConfigFile(path)
	if err != nil {
		return err
	}
	noEnv := &cliEnv{stdout: env.stdout, stderr: env.stderr, getenv: func(string) string { return "" }}
	var problems []string
	check := func(section string, base, values map[string]any) {
		fs := flag.NewFlagSet(section, flag.ContinueOnError)
		cfg := bindConfig(fs, noEnv)
		var sf *serveFlags
		if section == "serve" {
			sf = bindServe(fs, noEnv)
		} else if bind := sectionFlags[section]; bind != nil {
			bind(fs, noEnv)
		}
		where := ""
		if section != "" {
			where = "[" + section + "] "
		}
		for k, v := range base { // the file's shared values, checked at the top already
			if f := fs.Lookup(strings.ReplaceAll(k, "_", "-")); f != nil {
				f.Value.Set(fmt.Sprint(v))
			}
		}
		for _, k := range sortedKeys(values) {
			name := strings.ReplaceAll(k, "_", "-")
			f := fs.Lookup(name)
			if f == nil || name == "config" {
				problems = append(problems, fmt.Sprintf("%s%s: no such setting", where, k))
				continue
			}
			if err := f.Value.Set(fmt.Sprint(values[k])); err != nil {
				problems = append(problems, fmt.Sprintf("%s%s: %v", where, k, err))
			}
		}
		err := validateServe(sf)
		if section == "" {
			err = validateShared(cfg)
		}
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				problems = append(problems, where+line)
			}
		}
	}
	check("", nil, top)
	for _, s := range sortedKeys(sections) {
		check(s, top, sections[s])
	}
	if len(problems) > 0 {
		return errors.New("config " + path + ":\n  " + strings.Join(dedupe(problems), "\n  "))
	}
	return nil
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
