package main

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/auth"
)

func init() {
	register(spec{use: "user", short: "users and API tokens", subs: []spec{
		{records: true, use: "list", short: "every user with their roles", example: "  homeward user list", args: cobra.NoArgs, define: userListVerb},
		{use: "create USERNAME", short: "create a user (password: one line on stdin)", example: "  echo 'a long passphrase here' | homeward user create kim --roles custodian,analyst --name \"Kim Min-jun\" --email kim@example.org", args: cobra.ExactArgs(1), define: userCreateVerb},
		{use: "passwd USERNAME", short: "change a user's password (one line on stdin)", example: "  echo 'another long passphrase' | homeward user passwd kim", args: cobra.ExactArgs(1), define: userPasswdVerb},
		{use: "token USERNAME", short: "make an API token for a user (the secret is shown once)", example: "  homeward user token kim --name script --expires 720h", args: cobra.ExactArgs(1), define: userTokenVerb},
	}})
}

// userListVerb defines "user list": every user with their roles.
func userListVerb(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, _ []string) error {
		users, err := a.db.ListUsers(ctx)
		if err != nil || env.asJSON {
			return cmp.Or(err, printJSON(env, users))
		}
		return printUsers(env, users)
	})
}

// printUsers prints the users as a table.
func printUsers(env *cliEnv, users []homeward.User) error {
	tw := tabwriter.NewWriter(env.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSERNAME\tNAME\tEMAIL\tROLES\tDISABLED")
	for _, u := range users {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\t%v\n", u.ID, u.Username, u.DisplayName, u.Email, u.Roles, u.Disabled)
	}
	return tw.Flush()
}

// userCreateVerb defines "user create USERNAME": its roles and name, the password from stdin.
func userCreateVerb(fs *flag.FlagSet, env *cliEnv) action {
	var roles, display, email string
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&roles, "roles", "viewer", "comma-separated roles ("+roleList()+")")
		fs.StringVar(&display, "name", "", "display name")
		fs.StringVar(&email, "email", "", "address the review notices are e-mailed to (empty: none)")
	}
	return withStore(fs, env, extra, func(ctx context.Context, a *app, args []string) error {
		return userPassword(ctx, env, a, "create", args, roles, display, email)
	})
}

// userPasswdVerb defines "user passwd USERNAME": a new password from stdin.
func userPasswdVerb(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, args []string) error {
		return userPassword(ctx, env, a, "passwd", args, "", "", "")
	})
}

// userTokenVerb defines "user token USERNAME": its name and lifetime, then a new API token.
func userTokenVerb(fs *flag.FlagSet, env *cliEnv) action {
	var display string
	var expires time.Duration
	extra := func(fs *flag.FlagSet) {
		fs.StringVar(&display, "name", "", "the token's name")
		fs.DurationVar(&expires, "expires", 0, "lifetime (e.g. 720h); 0 = no expiry")
	}
	return withStore(fs, env, extra, func(ctx context.Context, a *app, args []string) error {
		return userToken(ctx, env, a, args, display, expires)
	})
}

// userPassword creates a user with the password on stdin, or (passwd) sets a user's password.
func userPassword(ctx context.Context, env *cliEnv, a *app, verb string, args []string, roles, display, email string) error {
	if len(args) != 1 {
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
		u, err := a.db.GetUserByUsername(ctx, args[0])
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
	u := &homeward.User{Username: args[0], DisplayName: display, Email: email, PasswordHash: hash}
	for _, r := range strings.Split(roles, ",") {
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
}

// userToken makes an API token for a user and prints its secret once.
func userToken(ctx context.Context, env *cliEnv, a *app, args []string, name string, expires time.Duration) error {
	if len(args) != 1 {
		return usageError{"usage: homeward user token USERNAME -name NAME [-expires 720h]"}
	}
	u, err := a.db.GetUserByUsername(ctx, args[0])
	if err != nil {
		return err
	}
	secret, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	t := &homeward.APIToken{UserID: u.ID, Name: name, Prefix: secret[:8], TokenHash: hash}
	if expires > 0 {
		exp := time.Now().Add(expires).UTC()
		t.ExpiresAt = &exp
	}
	if err := a.db.CreateAPIToken(ctx, t); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "API token for %s (shown once; send as 'Authorization: Bearer <token>'):\n%s\n", u.Username, secret)
	return nil
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
