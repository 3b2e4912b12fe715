package graphql

// IsName reports whether s is a valid GraphQL name: /[_A-Za-z][_0-9A-Za-z]*/.
func IsName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || i > 0 && c >= '0' && c <= '9' {
			continue
		}
		return false
	}
	return s != ""
}
