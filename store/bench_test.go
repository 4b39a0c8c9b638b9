package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

// BenchmarkCustodyAppend measures custody appends with 32 concurrent clients, each appending to its
// own container (as 32 custodians at work would), on every dialect. It reports appends/s and the
// p50/p99 latency of one append.
//
//	go test ./store -run XXX -bench CustodyAppend -benchtime 2000x
func BenchmarkCustodyAppend(b *testing.B) {
	const clients = 32 // the figure docs/security.md reports: p99 with 32 concurrent clients
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			// As served: the log signs a checkpoint per append and keeps a witness copy on disk.
			db, err := store.Open(context.Background(), store.Options{URL: storetest.URL(b, d), CustodyKey: storetest.Key,
				Witness: filepath.Join(b.TempDir(), "custody.checkpoint")})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(context.Background()); err != nil {
				b.Fatal(err)
			}
			ctx := storetest.Admin(b, db)
			op := &homeward.Operation{Code: "BENCH", Kind: homeward.OperationRecovery, Name: "bench"}
			if err := db.CreateOperation(ctx, op); err != nil {
				b.Fatal(err)
			}
			ids := make([]int64, clients)
			for i := range ids {
				c := &homeward.Container{Kind: homeward.ContainerBox, OperationID: &op.ID}
				if err := db.CreateContainer(ctx, c); err != nil {
					b.Fatal(err)
				}
				if err := db.AppendCustodyEvent(ctx, c.ID, &homeward.CustodyEvent{Kind: homeward.CustodyReceipt, OccurredAt: t0, To: "lab"}); err != nil {
					b.Fatal(err)
				}
				ids[i] = c.ID
			}
			lat := make([]time.Duration, b.N)
			var wg sync.WaitGroup
			next := make(chan int, b.N)
			for i := 0; i < b.N; i++ {
				next <- i
			}
			close(next)
			b.ResetTimer()
			start := time.Now()
			for c := 0; c < clients; c++ {
				wg.Add(1)
				go func(c int) {
					defer wg.Done()
					for i := range next {
						t := time.Now()
						e := &homeward.CustodyEvent{Kind: homeward.CustodyStorage, OccurredAt: t0.Add(time.Hour), Location: fmt.Sprint("shelf ", i)}
						if err := db.AppendCustodyEvent(ctx, ids[c], e); err != nil {
							b.Error(err)
							return
						}
						lat[i] = time.Since(t)
					}
				}(c)
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "appends/s")
			b.ReportMetric(float64(lat[b.N/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[b.N*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkImportProfiles stores 10,000 new victim profiles of 23 markers in one all-or-nothing
// import (what `homeward dna import` does after parsing), on every dialect; it reports profiles/s.
//
//	go test ./store -run XXX -bench ImportProfiles -benchtime 1x
func BenchmarkImportProfiles(b *testing.B) {
	const n = 10000
	markers := []string{"CSF1PO", "D10S1248", "D12S391", "D13S317", "D16S539", "D18S51", "D19S433", "D1S1656", "D21S11", "D22S1045", "D2S1338", "D2S441",
		"D3S1358", "D5S818", "D7S820", "D8S1179", "FGA", "PENTA_D", "PENTA_E", "SE33", "TH01", "TPOX", "VWA"}
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := storetest.Admin(b, db)
			for i := 0; b.Loop(); i++ {
				ps := make([]homeward.Profile, n)
				for k := range ps {
					loci := map[string][]string{}
					for m, name := range markers {
						loci[name] = []string{fmt.Sprint(8 + (k+m)%7), fmt.Sprint(9 + (k*m)%9)}
					}
					ps[k] = homeward.Profile{Sample: fmt.Sprintf("B%d-%06d", i, k), Role: homeward.ProfileVictim, Loci: loci}
				}
				created, _, _, err := db.ImportProfiles(ctx, ps)
				if err != nil || created != n {
					b.Fatalf("%d created: %v", created, err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "profiles/s")
		})
	}
}
