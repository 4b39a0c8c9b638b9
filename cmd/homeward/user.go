package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
)

func init() {
	register(command{name: "user", summary: "users and API tokens: create, list, passwd, token", run: runUser})
}

func runUser(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 {
		return usageError{"usage: homeward user create|list|passwd|token ..."}
	}
	verb, args := args[0], args[1:]
	fs := flag.NewFlagSet("user "+verb, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	cfg := bindConfig(fs, env)
	roles := fs.String("roles", "viewer", "create: comma-separated roles ("+roleList()+")")
	display := fs.String("name", "", "create: display name; token: the token's name")
	expires := fs.Duration("expires", 0, "token: lifetime (e.g. 720h); 0 = no expiry")
	if err := parseInterspersed(fs, args); err != nil {
		return usageError{err.Error()}
	}
	a, err := openApp(ctx, cfg, appOptions{})
	if err != nil {
		return err
	}
	defer a.Close()
	if ctx, err = a.asUser(ctx); err != nil {
		return err
	}
	switch verb {
	case "list":
		users, err := a.db.ListUsers(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tUSERNAME\tNAME\tROLES\tDISABLED")
		for _, u := range users {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%v\t%v\n", u.ID, u.Username, u.DisplayName, u.Roles, u.Disabled)
		}
		return tw.Flush()
	case "create", "passwd":
		if fs.NArg() != 1 {
			return usageError{"usage: homeward user " + verb + " USERNAME (password read from stdin)"}
		}
		pw, err := readPassword(env)
		if err != nil {
			return err
		}
		hash, err := auth.HashPassword(pw)
		if err != nil {
			return err
		}
		if verb == "passwd" {
			u, err := a.db.GetUserByUsername(ctx, fs.Arg(0))
			if err != nil {
				return err
			}
			u.PasswordHash = hash
			if err := a.db.UpdateUser(ctx, u); err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "password of %s changed\n", u.Username)
			return nil
		}
		u := &homeward.User{Username: fs.Arg(0), DisplayName: *display, PasswordHash: hash}
		for _, r := range strings.Split(*roles, ",") {
			role, err := homeward.ParseRole(r)
			if err != nil {
				return err
			}
			u.Roles = append(u.Roles, role)
		}
		if err := a.db.CreateUser(ctx, u); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "created user %s (id %d, roles %v)\n", u.Username, u.ID, u.Roles)
		return nil
	case "token":
		if fs.NArg() != 1 {
			return usageError{"usage: homeward user token USERNAME -name NAME [-expires 720h]"}
		}
		u, err := a.db.GetUserByUsername(ctx, fs.Arg(0))
		if err != nil {
			return err
		}
		secret, hash, err := auth.NewToken()
		if err != nil {
			return err
		}
		t := &homeward.APIToken{UserID: u.ID, Name: *display, Prefix: secret[:8], TokenHash: hash}
		if *expires > 0 {
			exp := time.Now().Add(*expires).UTC()
			t.ExpiresAt = &exp
		}
		if err := a.db.CreateAPIToken(ctx, t); err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "API token for %s (shown once; send as 'Authorization: Bearer <token>'):\n%s\n", u.Username, secret)
		return nil
	}
	return usageError{fmt.Sprintf("unknown user verb %q", verb)}
}

func readPassword(env *cliEnv) (string, error) {
	fmt.Fprintln(env.stderr, "password (one line on stdin):")
	sc := bufio.NewScanner(env.stdin)
	if !sc.Scan() {
		return "", fmt.Errorf("no password on stdin")
	}
	pw := strings.TrimRight(sc.Text(), "\r\n")
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		return "", err
	}
	return pw, nil
}

func roleList() string {
	s := make([]string, len(homeward.Roles))
	for i, r := range homeward.Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}
