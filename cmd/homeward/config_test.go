package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Settings come from the command line, then the environment, then the file, then the default;
// config print says which, with the database password masked; config check refuses unknown keys
// and bad values, naming them.
func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "homeward.toml")
	os.WriteFile(file, []byte("data_dir = \""+filepath.Join(dir, "data")+"\"\naccession_pattern = \"{op}-{seq:04}\"\n[serve]\naddr = \"127.0.0.1:8181\"\nops_addr = \"127.0.0.1:9191\"\n"), 0o600)
	vars := map[string]string{"HOMEWARD_CONFIG": file, "HOMEWARD_OPS_ADDR": "127.0.0.1:9292"}
	out, err := runCLI(t, vars, "", "config", "print", "-addr", "127.0.0.1:8383", "-database", "postgres://homeward:s3cret@db.example/homeward")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`accession-pattern +\{op\}-\{seq:04\} +file `,
		`addr +127\.0\.0\.1:8383 +flag`,
		`ops-addr +127\.0\.0\.1:9292 +env HOMEWARD_OPS_ADDR`,
		`data-dir +` + regexp.QuoteMeta(filepath.Join(dir, "data")) + ` +file`,
		`database +postgres://homeward:xxxxx@db\.example/homeward +flag`,
		`seed +1950 +default`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("config print lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, "s3cret") {
		t.Error("config print shows the database password")
	}
	if out, err := runCLI(t, vars, "", "config", "check", file); err != nil || !strings.Contains(out, "ok") {
		t.Errorf("check of a good file: %v %s", err, out)
	}
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("bogus = 1\naccession_pattern = \"{op}\"\n[serve]\naddr = \"nohost\"\nweird = true\n"), 0o600)
	_, err = runCLI(t, vars, "", "config", "check", bad)
	for _, want := range []string{"bogus: no such setting", "[serve] weird: no such setting", "accession-pattern", "addr: \"nohost\" is not host:port"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("check of a bad file: %v, want %q", err, want)
		}
	}
	os.WriteFile(bad, []byte("[server]\naddr = \"x\"\n"), 0o600)
	if _, err := runCLI(t, vars, "", "config", "check", bad); err == nil || !strings.Contains(err.Error(), "[server]: no such section") {
		t.Errorf("unknown section: %v", err)
	}
	// A verb refuses to start on a file with a key no verb has.
	vars["HOMEWARD_CONFIG"] = bad
	os.WriteFile(bad, []byte("data_dir = \"x\"\ndata_dri = \"y\"\n"), 0o600)
	if _, err := runCLI(t, vars, "", "list", "incidents"); err == nil || !strings.Contains(err.Error(), "data_dri: no such setting") {
		t.Errorf("a misspelt key: %v", err)
	}
}

// syncBuffer is a buffer two goroutines may use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// serve with a certificate from the configuration file speaks HTTPS only, and its session cookie
// is Secure.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certPEM, keyPEM := selfSigned(t)
	os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o600)
	os.WriteFile(filepath.Join(dir, "key.pem"), keyPEM, 0o600)
	file := filepath.Join(dir, "homeward.toml")
	os.WriteFile(file, []byte("data_dir = \""+filepath.Join(dir, "data")+"\"\n[serve]\naddr = \"127.0.0.1:0\"\nwork = false\ntls_cert = \""+filepath.Join(dir, "cert.pem")+"\"\ntls_key = \""+filepath.Join(dir, "key.pem")+"\"\n"), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &out, getenv: func(k string) string {
		return map[string]string{"HOMEWARD_CONFIG": file, "HOMEWARD_ADMIN_PASSWORD": "a long enough passphrase"}[k]
	}}
	done := make(chan error, 1)
	go func() { done <- run(ctx, env, []string{"serve"}) }()
	re := regexp.MustCompile(`at https://(127\.0\.0\.1:\d+)/`)
	var addr string
	for i := 0; i < 100 && addr == ""; i++ {
		time.Sleep(50 * time.Millisecond)
		if m := re.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatalf("no https address printed:\n%s", out.String())
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	res, err := client.Post("https://"+addr+"/api/v1/session", "application/json", strings.NewReader(`{"username":"admin","password":"a long enough passphrase"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var secure bool
	for _, c := range res.Cookies() {
		secure = secure || c.Secure
	}
	if res.StatusCode != 201 || !secure {
		t.Errorf("sign-in over TLS: %d, cookies %v", res.StatusCode, res.Cookies())
	}
	if res, err := http.Get("http://" + addr + "/healthz"); err == nil && res.StatusCode == 200 {
		t.Error("plain HTTP answered on the TLS listener")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// selfSigned makes a certificate for 127.0.0.1.
func selfSigned(t *testing.T) (certPEM, keyPEM []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "homeward test"}, NotBefore: time.Now().Add(-time.Hour),
		NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}
