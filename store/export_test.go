package store

// SetStatsPage makes Progress read identifications n at a time, so that paging is tested with few
// records; it returns a function that restores the default.
func SetStatsPage(n int) func() {
	old := statsPage
	statsPage = n
	return func() { statsPage = old }
}
