package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/jobs"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// runCLI runs a verb in-process with the given environment.
func runCLI(t *testing.T, vars map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	err := run(context.Background(), env, args)
	return out.String() + errb.String(), err
}

// The CLI end to end on the embedded store: bootstrap, containers, custody, tampering found.
func TestCLICustody(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"HOMEWARD_DATA_DIR": dir}
	// migrate creates the administrator of an empty store, as serve does; the CLI then works as it.
	if out, err := runCLI(t, vars, "", "migrate"); err != nil || !strings.Contains(out, "migrated sqlite") || !strings.Contains(out, "user: admin") {
		t.Fatalf("migrate: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "migrate"); err != nil || strings.Contains(out, "user: admin") {
		t.Errorf("second migrate created the administrator again: %v %s", err, out)
	}
	a, err := openApp(context.Background(), &config{DataDir: dir, User: "admin"}, appOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ := a.asUser(context.Background())
	c := &homeward.Container{Accession: "K55-2018-001", Kind: homeward.ContainerCase}
	if err := a.db.CreateContainer(ctx, c); err != nil {
		t.Fatal(err)
	}
	a.Close()

	steps := [][]string{
		{"custody", "append", "-kind", "receipt", "-to", "UNC", "-location", "Wonsan", "-at", "2018-07-27T01:00:00Z", "K55-2018-001"},
		{"custody", "append", "-kind", "sealing", "-seal", "S-1", "-at", "2018-07-27T02:00:00Z", "K55-2018-001"},
		{"custody", "append", "-kind", "transfer", "-from", "UNC", "-to", "DPAA", "-from-ack", "Sgt A", "-to-ack", "Dr B", "-at", "2018-07-28T02:00:00Z", "K55-2018-001"},
	}
	vars["HOMEWARD_TOKEN"] = tokenFor(t, vars, "admin")
	for _, s := range steps {
		if out, err := runCLI(t, vars, "", s...); err != nil || !strings.Contains(out, "appended event") {
			t.Fatalf("%v: %v %s", s, err, out)
		}
	}
	if out, err := runCLI(t, vars, "", "custody", "append", "-kind", "transfer", "-from", "UNC", "-to", "X", "-from-ack", "a", "-to-ack", "b", "K55-2018-001"); err == nil || !strings.Contains(err.Error(), `current custodian is "DPAA"`) {
		t.Errorf("transfer by non-custodian: %v %s", err, out)
	}
	out, err := runCLI(t, vars, "", "custody", "list", "K55-2018-001")
	if err != nil || !strings.Contains(out, "custodian: DPAA") || strings.Count(out, "\n") != 5 {
		t.Errorf("list: %v\n%s", err, out)
	}
	if out, err := runCLI(t, vars, "", "custody", "verify"); err != nil || !strings.Contains(out, "1 container(s) and 0 photo/document reference(s) checked, 0 problem(s)") || !strings.Contains(out, "custody log: 3 entries") {
		t.Errorf("verify intact: %v %s", err, out)
	}
	db, err := store.Open(context.Background(), store.Options{URL: filepath.Join(dir, "homeward.db"), CustodyKey: []byte("0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	db.SQL().Exec("UPDATE custody_events SET seal_number = 'S-2' WHERE seq = 2")
	db.Close()
	out, err = runCLI(t, vars, "", "custody", "verify", "-json")
	if err == nil || !strings.Contains(out, `"container": "K55-2018-001"`) || !strings.Contains(out, `"seq": 2`) {
		t.Errorf("verify tampered: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "password for the analyst\n", "user", "create", "-roles", "analyst,custodian", "ana"); err != nil || !strings.Contains(out, "created user ana") {
		t.Errorf("user create: %v %s", err, out)
	}
	if _, err := runCLI(t, vars, "short\n", "user", "create", "bob"); err == nil {
		t.Error("short password accepted")
	}
	if _, err := runCLI(t, vars, "", "nosuchverb"); err == nil {
		t.Error("unknown verb accepted")
	}
}

// Two `homeward worker` processes share River's queue on PostgreSQL: every shard of a custody
// sweep runs exactly once, and both processes take part.
func TestTwoWorkerProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	url, key, bin, db := multiProcessSetup(t)
	ctx := context.Background()
	actx := storetest.Admin(t, db)
	const containers = 40
	for i := 0; i < containers; i++ {
		c := &homeward.Container{Accession: "W-" + string(rune('A'+i/26)) + string(rune('a'+i%26)), Kind: homeward.ContainerBox}
		if err := db.CreateContainer(actx, c); err != nil {
			t.Fatal(err)
		}
		if err := db.AppendCustodyEvent(actx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyReceipt, OccurredAt: time.Now(), To: "lab"}); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "HOMEWARD_DATABASE_URL="+url, "HOMEWARD_CUSTODY_KEY="+key)
	for i := 0; i < 2; i++ {
		cmd := exec.Command(bin, "worker", "-concurrency", "1")
		cmd.Env = env
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
	}
	enqueue := exec.Command(bin, "jobs", "sweep", "-shards", "20")
	enqueue.Env = env
	if out, err := enqueue.CombinedOutput(); err != nil || !strings.Contains(string(out), "queued 20") {
		t.Fatalf("sweep: %v %s", err, out)
	}
	q, err := jobs.Open(ctx, jobs.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	deadline := time.Now().Add(90 * time.Second)
	var done []*rivertype.JobRow
	for time.Now().Before(deadline) {
		done, err = q.List(ctx, river.NewJobListParams().States(rivertype.JobStateCompleted).First(100))
		if err != nil {
			t.Fatal(err)
		}
		if len(done) == 20 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(done) != 20 {
		t.Fatalf("%d of 20 jobs completed", len(done))
	}
	workers := map[string]bool{}
	checked := 0
	for _, j := range done {
		var r jobs.VerifyCustodyResult
		if err := json.Unmarshal(j.Output(), &r); err != nil {
			t.Fatal(err)
		}
		workers[r.Worker] = true
		checked += r.Checked
		if len(r.Problems) != 0 {
			t.Errorf("problems: %+v", r.Problems)
		}
	}
	if checked != containers {
		t.Errorf("%d chains checked, want %d (a shard lost or run twice)", checked, containers)
	}
	if len(workers) != 2 {
		t.Errorf("jobs were run by %v, want both worker processes", workers)
	}
}

func TestCLIRecords(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"HOMEWARD_DATA_DIR": dir}
	a, err := openApp(context.Background(), &config{DataDir: dir, User: "admin"}, appOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	bootstrapAdmin(context.Background(), a, &cliEnv{stdout: &buf, getenv: func(string) string { return "" }}, "x")
	a.Close()
	out, err := runCLI(t, vars, `{"code":"K55-2018","kind":"turnover","name":"2018 turnover","start_date":"2018-07-27"}`, "create", "operation")
	if err != nil || !strings.Contains(out, `"id": 1`) {
		t.Fatalf("create operation: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, `{"kind":"case","operation_id":1}`, "create", "container"); err != nil || !strings.Contains(out, `"accession": "K55-2018-001"`) {
		t.Errorf("create container: %v %s", err, out)
	}
	if _, err := runCLI(t, vars, `{"family_name":"Doe","nick":"x"}`, "create", "missing-person"); err == nil || !strings.Contains(err.Error(), "nick") {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := runCLI(t, vars, `{"family_name":"Doe","status":"lost"}`, "create", "missing-person"); err == nil || !strings.Contains(err.Error(), "missing_person.status") {
		t.Errorf("bad status: %v", err)
	}
	runCLI(t, vars, `{"family_name":"Doe","given_names":"John"}`, "create", "missing-person")
	// A local change names the user it acted as (--as admin) and the operating-system account and
	// host that really made it: --as proves nothing, the operator is who typed the command.
	a, err = openApp(context.Background(), &config{DataDir: dir, User: "admin"}, appOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sys := homeward.NewContextWithUser(context.Background(), systemUser)
	al, err := a.db.ListAudit(sys, homeward.AuditFilter{Entity: "missing_person"})
	a.Close()
	if err != nil || al.Total != 1 || al.Items[0].Username != "admin" || al.Items[0].Operator != localOperator() || !strings.Contains(localOperator(), "@") {
		t.Errorf("audit of a local change: %+v %v (operator %q)", al.Items, err, localOperator())
	}
	if out, err := runCLI(t, vars, "", "list", "missing-persons", "-q", "doe"); err != nil || !strings.Contains(out, `"total": 1`) {
		t.Errorf("list: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "show", "container", "K55-2018-001"); err != nil || !strings.Contains(out, `"custody"`) {
		t.Errorf("show: %v %s", err, out)
	}
	vars["HOMEWARD_USER"] = "nobody"
	if _, err := runCLI(t, vars, "", "list", "incidents"); err == nil || !strings.Contains(err.Error(), "nobody") {
		t.Errorf("unknown acting user: %v", err)
	}
}

func TestCLIScience(t *testing.T) {
	out, err := runCLI(t, nil, "", "kinship", "lr", "-table", "../../labfmt/casejson/testdata/oracle/paternity_trio.input.json")
	if err != nil || !strings.Contains(out, "total") || !strings.Contains(out, "D3S1358") {
		t.Errorf("kinship lr: %v %s", err, out)
	}
	// A degraded donor (relMix dropout model): the LR of the shared reference case.
	out, err = runCLI(t, nil, "", "kinship", "lr", "../../labfmt/casejson/testdata/oracle-ext/dropout_fullsib.input.json")
	var lr struct {
		LRTotal map[string]float64 `json:"LR_total"`
	}
	if err != nil || json.Unmarshal([]byte(out), &lr) != nil || math.Abs(lr.LRTotal["H1:H2"]/7088.389492500191-1) > 1e-9 {
		t.Errorf("kinship lr dropout: %v %v", err, lr.LRTotal)
	}
	out, err = runCLI(t, nil, "", "dvi", "solve", "../../dvi/testdata/oracle/example1.input.json")
	if err != nil || !strings.Contains(out, `"n_assignments": 27`) || !strings.Contains(out, `"-Inf"`) || !strings.Contains(out, `"jointDVI_default"`) {
		t.Errorf("dvi solve: %v %s", err, out[:min(len(out), 300)])
	}
	out, err = runCLI(t, nil, "", "dvi", "solve", "../../dvi/testdata/oracle/exclusionExample.input.json")
	if err != nil || !strings.Contains(out, "more than 100000 assignments") {
		t.Errorf("dvi guard: %v", err)
	}
	// The pipeline's tables come out under dvir's names, and a threshold flag changes them.
	var rep struct {
		Solve struct {
			AM []struct{ Missing, Conclusion string } `json:"AM"`
		} `json:"dviSolve"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Solve.AM) != 15 || rep.Solve.AM[5].Conclusion != "Undisputed" {
		t.Errorf("dviSolve section: %v %+v", err, rep.Solve.AM)
	}
	out, err = runCLI(t, nil, "", "dvi", "solve", "-threshold", "5", "../../dvi/testdata/oracle/example2.input.json")
	// M3 = V3 has LR 5 up to rounding (4.999999999999998): dvir counts an LR within sqrt(eps) of the
	// threshold as reaching it, so it is undisputed, not merely probable.
	if err != nil || !strings.Contains(out, `"Conclusion": "Match (GLR)"`) || !strings.Contains(out, `"Conclusion": "Undisputed"`) {
		t.Errorf("dvi solve -threshold 5: %v", err)
	}
	if _, err := runCLI(t, nil, "", "dvi", "solve", "-threshold", "1", "../../dvi/testdata/oracle/example2.input.json"); err == nil || !strings.Contains(err.Error(), "threshold") {
		t.Errorf("threshold 1 accepted: %v", err)
	}
	// dvir's default undisputed rule finds M3 = V2 in planecrash; -strict (after the file) does not.
	for _, strict := range []bool{false, true} {
		args := []string{"dvi", "solve", "../../dvi/testdata/oracle/planecrash.input.json"}
		if strict {
			args = append(args, "-strict")
		}
		out, err := runCLI(t, nil, "", args...)
		var pr struct {
			Undisputed struct {
				Summary []struct{ Missing, Sample string }
			} `json:"undisputed"`
		}
		if err != nil || json.Unmarshal([]byte(out), &pr) != nil || len(pr.Undisputed.Summary) != map[bool]int{false: 3, true: 2}[strict] {
			t.Errorf("dvi solve planecrash strict=%v: %v %+v", strict, err, pr.Undisputed.Summary)
		}
	}
	// A DVI case written for Familias and solved from the .fam file concludes as the original.
	fam, err := runCLI(t, nil, "", "dvi", "to-fam", "../../dvi/testdata/oracle/KETPexer497.input.json")
	if err != nil || !strings.Contains(fam, "[DVI]") {
		t.Fatalf("dvi to-fam: %v", err)
	}
	famFile := filepath.Join(t.TempDir(), "k.fam")
	os.WriteFile(famFile, []byte(fam), 0o600)
	type amRow struct {
		Family, Sample, Conclusion string
		LR                         float64
	}
	am := func(args ...string) []amRow {
		out, err := runCLI(t, nil, "", append([]string{"dvi", "solve"}, args...)...)
		var r struct {
			Solve struct{ AM []amRow } `json:"dviSolve"`
		}
		if err != nil || json.Unmarshal([]byte(out), &r) != nil {
			t.Fatalf("dvi solve %v: %v", args, err)
		}
		return r.Solve.AM
	}
	want, got := am("../../dvi/testdata/oracle/KETPexer497.input.json"), am(famFile)
	if len(want) != 3 || len(got) != len(want) {
		t.Fatalf("AM rows: %v vs %v", got, want)
	}
	for i := range want {
		if got[i].Sample != want[i].Sample || got[i].Conclusion != want[i].Conclusion || math.Abs(got[i].LR/want[i].LR-1) > 1e-9 {
			t.Errorf("row %d from .fam %+v, from JSON %+v", i, got[i], want[i])
		}
	}
	prior := filepath.Join(t.TempDir(), "prior.json")
	os.WriteFile(prior, []byte(`{"V1": {"M1": 100}}`), 0o600)
	if out, err := runCLI(t, nil, "", "dvi", "solve", "-prior", prior, "../../dvi/testdata/oracle/example2.input.json"); err != nil || !strings.Contains(out, `"flat_prior": false`) {
		t.Errorf("prior: %v", err)
	}
	os.WriteFile(prior, []byte(`{"V1": {"M7": 1}}`), 0o600)
	if _, err := runCLI(t, nil, "", "dvi", "solve", "-prior", prior, "../../dvi/testdata/oracle/example2.input.json"); err == nil || !strings.Contains(err.Error(), "V1-M7") {
		t.Errorf("prior naming an unknown missing person: %v", err)
	}
	// A case prepared in Familias opens directly.
	if out, err := runCLI(t, nil, "", "kinship", "lr", "-table", "../../labfmt/familias/testdata/paternity.fam"); err != nil || !strings.Contains(out, "LR H1:H2") || !strings.Contains(out, "PENTA_E") {
		t.Errorf("kinship lr .fam: %v %s", err, out)
	}
	if out, err := runCLI(t, nil, "", "kinship", "convert", "../../labfmt/familias/testdata/paternity.fam"); err != nil || !strings.Contains(out, `"reference_hypothesis": "H2"`) {
		t.Errorf("kinship convert: %v", err)
	}
	if out, err := runCLI(t, nil, "", "kinship", "to-fam", "../../labfmt/casejson/testdata/oracle/paternity_trio.input.json"); err != nil || !strings.Contains(out, `"Known relations"`) {
		t.Errorf("kinship to-fam: %v %s", err, out[:min(len(out), 200)])
	}
	fvars := map[string]string{"HOMEWARD_DATA_DIR": t.TempDir()}
	if _, err := runCLI(t, fvars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	nist := "../../labfmt/freqdb/data/nist-all.csv"
	if out, err := runCLI(t, fvars, "", "freq", "import", "-format", "nist", "-name", "lab", "-source", "NIST 1036", nist); err != nil || !strings.Contains(out, "lab version 1") {
		t.Errorf("freq import: %v %s", err, out)
	}
	if out, err := runCLI(t, fvars, "", "freq", "import", "-format", "nist", "-name", "lab", nist); err == nil || !strings.Contains(err.Error(), "source") {
		t.Errorf("freq import without source: %v %s", err, out)
	}
	if out, err := runCLI(t, fvars, "", "freq", "list"); err != nil || !strings.Contains(out, "NIST 1036") || !strings.Contains(out, "nist-all") {
		t.Errorf("freq list: %v %s", err, out)
	}
	if out, err := runCLI(t, fvars, "", "freq", "show", "lab@1", "TH01"); err != nil || !strings.Contains(out, "9.3") {
		t.Errorf("freq show stored: %v %s", err, out)
	}
	if out, err := runCLI(t, fvars, "", "freq", "show", "nist-all", "TH01"); err != nil || !strings.Contains(out, "9.3") {
		t.Errorf("freq show: %v %s", err, out)
	}
}

// multiProcessSetup prepares a test that runs homeward processes on a fresh PostgreSQL schema: the
// schema's URL, a custody key every process shares, the built binary and the migrated store. It
// skips without PostgreSQL.
func multiProcessSetup(t *testing.T) (url, key, bin string, db *store.DB) {
	t.Helper()
	if len(storetest.Dialects(t)) < 2 {
		t.Skip("needs PostgreSQL (HOMEWARD_TEST_POSTGRES)")
	}
	url = storetest.URL(t, "postgres")
	key = hex.EncodeToString([]byte("worker test custody key 32 bytes"))
	bin = filepath.Join(t.TempDir(), "homeward")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v %s", err, out)
	}
	kb, _ := hex.DecodeString(key)
	db, err := store.Open(context.Background(), store.Options{URL: url, CustodyKey: kb})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return url, key, bin, db
}
