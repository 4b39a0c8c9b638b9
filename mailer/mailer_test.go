package mailer_test

import (
	"context"
	"errors"
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	smtp "github.com/emersion/go-smtp"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/mailer"
	"github.com/homeward/homeward/store"
	"github.com/homeward/homeward/store/storetest"
)

// inbox is a real SMTP server (emersion/go-smtp) on a local port that keeps what it receives.
type inbox struct {
	mu   sync.Mutex
	msgs []received
	srv  *smtp.Server
	addr string
}

type received struct {
	to      []string
	subject string
	header  mail.Header
	body    string
}

func startInbox(t *testing.T) *inbox {
	t.Helper()
	in := &inbox{}
	in.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{in: in}, nil }))
	in.srv.Domain = "localhost"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in.addr = l.Addr().String()
	go in.srv.Serve(l)
	t.Cleanup(func() { in.srv.Close() })
	return in
}

func (in *inbox) all() []received {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]received(nil), in.msgs...)
}

type session struct {
	in *inbox
	to []string
}

func (s *session) Reset()                                    { s.to = nil }
func (s *session) Logout() error                             { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = append(s.to, to); return nil }
func (s *session) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return err
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return err
	}
	s.in.mu.Lock()
	s.in.msgs = append(s.in.msgs, received{to: s.to, subject: subject, header: m.Header, body: string(body)})
	s.in.mu.Unlock()
	return nil
}

// withEmail creates a user with an address and language.
func withEmail(t *testing.T, db *store.DB, admin context.Context, name, email string, lang homeward.Language, roles ...homeward.Role) context.Context {
	t.Helper()
	ctx := storetest.User(t, db, name, roles...)
	u := homeward.UserFromContext(ctx)
	u.Email, u.Language = email, lang
	if err := db.UpdateUser(admin, u); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// The workflow's changes reach the reviewers and the author by e-mail, through a real SMTP server,
// each in the recipient's language with the identification's address; a notice that cannot be
// sent is kept with its error and tried again, one already sent is not sent twice.
func TestNoticesReachTheirReaders(t *testing.T) {
	for _, dialect := range storetest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) { noticesJourney(t, storetest.Open(t, dialect)) })
	}
}

func noticesJourney(t *testing.T, db *store.DB) {
	admin := storetest.Admin(t, db)
	kim := withEmail(t, db, admin, "kim", "kim@example.org", homeward.LanguageKorean, homeward.RoleDNAAnalyst)
	lee := withEmail(t, db, admin, "lee", "lee@example.org", homeward.LanguageEnglish, homeward.RoleReviewer)
	withEmail(t, db, admin, "park", "park@example.org", homeward.LanguageKorean, homeward.RoleReviewer)
	storetest.User(t, db, "choi", homeward.RoleReviewer) // no address: not told
	mp := &homeward.MissingPerson{FamilyName: "Kim", GivenNames: "Chul-min", Nationality: "KOR"}
	if err := db.CreateMissingPerson(admin, mp); err != nil {
		t.Fatal(err)
	}
	vic := &homeward.Profile{Sample: "PM-1", Role: homeward.ProfileVictim, Loci: map[string][]string{"TH01": {"6", "7"}}}
	if err := db.CreateProfile(admin, vic); err != nil {
		t.Fatal(err)
	}
	x := &homeward.Identification{MissingPersonID: mp.ID, ProfileIDs: []int64{vic.ID}, Summary: "PM-1 is Kim Chul-min"}
	if err := db.CreateIdentification(kim, x); err != nil {
		t.Fatal(err)
	}
	lr := 1e6
	if err := db.AddEvidence(kim, &homeward.EvidenceLine{IdentificationID: x.ID, Kind: homeward.EvidenceAutosomalDNA, Conclusion: homeward.ConclusionSupports, Summary: "mother", LR: &lr}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Submit(kim, x.ID, ""); err != nil {
		t.Fatal(err)
	}
	in := startInbox(t)
	s, err := mailer.New(mailer.Config{URL: "smtp://" + in.addr, From: "homeward@example.org", PublicURL: "https://homeward.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.SendPending(admin, db, 100)
	if err != nil || res.Sent != 2 || res.Failed != 0 {
		t.Fatalf("first send: %+v %v", res, err)
	}
	got := in.all()
	byTo := map[string]received{}
	for _, m := range got {
		byTo[strings.Join(m.to, ",")] = m
	}
	en, ko := byTo["lee@example.org"], byTo["park@example.org"]
	if !strings.HasPrefix(en.subject, "Homeward: identification ") || !strings.Contains(en.subject, "awaits your review") ||
		!strings.Contains(en.body, "https://homeward.example.org/identifications/") || strings.Contains(en.body, "Chul-min") {
		t.Errorf("English notice: %q\n%s", en.subject, en.body)
	}
	if !strings.Contains(ko.subject, "심사 요청") || ko.header.Get("Content-Language") != "ko" || ko.header.Get("Auto-Submitted") != "auto-generated" {
		t.Errorf("Korean notice: %q %v", ko.subject, ko.header)
	}
	// Returned by lee: the author is told, in Korean; the SMTP server is down meanwhile.
	if _, err := db.Review(lee, x.ID, homeward.DecisionReturn, "check TH01"); err != nil {
		t.Fatal(err)
	}
	in.srv.Close()
	if res, err := s.SendPending(admin, db, 100); err != nil || res.Failed != 1 || res.Sent != 0 {
		t.Fatalf("server down: %+v %v", res, err)
	}
	box, err := db.ListOutbox(admin, 10)
	if err != nil || len(box) != 3 || box[0].Username != "kim" || box[0].Attempts != 1 || box[0].LastError == "" || box[0].SentAt != nil || box[1].SentAt == nil {
		t.Fatalf("outbox after a failure: %+v %v", box, err)
	}
	in2 := startInbox(t)
	s2, err := mailer.New(mailer.Config{URL: "smtp://" + in2.addr, From: "homeward@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := s2.SendPending(admin, db, 100); err != nil || res.Sent != 1 {
		t.Fatalf("retry: %+v %v", res, err)
	}
	if m := in2.all(); len(m) != 1 || m[0].to[0] != "kim@example.org" || !strings.Contains(m[0].subject, "반려되었습니다") || !strings.Contains(m[0].body, "/identifications/") {
		t.Errorf("the retried notice: %+v", m)
	}
}

// A configuration that cannot work is refused naming the setting.
func TestConfigRefused(t *testing.T) {
	for _, c := range []struct {
		cfg   mailer.Config
		field string
	}{
		{mailer.Config{URL: "http://mail.example.org", From: "a@example.org"}, "smtp_url"},
		{mailer.Config{URL: "smtp://", From: "a@example.org"}, "smtp_url"},
		{mailer.Config{URL: "smtp://mail.example.org:x", From: "a@example.org"}, "smtp_url"},
		{mailer.Config{URL: "smtp://mail.example.org", From: "not an address"}, "mail_from"},
		{mailer.Config{URL: "smtp://mail.example.org", From: "a@example.org", PublicURL: "homeward.example.org"}, "public_url"},
	} {
		_, err := mailer.New(c.cfg)
		var he *homeward.Error
		if !errors.As(err, &he) || he.Field != c.field {
			t.Errorf("%+v: %v, want a refusal naming %s", c.cfg, err, c.field)
		}
	}
}
