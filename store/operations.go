package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/homeward/homeward"
)

var operations = &record[homeward.Operation]{
	table: "operations", entity: "operation", field: "operation.code",
	columns: func(o *homeward.Operation) ([]string, []any) {
		return []string{"code", "kind"}, []any{o.Code, string(o.Kind)}
	},
	id:   func(o *homeward.Operation) *int64 { return &o.ID },
	meta: func(o *homeward.Operation) *homeward.Meta { return &o.Meta },
}

var transportLegs = &record[homeward.TransportLeg]{
	table: "transport_legs", entity: "transport_leg", field: "transport_leg.seq",
	columns: func(t *homeward.TransportLeg) ([]string, []any) {
		return []string{"operation_id", "seq"}, []any{t.OperationID, t.Seq}
	},
	id: func(t *homeward.TransportLeg) *int64 { return &t.ID },
}

var ceremonies = &record[homeward.Ceremony]{
	table: "ceremonies", entity: "ceremony",
	columns: func(c *homeward.Ceremony) ([]string, []any) {
		return []string{"operation_id"}, []any{c.OperationID}
	},
	id: func(c *homeward.Ceremony) *int64 { return &c.ID },
}

func (s *DB) CreateOperation(ctx context.Context, o *homeward.Operation) error {
	return create(ctx, s, operations, homeward.PermOperationWrite, o, o.Validate)
}

func (s *DB) GetOperation(ctx context.Context, id int64) (*homeward.Operation, error) {
	return get(ctx, s, operations, id)
}

func (s *DB) GetOperationByCode(ctx context.Context, code string) (*homeward.Operation, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	o, err := operations.get(ctx, s.db, "code = $1", code)
	if homeward.ErrorCode(err) == homeward.ENOTFOUND {
		return nil, homeward.Errorf(homeward.ENOTFOUND, "operation %q not found", code)
	}
	return o, err
}

func (s *DB) UpdateOperation(ctx context.Context, o *homeward.Operation) error {
	return update(ctx, s, operations, homeward.PermOperationWrite, o, o.Validate)
}

func (s *DB) ListOperations(ctx context.Context, p homeward.Page) (homeward.List[homeward.Operation], error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return homeward.List[homeward.Operation]{}, err
	}
	return operations.list(ctx, s, "", nil, "code", p)
}

// AddTransportLeg appends a leg; Seq 0 means "after the last one".
func (s *DB) AddTransportLeg(ctx context.Context, t *homeward.TransportLeg) error {
	if err := homeward.Require(ctx, homeward.PermOperationWrite); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := operations.get(ctx, tx, "id = $1", t.OperationID); err != nil {
			return fmt.Errorf("transport_leg.operation_id %d: %w", t.OperationID, err)
		}
		if t.Seq == 0 {
			if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq),0)+1 FROM transport_legs WHERE operation_id = $1", t.OperationID).Scan(&t.Seq); err != nil {
				return mapErr(err, "transport_leg", "")
			}
		}
		return transportLegs.insert(ctx, s, tx, t)
	})
}

func (s *DB) ListTransportLegs(ctx context.Context, operationID int64) ([]homeward.TransportLeg, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	l, err := transportLegs.list(ctx, s, "operation_id = $1", []any{operationID}, "seq", homeward.Page{Limit: 1000})
	return l.Items, err
}

func (s *DB) AddCeremony(ctx context.Context, c *homeward.Ceremony) error {
	if err := homeward.Require(ctx, homeward.PermOperationWrite); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := operations.get(ctx, tx, "id = $1", c.OperationID); err != nil {
			return fmt.Errorf("ceremony.operation_id %d: %w", c.OperationID, err)
		}
		return ceremonies.insert(ctx, s, tx, c)
	})
}

func (s *DB) ListCeremonies(ctx context.Context, operationID int64) ([]homeward.Ceremony, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	l, err := ceremonies.list(ctx, s, "operation_id = $1", []any{operationID}, "id", homeward.Page{Limit: 1000})
	return l.Items, err
}
