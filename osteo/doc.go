// Package osteo sorts commingled skeletal remains by their measurements, as forensic
// anthropologists do before DNA sampling: osteometric pair-matching of left and right elements,
// articulation of adjoining elements, and association of elements by size. It is a pure
// library: no storage, no HTTP.
//
// The statistics follow OsteoSort 1.4 (J. J. Lynch, DPAA; Byrd & Adams 2003; Byrd 2008; Byrd &
// LeGarde 2014; Lynch, Byrd & LeGarde 2018), with its defaults as this package's defaults, and
// are checked against reference values computed from OsteoSort's own R code
// (testdata/oracle, from ../shared/oracle/osteometric). One of OsteoSort's known defects is not
// reproduced: it compares p-values with alpha as text, so that a tiny p printed as "3e-05" reads
// as "cannot exclude"; here p-values are compared as numbers.
//
// Results are exclusions and possibilities, never matches: a comparison whose p-value is at most
// alpha excludes the two elements from one person; any other only fails to exclude it.
package osteo
