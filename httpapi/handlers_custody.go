package httpapi

import (
	"net/http"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/blob"
)

// verifyCustodyLog verifies every chain and the custody log and, with blobs=true, re-hashes every photo and document.
func (s *Server) verifyCustodyLog(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.cfg.Custody.VerifyCustodyLog(r.Context(), nil)
	if err != nil || r.URL.Query().Get("blobs") != "true" {
		return respond(w, rep, err)
	}
	if s.cfg.Blob == nil {
		return homeward.Errorf(homeward.EUNAVAILABLE, "no blob store configured")
	}
	refs, err := s.cfg.Evidence.BlobRefs(r.Context())
	if err != nil {
		return err
	}
	probs, err := blob.VerifyRefs(r.Context(), s.cfg.Blob, refs)
	rep.Blobs, rep.Problems = len(refs), append(rep.Problems, probs...)
	return respond(w, rep, err)
}
