package policy

import (
	"os"
	"strings"
)

// SHAPE eager-init-repeated: seven package-level labels built the same way;
// heft folds them into one finding ("7 × newLabel(...)") instead of seven.
var (
	labelTeam       = newLabel("team")
	labelTier       = newLabel("tier")
	labelOwner      = newLabel("owner")
	labelCostCenter = newLabel("cost-center")
	labelEnv        = newLabel("env")
	labelRegion     = newLabel("region")
	labelZone       = newLabel("zone")
)

// SHAPE cheap-init: reading an environment variable costs nothing worth
// deferring; heft does not report it.
var policyHome = os.Getenv("POLICY_HOME")

// SHAPE unreferenced-map: a map literal in an unexported variable that no
// code names. Since Go 1.21 the linker drops its initialization, so heft
// does not count it as an eager cost.
var legacyCodes = map[string]int{
	"code-000": 0,
	"code-001": 1,
	"code-002": 2,
	"code-003": 3,
	"code-004": 4,
	"code-005": 5,
	"code-006": 6,
	"code-007": 7,
	"code-008": 8,
	"code-009": 9,
	"code-010": 10,
	"code-011": 11,
	"code-012": 12,
	"code-013": 13,
	"code-014": 14,
	"code-015": 15,
	"code-016": 16,
	"code-017": 17,
	"code-018": 18,
	"code-019": 19,
	"code-020": 20,
	"code-021": 21,
	"code-022": 22,
	"code-023": 23,
	"code-024": 24,
	"code-025": 25,
	"code-026": 26,
	"code-027": 27,
	"code-028": 28,
	"code-029": 29,
	"code-030": 30,
	"code-031": 31,
	"code-032": 32,
	"code-033": 33,
	"code-034": 34,
	"code-035": 35,
	"code-036": 36,
	"code-037": 37,
	"code-038": 38,
	"code-039": 39,
	"code-040": 40,
	"code-041": 41,
	"code-042": 42,
	"code-043": 43,
	"code-044": 44,
	"code-045": 45,
	"code-046": 46,
	"code-047": 47,
	"code-048": 48,
	"code-049": 49,
	"code-050": 50,
	"code-051": 51,
	"code-052": 52,
	"code-053": 53,
	"code-054": 54,
	"code-055": 55,
	"code-056": 56,
	"code-057": 57,
	"code-058": 58,
	"code-059": 59,
	"code-060": 60,
	"code-061": 61,
	"code-062": 62,
	"code-063": 63,
	"code-064": 64,
	"code-065": 65,
	"code-066": 66,
	"code-067": 67,
	"code-068": 68,
	"code-069": 69,
	"code-070": 70,
	"code-071": 71,
	"code-072": 72,
	"code-073": 73,
	"code-074": 74,
	"code-075": 75,
	"code-076": 76,
	"code-077": 77,
	"code-078": 78,
	"code-079": 79,
	"code-080": 80,
	"code-081": 81,
	"code-082": 82,
	"code-083": 83,
	"code-084": 84,
	"code-085": 85,
	"code-086": 86,
	"code-087": 87,
	"code-088": 88,
	"code-089": 89,
	"code-090": 90,
	"code-091": 91,
	"code-092": 92,
	"code-093": 93,
	"code-094": 94,
	"code-095": 95,
	"code-096": 96,
	"code-097": 97,
	"code-098": 98,
	"code-099": 99,
	"code-100": 100,
	"code-101": 101,
	"code-102": 102,
	"code-103": 103,
	"code-104": 104,
	"code-105": 105,
	"code-106": 106,
	"code-107": 107,
	"code-108": 108,
	"code-109": 109,
	"code-110": 110,
	"code-111": 111,
	"code-112": 112,
	"code-113": 113,
	"code-114": 114,
	"code-115": 115,
	"code-116": 116,
	"code-117": 117,
	"code-118": 118,
	"code-119": 119,
}

// Label is a key that workload specifications are checked for.
type Label struct {
	Key      string
	Required bool
}

func newLabel(key string) *Label {
	return &Label{Key: strings.ToUpper(key), Required: key != "zone"}
}

// Required says whether a workload must carry the label.
func Required(key string) bool {
	for _, l := range []*Label{labelTeam, labelTier, labelOwner, labelCostCenter, labelEnv, labelRegion, labelZone} {
		if l.Key == strings.ToUpper(key) {
			return l.Required || policyHome != ""
		}
	}
	return false
}
