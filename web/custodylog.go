package web

import (
	"net/http"
	"strings"

	"github.com/homeward/homeward"
)

type custodyLogData struct {
	Report     *homeward.CustodyLogReport
	Checkpoint string
	Since      string
	Checked    bool
	SinceOK    bool
}

// custodyLog shows the custody log's verification, its newest checkpoint to keep elsewhere, and
// checks a checkpoint pasted back against the log as it is now.
func (h *Handler) custodyLog(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	ctx := r.Context()
	var d custodyLogData
	var earlier [][]byte
	if r.Method == http.MethodPost {
		// Browsers send a textarea's lines ending in CR LF; a signed note is exact about LF.
		d.Since = strings.TrimSpace(strings.ReplaceAll(r.FormValue("since"), "\r\n", "\n"))
		if d.Since == "" || len(d.Since) > 64<<10 {
			h.fail(w, u, homeward.FieldErrorf("since", "paste a checkpoint (homeward custody checkpoint), at most 64 KB"))
			return
		}
		earlier = append(earlier, []byte(d.Since+"\n"))
		d.Checked = true
	}
	rep, err := h.cfg.Custody.VerifyCustodyLog(ctx, earlier)
	if err != nil {
		h.fail(w, u, err)
		return
	}
	d.Report, d.SinceOK = rep, rep.OK()
	if msg, err := h.cfg.Custody.NewestCheckpoint(ctx); err == nil {
		d.Checkpoint = string(msg)
	}
	h.render(w, http.StatusOK, "custodylog", page{Title: "Custody log", User: u, Data: d})
}
