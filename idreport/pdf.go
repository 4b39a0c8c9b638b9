package idreport

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/homeward/homeward"
	"github.com/homeward/homeward/kinship"
)

// Fonts are the TrueType fonts a PDF is set in. They must cover every script a name may be written
// in (Hangul included); Homeward embeds Nanum Gothic (package assets).
type Fonts struct {
	Regular, Bold []byte
}

// ErrNoFonts is returned when the report fonts are not available.
var ErrNoFonts = errors.New("report fonts are not available (run scripts/assets, which installs Nanum Gothic)")

const (
	pageW, margin = 210.0, 15.0
	textW         = pageW - 2*margin
	lineH         = 5.0
)

// WritePDF renders the report as an A4 PDF. The same report gives the same bytes: the document's
// dates are the report's generation time.
func (r *Report) WritePDF(w io.Writer, fonts Fonts) error {
	if len(fonts.Regular) == 0 {
		return ErrNoFonts
	}
	if len(fonts.Bold) == 0 {
		fonts.Bold = fonts.Regular
	}
	x := r.Identification
	d := &doc{lang: r.Lang}
	title := d.wf("Identification report %d: %s", x.ID, Name(r.Person))
	pdf := r.newPDF(fonts, title, d)
	d.pdf = pdf
	pdf.SetFont("body", "B", 16)
	pdf.MultiCell(textW, 8, title, "", "L", false)
	pdf.SetFont("body", "", 10)
	pdf.MultiCell(textW, lineH, d.wf("Status: %s. %s", d.value("status", string(x.Status)), x.Summary), "", "L", false)
	for _, wmsg := range r.WarningsIn(r.Lang) {
		pdf.SetTextColor(179, 38, 30)
		pdf.MultiCell(textW, lineH, d.w("Warning: ")+wmsg, "", "L", false)
		pdf.SetTextColor(0, 0, 0)
	}
	d.person(r)
	d.remains(r)
	d.conclusion(x)
	d.evidence(r)
	d.review(x)
	d.family(r)
	d.heading("Summary for the family")
	for _, s := range r.FamilySummaryIn(r.Lang) {
		d.para(s)
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("identification %d report: %w", x.ID, err)
	}
	return pdf.Output(w)
}

// newPDF starts the document: A4, the fonts, its metadata dated by the report, the footer, the
// first page.
func (r *Report) newPDF(fonts Fonts, title string, d *doc) *fpdf.Fpdf {
	x := r.Identification
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(r.Generated)
	pdf.SetModificationDate(r.Generated)
	pdf.SetCatalogSort(true)
	pdf.AddUTF8FontFromBytes("body", "", fonts.Regular)
	pdf.AddUTF8FontFromBytes("body", "B", fonts.Bold)
	pdf.SetTitle(title, true)
	pdf.SetCreator("Homeward", true)
	pdf.SetAuthor(r.GeneratedBy, true)
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("body", "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(textW/2, 4, d.wf("Homeward identification %d, generated %s by %s", x.ID, r.Generated.Format("2006-01-02 15:04 UTC"), r.GeneratedBy), "", 0, "L", false, 0, "")
		pdf.CellFormat(textW/2, 4, d.wf("page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	return pdf
}

// person is section 1: the missing person and the loss incident.
func (d *doc) person(r *Report) {
	p := r.Person
	d.heading("1. The missing person")
	d.pairs([][2]string{
		{"Name", Name(p)},
		{"Service number", p.ServiceNumber},
		{"Nationality, branch", strings.Join(nonEmpty(p.Nationality, p.Branch), ", ")},
		{"Rank, unit", strings.Join(nonEmpty(p.Rank, p.Unit), ", ")},
		{"Date of loss", string(p.DateOfLoss)},
		{"Status", d.value("status", string(p.Status))},
	})
	if in := r.Incident; in != nil {
		where := in.Place
		if c := in.Coordinates; c.Lat != nil && c.Lon != nil {
			where += fmt.Sprintf(" (%.4f, %.4f)", *c.Lat, *c.Lon)
		}
		d.pairs([][2]string{{"Loss incident", in.Code + ", " + string(in.Kind)}, {"Place", where}, {"Incident date", string(in.Date)}})
	}
}

// remains is section 2: the remains linked to the identification.
func (d *doc) remains(r *Report) {
	d.heading("2. The remains")
	if len(r.Remains) == 0 {
		d.para("No remains are linked to this identification.")
	} else {
		rows := [][]string{}
		for _, rm := range r.Remains {
			rows = append(rows, []string{rm.Sample, rm.Specimen, rm.Element, rm.Container})
		}
		d.table([]string{"DNA sample", "Specimen", "Element", "Container"}, []float64{40, 50, 50, 40}, rows, nil)
	}
}

// conclusion is section 3: the combined LR, the prior and the posterior.
func (d *doc) conclusion(x *homeward.Identification) {
	d.heading("3. Conclusion and its probability")
	d.pairs([][2]string{{"Combined DNA likelihood ratio", FormatLR(deref(x.LR))}})
	if pr := x.Prior; pr != nil {
		d.pairs([][2]string{
			{"Prior", d.wf("%s (%s population, %d candidates)", FormatLR(pr.Prior), pr.Population, pr.Candidates)},
			{"Prior's basis", pr.Basis},
			{"Posterior probability", FormatProbability(deref(x.Posterior))},
		})
		d.para("Posterior = prior x LR / (prior x LR + 1 - prior): the DNA lines are taken as independent marker systems and their LRs multiplied; the prior is the probability of the identification before DNA, under the population stated.")
	} else {
		d.para("No prior was stated, so no posterior probability is given.")
	}
}

// evidence is section 4: every evidence line, DNA lines recomputed.
func (d *doc) evidence(r *Report) {
	d.heading("4. Evidence")
	for i, l := range r.Evidence {
		d.sub(d.wf("4.%d %s (line %d)", i+1, d.value("kind", string(l.Kind)), l.ID))
		pairs := [][2]string{{"Analyst, date", l.Analyst + ", " + string(l.Date)}, {"Conclusion", d.value("conclusion", string(l.Conclusion))}}
		if l.LR != nil {
			pairs = append(pairs, [2]string{"Likelihood ratio (recorded)", FormatLR(*l.LR)})
		}
		if l.Stale {
			pairs = append(pairs, [2]string{"Stale", d.w("an input changed after this line was computed")})
		}
		d.pairs(pairs)
		d.para(l.Summary)
		if l.DNA != nil {
			d.dna(l.DNA)
		}
	}
}

// review is section 5: the author, the stages and every transition.
func (d *doc) review(x *homeward.Identification) {
	d.heading("5. Review")
	rows := [][]string{}
	for _, t := range x.History {
		from := string(t.From) + " > "
		if t.From == "" {
			from = "created as "
		}
		rows = append(rows, []string{t.At.UTC().Format("2006-01-02 15:04"), from + string(t.To), t.Stage, t.By, t.Comment})
	}
	d.para(d.wf("Author: %s. Stages: %s.", x.Author, strings.Join(x.Stages, ", ")))
	d.table([]string{"When (UTC)", "Transition", "Stage", "By", "Comment"}, []float64{33, 40, 32, 27, 48}, rows, nil)
}

// family is section 6: notifications of the family and the disposition.
func (d *doc) family(r *Report) {
	d.heading("6. Family and disposition")
	if len(r.Notifications) == 0 {
		d.para("No notification of the family is recorded.")
	} else {
		names := map[int64]string{}
		for _, m := range r.Relatives {
			names[m.ID] = homeward.DisplayName(m.FamilyName, m.GivenNames) + " (" + m.Relationship + ")"
		}
		rows := [][]string{}
		for _, n := range r.Notifications {
			rows = append(rows, []string{n.At.UTC().Format("2006-01-02 15:04"), names[n.FamilyMemberID], string(n.Method), n.By, n.Notes})
		}
		d.table([]string{"When (UTC)", "Family member", "How", "By", "Notes"}, []float64{33, 50, 22, 25, 50}, rows, nil)
	}
	if dp := r.Disposition; dp != nil {
		eff := d.w("not returned")
		if dp.EffectsReturned {
			eff = d.w("returned")
		}
		d.pairs([][2]string{{"Disposition", fmt.Sprintf("%s, %s, %s", d.value("disposition", string(dp.Kind)), dp.Place, dp.Date)}, {"Personal effects", strings.TrimSpace(eff + " " + dp.EffectsNote)}})
	}
}

// doc writes the report's parts; lang "ko" writes its own words in Korean (the records' words,
// names and figures as they are).
type doc struct {
	pdf  *fpdf.Fpdf
	lang string
}

// w is an English text of the report in the document's language.
func (d *doc) w(en string) string {
	if ko, ok := pdfKorean[en]; ok && d.lang == "ko" {
		return ko
	}
	return en
}

// value is a value of a closed list (status, kind, conclusion, disposition) in the document's
// language; in English as recorded, underscores as spaces.
func (d *doc) value(list, v string) string {
	if ko, ok := pdfKorean[list+":"+v]; ok && d.lang == "ko" {
		return ko
	}
	return strings.ReplaceAll(v, "_", " ")
}

// say is wf with the values of closed lists (statuses, evidence kinds) written as value does.
func (d *doc) say(en string, vals ...any) string {
	args := append([]any{}, vals...)
	for i, a := range args {
		switch x := a.(type) {
		case homeward.IdentStatus:
			args[i] = d.value("status", string(x))
		case homeward.EvidenceKind:
			args[i] = d.value("kind", string(x))
		}
	}
	return d.wf(en, args...)
}

// wf is w for a sentence with values (its key the English format).
func (d *doc) wf(en string, args ...any) string { return fmt.Sprintf(d.w(en), args...) }

func (d *doc) heading(s string) {
	d.pdf.Ln(3)
	d.pdf.SetFont("body", "B", 13)
	d.pdf.MultiCell(textW, 7, d.w(s), "B", "L", false)
	d.pdf.Ln(1)
	d.pdf.SetFont("body", "", 10)
}

func (d *doc) sub(s string) {
	d.pdf.Ln(2)
	d.pdf.SetFont("body", "B", 11)
	d.pdf.MultiCell(textW, 6, s, "", "L", false)
	d.pdf.SetFont("body", "", 10)
}

func (d *doc) para(s string) {
	if s == "" {
		return
	}
	d.pdf.MultiCell(textW, lineH, d.w(s), "", "L", false)
	d.pdf.Ln(1)
}

// pairs writes label: value lines, skipping empty values.
func (d *doc) pairs(kv [][2]string) {
	for _, p := range kv {
		if strings.TrimSpace(p[1]) == "" {
			continue
		}
		d.pdf.SetFont("body", "B", 10)
		d.pdf.CellFormat(55, lineH, d.w(p[0]), "", 0, "L", false, 0, "")
		d.pdf.SetFont("body", "", 10)
		d.pdf.MultiCell(textW-55, lineH, p[1], "", "L", false)
	}
}

// table draws a table with a header row; cells wrap, and a row too tall for the page starts a
// new page with the header repeated. align gives a column's alignment ("L" by default).
func (d *doc) table(head []string, widths []float64, rows [][]string, align []string) {
	pdf := d.pdf
	fontSize := 9.0
	h := 4.5
	drawRow := func(cells []string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont("body", style, fontSize)
		lines := 1
		split := make([][]string, len(cells))
		for i, c := range cells {
			split[i] = pdf.SplitText(c, widths[i]-2)
			if len(split[i]) == 0 {
				split[i] = []string{""}
			}
			lines = max(lines, len(split[i]))
		}
		rowH := float64(lines)*h + 1
		_, pageH := pdf.GetPageSize()
		if pdf.GetY()+rowH > pageH-20 {
			pdf.AddPage()
			if !bold {
				drawHead(pdf, head, widths, h, fontSize)
				pdf.SetFont("body", style, fontSize)
			}
		}
		x0, y0 := pdf.GetX(), pdf.GetY()
		x := x0
		for i := range cells {
			if bold {
				pdf.SetFillColor(225, 232, 240)
				pdf.Rect(x, y0, widths[i], rowH, "F")
			}
			pdf.Rect(x, y0, widths[i], rowH, "D")
			a := "L"
			if i < len(align) && align[i] != "" {
				a = align[i]
			}
			for k, ln := range split[i] {
				pdf.SetXY(x+1, y0+0.5+float64(k)*h)
				pdf.CellFormat(widths[i]-2, h, ln, "", 0, a, false, 0, "")
			}
			x += widths[i]
		}
		pdf.SetXY(x0, y0+rowH)
	}
	for i := range head {
		head[i] = d.w(head[i])
	}
	drawRow(head, true)
	for _, r := range rows {
		drawRow(r, false)
	}
	pdf.SetFont("body", "", 10)
	pdf.Ln(2)
}

func drawHead(pdf *fpdf.Fpdf, head []string, widths []float64, h, size float64) {
	pdf.SetFont("body", "B", size)
	x0, y0 := pdf.GetX(), pdf.GetY()
	x := x0
	for i, c := range head {
		pdf.SetFillColor(225, 232, 240)
		pdf.Rect(x, y0, widths[i], h+1, "FD")
		pdf.SetXY(x+1, y0+0.5)
		pdf.CellFormat(widths[i]-2, h, c, "", 0, "L", false, 0, "")
		x += widths[i]
	}
	pdf.SetXY(x0, y0+h+1)
}

// dna writes a DNA line's recomputation: the relatives, the pedigree drawing and the per-marker
// LR table.
func (d *doc) dna(x *DNADetail) {
	if x.Error != "" {
		d.para(d.w("This line could not be recomputed from its stored inputs: ") + x.Error)
		return
	}
	d.pairs([][2]string{
		{"Victim sample", x.Victim},
		{"Reference family", x.Family + d.wf(" (missing person: %s)", x.Target)},
		{"Allele frequencies", x.FrequencyDB},
		{"LR recomputed", FormatLR(x.LR)},
	})
	if x.Agrees {
		d.para("The LR recomputed from the stored profiles, pedigree and frequencies agrees with the recorded LR.")
	} else {
		d.para("The LR recomputed from the stored inputs does NOT agree with the recorded LR.")
	}
	var rel []string
	for _, r := range x.Relatives {
		rel = append(rel, r.ID+": "+r.Relation)
	}
	d.para(d.w("Typed relatives: ") + strings.Join(rel, "; ") + ".")
	if x.pedigree != nil {
		d.pedigree(x.pedigree, x.typed, x.Target)
	}
	refs := x.ReferenceIDs()
	head := append([]string{"Marker", x.Victim}, refs...)
	head = append(head, "LR")
	widths := []float64{30, 30}
	rest := textW - 30 - 30 - 30
	for range refs {
		widths = append(widths, rest/float64(max(1, len(refs))))
	}
	widths = append(widths, 30)
	align := make([]string, len(head))
	align[len(align)-1] = "R"
	rows := [][]string{}
	for _, m := range x.Markers {
		row := []string{m.Marker, dash(m.Victim)}
		for _, id := range refs {
			row = append(row, dash(m.References[id]))
		}
		rows = append(rows, append(row, FormatLR(m.LR)))
	}
	total := make([]string, len(head))
	total[0], total[len(total)-1] = d.w("Product"), FormatLR(x.LR)
	rows = append(rows, total)
	d.table(head, widths, rows, align)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// pedigree draws the family's chart (kinship.Pedigree.Layout) scaled to the text width: typed
// members filled, the missing person outlined in red with a question mark.
func (d *doc) pedigree(ped *kinship.Pedigree, typed map[string]bool, target string) {
	pdf := d.pdf
	lay := ped.Layout()
	scale := min(textW/lay.Width, 0.25)
	bottom := 0.0
	for _, n := range lay.Nodes {
		bottom = max(bottom, n.Y+kinship.DrawRadius+16)
	}
	hgt := bottom * scale
	_, pageH := pdf.GetPageSize()
	if pdf.GetY()+hgt > pageH-20 {
		pdf.AddPage()
	}
	x0, y0 := margin+(textW-lay.Width*scale)/2, pdf.GetY()
	px := func(x, y float64) (float64, float64) { return x0 + x*scale, y0 + y*scale }
	pdf.SetLineWidth(0.3)
	pdf.SetDrawColor(0, 0, 0)
	for _, l := range lay.Lines {
		for i := 1; i < len(l); i++ {
			ax, ay := px(l[i-1][0], l[i-1][1])
			bx, by := px(l[i][0], l[i][1])
			pdf.Line(ax, ay, bx, by)
		}
	}
	r := kinship.DrawRadius * scale
	for _, n := range lay.Nodes {
		x, y := px(n.X, n.Y)
		pdf.SetFillColor(255, 255, 255)
		if typed[n.ID] {
			pdf.SetFillColor(143, 179, 217)
		}
		pdf.SetLineWidth(0.3)
		pdf.SetDrawColor(0, 0, 0)
		if n.ID == target {
			pdf.SetLineWidth(0.8)
			pdf.SetDrawColor(179, 38, 30)
		}
		switch n.Sex {
		case kinship.Male:
			pdf.Rect(x-r, y-r, 2*r, 2*r, "FD")
		case kinship.Female:
			pdf.Circle(x, y, r, "FD")
		default:
			pdf.Polygon([]fpdf.PointType{{X: x, Y: y - r}, {X: x + r, Y: y}, {X: x, Y: y + r}, {X: x - r, Y: y}}, "FD")
		}
		pdf.SetFont("body", "", 7)
		if n.ID == target {
			pdf.SetFont("body", "B", 9)
			pdf.SetTextColor(179, 38, 30)
			pdf.SetXY(x-r, y-2)
			pdf.CellFormat(2*r, 4, "?", "", 0, "C", false, 0, "")
			pdf.SetTextColor(0, 0, 0)
			pdf.SetFont("body", "", 7)
		}
		pdf.SetXY(x-15, y+r+0.5)
		pdf.CellFormat(30, 3, n.ID, "", 0, "C", false, 0, "")
	}
	pdf.SetLineWidth(0.2)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetXY(margin, y0+hgt+2)
	pdf.SetFont("body", "", 10)
}

// FormatProbability writes a posterior for the report with enough digits to tell it from 1.
func FormatProbability(p float64) string { return FormatProbabilityIn("en", p) }

// FormatProbabilityIn is FormatProbability in a language: "ko" for Korean ("99.99999% 이상"),
// else English.
func FormatProbabilityIn(lang string, p float64) string {
	w := english
	if lang == "ko" {
		w = korean
	}
	if p != p {
		return w.notComputed
	}
	return plainProbability(w, p)
}
