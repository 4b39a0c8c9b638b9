package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/homeward/homeward/httpapi/apiclient"
)

// The walk-through of docs/api.md ("A first session with curl"), through the Go client that
// oapi-codegen generates from the served document, against a live server on both stores: every
// answer parses into the generated types and every result arrives (status, body, the fields the
// walk-through uses). The contract checker of newEnv validates each exchange as well.
func TestWalkThroughWithGeneratedClient(t *testing.T) {
	eachDialect(t, func(t *testing.T, e *env) { walk(t, e, http.DefaultClient) })
}

// walk signs in and walks through the API with the generated client, sending through hc.
func walk(t *testing.T, e *env, hc apiclient.HttpRequestDoer) {
	ctx := context.Background()
	anon, err := apiclient.NewClientWithResponses(e.srv.URL, apiclient.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	login, err := anon.PostSessionWithResponse(ctx, apiclient.Login{Username: ptr("u-admin"), Password: ptr("password for admin")})
	if err != nil || login.JSON201 == nil || login.JSON201.Token == "" || login.JSON201.User.Username != "u-admin" {
		t.Fatalf("sign in: %v %s", err, body(login.Body))
	}
	c, err := apiclient.NewClientWithResponses(e.srv.URL, apiclient.WithHTTPClient(hc), apiclient.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+login.JSON201.Token)
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	walkRegistry(ctx, t, c)
	walkCustody(ctx, t, c)
}

func walkRegistry(ctx context.Context, t *testing.T, c *apiclient.ClientWithResponses) {
	t.Helper()
	for _, name := range []string{"Doe", "Smith", "Smithson"} {
		mp, err := c.PostMissingPersonsWithResponse(ctx, apiclient.MissingPersonInput{FamilyName: ptr(name), GivenNames: ptr("John"), ServiceNumber: ptr("RA-" + name), Nationality: ptr("USA")})
		if err != nil || mp.JSON201 == nil || mp.JSON201.Id == 0 || mp.JSON201.FamilyName != name || mp.HTTPResponse.Header.Get("Location") == "" {
			t.Fatalf("create %s: %v %s", name, err, body(mp.Body))
		}
	}
	found, err := c.GetMissingPersonsWithResponse(ctx, &apiclient.GetMissingPersonsParams{Q: ptr("smith"), Limit: ptr(int64(1))})
	if err != nil || found.JSON200 == nil || found.JSON200.Total != 2 || found.JSON200.Items == nil || len(*found.JSON200.Items) != 1 || found.JSON200.Next == nil {
		t.Fatalf("search: %v %s", err, body(found.Body))
	}
	// Following next (its cursor) reaches the second of the two.
	u, err := url.Parse(*found.JSON200.Next)
	if err != nil || u.Query().Get("cursor") == "" || u.Query().Has("offset") {
		t.Fatalf("next is %q, want a cursor and no offset", *found.JSON200.Next)
	}
	next, err := c.GetMissingPersonsWithResponse(ctx, &apiclient.GetMissingPersonsParams{Q: ptr("smith"), Limit: ptr(int64(1)), Cursor: ptr(u.Query().Get("cursor"))})
	if err != nil || next.JSON200 == nil || len(*next.JSON200.Items) != 1 || next.JSON200.Next != nil ||
		(*next.JSON200.Items)[0].Id == (*found.JSON200.Items)[0].Id {
		t.Errorf("next page: %v %s", err, body(next.Body))
	}
	// A refusal arrives as a problem, the field named.
	bad, err := c.PostMissingPersonsWithResponse(ctx, apiclient.MissingPersonInput{GivenNames: ptr("No family name")})
	if err != nil || bad.StatusCode() != 422 || bad.ApplicationproblemJSONDefault == nil || bad.ApplicationproblemJSONDefault.Fields == nil ||
		(*bad.ApplicationproblemJSONDefault.Fields)[0].Name != "missing_person.family_name" {
		t.Errorf("refusal: %v %s", err, body(bad.Body))
	}
}

func walkCustody(ctx context.Context, t *testing.T, c *apiclient.ClientWithResponses) {
	t.Helper()
	op, err := c.PostOperationsWithResponse(ctx, apiclient.OperationInput{Code: ptr("K55-2018"), Kind: ptr(apiclient.OperationInputKindTurnover), Name: ptr("turnover")})
	if err != nil || op.JSON201 == nil {
		t.Fatalf("operation: %v %s", err, body(op.Body))
	}
	ct, err := c.PostContainersWithResponse(ctx, apiclient.ContainerInput{Kind: ptr(apiclient.ContainerInputKindCase), OperationId: &op.JSON201.Id})
	if err != nil || ct.JSON201 == nil || ct.JSON201.Accession != "K55-2018-001" {
		t.Fatalf("container: %v %s", err, body(ct.Body))
	}
	acc := ct.JSON201.Accession
	at := time.Date(2018, 7, 27, 1, 0, 0, 0, time.UTC)
	for _, ev := range []apiclient.CustodyEventInput{
		{Kind: ptr(apiclient.CustodyEventInputKindReceipt), OccurredAt: &at, To: ptr("UNC"), Location: ptr("Wonsan")},
		{Kind: ptr(apiclient.CustodyEventInputKindSealing), OccurredAt: ptr(at.Add(time.Hour)), SealNumber: ptr("DPAA-LAB-18001")},
		{Kind: ptr(apiclient.CustodyEventInputKindSealCheck), OccurredAt: ptr(at.Add(2 * time.Hour)), SealNumber: ptr("DPAA-LAB-18001"), SealIntact: ptr(true)},
	} {
		got, err := c.PostContainersAccessionCustodyWithResponse(ctx, acc, ev)
		if err != nil || got.JSON201 == nil || got.JSON201.RecordedBy != "u-admin" || string(got.JSON201.Kind) != string(*ev.Kind) {
			t.Fatalf("custody %s: %v %s", *ev.Kind, err, body(got.Body))
		}
	}
	shown, err := c.GetContainersAccessionWithResponse(ctx, acc)
	if err != nil || shown.JSON200 == nil || shown.JSON200.Custody == nil || shown.JSON200.Custody.Custodian != "UNC" || shown.JSON200.Custody.Events != 3 {
		t.Fatalf("container: %v %s", err, body(shown.Body))
	}
	v, err := c.GetCustodyVerifyWithResponse(ctx)
	if err != nil || v.JSON200 == nil || !v.JSON200.Intact || v.JSON200.Checked != 1 {
		t.Errorf("verify: %v %s", err, body(v.Body))
	}
	audit, err := c.GetAuditWithResponse(ctx, &apiclient.GetAuditParams{Entity: ptr("custody_event"), Limit: ptr(int64(3))})
	if err != nil || audit.JSON200 == nil || audit.JSON200.Items == nil || len(*audit.JSON200.Items) != 3 ||
		!slices.ContainsFunc(*audit.JSON200.Items, func(a apiclient.AuditEntry) bool { return a.Username == "u-admin" }) {
		t.Errorf("audit: %v %s", err, body(audit.Body))
	}
}

func ptr[T any](v T) *T { return &v }

func body(b []byte) string {
	if len(b) > 600 {
		b = b[:600]
	}
	return string(b)
}
