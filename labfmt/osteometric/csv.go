// Package osteometric reads and writes osteometric measurements as laboratories keep them: one
// row per bone, the columns OsteoSort's input templates use (id, side, element, then one column
// per measurement code such as Hum_01), with an optional container column for a case inventory
// and, for a reference sample, the individual the bone belongs to.
package osteometric

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/homeward/homeward"

	"github.com/homeward/homeward/osteo"
)

// Row is one measured bone as read.
type Row struct {
	Line      int
	Container string // case inventories only
	Bone      osteo.Bone
}

// MaxRows bounds one file.
const MaxRows = 200000

// maxMeasurement is the largest value accepted (mm): no human bone measures a metre.
const maxMeasurement = 1000

// Read reads a measurement file. idColumn names the column identifying each row: "id" for a case
// inventory (one bone each), "individual" for a reference sample (the person a bone is of).
// Errors name the line and column.
func Read(r io.Reader, idColumn string) ([]Row, []string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("osteometric csv: header: %w", err)
	}
	cols, codes, err := columns(header, idColumn)
	if err != nil {
		return nil, nil, err
	}
	var rows []Row
	seen := map[string]bool{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, codes, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("osteometric csv line %d: %w", line, err)
		}
		if len(rows) >= MaxRows {
			return nil, nil, fmt.Errorf("osteometric csv: more than %d rows", MaxRows)
		}
		row, err := parseRow(rec, header, cols, line)
		if err != nil {
			return nil, nil, err
		}
		k := row.Bone.ID + "\x00" + row.Bone.Element + "\x00" + row.Bone.Side
		if idColumn == "id" {
			k = row.Bone.ID
		}
		if seen[k] {
			return nil, nil, fmt.Errorf("osteometric csv line %d: %s: %s is given twice", line, idColumn, describe(row.Bone, idColumn))
		}
		seen[k] = true
		rows = append(rows, row)
	}
}

func describe(b osteo.Bone, idColumn string) string {
	if idColumn == "id" {
		return fmt.Sprintf("%q", b.ID)
	}
	return fmt.Sprintf("the %s %s of %q", b.Side, b.Element, b.ID)
}

// layout says where each known column is; measurement columns are the rest.
type layout struct {
	id, element, side, container int
	codes                        map[int]string
}

func columns(header []string, idColumn string) (layout, []string, error) {
	l := layout{id: -1, element: -1, side: -1, container: -1, codes: map[int]string{}}
	var codes []string
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		lower := strings.ToLower(h)
		switch {
		case lower == idColumn:
			l.id = i
		case lower == "element":
			l.element = i
		case lower == "side":
			l.side = i
		case lower == "container" && idColumn == "id":
			l.container = i
		case homeward.IsMeasurementCode(h):
			if seen[h] {
				return l, nil, fmt.Errorf("osteometric csv header: column %q is given twice", h)
			}
			seen[h] = true
			l.codes[i] = h
			codes = append(codes, h)
		default:
			return l, nil, fmt.Errorf("osteometric csv header: column %d %q is neither %s, element, side%s nor a measurement code like Hum_01", i+1, h, idColumn, map[bool]string{true: ", container", false: ""}[idColumn == "id"])
		}
	}
	for name, at := range map[string]int{idColumn: l.id, "element": l.element, "side": l.side} {
		if at < 0 {
			return l, nil, fmt.Errorf("osteometric csv header: no %s column", name)
		}
	}
	if len(codes) == 0 {
		return l, nil, errors.New("osteometric csv header: no measurement column")
	}
	return l, codes, nil
}

func parseRow(rec, header []string, l layout, line int) (Row, error) {
	field := func(i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	fail := func(col int, format string, args ...any) error {
		return fmt.Errorf("osteometric csv line %d column %s: %s", line, strings.TrimSpace(header[col]), fmt.Sprintf(format, args...))
	}
	if len(rec) > len(header) {
		return Row{}, fmt.Errorf("osteometric csv line %d: %d fields for %d columns", line, len(rec), len(header))
	}
	b := osteo.Bone{ID: field(l.id), Element: strings.ToLower(field(l.element)), Values: map[string]float64{}}
	if b.ID == "" || len(b.ID) > 100 || strings.ContainsAny(b.ID, "\x00\r\n") || !utf8.ValidString(b.ID) {
		return Row{}, fail(l.id, "%q is not an identifier", b.ID)
	}
	if !homeward.IsElementName(b.Element) {
		return Row{}, fail(l.element, "%q is not an element name (humerus, femur, os_coxae, ...)", field(l.element))
	}
	switch strings.ToLower(field(l.side)) {
	case "l", "left":
		b.Side = "left"
	case "r", "right":
		b.Side = "right"
	case "", "-", "na", "axial":
	default:
		return Row{}, fail(l.side, "%q is not left, right or empty", field(l.side))
	}
	if c := field(l.container); len(c) > 100 || strings.ContainsAny(c, "\x00\r\n") || !utf8.ValidString(c) {
		return Row{}, fail(l.container, "%q is not an accession", c)
	}
	for col, code := range l.codes {
		v := field(col)
		if v == "" || strings.EqualFold(v, "NA") {
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || x <= 0 || x > maxMeasurement {
			return Row{}, fail(col, "%q is not a measurement in mm (above 0, at most %d)", v, maxMeasurement)
		}
		b.Values[code] = x
	}
	return Row{Line: line, Container: field(l.container), Bone: b}, nil
}

// Write writes bones in the same layout: id (or individual), container when given, element,
// side, and the codes as columns.
func Write(w io.Writer, idColumn string, rows []Row, codes []string) error {
	cw := csv.NewWriter(w)
	header := []string{idColumn}
	withContainer := idColumn == "id"
	if withContainer {
		header = append(header, "container")
	}
	header = append(append(header, "element", "side"), codes...)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		rec := []string{r.Bone.ID}
		if withContainer {
			rec = append(rec, r.Container)
		}
		rec = append(rec, r.Bone.Element, r.Bone.Side)
		for _, c := range codes {
			v, ok := r.Bone.Values[c]
			if !ok {
				rec = append(rec, "")
				continue
			}
			rec = append(rec, strconv.FormatFloat(v, 'f', -1, 64))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// MeasuredSpecimens turns an inventory's rows into the store's import rows; a row without a
// container goes to defaultContainer, and an empty side is "unknown".
func MeasuredSpecimens(rows []Row, defaultContainer string) []homeward.MeasuredSpecimen {
	out := make([]homeward.MeasuredSpecimen, len(rows))
	for i, r := range rows {
		side := homeward.Side(r.Bone.Side)
		if side == "" {
			side = homeward.SideUnknown
		}
		container := r.Container
		if container == "" {
			container = defaultContainer
		}
		out[i] = homeward.MeasuredSpecimen{Line: r.Line, Container: container, Code: r.Bone.ID, Element: r.Bone.Element, Side: side, Measurements: r.Bone.Values}
	}
	return out
}

// ReferenceBones turns a reference sample's rows into the store's bones; an empty side is
// "axial" (unpaired elements).
func ReferenceBones(rows []Row) []homeward.ReferenceBone {
	out := make([]homeward.ReferenceBone, len(rows))
	for i, r := range rows {
		side := homeward.Side(r.Bone.Side)
		if side == "" {
			side = homeward.SideAxial
		}
		out[i] = homeward.ReferenceBone{Individual: r.Bone.ID, Element: r.Bone.Element, Side: side, Measurements: r.Bone.Values}
	}
	return out
}
