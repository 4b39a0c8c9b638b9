package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/homeward/homeward"
)

// Screens: their records, shards and candidates.

// CreateScreen stores the screen, fixes the records it covers (the largest profile and family ids
// now) and creates its shards, pending.
func (s *DB) CreateScreen(ctx context.Context, sc *homeward.Screen) error {
	if err := homeward.Require(ctx, homeward.PermKinship); err != nil {
		return err
	}
	if err := sc.Validate(); err != nil {
		return err
	}
	if len(sc.Panel) == 0 {
		return homeward.FieldErrorf("screen.panel", "a screen needs its marker panel")
	}
	sc.Status, sc.Progress = homeward.ScreenQueued, homeward.ScreenProgress{}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM profiles WHERE role = $1", string(homeward.ProfileVictim)).Scan(&sc.MaxProfileID, &sc.Profiles); err != nil {
			return mapErr(err, "screen", "")
		}
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM reference_families").Scan(&sc.MaxFamilyID, &sc.Families); err != nil {
			return mapErr(err, "screen", "")
		}
		if sc.Profiles == 0 || sc.Families == 0 {
			return homeward.FieldErrorf("screen", "nothing to screen: %d victim profiles, %d reference families", sc.Profiles, sc.Families)
		}
		if err := screens.insert(ctx, s, tx, sc); err != nil {
			return err
		}
		for k := 0; k < sc.Shards; k++ {
			if _, err := tx.ExecContext(ctx, "INSERT INTO screen_shards (screen_id, shard) VALUES ($1, $2)", sc.ID, k); err != nil {
				return mapErr(err, "screen", "")
			}
		}
		return nil
	})
}

func (s *DB) screenProgress(ctx context.Context, q querier, sc *homeward.Screen) error {
	var p homeward.ScreenProgress
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(done_at), COALESCE(SUM(comparisons), 0), COALESCE(SUM(candidates), 0)
		FROM screen_shards WHERE screen_id = $1`, sc.ID).Scan(&p.ShardsTotal, &p.ShardsDone, &p.Comparisons, &p.Candidates); err != nil {
		return mapErr(err, "screen", "")
	}
	sc.Progress = p
	sc.Status = homeward.ScreenQueued
	if p.ShardsTotal > 0 && p.ShardsDone == p.ShardsTotal {
		sc.Status = homeward.ScreenDone
	}
	return nil
}

func (s *DB) GetScreen(ctx context.Context, id int64) (*homeward.Screen, error) {
	sc, err := get(ctx, s, screens, id)
	if err != nil {
		return nil, err
	}
	return sc, s.screenProgress(ctx, s.db, sc)
}

func (s *DB) ListScreens(ctx context.Context, p homeward.Page) (homeward.List[homeward.Screen], error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return homeward.List[homeward.Screen]{}, err
	}
	l, err := screens.list(ctx, s, "", nil, "id DESC", p)
	if err != nil {
		return l, err
	}
	for i := range l.Items {
		l.Items[i].Panel = nil
		if err := s.screenProgress(ctx, s.db, &l.Items[i]); err != nil {
			return l, err
		}
	}
	return l, nil
}

func (s *DB) PendingShards(ctx context.Context, screenID int64) ([]int, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT shard FROM screen_shards WHERE screen_id = $1 AND done_at IS NULL ORDER BY shard", screenID)
	if err != nil {
		return nil, mapErr(err, "screen", "")
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var k int
		if err := rows.Scan(&k); err != nil {
			return nil, mapErr(err, "screen", "")
		}
		out = append(out, k)
	}
	return out, mapErr(rows.Err(), "screen", "")
}

// CompleteShard stores a shard's candidates and marks the shard done in one transaction. The
// shard row is locked first (on PostgreSQL) so that two workers finishing the same shard (a
// rescued job whose first worker was only slow) cannot both write; the second finds it done and
// stores nothing.
func (s *DB) CompleteShard(ctx context.Context, r homeward.ShardResult) error {
	if err := homeward.Require(ctx, homeward.PermKinship); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		lock := ""
		if s.dialect == "postgres" {
			lock = " FOR UPDATE"
		}
		var done sql.NullTime
		err := tx.QueryRowContext(ctx, "SELECT done_at FROM screen_shards WHERE screen_id = $1 AND shard = $2"+lock, r.ScreenID, r.Shard).Scan(&done)
		if err == sql.ErrNoRows {
			return homeward.Errorf(homeward.ENOTFOUND, "screen %d has no shard %d", r.ScreenID, r.Shard)
		}
		if err != nil {
			return mapErr(err, "screen", "")
		}
		if done.Valid {
			return nil
		}
		const batch = 200
		for i := 0; i < len(r.Candidates); i += batch {
			part := r.Candidates[i:min(i+batch, len(r.Candidates))]
			var sb strings.Builder
			args := make([]any, 0, len(part)*8)
			sb.WriteString("INSERT INTO screen_candidates (screen_id, profile_id, family_id, shard, lr, log10_lr, markers, exclusions) VALUES ")
			for k, c := range part {
				if k > 0 {
					sb.WriteString(", ")
				}
				n := len(args)
				fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8)
				lr := c.LR
				if math.IsInf(lr, 1) {
					lr = math.MaxFloat64
				}
				args = append(args, r.ScreenID, c.ProfileID, c.FamilyID, r.Shard, lr, c.Log10LR, c.Markers, c.Exclusions)
			}
			sb.WriteString(" ON CONFLICT DO NOTHING")
			if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
				return mapErr(err, "screen candidate", "")
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE screen_shards SET done_at = $1, comparisons = $2, candidates = $3, worker = $4 WHERE screen_id = $5 AND shard = $6",
			s.now(), r.Comparisons, int64(len(r.Candidates)), r.Worker, r.ScreenID, r.Shard); err != nil {
			return mapErr(err, "screen", "")
		}
		return s.audit(ctx, tx, "complete_shard", "screen", r.ScreenID,
			fmt.Sprintf("shard %d: %d comparisons, %d candidates (%s)", r.Shard, r.Comparisons, len(r.Candidates), r.Worker), nil, nil)
	})
}

// candidateOrder is the order of candidates: strongest first, then by their unique key.
const candidateOrder = "c.log10_lr DESC, c.screen_id, c.profile_id, c.family_id"

// ListCandidates lists a screen's candidates, strongest first.
func (s *DB) ListCandidates(ctx context.Context, screenID int64, p homeward.Page) (homeward.List[homeward.Candidate], error) {
	return s.candidates(ctx, "c.screen_id = $1", screenID, p)
}

// CandidatesOfFamily lists one family's candidates across every screen, strongest first.
func (s *DB) CandidatesOfFamily(ctx context.Context, familyID int64, p homeward.Page) (homeward.List[homeward.Candidate], error) {
	return s.candidates(ctx, "c.family_id = $1", familyID, p)
}

func (s *DB) candidates(ctx context.Context, where string, arg int64, p homeward.Page) (homeward.List[homeward.Candidate], error) {
	out := homeward.List[homeward.Candidate]{Items: []homeward.Candidate{}}
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return out, err
	}
	p = p.Normalize()
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM screen_candidates c WHERE "+where, arg).Scan(&out.Total); err != nil {
		return out, mapErr(err, "screen", "")
	}
	ks := newKeyset(candidateOrder)
	after, err := ks.page(p)
	if err != nil {
		return out, err
	}
	args := []any{arg}
	if after != nil {
		c, a := ks.after(after, 2)
		where, args = where+" AND "+c, append(args, a...)
	}
	n := len(args)
	rows, err := s.db.QueryContext(ctx, `SELECT c.screen_id, c.profile_id, c.family_id, p.sample, f.name, c.lr, c.log10_lr, c.markers, c.exclusions
		FROM screen_candidates c JOIN profiles p ON p.id = c.profile_id JOIN reference_families f ON f.id = c.family_id
		WHERE `+where+` ORDER BY `+candidateOrder+fmt.Sprintf(" LIMIT $%d OFFSET $%d", n+1, n+2), append(args, p.Limit+1, p.Offset)...)
	if err != nil {
		return out, mapErr(err, "screen", "")
	}
	defer rows.Close()
	for rows.Next() {
		if len(out.Items) == p.Limit {
			c := out.Items[p.Limit-1]
			out.NextCursor = ks.encode([]any{c.Log10LR, c.ScreenID, c.ProfileID, c.FamilyID})
			break
		}
		var c homeward.Candidate
		if err := rows.Scan(&c.ScreenID, &c.ProfileID, &c.FamilyID, &c.Sample, &c.Family, &c.LR, &c.Log10LR, &c.Markers, &c.Exclusions); err != nil {
			return out, mapErr(err, "screen", "")
		}
		out.Items = append(out.Items, c)
	}
	return out, mapErr(rows.Err(), "screen", "")
}

// GetDVIResult is a screen's stored DVI analysis.
func (s *DB) GetDVIResult(ctx context.Context, screenID int64) (*homeward.DVIResult, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	r := &homeward.DVIResult{ScreenID: screenID}
	var result string
	err := s.db.QueryRowContext(ctx, "SELECT case_hash, status, result, error, computed_at FROM dvi_results WHERE screen_id = $1", screenID).
		Scan(&r.CaseHash, &r.Status, &result, &r.Error, &r.ComputedAt)
	if err == sql.ErrNoRows {
		return nil, homeward.Errorf(homeward.ENOTFOUND, "screen %d has no stored DVI analysis", screenID)
	}
	if err != nil {
		return nil, mapErr(err, "dvi_result", "")
	}
	if result != "" {
		r.Result = json.RawMessage(result)
	}
	r.ComputedAt = r.ComputedAt.UTC()
	return r, nil
}

// SaveDVIResult stores or replaces a screen's DVI analysis (a computation anyone who may read can
// have made: it adds no fact, it keeps a result).
func (s *DB) SaveDVIResult(ctx context.Context, r *homeward.DVIResult) error {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return err
	}
	return s.exec(ctx, `INSERT INTO dvi_results (screen_id, case_hash, status, result, error, computed_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (screen_id) DO UPDATE SET case_hash = excluded.case_hash, status = excluded.status, result = excluded.result,
		error = excluded.error, computed_at = excluded.computed_at`,
		r.ScreenID, r.CaseHash, r.Status, string(r.Result), r.Error, r.ComputedAt.UTC())
}
