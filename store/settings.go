package store

import (
	"context"
	"database/sql"
	"slices"

	"github.com/homeward/homeward"
)

const reviewPolicyKey = "review_policy"

var settings = &record[homeward.ReviewPolicy]{
	table: "settings", entity: "review_policy", field: "review_policy",
	columns: func(p *homeward.ReviewPolicy) ([]string, []any) {
		return []string{"key"}, []any{reviewPolicyKey}
	},
	id:   func(p *homeward.ReviewPolicy) *int64 { return &p.ID },
	meta: func(p *homeward.ReviewPolicy) *homeward.Meta { return &p.Meta },
}

// ReviewPolicy returns the stages in force.
func (s *DB) ReviewPolicy(ctx context.Context) (*homeward.ReviewPolicy, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	return reviewPolicy(ctx, s.db)
}

func reviewPolicy(ctx context.Context, q querier) (*homeward.ReviewPolicy, error) {
	p, err := settings.get(ctx, q, "key = $1", reviewPolicyKey)
	if homeward.ErrorCode(err) == homeward.ENOTFOUND {
		return &homeward.ReviewPolicy{Stages: slices.Clone(homeward.DefaultReviewStages)}, nil
	}
	return p, err
}

// SetReviewPolicy replaces the stages for identifications created from now on.
func (s *DB) SetReviewPolicy(ctx context.Context, p *homeward.ReviewPolicy) error {
	if err := homeward.Require(ctx, homeward.PermSettings); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		old, err := settings.get(ctx, tx, "key = $1", reviewPolicyKey)
		if homeward.ErrorCode(err) == homeward.ENOTFOUND {
			return settings.insert(ctx, s, tx, p)
		}
		if err != nil {
			return err
		}
		p.ID = old.ID
		if p.Version == 0 {
			p.Version = old.Version
		}
		return settings.updateIn(ctx, s, tx, p, "update", "")
	})
}
