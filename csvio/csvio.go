// Package csvio reads and writes the registry's CSV files: loss incidents, missing persons and
// family members (columns in docs/import.md). Readers collect every problem in every row, each
// naming the line, the row's key, the column and what is wrong, so that a clerk can fix a whole file
// in one pass; they never stop at the first bad cell.
package csvio

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
)

// MaxRows bounds one file; larger batches are split by the caller.
const MaxRows = 200_000

// column describes one CSV column.
type column struct {
	name     string
	required bool // the header must have it and every row must fill it
}

// table is a parsed header plus the rows still to read.
type table struct {
	kind  string
	r     *csv.Reader
	index map[string]int
}

// openTable reads the header and checks it against the allowed columns: every required column
// present, no unknown or repeated column.
func openTable(kind string, r io.Reader, cols []column) (*table, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, homeward.Errorf(homeward.EINVALID, "%s CSV: empty file (line 1 must be the header)", kind)
	}
	if err != nil {
		return nil, homeward.Errorf(homeward.EINVALID, "%s CSV: header: %v", kind, err)
	}
	t := &table{kind: kind, r: cr, index: map[string]int{}}
	known := map[string]bool{}
	for _, c := range cols {
		known[c.name] = true
	}
	var problems []string
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !known[name] {
			problems = append(problems, fmt.Sprintf("unknown column %q (column %d)", h, i+1))
			continue
		}
		if _, dup := t.index[name]; dup {
			problems = append(problems, fmt.Sprintf("column %q appears twice", name))
			continue
		}
		t.index[name] = i
	}
	for _, c := range cols {
		if _, ok := t.index[c.name]; c.required && !ok {
			problems = append(problems, fmt.Sprintf("required column %q is missing", c.name))
		}
	}
	if len(problems) > 0 {
		names := make([]string, len(cols))
		for i, c := range cols {
			names[i] = c.name
		}
		return nil, homeward.Errorf(homeward.EINVALID, "%s CSV header (line 1): %s; allowed columns: %s",
			kind, strings.Join(problems, "; "), strings.Join(names, ", "))
	}
	return t, nil
}

// row is one data row being read; problems accumulate in it.
type row struct {
	t        *table
	line     int
	rec      []string
	key      string
	problems []homeward.RowProblem
}

// next returns the next row, nil at the end, or an error for a file that is not CSV at all.
func (t *table) next(count int) (*row, error) {
	rec, err := t.r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, homeward.Errorf(homeward.EINVALID, "%s CSV line %d: %v", t.kind, pe.StartLine, pe.Err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s CSV: %w", t.kind, err)
	}
	line, _ := t.r.FieldPos(0)
	if count >= MaxRows {
		return nil, homeward.Errorf(homeward.ETOOLARGE, "%s CSV: more than %d rows; split the file", t.kind, MaxRows)
	}
	return &row{t: t, line: line, rec: rec}, nil
}

func (r *row) blank() bool {
	for _, v := range r.rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func (r *row) problem(field, format string, args ...any) {
	r.problems = append(r.problems, homeward.RowProblem{Line: r.line, Record: r.key, Field: field, Message: fmt.Sprintf(format, args...)})
}

// str returns the trimmed cell of column name ("" when the column is absent).
func (r *row) str(name string) string {
	i, ok := r.t.index[name]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (r *row) need(name string) string {
	v := r.str(name)
	if v == "" {
		r.problem(name, "is required")
	}
	return v
}

func (r *row) float(name string) *float64 {
	v := r.str(name)
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		r.problem(name, "%q is not a number", v)
		return nil
	}
	return &f
}

func (r *row) int(name string) *int {
	v := r.str(name)
	if v == "" {
		return nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		r.problem(name, "%q is not a whole number", v)
		return nil
	}
	return &n
}

func (r *row) date(name string) homeward.Date {
	d := homeward.Date(r.str(name))
	if err := d.Validate(name); err != nil {
		r.problem(name, "%q is not a date (YYYY-MM-DD)", string(d))
		return ""
	}
	return d
}

func (r *row) bool(name string) bool {
	v := strings.ToLower(r.str(name))
	switch v {
	case "", "0", "false", "no", "n":
		return false
	case "1", "true", "yes", "y":
		return true
	}
	r.problem(name, "%q is not yes/no", v)
	return false
}

func (r *row) enum(name string, allowed []string) string {
	v := strings.ToLower(r.str(name))
	if v == "" || slices.Contains(allowed, v) {
		return v
	}
	r.problem(name, "%q is not one of %s", v, strings.Join(allowed, ", "))
	return ""
}

// validate runs a record's own Validate and files its error as a row problem (field names in
// domain errors are "record.field"; the column is the part after the dot).
func (r *row) validate(err error) {
	if err == nil {
		return
	}
	var he *homeward.Error
	field := ""
	msg := err.Error()
	if errors.As(err, &he) {
		field = he.Field
		if i := strings.IndexByte(field, '.'); i >= 0 {
			field = field[i+1:]
		}
		msg = he.Message
	}
	for _, p := range r.problems {
		if p.Field == field {
			return // already reported from the cell itself
		}
	}
	r.problem(field, "%s", msg)
}

// ftoa writes a float so that ParseFloat gives back the same value.
func ftoa(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func itoa(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// WriteJSON writes v (a slice of records) as indented JSON, the JSON export.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("JSON export: %w", err)
	}
	return nil
}

func writeAll(w io.Writer, kind string, header []string, rows func(emit func([]string) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("%s CSV export: %w", kind, err)
	}
	if err := rows(cw.Write); err != nil {
		return fmt.Errorf("%s CSV export: %w", kind, err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("%s CSV export: %w", kind, err)
	}
	return nil
}

func names(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.name
	}
	return out
}
