package homeward

import (
	"strings"
	"testing"
	"time"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// buildChain appends events through the domain rules the way a store does.
func buildChain(t *testing.T, acc string, events []CustodyEvent) []CustodyEvent {
	t.Helper()
	var out []CustodyEvent
	for i := range events {
		st := DeriveCustodyState(out)
		e := events[i]
		if err := st.ValidateAppend(acc, &e); err != nil {
			t.Fatalf("event %d: %v", i+1, err)
		}
		e.Seq = st.Events + 1
		e.PrevHash = st.HeadHash
		e.RecordedAt = e.OccurredAt.Add(time.Minute)
		e.RecordedBy = "custodian1"
		e.ID = int64(100 + i)
		e.Seal(acc, testKey)
		out = append(out, e)
	}
	return out
}

func sampleEvents() []CustodyEvent {
	t0 := time.Date(2018, 7, 27, 1, 0, 0, 123456789, time.UTC)
	yes := true
	return []CustodyEvent{
		{Kind: CustodyReceipt, OccurredAt: t0, To: "UNC Honor Guard", Location: "Wonsan Kalma Airport"},
		{Kind: CustodySealing, OccurredAt: t0.Add(time.Hour), SealNumber: "S-0001"},
		{Kind: CustodyTransport, OccurredAt: t0.Add(2 * time.Hour), Location: "Osan Air Base"},
		{Kind: CustodySealCheck, OccurredAt: t0.Add(3 * time.Hour), SealNumber: "S-0001", SealIntact: &yes},
		{Kind: CustodyTransfer, OccurredAt: t0.Add(4 * time.Hour), From: "UNC Honor Guard", To: "DPAA Laboratory", FromAck: "Sgt A", ToAck: "Dr B"},
		{Kind: CustodyOpening, OccurredAt: t0.Add(5 * time.Hour), Photos: []string{strings.Repeat("ab", 32)}},
	}
}

func TestDeriveCustodyState(t *testing.T) {
	chain := buildChain(t, "K55-2018-001", sampleEvents())
	st := DeriveCustodyState(chain)
	if st.Custodian != "DPAA Laboratory" {
		t.Errorf("custodian = %q", st.Custodian)
	}
	if st.Location != "Osan Air Base" {
		t.Errorf("location = %q", st.Location)
	}
	if st.Events != 6 || st.HeadHash != chain[5].Hash || !st.Open {
		t.Errorf("state = %+v", st)
	}
	if len(st.Seals) != 1 || st.Seals[0].Status != "removed" || st.Seals[0].LastCheckedAt == nil {
		t.Errorf("seals = %+v", st.Seals)
	}
	if p := VerifyChain("K55-2018-001", testKey, chain, 6, chain[5].Hash); p != nil {
		t.Fatalf("intact chain reported bad: %v", p)
	}
}

func TestValidateAppendRules(t *testing.T) {
	chain := buildChain(t, "K55-2018-001", sampleEvents()[:3])
	st := DeriveCustodyState(chain)
	later := chain[2].OccurredAt.Add(time.Hour)
	no := false
	tests := []struct {
		name string
		e    CustodyEvent
		code string
		msg  string
	}{
		{"transfer by non-custodian", CustodyEvent{Kind: CustodyTransfer, OccurredAt: later, From: "KPA", To: "X", FromAck: "a", ToAck: "b"}, ECONFLICT, `current custodian is "UNC Honor Guard"`},
		{"transfer without acks", CustodyEvent{Kind: CustodyTransfer, OccurredAt: later, From: "UNC Honor Guard", To: "X"}, EINVALID, "acknowledged by both sides"},
		{"second receipt", CustodyEvent{Kind: CustodyReceipt, OccurredAt: later, To: "X"}, ECONFLICT, "already in custody"},
		{"time goes back", CustodyEvent{Kind: CustodyStorage, OccurredAt: chain[0].OccurredAt, Location: "vault"}, EINVALID, "before the previous event"},
		{"reused seal", CustodyEvent{Kind: CustodySealing, OccurredAt: later, SealNumber: "S-0001"}, ECONFLICT, "already used"},
		{"check unknown seal", CustodyEvent{Kind: CustodySealCheck, OccurredAt: later, SealNumber: "S-9", SealIntact: &no}, EINVALID, "never applied"},
		{"unknown kind", CustodyEvent{Kind: "teleport", OccurredAt: later}, EINVALID, "not one of"},
		{"storage without location", CustodyEvent{Kind: CustodyStorage, OccurredAt: later}, EINVALID, "custody_event.location"},
		{"bad photo", CustodyEvent{Kind: CustodyOpening, OccurredAt: later, Photos: []string{"x"}}, EINVALID, "photos[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := st.ValidateAppend("K55-2018-001", &tt.e)
			if err == nil {
				t.Fatal("want error")
			}
			if ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.msg) || !strings.Contains(err.Error(), "K55-2018-001") {
				t.Errorf("got %s %q, want %s containing %q and the accession", ErrorCode(err), err, tt.code, tt.msg)
			}
		})
	}
	var empty CustodyState
	if err := empty.ValidateAppend("K", &CustodyEvent{Kind: CustodyTransfer, OccurredAt: later}); err == nil || !strings.Contains(err.Error(), "must be a receipt") {
		t.Errorf("first event not a receipt: %v", err)
	}
}

func TestVerifyChainDetectsTampering(t *testing.T) {
	const acc = "K55-2018-007"
	fresh := func() []CustodyEvent { return buildChain(t, acc, sampleEvents()) }
	head := func(c []CustodyEvent) (int64, string) { return int64(len(c)), c[len(c)-1].Hash }
	tests := []struct {
		name    string
		tamper  func(c []CustodyEvent) []CustodyEvent
		headSeq int64 // 0 = use the original head
		wantSeq int64
		reason  string
	}{
		{"edit a field", func(c []CustodyEvent) []CustodyEvent { c[2].Location = "Pyongyang"; return c }, 0, 3, "edited"},
		{"edit time", func(c []CustodyEvent) []CustodyEvent { c[0].OccurredAt = c[0].OccurredAt.Add(time.Second); return c }, 0, 1, "edited"},
		{"delete middle", func(c []CustodyEvent) []CustodyEvent { return append(c[:2:2], c[3:]...) }, 0, 4, "sequence"},
		{"delete last", func(c []CustodyEvent) []CustodyEvent { return c[:5] }, 0, 6, "recorded head"},
		{"swap two", func(c []CustodyEvent) []CustodyEvent {
			c[1].Seq, c[2].Seq = c[2].Seq, c[1].Seq
			c[1], c[2] = c[2], c[1]
			return c
		}, 0, 2, "previous-hash"},
		{"recompute without key", func(c []CustodyEvent) []CustodyEvent {
			c[3].Notes = "forged"
			c[3].Hash = c[3].ComputeHash(acc)
			return c
		}, 0, 4, "signature"},
		{"insert forged", func(c []CustodyEvent) []CustodyEvent {
			f := c[1]
			f.Notes = "inserted"
			out := append([]CustodyEvent{}, c[:2]...)
			out = append(out, f)
			return append(out, c[2:]...)
		}, 0, 2, "sequence"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fresh()
			hs, hh := head(c)
			c = tt.tamper(c)
			p := VerifyChain(acc, testKey, c, hs, hh)
			if p == nil {
				t.Fatal("tampering not detected")
			}
			if p.Container != acc || p.Seq != tt.wantSeq || !strings.Contains(p.Reason, tt.reason) {
				t.Errorf("problem = %+v, want seq %d reason containing %q", p, tt.wantSeq, tt.reason)
			}
		})
	}
	c := fresh()
	if p := VerifyChain(acc, []byte("another key, another server...."), c, 6, c[5].Hash); p == nil || p.Seq != 1 {
		t.Errorf("wrong key not detected: %v", p)
	}
}

func TestCanonicalContentStable(t *testing.T) {
	e := CustodyEvent{Seq: 1, Kind: CustodyReceipt, To: "X", OccurredAt: time.Date(2018, 7, 27, 0, 0, 0, 0, time.FixedZone("KST", 9*3600))}
	got := string(e.CanonicalContent("A-1"))
	want := `{"v":1,"container":"A-1","seq":1,"kind":"receipt","occurred_at":"2018-07-26T15:00:00.000000Z","recorded_at":"0001-01-01T00:00:00.000000Z","recorded_by":"","from":"","to":"X","from_ack":"","to_ack":"","location":"","seal_number":"","seal_intact":null,"notes":"","photos":[],"prev_hash":""}`
	if got != want {
		t.Errorf("canonical content changed (this breaks every stored chain):\n got %s\nwant %s", got, want)
	}
}
