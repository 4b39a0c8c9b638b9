package web

import (
	"net/http"
	"net/url"

	"github.com/homeward/homeward"
)

// specimenFields are the specimen form's fields.
var specimenFields = []string{"code", "element", "side", "portion", "weight_g", "description"}

// addSpecimen inventories a specimen of the container (a bone or tooth taken out at opening):
// refused values are shown beside their fields with what was typed; nothing is stored on refusal.
func (h *Handler) addSpecimen(w http.ResponseWriter, r *http.Request, u *homeward.User) {
	c, err := h.cfg.Containers.GetContainerByAccession(r.Context(), r.PathValue("accession"))
	if err != nil {
		h.fail(w, u, err)
		return
	}
	f := readForm(r, specimenFields...)
	sp := &homeward.Specimen{ContainerID: c.ID, Code: f.Values["code"], Element: f.Values["element"], Side: homeward.Side(f.Values["side"]),
		Portion: f.Values["portion"], Description: f.Values["description"]}
	sp.WeightG, err = formFloat(f, "weight_g")
	if err == nil {
		err = h.cfg.Containers.CreateSpecimen(r.Context(), sp)
	}
	if err != nil {
		f.refuse(err)
		h.labPage(w, r, u, http.StatusUnprocessableEntity, f)
		return
	}
	http.Redirect(w, r, "/containers/"+url.PathEscape(c.Accession)+"/lab?flash="+url.QueryEscape("Specimen added "+sp.Code), http.StatusSeeOther)
}
