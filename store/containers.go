package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/homeward/homeward"
)

var containers = &record[homeward.Container]{
	table: "containers", entity: "container", field: "container.accession",
	columns: func(c *homeward.Container) ([]string, []any) {
		return []string{"accession", "kind", "operation_id"}, []any{c.Accession, string(c.Kind), nullInt(c.OperationID)}
	},
	id:   func(c *homeward.Container) *int64 { return &c.ID },
	meta: func(c *homeward.Container) *homeward.Meta { return &c.Meta },
}

var specimens = &record[homeward.Specimen]{
	table: "specimens", entity: "specimen", field: "specimen.code",
	columns: func(sp *homeward.Specimen) ([]string, []any) {
		return []string{"container_id", "code"}, []any{sp.ContainerID, sp.Code}
	},
	id:   func(sp *homeward.Specimen) *int64 { return &sp.ID },
	meta: func(sp *homeward.Specimen) *homeward.Meta { return &sp.Meta },
}

// CreateContainer registers a container; an empty accession is generated from the scheme using the
// operation's code and the next free sequence number of that operation, inside the transaction.
func (s *DB) CreateContainer(ctx context.Context, c *homeward.Container) error {
	if err := homeward.Require(ctx, homeward.PermContainerWrite); err != nil {
		return err
	}
	c.Custody = nil
	return s.tx(ctx, func(tx *sql.Tx) error {
		if c.Accession == "" {
			if c.OperationID == nil {
				return homeward.FieldErrorf("container.accession", "is required when the container belongs to no operation")
			}
			op, err := operations.get(ctx, tx, "id = $1", *c.OperationID)
			if err != nil {
				return fmt.Errorf("container.operation_id %d: %w", *c.OperationID, err)
			}
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM containers WHERE operation_id = $1", op.ID).Scan(&n); err != nil {
				return mapErr(err, "container", "")
			}
			year := s.now().Year()
			if len(op.StartDate) >= 4 {
				fmt.Sscanf(string(op.StartDate[:4]), "%d", &year)
			}
			for seq := n + 1; ; seq++ {
				acc := s.accession.Format(op.Code, year, seq)
				var taken int
				if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM containers WHERE accession = $1", acc).Scan(&taken); err != nil {
					return mapErr(err, "container", "")
				}
				if taken == 0 {
					c.Accession = acc
					break
				}
			}
		}
		if err := c.Validate(); err != nil {
			return err
		}
		return containers.insert(ctx, s, tx, c)
	})
}

func (s *DB) withCustody(ctx context.Context, c *homeward.Container) (*homeward.Container, error) {
	events, err := s.listEvents(ctx, s.db, c.ID)
	if err != nil {
		return nil, err
	}
	st := homeward.DeriveCustodyState(events)
	c.Custody = &st
	return c, nil
}

func (s *DB) GetContainer(ctx context.Context, id int64) (*homeward.Container, error) {
	c, err := get(ctx, s, containers, id)
	if err != nil {
		return nil, err
	}
	return s.withCustody(ctx, c)
}

func (s *DB) GetContainerByAccession(ctx context.Context, accession string) (*homeward.Container, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	c, err := containers.get(ctx, s.db, "accession = $1", accession)
	if homeward.ErrorCode(err) == homeward.ENOTFOUND {
		return nil, homeward.Errorf(homeward.ENOTFOUND, "container %q not found", accession)
	}
	if err != nil {
		return nil, err
	}
	return s.withCustody(ctx, c)
}

func (s *DB) ListContainers(ctx context.Context, f homeward.ContainerFilter) (homeward.List[homeward.Container], error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return homeward.List[homeward.Container]{}, err
	}
	var w where
	if f.OperationID != 0 {
		w.add("operation_id = ?", f.OperationID)
	}
	if f.Query != "" {
		w.add(`LOWER(accession) LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	order, err := listOrder(f.Sort, homeward.ContainerSorts, map[string]string{"accession": "accession", "registered": "id", "kind": "kind", "events": "head_seq"}, "accession")
	if err != nil {
		return homeward.List[homeward.Container]{}, err
	}
	l, err := containers.list(ctx, s, w.String(), w.args, order, f.Page)
	if err != nil {
		return l, err
	}
	for i := range l.Items {
		if _, err := s.withCustody(ctx, &l.Items[i]); err != nil {
			return l, err
		}
	}
	return l, nil
}

func (s *DB) CreateSpecimen(ctx context.Context, sp *homeward.Specimen) error {
	return create(ctx, s, specimens, homeward.PermSpecimenWrite, sp, sp.Validate)
}

func (s *DB) GetSpecimen(ctx context.Context, id int64) (*homeward.Specimen, error) {
	return get(ctx, s, specimens, id)
}

func (s *DB) UpdateSpecimen(ctx context.Context, sp *homeward.Specimen) error {
	return update(ctx, s, specimens, homeward.PermSpecimenWrite, sp, sp.Validate)
}

func (s *DB) ListSpecimens(ctx context.Context, containerID int64, p homeward.Page) (homeward.List[homeward.Specimen], error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return homeward.List[homeward.Specimen]{}, err
	}
	var w where
	if containerID != 0 {
		w.add("container_id = ?", containerID)
	}
	return specimens.list(ctx, s, w.String(), w.args, "code", p)
}
