package casejson

import (
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/homeward/homeward/kinship"
)

// SolveKinship reads a kinship case and computes every hypothesis's likelihood per marker and the
// LRs against the reference hypothesis.
func SolveKinship(r io.Reader) (*KinshipResult, error) {
	c, err := Read(r)
	if err != nil {
		return nil, err
	}
	return c.SolveKinship()
}

// SolveKinship computes the case.
func (c *Case) SolveKinship() (*KinshipResult, error) {
	if c.Type != "kinship" {
		return nil, fmt.Errorf("case %s: type %q is not kinship", c.Name, c.Type)
	}
	if len(c.Hypotheses) < 1 {
		return nil, fmt.Errorf("case %s: no hypotheses", c.Name)
	}
	markers, err := c.KinshipMarkers()
	if err != nil {
		return nil, err
	}
	hyps, err := c.kinshipHypotheses()
	if err != nil {
		return nil, err
	}
	genos, err := c.genotypeIndexes(markers)
	if err != nil {
		return nil, err
	}
	obs, err := c.Observations(markers)
	if err != nil {
		return nil, err
	}
	res := &KinshipResult{Schema: "homeward/expected/v1", Case: c.Name, Type: "kinship", Reference: c.Reference, Theta: c.Theta,
		LoglikPerMarker: map[string][]Float{}, LoglikTotal: map[string]Float{}, LikelihoodPerMarker: map[string][]Float{},
		LRPerMarker: map[string][]Float{}, LRTotal: map[string]Float{}, Log10LRTotal: map[string]Float{}, Inconsistencies: map[string][]int{}}
	c.reportMarkers(res, markers)
	for _, h := range hyps {
		if err := c.likelihoods(res, h, markers, genos, obs); err != nil {
			return nil, err
		}
	}
	c.likelihoodRatios(res, hyps, len(markers))
	return res, nil
}

// kinshipHypotheses builds each hypothesis' pedigrees, checking that the reference is one of them.
func (c *Case) kinshipHypotheses() ([]kinship.Hypothesis, error) {
	hyps := make([]kinship.Hypothesis, len(c.Hypotheses))
	refFound := false
	for i, hj := range c.Hypotheses {
		if hj.Name == "" {
			return nil, fmt.Errorf("case %s: hypotheses[%d]: name is required", c.Name, i)
		}
		refFound = refFound || hj.Name == c.Reference
		h := kinship.Hypothesis{Name: hj.Name}
		for k, comp := range hj.Components {
			ped, err := kinship.NewPedigree(People(comp.Individuals))
			if err != nil {
				return nil, fmt.Errorf("case %s: hypothesis %s component %d: %w", c.Name, hj.Name, k+1, err)
			}
			for id := range comp.FounderInbreeding {
				if i := ped.Index(id); i < 0 || !ped.IsFounder(i) {
					return nil, fmt.Errorf("case %s: hypothesis %s component %d: founder_inbreeding names %q, which is not a founder of the component", c.Name, hj.Name, k+1, id)
				}
			}
			ped.FounderInbreeding = comp.FounderInbreeding
			h.Components = append(h.Components, ped)
		}
		hyps[i] = h
	}
	if !refFound {
		return nil, fmt.Errorf("case %s: reference_hypothesis %q is not among the hypotheses", c.Name, c.Reference)
	}
	return hyps, nil
}

// genotypeIndexes is every typed individual's genotype as allele indexes, one map per marker.
func (c *Case) genotypeIndexes(markers []*kinship.Marker) ([]map[string]kinship.Genotype, error) {
	genos := make([]map[string]kinship.Genotype, len(markers))
	for i := range genos {
		genos[i] = map[string]kinship.Genotype{}
	}
	ids := make([]string, 0, len(c.Genotypes))
	for id := range c.Genotypes {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	markerIndex := map[string]int{}
	for i, m := range markers {
		markerIndex[m.Name] = i
	}
	for _, id := range ids {
		for mk, al := range c.Genotypes[id] {
			mi, ok := markerIndex[mk]
			if !ok {
				return nil, fmt.Errorf("case %s: individual %s is typed at marker %s, which the case does not define", c.Name, id, mk)
			}
			if len(al) != 2 {
				return nil, fmt.Errorf("case %s: individual %s marker %s: %d alleles, want 2", c.Name, id, mk, len(al))
			}
			var g kinship.Genotype
			for k, a := range al {
				g[k] = markers[mi].AlleleIndex(a)
				if g[k] < 0 {
					return nil, fmt.Errorf("case %s: individual %s marker %s: allele %q is not in the marker's allele list (add it to the frequency database with an explicit rule)", c.Name, id, mk, a)
				}
			}
			genos[mi][id] = g
		}
	}
	return genos, nil
}

// reportMarkers lists the markers and the properties of their mutation models.
func (c *Case) reportMarkers(res *KinshipResult, markers []*kinship.Marker) {
	for i, m := range markers {
		res.Markers = append(res.Markers, m.Name)
		if mj := c.Markers[i].Mutation; mj != nil && (m.MutFemale != nil || m.MutMale != nil) {
			if res.MutationModels == nil {
				res.MutationModels = map[string]MutationReport{}
			}
			var rep MutationReport
			if mj.Female != nil {
				rep.Female = modelProperties(mj.Female.Model, m.MutFemale, m.Freqs)
			}
			if mj.Male != nil {
				rep.Male = modelProperties(mj.Male.Model, m.MutMale, m.Freqs)
			}
			res.MutationModels[m.Name] = rep
		}
	}
}

// likelihoods computes a hypothesis' likelihood at each marker and its Mendelian inconsistencies.
func (c *Case) likelihoods(res *KinshipResult, h kinship.Hypothesis, markers []*kinship.Marker, genos []map[string]kinship.Genotype, obs []map[string]kinship.Observation) error {
	res.Hypotheses = append(res.Hypotheses, h.Name)
	lls := make([]Float, len(markers))
	ls := make([]Float, len(markers))
	inc := make([]int, len(markers))
	total := 0.0
	for mi, m := range markers {
		l, err := kinship.LikelihoodObserved(h, m, genos[mi], obs[mi], c.Theta)
		if err != nil {
			return fmt.Errorf("case %s: hypothesis %s: %w", c.Name, h.Name, err)
		}
		ls[mi], lls[mi] = Float(l), Float(math.Log(l))
		total += math.Log(l)
		inc[mi] = kinship.MendelianInconsistencies(h, genos[mi], m.X)
	}
	res.LoglikPerMarker[h.Name] = lls
	res.LikelihoodPerMarker[h.Name] = ls
	res.LoglikTotal[h.Name] = Float(total)
	res.Inconsistencies[h.Name] = inc
	return nil
}

// likelihoodRatios divides each hypothesis' likelihoods by the reference's, noting hypotheses the
// markers cannot tell from it.
func (c *Case) likelihoodRatios(res *KinshipResult, hyps []kinship.Hypothesis, nMarkers int) {
	ref := c.Reference
	for _, h := range hyps {
		key := h.Name + ":" + ref
		lr := make([]Float, nMarkers)
		for mi := range nMarkers {
			lr[mi] = res.LikelihoodPerMarker[h.Name][mi] / res.LikelihoodPerMarker[ref][mi]
		}
		res.LRPerMarker[key] = lr
		d := float64(res.LoglikTotal[h.Name] - res.LoglikTotal[ref])
		res.LRTotal[key] = Float(math.Exp(d))
		res.Log10LRTotal[key] = Float(d / math.Ln10)
		if h.Name != ref && nMarkers > 0 && allOne(lr) {
			res.Notes = append(res.Notes, fmt.Sprintf("%s: the LR is 1 at every marker: %s and %s are not separable with these markers "+
				"(without linkage, relationships with the same IBD coefficients, such as half-siblings, grandparent and avuncular, have the same likelihood)", key, h.Name, ref))
		}
	}
}

// Observations converts allele_observations under the dropout model: one map (donor ->
// observation) per marker of markers (the case's, converted); a marker a donor was not analysed
// at has no entry.
func (c *Case) Observations(markers []*kinship.Marker) ([]map[string]kinship.Observation, error) {
	markerIndex := map[string]int{}
	for i, m := range markers {
		markerIndex[m.Name] = i
	}
	out := make([]map[string]kinship.Observation, len(markers))
	if len(c.AlleleObservations) == 0 {
		return out, nil
	}
	if c.Dropout == nil {
		return nil, fmt.Errorf("case %s: allele_observations without a dropout model", c.Name)
	}
	if c.Dropout.Model != "relMix" {
		return nil, fmt.Errorf("case %s: dropout model %q is not supported (relMix)", c.Name, c.Dropout.Model)
	}
	for i := range out {
		out[i] = map[string]kinship.Observation{}
	}
	donors := make([]string, 0, len(c.AlleleObservations))
	for id := range c.AlleleObservations {
		donors = append(donors, id)
	}
	sort.Strings(donors)
	for _, id := range donors {
		rate, ok := c.Dropout.Persons[id]
		if !ok || rate.DHet == nil || rate.DHom == nil {
			return nil, fmt.Errorf("case %s: dropout.persons.%s: d_het and d_hom are required for a donor with observations", c.Name, id)
		}
		if _, typed := c.Genotypes[id]; typed {
			return nil, fmt.Errorf("case %s: %s has both genotypes and allele_observations; a person is either an exact reference or a degraded sample", c.Name, id)
		}
		model := kinship.Dropout{DHet: *rate.DHet, DHom: *rate.DHom, DropIn: c.Dropout.DropIn}
		if err := model.Validate(); err != nil {
			return nil, fmt.Errorf("case %s: donor %s: %w", c.Name, id, err)
		}
		for mk, als := range c.AlleleObservations[id] {
			mi, ok := markerIndex[mk]
			if !ok {
				return nil, fmt.Errorf("case %s: allele_observations.%s: marker %s is not defined by the case", c.Name, id, mk)
			}
			o := kinship.Observation{Model: model, Alleles: []int{}}
			seen := map[int]bool{}
			for _, a := range als {
				k := markers[mi].AlleleIndex(a)
				if k < 0 {
					return nil, fmt.Errorf("case %s: allele_observations.%s.%s: allele %q is not in the marker's allele list", c.Name, id, mk, a)
				}
				if seen[k] {
					return nil, fmt.Errorf("case %s: allele_observations.%s.%s: allele %q listed twice", c.Name, id, mk, a)
				}
				seen[k] = true
				o.Alleles = append(o.Alleles, k)
			}
			out[mi][id] = o
		}
	}
	return out, nil
}

// allOne reports whether every LR is 1 up to rounding.
func allOne(lr []Float) bool {
	for _, x := range lr {
		if math.Abs(float64(x)-1) > 1e-9 {
			return false
		}
	}
	return true
}
