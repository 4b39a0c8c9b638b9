package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/assets"
	"github.com/homeward/homeward/demo"
	"github.com/homeward/homeward/dvi/dvisim"
	"github.com/homeward/homeward/jobs"
	"github.com/homeward/homeward/labfmt/freqdb"
	"github.com/homeward/homeward/store/storetest"
)

// A screen end to end on the embedded store, through the CLI: a DVI case loaded as profiles and
// families, a screen run in-process with progress, the candidates listed.
func TestCLIScreen(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"HOMEWARD_DATA_DIR": dir}
	a, err := openApp(context.Background(), &config{DataDir: dir, User: "admin"}, appOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := bootstrapAdmin(context.Background(), a, &cliEnv{stdout: &buf, getenv: func(string) string { return "" }}, "x"); err != nil {
		t.Fatal(err)
	}
	a.Close()
	out, err := runCLI(t, vars, "", "dna", "load", "../../dvi/testdata/oracle/KETPexer497.input.json")
	if err != nil || !strings.Contains(out, "reference families") {
		t.Fatalf("dna load: %v %s", err, out)
	}
	// A victim with a Y-STR haplotype only has nothing for an autosomal screen: left out.
	if _, err := runCLI(t, vars, `{"sample": "PM-Y", "role": "victim", "ystr": "DYS19=14; DYS391=11"}`, "create", "profile"); err != nil {
		t.Fatal(err)
	}
	// The oracle case's frequencies are its own; screen it on NIST with its alleles added.
	out, err = runCLI(t, vars, "", "screen", "start", "-name", "exer", "-threshold", "1e4", "-shards", "2", "-min-freq", "0.001")
	// 3 typed victims x 3 families: the lineage-only PM-Y is not compared.
	if err != nil || !strings.Contains(out, "screen 1 done: 9 comparisons") {
		t.Fatalf("screen start: %v %s", err, out)
	}
	out, err = runCLI(t, vars, "", "screen", "candidates", "1")
	// V1 and V2 are the undisputed identifications of this case (LRs 5e14 and 4e4 on its own
	// frequencies): the screen finds both.
	if err != nil || !strings.Contains(out, "V1") || !strings.Contains(out, "am1/M1") || !strings.Contains(out, "am2/M2") {
		t.Errorf("candidates: %v\n%s", err, out)
	}
	// The screen's candidates written as a DVI case solve to the same identifications.
	out, err = runCLI(t, vars, "", "dvi", "case", "-screen", "1", "-min-freq", "0.001")
	if err != nil {
		t.Fatalf("dvi case: %v %s", err, out)
	}
	caseFile := filepath.Join(dir, "case.json")
	os.WriteFile(caseFile, []byte(out[:strings.LastIndex(out, "}")+1]), 0o600)
	out, err = runCLI(t, vars, "", "dvi", "solve", caseFile)
	if err != nil || !strings.Contains(out, `"Sample": "V1"`) || !strings.Contains(out, `"Missing": "am1/M1/M1"`) {
		t.Errorf("solve of the exported case: %v %s", err, out[:min(len(out), 500)])
	}
	if out, err := runCLI(t, vars, "", "screen", "status", "1"); err != nil || !strings.Contains(out, `"status": "done"`) {
		t.Errorf("status: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "screen", "resume", "1"); err != nil || !strings.Contains(out, "0 shard(s) pending") {
		t.Errorf("resume of a finished screen: %v %s", err, out)
	}
	if _, err := runCLI(t, vars, "", "screen", "start", "-db", "no-such-db"); err == nil || !strings.Contains(err.Error(), "frequency_db") {
		t.Errorf("unknown database: %v", err)
	}
	// The same screen reading the victims as degraded samples keeps its model and finds V1 too.
	out, err = runCLI(t, vars, "", "screen", "start", "-name", "degraded", "-dropout", "0.2", "-drop-in", "0.01", "-min-freq", "0.001")
	if err != nil || !strings.Contains(out, "screen 2 done: 9 comparisons") {
		t.Fatalf("dropout screen: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "screen", "status", "2"); err != nil || !strings.Contains(out, `"d_het": 0.2`) || !strings.Contains(out, `"drop_in": 0.01`) {
		t.Errorf("dropout screen status: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "screen", "candidates", "2"); err != nil || !strings.Contains(out, "am1/M1") {
		t.Errorf("dropout screen candidates: %v %s", err, out)
	}
	if _, err := runCLI(t, vars, "", "screen", "start", "-dropout", "1.5"); err == nil || !strings.Contains(err.Error(), "screen.dropout.d_het") {
		t.Errorf("dropout 1.5: %v", err)
	}
}

// Two worker processes share a screen on PostgreSQL; one is killed (SIGKILL) while it runs a
// shard. The shard is redone by the other after the rescue delay, and the screen ends with every
// comparison made exactly once and every true pair found once.
func TestScreenSurvivesKilledWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	url, key, bin, db := multiProcessSetup(t)
	ctx := context.Background()
	actx := storetest.Admin(t, db)
	nist, _ := freqdb.Load("nist-all")
	const victims, families, truePairs, shards = 3000, 400, 40, 16
	set, err := demo.GenerateDNA(7, nist, 23, victims, families, truePairs)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadDNA(actx, db, set, nil); err != nil {
		t.Fatal(err)
	}
	q, err := jobs.Open(ctx, jobs.Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	sc, _, err := jobs.StartScreen(actx, db, q, homeward.ScreenRequest{Name: "killed", Threshold: 1e3, Shards: shards})
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "HOMEWARD_DATABASE_URL="+url, "HOMEWARD_CUSTODY_KEY="+key)
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "worker", "-concurrency", "1", "-rescue-after", "3s")
		cmd.Env = env
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() })
		return cmd
	}
	victim := start()
	start()
	// Kill the first worker as soon as it is seen running a shard.
	name := ""
	deadline := time.Now().Add(60 * time.Second)
	for name == "" && time.Now().Before(deadline) {
		running, err := q.List(ctx, river.NewJobListParams().Kinds("screen_shard").States(rivertype.JobStateRunning).First(50))
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range running {
			if len(j.AttemptedBy) > 0 && strings.HasSuffix(j.AttemptedBy[len(j.AttemptedBy)-1], "-"+itoa(victim.Process.Pid)) {
				name = j.AttemptedBy[len(j.AttemptedBy)-1]
			}
		}
		if name == "" {
			time.Sleep(5 * time.Millisecond)
		}
	}
	if name == "" {
		t.Fatal("never saw the first worker run a shard")
	}
	victim.Process.Signal(syscall.SIGKILL)
	victim.Wait()
	for {
		got, err := db.GetScreen(actx, sc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == homeward.ScreenDone {
			if got.Progress.Comparisons != victims*families {
				t.Errorf("comparisons %d, want %d: a shard lost or counted twice", got.Progress.Comparisons, victims*families)
			}
			c, err := db.ListCandidates(actx, sc.ID, homeward.Page{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[[2]int64]bool{}
			for _, x := range c.Items {
				if seen[[2]int64{x.ProfileID, x.FamilyID}] {
					t.Errorf("candidate %s/%s twice", x.Sample, x.Family)
				}
				seen[[2]int64{x.ProfileID, x.FamilyID}] = true
			}
			trueFound := 0
			for _, x := range c.Items {
				if strings.TrimPrefix(x.Sample, "DEMO-PM-") == strings.TrimPrefix(x.Family, "DEMO-FAM-") {
					trueFound++
				}
			}
			if trueFound != truePairs {
				t.Errorf("%d of %d true pairs found", trueFound, truePairs)
			}
			// The killed worker's job is redone by the other process (it may have stored its
			// shard just before it died; the rerun then finds the shard done and adds nothing).
			var done []*rivertype.JobRow
			for end := time.Now().Add(60 * time.Second); time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
				if done, err = q.List(ctx, river.NewJobListParams().Kinds("screen_shard").States(rivertype.JobStateCompleted).First(100)); err != nil {
					t.Fatal(err)
				}
				if len(done) == shards {
					break
				}
			}
			if after, err := db.GetScreen(actx, sc.ID); err != nil || after.Progress != got.Progress {
				t.Errorf("the rerun changed the screen: %+v, was %+v (%v)", after.Progress, got.Progress, err)
			}
			redone := false
			for _, j := range done {
				n := len(j.AttemptedBy)
				redone = redone || (j.Attempt >= 2 && n >= 2 && j.AttemptedBy[0] == name && j.AttemptedBy[n-1] != name)
			}
			if !redone || len(done) != shards {
				t.Errorf("%d shard jobs completed; the killed worker's shard redone by the other: %v", len(done), redone)
			}
			return
		}
		if time.Now().After(deadline.Add(-15 * time.Second)) {
			all, _ := q.List(ctx, river.NewJobListParams().Kinds("screen_shard").States(rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable, rivertype.JobStateCompleted, rivertype.JobStateDiscarded, rivertype.JobStateScheduled).First(100))
			for _, j := range all {
				if j.State != rivertype.JobStateCompleted {
					t.Logf("job %d %s attempts %d by %v at %v", j.ID, j.State, j.Attempt, j.AttemptedBy, j.AttemptedAt)
				}
			}
			t.Fatalf("screen not done: %+v", got.Progress)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// The demo world carries DNA: a screen over it finds the demo's true pairs.
func TestCLIDemoScreen(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo world")
	}
	vars := map[string]string{"HOMEWARD_DATA_DIR": t.TempDir()}
	if out, err := runCLI(t, vars, "", "demo"); err != nil || !strings.Contains(out, "300 victim profiles") {
		t.Fatalf("demo: %v %s", err, out)
	}
	// The demo's measured long bones sort against its reference sample (docs/demo.md).
	if out, err := runCLI(t, vars, "", "osteo", "sort-stored", "-reference-sample", "synthetic-demo", "K55-2018-055"); err != nil ||
		!strings.Contains(out, "reference sample synthetic-demo version 1") || !strings.Contains(out, "candidate groupings") {
		t.Errorf("demo osteometry: %v\n%s", err, out)
	}
	out, err := runCLI(t, vars, "", "screen", "start", "-threshold", "1e6")
	if err != nil || !strings.Contains(out, "done") {
		t.Fatalf("screen: %v %s", err, out)
	}
	out, err = runCLI(t, vars, "", "screen", "candidates", "-limit", "1000", "1")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && strings.HasPrefix(f[0], "DEMO-PM-") && strings.TrimPrefix(f[0], "DEMO-PM-") == strings.TrimPrefix(f[1], "DEMO-FAM-") {
			found++
		}
	}
	if found != demoTruePairs {
		t.Errorf("%d of %d true pairs among the candidates:\n%s", found, demoTruePairs, out)
	}
}

// An identification through the CLI, acting as different users with --as.
func TestCLIIdent(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"HOMEWARD_DATA_DIR": dir}
	if _, err := runCLI(t, vars, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ name, role string }{{"ana", "dna-analyst"}, {"rev1", "reviewer"}, {"rev2", "reviewer"}} {
		if out, err := runCLI(t, vars, "a-long-password-123\n", "user", "create", "-roles", u.role, u.name); err != nil {
			t.Fatalf("user %s: %v %s", u.name, err, out)
		}
	}
	tokens := map[string]string{}
	for _, u := range []string{"ana", "rev1", "rev2", "admin"} {
		tokens[u] = tokenFor(t, vars, u)
	}
	as := func(user string) map[string]string {
		return map[string]string{"HOMEWARD_DATA_DIR": dir, "HOMEWARD_USER": user, "HOMEWARD_TOKEN": tokens[user]}
	}
	// --as alone proves nothing: a review in rev1's name needs rev1's credential, and a token of
	// someone else does not stand in for it.
	if _, err := runCLI(t, map[string]string{"HOMEWARD_DATA_DIR": dir, "HOMEWARD_USER": "rev1"}, "", "ident", "review", "1", "-decision", "approve"); err == nil || !strings.Contains(err.Error(), "HOMEWARD_TOKEN") {
		t.Errorf("review with --as only: %v", err)
	}
	if _, err := runCLI(t, map[string]string{"HOMEWARD_DATA_DIR": dir, "HOMEWARD_USER": "rev1", "HOMEWARD_TOKEN": tokens["ana"]}, "", "ident", "review", "1", "-decision", "approve"); err == nil || !strings.Contains(err.Error(), "belongs to ana") {
		t.Errorf("review with another's token: %v", err)
	}
	if _, err := runCLI(t, vars, `{"family_name": "Park", "given_names": "Ji-ho"}`, "create", "missing-person"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCLI(t, as("ana"), `{"sample": "PM-1", "role": "victim", "loci": {"TH01": ["6", "7"]}}`, "create", "profile"); err != nil {
		t.Fatal(err)
	}
	if _, err := runCLI(t, as("rev1"), "", "ident", "stages", "-set", "technical_review"); err == nil {
		t.Error("a reviewer set the review stages")
	}
	if out, err := runCLI(t, as("admin"), "", "ident", "stages", "-set", "technical_review, scientific_review"); err != nil || !strings.Contains(out, "technical_review > scientific_review") {
		t.Errorf("stages: %v %s", err, out)
	}
	out, err := runCLI(t, as("ana"), `{"missing_person_id": 1, "profile_ids": [1], "summary": "PM-1 is Park Ji-ho"}`, "ident", "create")
	if err != nil || !strings.Contains(out, `"status": "draft"`) {
		t.Fatalf("create: %v %s", err, out)
	}
	if out, err := runCLI(t, as("ana"), `{"kind": "autosomal_dna", "conclusion": "supports", "summary": "sister and mother", "lr": 1e5}`, "ident", "evidence", "1"); err != nil {
		t.Fatalf("evidence: %v %s", err, out)
	}
	steps := []struct {
		user string
		args []string
		want string
	}{
		{"ana", []string{"ident", "submit", "1"}, "in_review at technical_review"},
		{"rev1", []string{"ident", "review", "1", "-decision", "approve"}, "in_review at scientific_review"},
		{"rev2", []string{"ident", "review", "1", "-decision", "approve", "-comment", "ok"}, "approved"},
	}
	for _, s := range steps {
		if out, err := runCLI(t, as(s.user), "", s.args...); err != nil || !strings.Contains(out, s.want) {
			t.Fatalf("%v: %v %s", s.args, err, out)
		}
	}
	if out, err := runCLI(t, as("admin"), "", "ident", "list", "-status", "approved"); err != nil || !strings.Contains(out, "ana") {
		t.Errorf("list: %v %s", err, out)
	}
	if _, err := runCLI(t, as("rev1"), "", "ident", "withdraw", "1", "-reason", "a reviewer cannot withdraw"); err == nil {
		t.Error("a reviewer withdrew an approved identification")
	}
	if _, err := runCLI(t, vars, `{"missing_person_id": 1, "family_name": "Park", "relationship": "sister", "primary_next_of_kin": true}`, "create", "family-member"); err != nil {
		t.Fatal(err)
	}
	if out, err := runCLI(t, vars, "", "ident", "notify", "1", "-member", "1", "-method", "phone", "-notes", "she asked for the report"); err != nil || !strings.Contains(out, `"by": "admin"`) {
		t.Errorf("notify: %v %s", err, out)
	}
	if _, err := runCLI(t, vars, `{"kind": "burial", "place": "Daejeon National Cemetery", "date": "2026-12-01"}`, "ident", "dispose", "1"); err != nil {
		t.Errorf("dispose: %v", err)
	}
	if out, err := runCLI(t, vars, "", "ident", "show", "1"); err != nil || !strings.Contains(out, "Daejeon") || !strings.Contains(out, `"method": "phone"`) {
		t.Errorf("show: %v", err)
	}
	// The family summary speaks of the approval and the burial; the PDF is a PDF (its content is
	// tested in idreport); a bad format is refused before any work.
	if out, err := runCLI(t, vars, "", "ident", "report", "1", "-format", "summary"); err != nil || !strings.Contains(out, "have been identified as Ji-ho Park") || !strings.Contains(out, "Daejeon National Cemetery") {
		t.Errorf("report summary: %v %s", err, out)
	}
	if _, _, err := assets.Report(); err == nil {
		pdf := filepath.Join(t.TempDir(), "r.pdf")
		if _, err := runCLI(t, vars, "", "ident", "report", "1", "-o", pdf); err != nil {
			t.Errorf("report pdf: %v", err)
		}
		if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("report pdf: %q", b[:min(len(b), 20)])
		}
	}
	if _, err := runCLI(t, vars, "", "ident", "report", "1", "-format", "docx"); err == nil || !strings.Contains(err.Error(), "docx") {
		t.Errorf("format docx: %v", err)
	}
	if out, err := runCLI(t, vars, "", "stats", "-format", "svg"); err != nil || !strings.HasPrefix(out, "<svg") || strings.Count(out, "<polyline") != 4 {
		t.Errorf("stats svg: %v %s", err, out)
	}
	if out, err := runCLI(t, vars, "", "stats"); err != nil || !strings.Contains(out, "month,containers,specimens,victim_profiles,identifications_approved") || !strings.Contains(out, "total,0,0,1,1") {
		t.Errorf("stats: %v %s", err, out)
	}
}

func TestCLICandidates(t *testing.T) {
	vars := map[string]string{"HOMEWARD_DATA_DIR": t.TempDir()}
	if out, err := runCLI(t, vars, "", "demo"); err != nil {
		t.Fatalf("demo: %v %s", err, out)
	}
	out, err := runCLI(t, vars, `{"sex": "male", "stature_min_cm": 160, "stature_max_cm": 180, "age_min": 18, "age_max": 30, "recovery": {"lat": 40.4, "lon": 127.2}, "max_km": 50}`, "candidates")
	if err != nil || !strings.Contains(out, "keep") || !strings.Contains(out, "drop") || !strings.Contains(out, "km away") {
		t.Errorf("candidates: %v %s", err, out[:min(len(out), 600)])
	}
	if _, err := runCLI(t, vars, `{"recovery": {"lat": 95, "lon": 0}}`, "candidates"); err == nil {
		t.Error("latitude 95 accepted")
	}
}

// The power study on a small demo DNA set: without dropout both readings find every true pair;
// at dropout 0.3 reading degraded profiles as genotypes loses true pairs that the dropout model
// keeps, and neither lets false candidates through at 1e4.
func TestScreenPower(t *testing.T) {
	out, err := runCLI(t, nil, "", "screen", "power", "-victims", "60", "-families", "30", "-true", "12", "-dropout", "0,0.3", "-json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []dvisim.PowerRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("%v %s", err, out)
	}
	if r := rows[0]; r.TruePairs != 12 || r.FoundGenotypes != 12 || r.FoundDropoutModel != 12 || r.AllelesLostPercent != 0 {
		t.Errorf("no dropout: %+v", r)
	}
	if r := rows[1]; r.FoundDropoutModel <= r.FoundGenotypes || r.FoundDropoutModel < 10 || r.FalseGenotypes+r.FalseDropoutModel != 0 || r.AllelesLostPercent < 20 {
		t.Errorf("dropout 0.3: %+v", r)
	}
	if _, err := runCLI(t, nil, "", "screen", "power", "-dropout", "1.2"); err == nil || !strings.Contains(err.Error(), "dropout level") {
		t.Errorf("dropout 1.2: %v", err)
	}
}
