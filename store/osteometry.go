package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
)

// checkReferenceBones validates every bone; errors name the bone by its position.
func checkReferenceBones(bones []homeward.ReferenceBone) (individuals int, err error) {
	if len(bones) == 0 {
		return 0, homeward.FieldErrorf("reference_sample.bones", "no bone")
	}
	seen, people := map[string]bool{}, map[string]bool{}
	for i, b := range bones {
		field := fmt.Sprintf("reference_sample.bones[%d]", i)
		if b.Individual == "" || len(b.Individual) > 100 {
			return 0, homeward.FieldErrorf(field+".individual", "%q is not an identifier", b.Individual)
		}
		if err := homeward.CheckText(field, &b); err != nil {
			return 0, err
		}
		if !homeward.IsElementName(b.Element) {
			return 0, homeward.FieldErrorf(field+".element", "%q is not an element name (humerus, femur, os_coxae, ...)", b.Element)
		}
		if b.Side != homeward.SideLeft && b.Side != homeward.SideRight && b.Side != homeward.SideAxial {
			return 0, homeward.FieldErrorf(field+".side", "%q is not left, right or axial", b.Side)
		}
		if err := homeward.ValidateMeasurements(field+".measurements", b.Measurements); err != nil {
			return 0, err
		}
		k := b.Individual + "\x00" + b.Element + "\x00" + string(b.Side)
		if seen[k] {
			return 0, homeward.FieldErrorf(field, "the %s %s of %q is given twice", b.Side, b.Element, b.Individual)
		}
		seen[k], people[b.Individual] = true, true
	}
	return len(people), nil
}

// ImportReferenceSample stores a reference sample as the next version of its name, all or
// nothing, with its hash and an audit entry.
func (s *DB) ImportReferenceSample(ctx context.Context, rs *homeward.OsteoReferenceSample, bones []homeward.ReferenceBone) error {
	if err := homeward.Require(ctx, homeward.PermOsteometry); err != nil {
		return err
	}
	if err := rs.Validate(); err != nil {
		return err
	}
	if err := homeward.CheckText("reference_sample", rs); err != nil {
		return err
	}
	n, err := checkReferenceBones(bones)
	if err != nil {
		return err
	}
	u := homeward.UserFromContext(ctx)
	rs.Individuals, rs.Bones, rs.CreatedAt, rs.CreatedBy = n, len(bones), s.now(), u.Username
	canonical, err := json.Marshal(bones)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(canonical)
	rs.SHA256 = hex.EncodeToString(sum[:])
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) + 1 FROM osteo_reference_samples WHERE name = $1", rs.Name).Scan(&rs.Version); err != nil {
			return mapErr(err, "reference_sample", "")
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO osteo_reference_samples (name, version, source, population, individuals, bones, sha256, created_at, created_by)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`, rs.Name, rs.Version, rs.Source, rs.Population, rs.Individuals, rs.Bones, rs.SHA256, rs.CreatedAt, rs.CreatedBy).Scan(&rs.ID)
		if err != nil {
			return mapErr(err, "reference_sample", "reference_sample.name")
		}
		if err := s.insertReferenceBones(ctx, tx, rs.ID, bones); err != nil {
			return err
		}
		return s.audit(ctx, tx, "import", "reference_sample", rs.ID, fmt.Sprintf("%s version %d: %d bones of %d individuals", rs.Name, rs.Version, rs.Bones, rs.Individuals), nil, rs)
	})
}

func (s *DB) insertReferenceBones(ctx context.Context, tx *sql.Tx, id int64, bones []homeward.ReferenceBone) error {
	const chunk = 500
	for start := 0; start < len(bones); start += chunk {
		part := bones[start:min(start+chunk, len(bones))]
		args := make([]any, 0, len(part)*6)
		for i, b := range part {
			m, err := json.Marshal(b.Measurements)
			if err != nil {
				return err
			}
			args = append(args, id, start+i, b.Individual, b.Element, string(b.Side), string(m))
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO osteo_reference_bones (sample_id, n, individual, element, side, measurements) VALUES "+
			s.placeholders(len(part), 6), args...); err != nil {
			return mapErr(err, "reference_sample", "")
		}
	}
	return nil
}

const sampleCols = "id, name, version, source, population, individuals, bones, sha256, created_at, created_by"

func scanSample(row interface{ Scan(...any) error }) (homeward.OsteoReferenceSample, error) {
	var r homeward.OsteoReferenceSample
	err := row.Scan(&r.ID, &r.Name, &r.Version, &r.Source, &r.Population, &r.Individuals, &r.Bones, &r.SHA256, &r.CreatedAt, &r.CreatedBy)
	r.CreatedAt = r.CreatedAt.UTC()
	return r, err
}

// ListReferenceSamples lists every version of every sample.
func (s *DB) ListReferenceSamples(ctx context.Context) ([]homeward.OsteoReferenceSample, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+sampleCols+" FROM osteo_reference_samples ORDER BY name, version")
	if err != nil {
		return nil, mapErr(err, "reference_sample", "")
	}
	defer rows.Close()
	out := []homeward.OsteoReferenceSample{}
	for rows.Next() {
		r, err := scanSample(rows)
		if err != nil {
			return nil, mapErr(err, "reference_sample", "")
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GetReferenceSample returns a sample and its bones: ref is an id, a name (its newest version) or
// name@version.
func (s *DB) GetReferenceSample(ctx context.Context, ref string) (*homeward.OsteoReferenceSample, []homeward.ReferenceBone, error) {
	if err := homeward.Require(ctx, homeward.PermRead); err != nil {
		return nil, nil, err
	}
	var row *sql.Row
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		row = s.db.QueryRowContext(ctx, "SELECT "+sampleCols+" FROM osteo_reference_samples WHERE id = $1", id)
	} else if name, v, ok := strings.Cut(ref, "@"); ok {
		version, err := strconv.Atoi(v)
		if err != nil {
			return nil, nil, homeward.FieldErrorf("reference_sample", "%q: the version after @ is not a number", ref)
		}
		row = s.db.QueryRowContext(ctx, "SELECT "+sampleCols+" FROM osteo_reference_samples WHERE name = $1 AND version = $2", name, version)
	} else {
		row = s.db.QueryRowContext(ctx, "SELECT "+sampleCols+" FROM osteo_reference_samples WHERE name = $1 ORDER BY version DESC LIMIT 1", ref)
	}
	rs, err := scanSample(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, homeward.Errorf(homeward.ENOTFOUND, "reference sample %q not found", ref)
	}
	if err != nil {
		return nil, nil, mapErr(err, "reference_sample", "")
	}
	bones, err := s.referenceBones(ctx, rs.ID)
	if err != nil {
		return nil, nil, err
	}
	canonical, _ := json.Marshal(bones)
	if sum := sha256.Sum256(canonical); hex.EncodeToString(sum[:]) != rs.SHA256 {
		return nil, nil, homeward.Errorf(homeward.ECONFLICT, "reference sample %s version %d: its bones no longer hash to the value recorded at import (altered in the database)", rs.Name, rs.Version)
	}
	return &rs, bones, nil
}

func (s *DB) referenceBones(ctx context.Context, id int64) ([]homeward.ReferenceBone, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT individual, element, side, measurements FROM osteo_reference_bones WHERE sample_id = $1 ORDER BY n", id)
	if err != nil {
		return nil, mapErr(err, "reference_sample", "")
	}
	defer rows.Close()
	var out []homeward.ReferenceBone
	for rows.Next() {
		var b homeward.ReferenceBone
		var m string
		if err := rows.Scan(&b.Individual, &b.Element, &b.Side, &m); err != nil {
			return nil, mapErr(err, "reference_sample", "")
		}
		if err := json.Unmarshal([]byte(m), &b.Measurements); err != nil {
			return nil, fmt.Errorf("reference sample %d: bone of %s: %w", id, b.Individual, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// ImportMeasurements sets the measurements of the rows' specimens, creating specimens that do
// not exist yet in the named containers, in one transaction: one refused row and nothing is
// stored. A specimen that exists keeps its element and side, which must agree with the row.
func (s *DB) ImportMeasurements(ctx context.Context, rows []homeward.MeasuredSpecimen, dryRun bool) (*homeward.MeasurementImport, error) {
	if err := homeward.Require(ctx, homeward.PermSpecimenWrite); err != nil {
		return nil, err
	}
	rep := &homeward.MeasurementImport{Read: len(rows), Rejected: []homeward.RowProblem{}, DryRun: dryRun}
	errRefused := errors.New("refused")
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			if p := s.importMeasured(ctx, tx, r, rep); p != nil {
				rep.Rejected = append(rep.Rejected, *p)
			}
		}
		if len(rep.Rejected) > 0 || dryRun {
			return errRefused // roll back
		}
		return nil
	})
	if errors.Is(err, errRefused) {
		if !dryRun {
			rep.Created, rep.Updated = 0, 0
		}
		return rep, nil
	}
	return rep, err
}

// importMeasured stores one row; a problem of the row is returned, not an error.
func (s *DB) importMeasured(ctx context.Context, tx *sql.Tx, r homeward.MeasuredSpecimen, rep *homeward.MeasurementImport) *homeward.RowProblem {
	problem := func(err error) *homeward.RowProblem {
		p := &homeward.RowProblem{Line: r.Line, Record: r.Code, Message: err.Error()}
		var he *homeward.Error
		if errors.As(err, &he) {
			p.Field, p.Message = he.Field, he.Message
		}
		return p
	}
	sp, err := specimens.get(ctx, tx, "code = $1", r.Code)
	if homeward.ErrorCode(err) == homeward.ENOTFOUND {
		c, err := containers.get(ctx, tx, "accession = $1", r.Container)
		if err != nil {
			return problem(homeward.FieldErrorf("container", "container %q: %v", r.Container, err))
		}
		sp = &homeward.Specimen{ContainerID: c.ID, Code: r.Code, Element: r.Element, Side: r.Side, Measurements: r.Measurements}
		if err := sp.Validate(); err != nil {
			return problem(err)
		}
		if err := homeward.CheckText("specimen", sp); err != nil {
			return problem(err)
		}
		if err := specimens.insert(ctx, s, tx, sp); err != nil {
			return problem(err)
		}
		rep.Created++
		return nil
	}
	if err != nil {
		return problem(err)
	}
	if homeward.ElementKey(sp.Element) != homeward.ElementKey(r.Element) || r.Side != "" && sp.Side != r.Side {
		return problem(homeward.FieldErrorf("element", "specimen %s is recorded as %s %s, the row says %s %s", r.Code, sp.Side, sp.Element, r.Side, r.Element))
	}
	sp.Measurements = r.Measurements
	if err := sp.Validate(); err != nil {
		return problem(err)
	}
	if err := specimens.updateIn(ctx, s, tx, sp, "update", "osteometric measurements imported"); err != nil {
		return problem(err)
	}
	rep.Updated++
	return nil
}
