package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/labfmt/osteometric"
)

// maxMeasurementUpload bounds a measurement file sent from the page.
const maxMeasurementUpload = 8 << 20

// measurementRows reads the measurement form: a CSV file (field "file"), or one specimen typed in
// (code, element, side, and "Hum_01=318.5, Hum_03=45.1"). Rows without a container go to this one.
func measurementRows(r *http.Request, accession string) ([]homeward.MeasuredSpecimen, error) {
	if err := r.ParseMultipartForm(maxMeasurementUpload); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return nil, homeward.FieldErrorf("file", "the upload could not be read: %v", err)
	}
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		rows, _, err := osteometric.Read(f, "id")
		if err != nil {
			return nil, homeward.FieldErrorf("file", "%s: %v", hdr.Filename, err)
		}
		return osteometric.MeasuredSpecimens(rows, accession), nil
	}
	m, err := parseMeasurements(r.FormValue("measurements"))
	if err != nil {
		return nil, err
	}
	code := strings.TrimSpace(r.FormValue("code"))
	if code == "" {
		return nil, homeward.FieldErrorf("code", "is required")
	}
	return []homeward.MeasuredSpecimen{{Line: 1, Container: accession, Code: code, Element: strings.TrimSpace(r.FormValue("element")),
		Side: sideOrUnknown(r.FormValue("side")), Measurements: m}}, nil
}

func sideOrUnknown(s string) homeward.Side {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "left", "l":
		return homeward.SideLeft
	case "right", "r":
		return homeward.SideRight
	case "axial":
		return homeward.SideAxial
	}
	return homeward.SideUnknown
}

// parseMeasurements reads "Hum_01=318.5, Hum_03=45.1" (commas, spaces or lines between).
func parseMeasurements(s string) (map[string]float64, error) {
	out := map[string]float64{}
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' || r == ' ' || r == '\t' }) {
		code, v, ok := strings.Cut(item, "=")
		if !ok {
			return nil, homeward.FieldErrorf("measurements", "%q is not CODE=mm", item)
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return nil, homeward.FieldErrorf("measurements", "%q: %q is not a number", code, v)
		}
		out[strings.TrimSpace(code)] = x
	}
	if len(out) == 0 {
		return nil, homeward.FieldErrorf("measurements", "no measurement given (CODE=mm, e.g. Hum_01=318.5)")
	}
	return out, homeward.ValidateMeasurements("measurements", out)
}
