package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/homeward/homeward"
)

// An analyst inventories a specimen on the laboratory page: a code already used and a weight that
// is not a number are refused beside their fields with what was typed kept, nothing stored; then
// it is stored, listed, and read back through the API. A viewer sees no form.
func TestE2EAddSpecimen(t *testing.T) {
	ctx := browser(t)
	w := newWorld(t)
	base := w.srv.URL
	addUser(t, w, "lab1", homeward.RoleAnalyst)
	run(t, ctx, signIn(base, "lab1"), chromedp.Navigate(base+"/containers/K55-001/lab"), chromedp.WaitVisible("#add-specimen"),
		chromedp.SendKeys("#sp-code", "K55-001-S1"), chromedp.SendKeys("#sp-element", "humerus"), chromedp.SetValue("#sp-side", "right"),
		chromedp.SendKeys("#sp-weight_g", "heavy"), chromedp.Click("#add-specimen"), chromedp.WaitVisible("#err-sp-weight_g"))
	if v := value(t, ctx, "#sp-element"); v != "humerus" {
		t.Errorf("element lost on refusal: %q", v)
	}
	run(t, ctx, chromedp.Clear("#sp-weight_g"), chromedp.SendKeys("#sp-weight_g", "212.5"), chromedp.Click("#add-specimen"), chromedp.WaitVisible("#err-sp-code"))
	run(t, ctx, chromedp.Clear("#sp-code"), chromedp.SendKeys("#sp-code", "K55-001-S3"), chromedp.Click("#add-specimen"),
		chromedp.WaitVisible(flash("K55-001-S3")))
	if inv := text(t, ctx, "#inventory"); !strings.Contains(inv, "K55-001-S3") || !strings.Contains(inv, "humerus") {
		t.Errorf("inventory: %q", inv)
	}
	c, err := w.db.GetContainerByAccession(adminCtx(), "K55-001")
	if err != nil {
		t.Fatal(err)
	}
	var l homeward.List[homeward.Specimen]
	apiGet(t, w, "lab1", "/api/v1/containers/K55-001/specimens", &l)
	if l.Total != 3 {
		t.Fatalf("API: %d specimens of container %d, want 3", l.Total, c.ID)
	}
	for _, sp := range l.Items {
		if sp.Code == "K55-001-S3" && (sp.Side != homeward.SideRight || sp.WeightG == nil || *sp.WeightG != 212.5) {
			t.Errorf("stored: %+v", sp)
		}
	}
	addUser(t, w, "viewer1", homeward.RoleViewer)
	run(t, ctx, signIn(base, "viewer1"), chromedp.Navigate(base+"/containers/K55-001/lab"), chromedp.WaitVisible("#inventory"))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#add-specimen").length`)); err != nil || n != 0 {
		t.Errorf("a viewer has the form (%d, %v)", n, err)
	}
}
