package store

import (
	"context"
	"database/sql"

	"github.com/homeward/homeward"
)

var frequencyDBs = &record[homeward.FrequencyDB]{
	table: "frequency_dbs", entity: "frequency_db", field: "frequency_db.name",
	columns: func(f *homeward.FrequencyDB) ([]string, []any) {
		return []string{"name", "db_version"}, []any{f.Name, f.Version}
	},
	id:   func(f *homeward.FrequencyDB) *int64 { return &f.ID },
	meta: func(f *homeward.FrequencyDB) *homeward.Meta { return &f.Meta },
}

// CreateFrequencyDB stores the database as the next version of its name (two imports at once
// cannot take the same version: the (name, version) pair is unique).
func (s *DB) CreateFrequencyDB(ctx context.Context, f *homeward.FrequencyDB) error {
	if err := homeward.Require(ctx, homeward.PermDNAWrite); err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var last int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(db_version), 0) FROM frequency_dbs WHERE name = $1", f.Name).Scan(&last); err != nil {
			return mapErr(err, "frequency_db", "")
		}
		f.Version = last + 1
		return frequencyDBs.insert(ctx, s, tx, f)
	})
}

func (s *DB) GetFrequencyDB(ctx context.Context, name string, version int) (*homeward.FrequencyDB, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	var f *homeward.FrequencyDB
	var err error
	if version > 0 {
		f, err = frequencyDBs.get(ctx, s.db, "name = $1 AND db_version = $2", name, version)
	} else {
		f, err = frequencyDBs.get(ctx, s.db, "name = $1 ORDER BY db_version DESC LIMIT 1", name)
	}
	if homeward.ErrorCode(err) == homeward.ENOTFOUND {
		return nil, homeward.Errorf(homeward.ENOTFOUND, "frequency database %s (version %d) not found", name, version)
	}
	return f, err
}

func (s *DB) ListFrequencyDBs(ctx context.Context) ([]homeward.FrequencyDB, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	l, err := frequencyDBs.list(ctx, s, "", nil, "name, db_version", homeward.Page{Limit: 1000})
	if err != nil {
		return nil, err
	}
	for i := range l.Items {
		l.Items[i].Markers = nil
	}
	return l.Items, nil
}
