package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/blob"
)

func init() {
	register(spec{use: "custody", short: "chains of custody: verify, list, append; the signed custody log's checkpoints and keys", subs: []spec{
		{use: "verify [ACCESSION...]", short: "verify every chain, the custody log and (by default) every photo and document; or the named containers' chains and log entries",
			example: "  homeward custody verify\n  homeward custody verify --since checkpoint-2026-11.txt\n  homeward custody verify K55-2018-001 --json", define: custodyVerify},
		{records: true, use: "list ACCESSION", short: "a container's chain of custody, event by event, with its derived state",
			example: "  homeward custody list K55-2018-001", args: cobra.ExactArgs(1), define: custodyList},
		{use: "append ACCESSION", short: "record a custody event (receipt, transfer, opening, sealing, seal-check, sampling, transport, storage, ceremony)",
			example: "  homeward custody append K55-2018-001 --kind seal-check --seal DPAA-LAB-18001 --intact yes", args: cobra.ExactArgs(1), define: custodyAppend},
		{use: "checkpoint", short: "print the custody log's newest signed checkpoint, to hold apart (verify --since proves the log extends it)",
			example: "  homeward custody checkpoint > checkpoint-2026-12.txt", args: cobra.NoArgs, define: custodyCheckpoint},
		{use: "check-checkpoint CHECKPOINT", short: "check a checkpoint's signature with the exported public keys only (no store, no secret)",
			example: "  homeward custody check-checkpoint --keys keys.txt checkpoint-2026-12.txt", args: cobra.ExactArgs(1), define: custodyCheckCheckpoint},
		{use: "key", short: "custody signing keys: new, export, rotate", subs: []spec{
			{use: "new", short: "print a fresh key (for HOMEWARD_CUSTODY_KEY)", example: "  homeward custody key new > custody.key", args: cobra.NoArgs, define: custodyKeyNew},
			{use: "export", short: "print the public verifier keys, current first", example: "  homeward custody key export > keys.txt", args: cobra.NoArgs, define: custodyKeyExport},
			{use: "rotate", short: "replace the signing key (the old one kept for verification)", example: "  homeward custody key rotate", args: cobra.NoArgs, define: custodyKeyRotate},
		}},
	}})
}

// custodyVerify checks every chain and the custody log (or the named containers, each with its
// log entries proven included in the newest checkpoint) and fails when anything is wrong.
func custodyVerify(fs *flag.FlagSet, env *cliEnv) action {
	cfg := bindConfig(fs, env)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	blobs := fs.Bool("blobs", true, "re-hash every photo and document the records refer to (whole-store verification)")
	var since multiFlag
	fs.Var(&since, "since", "an exported checkpoint FILE the log must extend (repeatable)")
	return func(ctx context.Context, args []string) error {
		var earlier [][]byte
		for _, f := range since {
			b, err := os.ReadFile(f)
			if err != nil {
				return fmt.Errorf("--since: %w", err)
			}
			earlier = append(earlier, b)
		}
		a, err := openApp(ctx, cfg, appOptions{needBlob: *blobs && len(args) == 0})
		if err != nil {
			return err
		}
		defer a.Close()
		ctx, err = a.asUser(ctx)
		if err != nil {
			return err
		}
		rep := &homeward.CustodyLogReport{Problems: []homeward.ChainProblem{}}
		if len(args) == 0 {
			if rep, err = a.db.VerifyCustodyLog(ctx, earlier); err != nil {
				return err
			}
			if *blobs {
				if err := verifyBlobs(ctx, a.db, a.blob, rep); err != nil {
					return err
				}
			}
		} else {
			if len(earlier) > 0 {
				return usageError{"--since checks the whole log: name no container"}
			}
			for _, acc := range args {
				c, err := a.db.GetContainerByAccession(ctx, acc)
				if err != nil {
					return fmt.Errorf("container %s: %w", acc, err)
				}
				p, err := a.db.VerifyCustody(ctx, c.ID)
				if err != nil {
					return err
				}
				if p != nil {
					rep.Problems = append(rep.Problems, *p)
				}
				rep.Containers++
			}
		}
		if err := printVerifyReport(env, rep, *asJSON, len(since)); err != nil {
			return err
		}
		if !rep.OK() {
			return verificationError{fmt.Sprintf("custody verification failed: %d problem(s)", len(rep.Problems))}
		}
		return nil
	}
}

// verifyBlobs re-hashes every blob the records refer to and adds what it finds to rep.
func verifyBlobs(ctx context.Context, ev homeward.EvidenceService, bs homeward.BlobStore, rep *homeward.CustodyLogReport) error {
	refs, err := ev.BlobRefs(ctx)
	if err != nil {
		return err
	}
	probs, err := blob.VerifyRefs(ctx, bs, refs)
	if err != nil {
		return err
	}
	rep.Blobs = len(refs)
	rep.Problems = append(rep.Problems, probs...)
	return nil
}

func printVerifyReport(env *cliEnv, rep *homeward.CustodyLogReport, asJSON bool, since int) error {
	if asJSON {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(env.stdout, "BROKEN %s\n", p.Error())
	}
	if rep.LogSize > 0 || rep.CheckpointSize > 0 {
		fmt.Fprintf(env.stdout, "custody log: %d entries, root %s, newest checkpoint %d entries signed by key %s", rep.LogSize, rep.Root, rep.CheckpointSize, rep.SignedBy)
		if since > 0 {
			fmt.Fprintf(env.stdout, ", %d earlier checkpoint(s) checked", since)
		}
		fmt.Fprintln(env.stdout)
	}
	fmt.Fprintf(env.stdout, "%d container(s) and %d photo/document reference(s) checked, %d problem(s)\n", rep.Containers, rep.Blobs, len(rep.Problems))
	return nil
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
func (m *multiFlag) Type() string       { return "FILE" }

func custodyList(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, args []string) error {
		if len(args) != 1 {
			return usageError{"usage: homeward custody list ACCESSION"}
		}
		c, err := a.db.GetContainerByAccession(ctx, args[0])
		if err != nil {
			return fmt.Errorf("container %s: %w", args[0], err)
		}
		events, err := a.db.ListCustodyEvents(ctx, c.ID)
		if err != nil || env.asJSON {
			return cmp.Or(err, printJSON(env, map[string]any{"container": c, "events": events}))
		}
		tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SEQ\tOCCURRED (UTC)\tKIND\tFROM\tTO\tLOCATION\tSEAL\tRECORDED BY\tHASH")
		for _, e := range events {
			seal := e.SealNumber
			if e.SealIntact != nil {
				seal += map[bool]string{true: " (intact)", false: " (NOT intact)"}[*e.SealIntact]
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.OccurredAt.UTC().Format("2006-01-02 15:04"), e.Kind,
				e.From, e.To, e.Location, seal, e.RecordedBy, e.Hash[:12])
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if c.Custody != nil {
			fmt.Fprintf(env.stdout, "custodian: %s; location: %s\n", c.Custody.Custodian, c.Custody.Location)
		}
		return nil
	})
}

func custodyAppend(fs *flag.FlagSet, env *cliEnv) action {
	cfg := bindConfig(fs, env)
	var e homeward.CustodyEvent
	kind := fs.String("kind", "", "event kind: "+kindList())
	at := fs.String("at", "", "when it happened (RFC 3339; default now)")
	fs.StringVar(&e.From, "from", "", "transfer: current custodian")
	fs.StringVar(&e.To, "to", "", "receipt/transfer: new custodian")
	fs.StringVar(&e.FromAck, "from-ack", "", "transfer: who signed for the giving side")
	fs.StringVar(&e.ToAck, "to-ack", "", "transfer: who signed for the receiving side")
	fs.StringVar(&e.Location, "location", "", "where")
	fs.StringVar(&e.SealNumber, "seal", "", "seal number (sealing, seal-check, opening)")
	intact := fs.String("intact", "", "seal-check: yes or no")
	fs.StringVar(&e.Notes, "notes", "", "free-text notes")
	photos := fs.String("photos", "", "comma-separated SHA-256 of photos already uploaded")
	var o homeward.AppendOptions
	fs.StringVar(&o.IdempotencyKey, "idempotency-key", "", "a name for this request: run again with the same key, it records nothing new and prints the first result")
	expect := fs.String("expect-head", "", "append only if the chain's newest event has this hash (from custody list); \"none\" for an empty chain")
	return func(ctx context.Context, args []string) error {
		if len(args) != 1 {
			return usageError{"usage: homeward custody append ACCESSION -kind KIND [flags]"}
		}
		e.Kind = homeward.CustodyKind(*kind)
		e.OccurredAt = time.Now()
		if *at != "" {
			t, err := time.Parse(time.RFC3339, *at)
			if err != nil {
				return usageError{fmt.Sprintf("-at %q: not an RFC 3339 time", *at)}
			}
			e.OccurredAt = t
		}
		switch strings.ToLower(*intact) {
		case "":
		case "yes", "true":
			v := true
			e.SealIntact = &v
		case "no", "false":
			v := false
			e.SealIntact = &v
		default:
			return usageError{"-intact must be yes or no"}
		}
		if *photos != "" {
			e.Photos = strings.Split(*photos, ",")
		}
		a, err := openApp(ctx, cfg, appOptions{})
		if err != nil {
			return err
		}
		defer a.Close()
		if ctx, err = a.asDecider(ctx); err != nil {
			return err
		}
		c, err := a.db.GetContainerByAccession(ctx, args[0])
		if err != nil {
			return fmt.Errorf("container %s: %w", args[0], err)
		}
		if *expect != "" {
			head := *expect
			if head == "none" {
				head = ""
			}
			o.ExpectHead = &head
		}
		replayed, err := a.db.AppendCustodyEventWith(ctx, c.ID, &e, o)
		if err != nil {
			return err
		}
		if replayed {
			fmt.Fprintf(env.stdout, "already appended with this idempotency key: ")
		}
		fmt.Fprintf(env.stdout, "appended event %d (%s) to %s, hash %s\n", e.Seq, e.Kind, c.Accession, e.Hash)
		return nil
	}
}

func kindList() string {
	s := make([]string, len(homeward.CustodyKinds))
	for i, k := range homeward.CustodyKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// progressPrinter draws a one-line progress bar on stderr when it is a terminal, and a line per
// tenth otherwise.
func progressPrinter(env *cliEnv, label string) func(done, total int) {
	tty := false
	if f, ok := env.stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	lastTenth := -1
	return func(done, total int) {
		if total <= 0 {
			return
		}
		if tty {
			width := 30
			filled := done * width / total
			fmt.Fprintf(env.stderr, "\r%s [%s%s] %d/%d", label, strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total)
			if done == total {
				fmt.Fprintln(env.stderr)
			}
			return
		}
		if tenth := done * 10 / total; tenth != lastTenth {
			lastTenth = tenth
			fmt.Fprintf(env.stderr, "%s: %d/%d\n", label, done, total)
		}
	}
}
