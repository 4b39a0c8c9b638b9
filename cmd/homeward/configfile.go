package main

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	flag "github.com/spf13/pflag"

	"github.com/BurntSushi/toml"
)

// A configuration file (TOML) sets any flag by its name, "_" for "-": the shared flags at the top,
// a verb's own in the table of its name ([serve], [worker]). Precedence: a flag on the command
// line, then the environment, then the file, then the default. The file comes from --config or
// HOMEWARD_CONFIG.
//
//	data_dir = "/var/lib/homeward"
//	[serve]
//	addr = "0.0.0.0:8443"
//	tls_cert = "/etc/homeward/tls/cert.pem"

// flagEnv names the environment variable behind each flag that has one.
var flagEnv = map[string]string{
	"data-dir": "HOMEWARD_DATA_DIR", "database": "HOMEWARD_DATABASE_URL", "blob": "HOMEWARD_BLOB_URL",
	"accession-pattern": "HOMEWARD_ACCESSION_PATTERN", "as": "HOMEWARD_USER", "key-dir": "HOMEWARD_KEY_DIR",
	"addr": "HOMEWARD_ADDR", "behind-proxy": "HOMEWARD_BEHIND_PROXY", "ops-addr": "HOMEWARD_OPS_ADDR",
	"tls-cert": "HOMEWARD_TLS_CERT", "tls-key": "HOMEWARD_TLS_KEY",
}

// configSections are the verbs whose flags a file may set in a table of their own.
var configSections = []string{"serve", "worker"}

// readConfigFile parses a configuration file into its top-level values and its tables.
func readConfigFile(path string) (top map[string]any, sections map[string]map[string]any, err error) {
	var raw map[string]any
	if _, err := toml.DecodeFile(path, &raw); err != nil {
		return nil, nil, fmt.Errorf("config %s: %w", path, err)
	}
	top, sections = map[string]any{}, map[string]map[string]any{}
	for k, v := range raw {
		if t, ok := v.(map[string]any); ok {
			if !slices.Contains(configSections, k) {
				return nil, nil, fmt.Errorf("config %s: [%s]: no such section (sections: %s)", path, k, strings.Join(configSections, ", "))
			}
			sections[k] = t
			continue
		}
		top[k] = v
	}
	return top, sections, nil
}

// applyConfigFile sets, from the file, every flag of fs that neither the command line nor the
// environment set. Keys that name no flag of this verb are refused when they are shared keys
// unknown to every verb; a verb's table is applied only to that verb.
func (c *config) applyConfigFile() error {
	if c.applied || c.fs == nil {
		return nil
	}
	c.applied = true
	if c.File == "" {
		return nil
	}
	top, sections, err := readConfigFile(c.File)
	if err != nil {
		return err
	}
	explicit := map[string]bool{}
	c.fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	verb := strings.Fields(c.fs.Name())[0]
	set := func(key string, v any, where string) error {
		name := strings.ReplaceAll(key, "_", "-")
		f := c.fs.Lookup(name)
		if f == nil || name == "config" {
			if where == "" && !sharedFlag(name) {
				return fmt.Errorf("config %s: %s: no such setting", c.File, key)
			}
			return nil // another verb's setting
		}
		if explicit[name] || (flagEnv[name] != "" && c.getenv(flagEnv[name]) != "") {
			return nil
		}
		if err := f.Value.Set(fmt.Sprint(v)); err != nil {
			return fmt.Errorf("config %s: %s%s: %v", c.File, where, key, err)
		}
		c.fromFile[name] = true
		return nil
	}
	for _, k := range sortedKeys(top) {
		if err := set(k, top[k], ""); err != nil {
			return err
		}
	}
	for _, k := range sortedKeys(sections[verb]) {
		if err := set(k, sections[verb][k], "["+verb+"] "); err != nil {
			return err
		}
	}
	return nil
}

// sharedFlag says whether name is one of the flags every store verb has.
func sharedFlag(name string) bool {
	return sharedFlags().Lookup(name) != nil
}

// sharedFlags are the flags bindConfig registers, made once.
var sharedFlags = sync.OnceValue(func() *flag.FlagSet {
	fs := flag.NewFlagSet("shared", flag.ContinueOnError)
	bindConfig(fs, &cliEnv{getenv: func(string) string { return "" }, stderr: os.Stderr})
	return fs
})

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
