// Package mailer sends the identification workflow's notices (package notices) by SMTP, with
// github.com/wneessen/go-mail: each notice written in its recipient's language, sent as plain
// UTF-8 text marked as automatic (RFC 3834), and recorded in the outbox as sent or failed.
package mailer

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	mail "github.com/wneessen/go-mail"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/notices"
)

// Config says how notices leave.
type Config struct {
	// URL is the SMTP server: smtp://[user@]host[:port] (port 587 by default; STARTTLS when the
	// server offers it, and required when a user is given) or smtps://[user@]host[:port] (TLS
	// from the start, port 465 by default).
	URL string
	// Password is the SMTP user's password: given by the environment, never stored.
	Password string
	// From is the sender's address.
	From string
	// PublicURL is where users reach Homeward (https://homeward.example.org): the notices link
	// to the identification there. Empty: the notices give the path alone.
	PublicURL string
}

// Sender sends notices through one SMTP server.
type Sender struct {
	cfg    Config
	client *mail.Client
}

// New checks the configuration and prepares the SMTP client (it connects when sending).
func New(cfg Config) (*Sender, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || u.Hostname() == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, homeward.FieldErrorf("smtp_url", "%q is not smtp://host[:port] or smtps://host[:port]", cfg.URL)
	}
	if err := mail.NewMsg().From(cfg.From); err != nil || cfg.From == "" {
		return nil, homeward.FieldErrorf("mail_from", "%q is not an e-mail address", cfg.From)
	}
	if cfg.PublicURL != "" {
		if p, err := url.Parse(cfg.PublicURL); err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return nil, homeward.FieldErrorf("public_url", "%q is not an http(s) address", cfg.PublicURL)
		}
	}
	opts := []mail.Option{mail.WithTimeout(30 * time.Second), mail.WithTLSPortPolicy(mail.TLSOpportunistic)}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, mail.WithSSL())
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, homeward.FieldErrorf("smtp_url", "%q: the port is not a number", cfg.URL)
		}
	}
	opts = append(opts, mail.WithPort(port))
	if u.User != nil && u.User.Username() != "" {
		// A password never crosses the network in clear: with a user, TLS is required.
		opts = append(opts, mail.WithTLSPortPolicy(mail.TLSMandatory), mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(u.User.Username()), mail.WithPassword(cfg.Password))
	}
	c, err := mail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("mailer: %w", err)
	}
	return &Sender{cfg: cfg, client: c}, nil
}

// Result counts what SendPending did.
type Result struct {
	Sent, Failed int
}

// SendPending sends up to limit pending notices of the outbox, one message each, and records
// each as sent or failed (a failed one is tried again next time). It stops when ctx is cancelled.
func (s *Sender) SendPending(ctx context.Context, box notices.Outbox, limit int) (Result, error) {
	var res Result
	pending, err := box.PendingNotices(ctx, limit)
	if err != nil {
		return res, err
	}
	for _, n := range pending {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		subject, err := s.send(ctx, &n)
		if err != nil {
			res.Failed++
			if err := box.NoticeFailed(ctx, n.ID, err.Error()); err != nil {
				return res, err
			}
			continue
		}
		res.Sent++
		if err := box.NoticeSent(ctx, n.ID, subject); err != nil {
			return res, err
		}
	}
	return res, nil
}

// send writes the notice out and sends it, returning its subject.
func (s *Sender) send(ctx context.Context, n *notices.Notice) (string, error) {
	text, err := n.Write(s.cfg.PublicURL)
	if err != nil {
		return "", err
	}
	m := mail.NewMsg()
	if err := m.From(s.cfg.From); err != nil {
		return "", err
	}
	if err := m.To(n.Address); err != nil {
		return "", fmt.Errorf("notice %d to %s: %w", n.ID, n.Username, err)
	}
	m.Subject(text.Subject)
	m.SetDate()
	m.SetMessageID()
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetGenHeader(mail.HeaderContentLang, string(langOr(n.Lang)))
	m.SetBodyString(mail.TypeTextPlain, text.Body)
	if err := s.client.DialAndSendWithContext(ctx, m); err != nil {
		return "", fmt.Errorf("notice %d to %s: %w", n.ID, n.Username, err)
	}
	return text.Subject, nil
}

func langOr(l homeward.Language) homeward.Language {
	if l == "" {
		return homeward.LanguageEnglish
	}
	return l
}
