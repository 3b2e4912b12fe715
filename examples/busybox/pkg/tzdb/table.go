package tzdb

import "strconv"

var regions = [...]string{
	"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic",
	"Australia", "Europe", "Indian", "Pacific", "Etc", "Legacy",
}

// SHAPE heavy-init: the zone table is built eagerly while the package
// initializes: ~2000 zones with their transition lists, about 0.5 MB of heap
// allocated and kept, in every binary that links tzdb, whether or not a zone
// is ever looked up. (Behind sync.OnceValue it would cost nothing until
// first use.)
var zones = buildTable()

// buildTable expands the compact rule set into one Zone per name.
func buildTable() map[string]*Zone {
	const perRegion = 160
	m := make(map[string]*Zone)
	for r, region := range regions {
		for i := 0; i < perRegion; i++ {
			name := region + "/Zone_" + strconv.Itoa(i)
			base := int32((i%27 - 12) * 3600)
			n := 4 + i%5
			z := &Zone{
				Name:        name,
				Abbrev:      "Z" + strconv.Itoa(r*perRegion+i),
				Transitions: make([]int64, n),
				Offsets:     make([]int32, n+1),
			}
			z.Offsets[0] = base
			for k := 0; k < n; k++ {
				// DST-like rule: one hour ahead every other period.
				z.Transitions[k] = int64(946684800 + k*15778800 + i*60)
				z.Offsets[k+1] = base + int32((k+1)%2)*3600
			}
			m[name] = z
		}
	}
	return m
}
