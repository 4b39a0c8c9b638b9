package web

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
)

// listPage is how many rows a page of a list shows.
const listPage = 50

// listView is a page of a list as the pages show it: its position ("51–100 of 7,501"), the links
// to the pages around it, column headings that sort it (with aria-sort), and the link to the whole
// list, filtered and sorted, as CSV. Params are the list's filter and order (never its offset).
type listView struct {
	Path        string
	Params      url.Values
	DefaultSort string // the column the list is sorted by when sort is empty
	CSVPath     string // the CSV's address ("": Path + ".csv"; "-": none)
	Offset      int
	Size        int // rows a page shows
	Shown       int // rows on this page
	Total       int
}

// newListView reads the page's offset and the filter parameters named from the request (its
// address, or a posted form that carries them).
func newListView(r *http.Request, path, defaultSort string, size int, params ...string) (listView, error) {
	v := listView{Path: path, Params: url.Values{}, DefaultSort: defaultSort, Size: size}
	for _, p := range append(params, "sort") {
		if x := strings.TrimSpace(r.FormValue(p)); x != "" {
			v.Params.Set(p, x)
		}
	}
	if x := r.FormValue("offset"); x != "" {
		n, err := strconv.Atoi(x)
		if err != nil || n < 0 {
			return v, homeward.FieldErrorf("offset", "%q is not a position in the list", x)
		}
		v.Offset = n
	}
	return v, nil
}

// Sort is the list's order as asked ("" for the default).
func (v listView) Sort() string { return v.Params.Get("sort") }

// link is the list's address (or path's, the CSV's) with some parameters changed.
func (v listView) link(path string, change map[string]string) string {
	q := url.Values{}
	for k, x := range v.Params {
		q[k] = append([]string{}, x...)
	}
	for k, x := range change {
		if x == "" {
			q.Del(k)
		} else {
			q.Set(k, x)
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// SortLink is the address of the list sorted by col: ascending, or descending when it is sorted
// ascending by it already; back to the first page.
func (v listView) SortLink(col string) string {
	s := col
	if v.SortState(col) == "ascending" {
		s = "-" + col
	}
	return v.link(v.Path, map[string]string{"sort": s, "offset": ""})
}

// SortState says how the list is sorted by col, for aria-sort: ascending, descending or none.
// The default order may be a descending one ("-number": the newest first).
func (v listView) SortState(col string) string {
	switch cmp.Or(v.Sort(), v.DefaultSort) {
	case col:
		return "ascending"
	case "-" + col:
		return "descending"
	}
	return "none"
}

// PrevLink and NextLink are the pages around this one ("" at either end).
func (v listView) PrevLink() string {
	if v.Offset == 0 {
		return ""
	}
	return v.link(v.Path, map[string]string{"offset": strconv.Itoa(max(0, v.Offset-v.Size))})
}

func (v listView) NextLink() string {
	if v.Offset+v.Shown >= v.Total {
		return ""
	}
	return v.link(v.Path, map[string]string{"offset": strconv.Itoa(v.Offset + v.Size)})
}

// CSVLink is the whole list, as filtered and sorted, as CSV.
func (v listView) CSVLink() string {
	switch v.CSVPath {
	case "":
		return v.link(v.Path+".csv", nil)
	case "-":
		return ""
	}
	return v.link(v.CSVPath, nil)
}

// First and Last number the rows shown (1-based).
func (v listView) First() int { return v.Offset + 1 }
func (v listView) Last() int  { return v.Offset + v.Shown }
