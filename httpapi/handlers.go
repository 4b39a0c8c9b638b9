package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/homeward/homeward"
)

func createH[T any](record string, create func(context.Context, *T) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		var v T
		if err := decode(r, record, &v); err != nil {
			return err
		}
		if err := create(r.Context(), &v); err != nil {
			return err
		}
		setLocation(w, r, &v)
		setETag(w, &v)
		return writeJSON(w, http.StatusCreated, &v)
	}
}

// versioned is a record with a version (homeward.Meta): its entity tag.
type versioned interface {
	RecordVersion() int64
	SetRecordVersion(int64)
}

// setETag gives a versioned record's version as its strong entity tag ("7").
func setETag(w http.ResponseWriter, v any) {
	if rv, ok := v.(versioned); ok && rv.RecordVersion() > 0 {
		w.Header().Set("ETag", strconv.Quote(strconv.FormatInt(rv.RecordVersion(), 10)))
	}
}

// ifMatch applies an If-Match header to an update of a versioned record: the version it names
// becomes the one the update is based on, so that a record changed since is refused with 412.
// It reports whether the header was given ("*" matches any version and is not a precondition).
func ifMatch(r *http.Request, v any) (bool, error) {
	im := strings.TrimSpace(r.Header.Get("If-Match"))
	rv, ok := v.(versioned)
	if im == "" || im == "*" || !ok {
		return false, nil
	}
	tag, err := strconv.Unquote(im)
	n, perr := strconv.ParseInt(tag, 10, 64)
	if err != nil || perr != nil || n < 1 {
		return false, homeward.FieldErrorf("If-Match", "%q is not this record's entity tag (a quoted version, as the ETag of its GET)", im)
	}
	rv.SetRecordVersion(n)
	return true, nil
}

// setLocation names a created record's URL (Location: the collection's path and its id), when the
// record has an "id".
func setLocation(w http.ResponseWriter, r *http.Request, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	var idOnly struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(b, &idOnly) == nil && idOnly.ID > 0 {
		w.Header().Set("Location", strings.TrimSuffix(r.URL.Path, "/")+"/"+strconv.FormatInt(idOnly.ID, 10))
	}
}

// getH answers with what get returns for the path's {id}: a record, a list, a computed result.
func getH[T any](get func(context.Context, int64) (T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		v, err := get(r.Context(), id)
		if err == nil {
			setETag(w, v)
		}
		return respond(w, v, err)
	}
}

func updateH[T any](record string, setID func(*T, int64), update func(context.Context, *T) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var v T
		if err := decode(r, record, &v); err != nil {
			return err
		}
		setID(&v, id)
		conditional, err := ifMatch(r, &v)
		if err != nil {
			return err
		}
		if err := update(r.Context(), &v); err != nil {
			var he *homeward.Error
			if conditional && errors.As(err, &he) && he.Code == homeward.ECONFLICT && he.Field == "version" {
				return &homeward.Error{Code: homeward.EPRECONDITION, Field: "If-Match", Message: he.Message, Format: he.Format, Args: he.Args}
			}
			return err
		}
		setETag(w, &v)
		return writeJSON(w, http.StatusOK, &v)
	}
}

// pagedByID answers with a page of the list that belongs to the {id} in the path.
func pagedByID[T any](list func(context.Context, int64, homeward.Page) (homeward.List[T], error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		p, err := page(r)
		if err != nil {
			return err
		}
		l, err := list(r.Context(), id, p)
		return respondList(w, r, p, l, err)
	}
}

// childH creates a record that belongs to the {id} in the path.
func childH[T any](record string, setParent func(*T, int64), add func(context.Context, *T) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var v T
		if err := decode(r, record, &v); err != nil {
			return err
		}
		setParent(&v, id)
		if err := add(r.Context(), &v); err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, &v)
	}
}

func listByID[T any](list func(context.Context, int64) ([]T, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		v, err := list(r.Context(), id)
		if v == nil {
			v = []T{}
		}
		return respond(w, v, err)
	}
}

func (s *Server) withContainer(fn func(http.ResponseWriter, *http.Request, *homeward.Container) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.cfg.Containers.GetContainerByAccession(r.Context(), r.PathValue("accession"))
		if err != nil {
			return err
		}
		return fn(w, r, c)
	}
}

func subject(r *http.Request) (homeward.Subject, error) {
	id, err := queryInt(r, "subject_id")
	if err != nil {
		return homeward.Subject{}, err
	}
	sub := homeward.Subject{Type: r.URL.Query().Get("subject_type"), ID: id}
	return sub, sub.Validate("query")
}
