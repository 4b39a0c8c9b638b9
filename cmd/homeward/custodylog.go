package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/homeward/homeward/custodylog"
)

// verificationError is a verification that found problems (exit status 3).
type verificationError struct{ msg string }

func (v verificationError) Error() string { return v.msg }

// custodyCheckpoint prints the custody log's newest signed checkpoint, for a partner agency, a
// report or a label to hold: homeward custody verify --since FILE later proves the log extends it.
func custodyCheckpoint(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, args []string) error {
		if len(args) != 0 {
			return usageError{"usage: homeward custody checkpoint > FILE"}
		}
		msg, err := a.db.NewestCheckpoint(ctx)
		if err != nil {
			return err
		}
		_, err = env.stdout.Write(msg)
		return err
	})
}

// custodyCheckCheckpoint checks a checkpoint's signature with public verifier keys only (no store,
// no secret): what a third party holding an exported checkpoint and the exported keys can do.
func custodyCheckCheckpoint(fs *flag.FlagSet, env *cliEnv) action {
	vkeys := fs.String("keys", "", "FILE of verifier keys (homeward custody key export)")
	return func(ctx context.Context, args []string) error {
		if len(args) != 1 || *vkeys == "" {
			return usageError{"usage: homeward custody check-checkpoint --keys KEYS.txt CHECKPOINT"}
		}
		keys, err := os.ReadFile(*vkeys)
		if err != nil {
			return err
		}
		msg, err := os.ReadFile(args[0])
		if err != nil {
			return err
		}
		c, err := custodylog.OpenWith(msg, string(keys))
		if err != nil {
			return verificationError{fmt.Sprintf("checkpoint %s: %v", args[0], err)}
		}
		fmt.Fprintf(env.stdout, "checkpoint %s: valid signature, %d entries, root %x\n", args[0], c.Size, c.Root[:])
		return nil
	}
}

// custodyKeyNew prints a fresh key (for HOMEWARD_CUSTODY_KEY); it needs no store.
func custodyKeyNew(_ *flag.FlagSet, env *cliEnv) action {
	return func(context.Context, []string) error {
		k, err := custodylog.NewKeyring()
		if err != nil {
			return err
		}
		_, err = fmt.Fprint(env.stdout, k.Text())
		return err
	}
}

// custodyKeyExport prints the public verifier keys, current and retired.
func custodyKeyExport(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, _ []string) error {
		k := a.db.Keys()
		_, err := fmt.Fprintln(env.stdout, strings.Join(append([]string{k.VKey}, k.Retired...), "\n"))
		return err
	})
}

// custodyKeyRotate makes a new signing key, records it in the store (the old one retired, a
// checkpoint signed with the new one) and writes the key file. With the key in the environment,
// the new key text is printed for the operator to put there instead.
func custodyKeyRotate(fs *flag.FlagSet, env *cliEnv) action {
	return withStore(fs, env, nil, func(ctx context.Context, a *app, args []string) error {
		cfg := a.cfg
		next, err := a.db.Keys().Rotate()
		if err != nil {
			return err
		}
		if cfg.CustodyKeyText == "" {
			// The file first: a crash after it leaves a key file whose retired keys name the
			// store's key, and the next start finishes the rotation (store.BindKeys), rather than
			// a store signed by a key nobody kept.
			old, err := os.ReadFile(cfg.keyPath())
			if err != nil {
				return err
			}
			if err := os.WriteFile(cfg.keyPath()+".previous", old, 0o600); err != nil {
				return err
			}
			if err := cfg.writeKeyring(next); err != nil {
				return err
			}
		}
		if err := a.db.RotateKeys(ctx, next); err != nil {
			return err
		}
		if cfg.CustodyKeyText != "" {
			fmt.Fprintln(env.stderr, "homeward: the key comes from HOMEWARD_CUSTODY_KEY: set it to the new key below in every process")
			fmt.Fprint(env.stdout, next.Text())
			return nil
		}
		fmt.Fprintf(env.stdout, "custody signing key rotated: %s (the previous key is kept for verification; %s.previous holds the old file)\n", next.VKey, cfg.keyPath())
		return nil
	})
}
