package notices

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/homeward/homeward"
)

var staff = []homeward.User{
	{Username: "kim", Email: "kim@example.org", Roles: []homeward.Role{homeward.RoleDNAAnalyst}, Language: homeward.LanguageKorean},
	{Username: "lee", Email: "lee@example.org", Roles: []homeward.Role{homeward.RoleReviewer}},
	{Username: "park", Email: "park@example.org", Roles: []homeward.Role{homeward.RoleReviewer}, Language: homeward.LanguageKorean},
	{Username: "choi", Roles: []homeward.Role{homeward.RoleReviewer}}, // no address
	{Username: "gone", Email: "gone@example.org", Roles: []homeward.Role{homeward.RoleReviewer}, Disabled: true},
	{Username: "han", Email: "han@example.org", Roles: []homeward.Role{homeward.RoleLiaison}},
	{Username: "view", Email: "view@example.org", Roles: []homeward.Role{homeward.RoleViewer}},
}

// draft is an identification by kim in two review stages.
func draft() *homeward.Identification {
	return &homeward.Identification{ID: 12, Author: "kim", Status: homeward.IdentDraft, Stages: []string{"technical", "final"},
		History: []homeward.Transition{{To: homeward.IdentDraft, By: "kim"}}}
}

func recipients(ns []Notice) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Username+"/"+string(n.Event)+"/"+n.Stage)
	}
	return out
}

// Each change tells the users it concerns, with an address, able to sign in, not its actor; a
// reviewer who signed the first stage is not asked to sign the second.
func TestWhoIsTold(t *testing.T) {
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	x := draft()
	if got := For(x, "kim", staff); got != nil {
		t.Errorf("a draft tells %v", recipients(got))
	}
	steps := []struct {
		do   func() error
		by   string
		want []string
	}{
		{func() error { return x.Submit("kim", 1, "", at) }, "kim", []string{"lee/awaits_review/technical", "park/awaits_review/technical"}},
		{func() error { _, err := x.Decide(homeward.DecisionReturn, "lee", "check D3", at); return err }, "lee", []string{"kim/returned/technical"}},
		{func() error { return x.Submit("kim", 1, "", at) }, "kim", []string{"lee/awaits_review/technical", "park/awaits_review/technical"}},
		{func() error { _, err := x.Decide(homeward.DecisionApprove, "lee", "", at); return err }, "lee", []string{"park/awaits_review/final"}},
		{func() error { _, err := x.Decide(homeward.DecisionApprove, "park", "", at); return err }, "park", []string{"kim/approved/final", "han/approved/final"}},
	}
	for i, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got := recipients(For(x, s.by, staff)); !slices.Equal(got, s.want) {
			t.Errorf("step %d (%s): told %v, want %v", i, x.Status, got, s.want)
		}
	}
}

// A notice is written in its recipient's language, with the number, stage, actor and the
// identification's address, and nothing of the record's content.
func TestWrite(t *testing.T) {
	for _, c := range []struct {
		n       Notice
		url     string
		subject string
		body    []string
	}{
		{Notice{Lang: "", Event: AwaitsReview, IdentificationID: 12, Stage: "technical", Actor: "kim"}, "https://homeward.example.org/",
			"Homeward: identification 12 awaits your review (stage technical)",
			[]string{"Identification 12 is in review at stage technical (by kim).", "Open it in Homeward: https://homeward.example.org/identifications/12"}},
		{Notice{Lang: homeward.LanguageKorean, Event: AwaitsReview, IdentificationID: 12, Stage: "technical", Actor: "kim"}, "",
			"Homeward: 신원확인 12 심사 요청 (technical 단계)",
			[]string{"신원확인 12이(가) technical 단계 심사를 기다립니다 (처리: kim).", "Homeward에서 열기: /identifications/12"}},
		{Notice{Lang: homeward.LanguageKorean, Event: Returned, IdentificationID: 3, Stage: "final", Actor: "lee"}, "",
			"Homeward: 신원확인 3이(가) 반려되었습니다", []string{"final 단계에서 lee에 의해"}},
		{Notice{Lang: homeward.LanguageEnglish, Event: Approved, IdentificationID: 3, Stage: "final", Actor: "park"}, "",
			"Homeward: identification 3 is approved", []string{"approved at its last stage, final, by park."}},
		{Notice{Lang: homeward.LanguageEnglish, Event: Withdrawn, IdentificationID: 3, Actor: "admin"}, "",
			"Homeward: identification 3 was withdrawn", []string{"withdrawn by admin;"}},
	} {
		m, err := c.n.Write(c.url)
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != c.subject {
			t.Errorf("subject %q, want %q", m.Subject, c.subject)
		}
		for _, w := range c.body {
			if !strings.Contains(m.Body, w) {
				t.Errorf("%s body %q lacks %q", c.n.Event, m.Body, w)
			}
		}
		if strings.Contains(m.Body+m.Subject, "%!") {
			t.Errorf("a format went wrong: %q", m.Body)
		}
	}
	if _, err := (&Notice{Event: "party"}).Write(""); err == nil {
		t.Error("an unknown event is written")
	}
}
