package store_test

import (
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/store/storetest"
)

// BenchmarkCustodyAppend measures custody appends with 50 concurrent clients, each appending to its
// own container (as 50 custodians at work would), on every dialect. It reports appends/s and the
// p50/p99 latency of one append.
//
//	go test ./store -run XXX -bench CustodyAppend -benchtime 2000x
func BenchmarkCustodyAppend(b *testing.B) {
	const clients = 50
	for _, d := range storetest.Dialects(b) {
		b.Run(d, func(b *testing.B) {
			db := storetest.Open(b, d)
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
