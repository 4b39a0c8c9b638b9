package store

import "context"

// SetStatsPage makes Progress read identifications n at a time, so that paging is tested with few
// records; it returns a function that restores the default.
func SetStatsPage(n int) func() {
	old := statsPage
	statsPage = n
	return func() { statsPage = old }
}

// MigrateDownTo rolls the schema back to a version (to test a migration's backfill).
func (s *DB) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, version)
	return err
}
