package store

import (
	"context"
	"fmt"

	"github.com/homeward/homeward"
)

// BackupSQLite writes a consistent copy of the embedded database to path (SQLite's VACUUM INTO:
// one read transaction, writers go on meanwhile). path must not exist.
func (s *DB) BackupSQLite(ctx context.Context, path string) error {
	if err := homeward.Require(ctx, homeward.PermSettings); err != nil {
		return err
	}
	if s.dialect != "sqlite" {
		return homeward.Errorf(homeward.EINVALID, "backup: %s is not the embedded store", s.dialect)
	}
	if _, err := s.ro.ExecContext(ctx, "VACUUM INTO $1", path); err != nil {
		return fmt.Errorf("backup: vacuum into %s: %w", path, err)
	}
	return nil
}
