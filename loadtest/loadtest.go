// Package loadtest drives a running Homeward over its API with the mix docs/operations.md
// describes — 80% reads (person, container, search, identification) and 20% writes (custody
// appends, specimens) — through vegeta's attacker, and reports throughput, latency and errors.
package loadtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Options say what to attack, for how long, with how many clients.
type Options struct {
	URL      string        // the server, e.g. http://127.0.0.1:8080
	Token    string        // an API token (bearer) with read and custody/specimen write rights
	Duration time.Duration // how long
	Clients  int           // concurrent clients, each waiting for its answer before the next
}

// Report is what an attack measured.
type Report struct {
	Requests   uint64         `json:"requests"`
	Throughput float64        `json:"requests_per_second"`
	P50        time.Duration  `json:"p50"`
	P95        time.Duration  `json:"p95"`
	P99        time.Duration  `json:"p99"`
	Max        time.Duration  `json:"max"`
	Errors     uint64         `json:"errors"`
	Status     map[string]int `json:"status_codes"`
	ErrorTexts []string       `json:"error_texts,omitempty"`
}

// records are the ids the mix picks from, read from the server before the attack.
type records struct {
	persons    []int64
	containers []container
	idents     []int64
}

// container is a container with a custody chain to append to.
type container struct {
	ID        int64
	Accession string
}

// Run prepares the mix from the server's records and attacks it.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Clients < 1 || o.Duration <= 0 {
		return nil, fmt.Errorf("loadtest: clients and duration must be positive")
	}
	recs, err := load(ctx, o)
	if err != nil {
		return nil, err
	}
	atk := vegeta.NewAttacker(vegeta.Workers(uint64(o.Clients)), vegeta.MaxWorkers(uint64(o.Clients)), vegeta.KeepAlive(true), vegeta.Timeout(30*time.Second))
	var m vegeta.Metrics
	results := atk.Attack(targeter(o, recs), vegeta.ConstantPacer{}, o.Duration, "homeward")
	for {
		select {
		case <-ctx.Done():
			atk.Stop()
			for range results {
			}
			return nil, ctx.Err()
		case r, ok := <-results:
			if !ok {
				m.Close()
				return report(&m), nil
			}
			m.Add(r)
		}
	}
}

func report(m *vegeta.Metrics) *Report {
	r := &Report{Requests: m.Requests, Throughput: m.Throughput, P50: m.Latencies.P50, P95: m.Latencies.P95, P99: m.Latencies.P99,
		Max: m.Latencies.Max, Status: m.StatusCodes, ErrorTexts: m.Errors}
	for code, n := range m.StatusCodes {
		if !strings.HasPrefix(code, "2") {
			r.Errors += uint64(n)
		}
	}
	return r
}

// targeter picks each request of the mix: 25% person pages, 25% container pages, 15% searches,
// 15% identification pages (or more person pages when there are none), 10% custody appends,
// 10% specimens.
func targeter(o Options, recs *records) vegeta.Targeter {
	var seq atomic.Int64
	hdr := http.Header{"Authorization": {"Bearer " + o.Token}, "Content-Type": {"application/json"}}
	names := []string{"kim", "smith", "park", "lee", "brown", "choi"}
	// One time for every custody event of the run: appends racing on a container never go back in
	// time (an event before its chain's last is refused, rightly).
	at := time.Now().UTC().Format(time.RFC3339Nano)
	return func(t *vegeta.Target) error {
		n := seq.Add(1)
		t.Header, t.Method, t.Body = hdr, "GET", nil
		c := recs.containers[rand.IntN(len(recs.containers))]
		switch p := rand.IntN(100); {
		case p < 25 || (p >= 65 && p < 80 && len(recs.idents) == 0):
			t.URL = fmt.Sprintf("%s/api/v1/missing-persons/%d", o.URL, recs.persons[rand.IntN(len(recs.persons))])
		case p < 50:
			t.URL = fmt.Sprintf("%s/api/v1/containers/%s", o.URL, c.Accession)
		case p < 65:
			t.URL = fmt.Sprintf("%s/api/v1/missing-persons?q=%s&limit=20", o.URL, names[rand.IntN(len(names))])
		case p < 80:
			t.URL = fmt.Sprintf("%s/api/v1/identifications/%d", o.URL, recs.idents[rand.IntN(len(recs.idents))])
		case p < 90:
			t.Method, t.URL = "POST", fmt.Sprintf("%s/api/v1/containers/%s/custody", o.URL, c.Accession)
			t.Body, _ = json.Marshal(map[string]any{"kind": "storage", "occurred_at": at, "location": fmt.Sprintf("load shelf %d", n)})
		default:
			t.Method, t.URL = "POST", o.URL+"/api/v1/specimens"
			t.Body, _ = json.Marshal(map[string]any{"container_id": c.ID, "code": fmt.Sprintf("LOAD-%d-%d", time.Now().UnixNano(), n), "element": "rib", "side": "left"})
		}
		return nil
	}
}

// load reads ids to pick from: persons, containers with a custody chain, identifications.
func load(ctx context.Context, o Options) (*records, error) {
	var recs records
	var persons struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := getJSON(ctx, o, "/api/v1/missing-persons?limit=500", &persons); err != nil {
		return nil, err
	}
	for _, p := range persons.Items {
		recs.persons = append(recs.persons, p.ID)
	}
	var containers struct {
		Items []struct {
			ID        int64  `json:"id"`
			Accession string `json:"accession"`
			Custody   *struct {
				Events int64 `json:"events"`
			} `json:"custody"`
		} `json:"items"`
	}
	if err := getJSON(ctx, o, "/api/v1/containers?limit=500", &containers); err != nil {
		return nil, err
	}
	for _, c := range containers.Items {
		if c.Custody != nil && c.Custody.Events > 0 {
			recs.containers = append(recs.containers, container{c.ID, c.Accession})
		}
	}
	var idents struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := getJSON(ctx, o, "/api/v1/identifications?limit=500", &idents); err != nil {
		return nil, err
	}
	for _, x := range idents.Items {
		recs.idents = append(recs.idents, x.ID)
	}
	if len(recs.persons) == 0 || len(recs.containers) == 0 {
		return nil, fmt.Errorf("loadtest: the server needs missing persons and containers in custody (load the demo world)")
	}
	return &recs, nil
}

func getJSON(ctx context.Context, o Options, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, "GET", o.URL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+o.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("loadtest: %s: %w", path, err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		return fmt.Errorf("loadtest: %s: %s", path, res.Status)
	}
	return json.NewDecoder(res.Body).Decode(v)
}
