package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
)

// A turnover of 55 containers, registered as they were handed over, is received and then moved
// to the laboratory through the pages only: the custodian's start page shows them waiting, the
// operation's list selects all 55 at once, a receipt and then a transfer (both parties'
// acknowledgements) are recorded for each, and the API afterwards reads every container in the
// laboratory's custody with both events on its chain.
func TestE2ETurnoverOf55(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	admin := adminCtx()
	op := &homeward.Operation{Code: "K55-2026", Kind: homeward.OperationTurnover, Name: "Turnover of 55 cases"}
	if err := w.db.CreateOperation(admin, op); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 55; i++ {
		c := &homeward.Container{Accession: fmt.Sprintf("K55-2026-%03d", i), Kind: homeward.ContainerCase, OperationID: &op.ID, Description: "handed over at Wonsan"}
		if err := w.db.CreateContainer(admin, c); err != nil {
			t.Fatal(err)
		}
	}
	run(t, ctx, signIn(base, "custodian1"), chromedp.WaitVisible("#awaiting-receipt"))
	if n, ops := text(t, ctx, "#awaiting-count"), text(t, ctx, "#awaiting-ops"); n != "55" || !strings.Contains(ops, "K55-2026 (55)") {
		t.Errorf("the start page: %s awaiting receipt, by operation %q", n, ops)
	}
	// One click from the start page to the operation's list.
	run(t, ctx, chromedp.Click("#awaiting-ops a"), chromedp.WaitVisible("#select-all"))
	list := fmt.Sprintf("%s/containers?operation=%d", base, op.ID)
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || loc != list {
		t.Errorf("the queue leads to %s, want %s", loc, list)
	}
	bulk := func(kind string, fields map[string]string) {
		t.Helper()
		steps := []step{chromedp.Navigate(list), chromedp.WaitVisible("#select-all"), chromedp.Click("#select-all"), chromedp.SetValue("#kind", kind)}
		for id, v := range fields {
			steps = append(steps, chromedp.SendKeys("#"+id, v))
		}
		run(t, ctx, append(steps, chromedp.Click("#record-bulk"), chromedp.WaitVisible("#bulk-results"))...)
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#bulk-results .badge.ok").length`)); err != nil || n != 55 {
			t.Fatalf("%s: %d containers recorded (%v), want 55: %s", kind, n, err, text(t, ctx, "main"))
		}
	}
	bulk("receipt", map[string]string{"to": "DPAA", "location": "Osan air base", "to_ack": "SFC Park"})
	bulk("transfer", map[string]string{"from": "DPAA", "to": "DPAA Laboratory", "from_ack": "SFC Park", "to_ack": "Dr Lee", "location": "Joint Base Pearl Harbor-Hickam"})

	var l homeward.List[homeward.Container]
	apiGet(t, w, "custodian1", fmt.Sprintf("/api/v1/containers?operation_id=%d&limit=100", op.ID), &l)
	if l.Total != 55 || len(l.Items) != 55 {
		t.Fatalf("API lists %d of %d containers", len(l.Items), l.Total)
	}
	for _, c := range l.Items {
		if c.Custody == nil || c.Custody.Custodian != "DPAA Laboratory" || c.Custody.Events != 2 || !strings.Contains(c.Custody.Location, "Hickam") {
			t.Errorf("%s after the turnover: %+v", c.Accession, c.Custody)
		}
	}
}

// apiGet reads an API answer as the user, with an API token made for the call.
func apiGet(t *testing.T, w *world, user, path string, out any) {
	t.Helper()
	u, err := w.db.GetUserByUsername(adminCtx(), user)
	if err != nil {
		t.Fatal(err)
	}
	secret, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Now().Add(time.Hour)
	if err := w.db.CreateAPIToken(homeward.NewContextWithUser(t.Context(), u), &homeward.APIToken{UserID: u.ID, Name: "test", Prefix: secret[:8], TokenHash: hash, ExpiresAt: &exp}); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", w.srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %s", path, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}
