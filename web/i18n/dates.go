package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Dates are written in each language's own order: "Nov 28, 1950" in English (United States
// usage: most English-speaking users are the US agency's), "1950년 11월 28일" in Korean. Times
// are UTC, said as such, so a record reads the same wherever it is read.

var monthsEN = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// Time writes an instant (UTC) with minutes, "" for the zero time.
func Time(tag language.Tag, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	return dateParts(tag, t.Year(), int(t.Month()), t.Day()) + " " + t.Format("15:04") + " UTC"
}

// Date writes an ISO date as recorded, YYYY, YYYY-MM or YYYY-MM-DD (a date of loss may be known
// only to the month or year), in the language's order; text that is not such a date is returned
// as it is.
func Date(tag language.Tag, iso string) string {
	parts := strings.Split(iso, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return iso
	}
	n := make([]int, 3)
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || (i > 0 && len(p) != 2) {
			return iso
		}
		n[i] = v
	}
	if n[1] > 12 || n[2] > 31 || (len(parts) > 1 && n[1] < 1) || (len(parts) > 2 && n[2] < 1) {
		return iso
	}
	return dateParts(tag, n[0], n[1], n[2])
}

// dateParts writes a year, month (0: unknown) and day (0: unknown).
func dateParts(tag language.Tag, y, m, d int) string {
	if tag == language.Korean {
		s := fmt.Sprintf("%d년", y)
		if m > 0 {
			s += fmt.Sprintf(" %d월", m)
		}
		if m > 0 && d > 0 {
			s += fmt.Sprintf(" %d일", d)
		}
		return s
	}
	switch {
	case m == 0:
		return strconv.Itoa(y)
	case d == 0:
		return fmt.Sprintf("%s %d", monthsEN[m-1], y)
	}
	return fmt.Sprintf("%s %d, %d", monthsEN[m-1], d, y)
}
