// Package endpoints resolves a service's endpoint in a region.
package endpoints

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"

	"example.com/busybox/pkg/cloud/region"
)

// Endpoint is a resolved service endpoint.
type Endpoint struct {
	URL           string `json:"url"`
	SigningRegion string `json:"signingRegion"`
	SigningName   string `json:"signingName"`
}

// Resolve returns the endpoint of service in r. CLOUD_ENDPOINT_OVERRIDES may
// hold a JSON object mapping "service/region" to an Endpoint.
func Resolve(service string, r region.Region) (Endpoint, error) {
	if !r.Valid() {
		return Endpoint{}, fmt.Errorf("endpoints: unknown region %q", r)
	}
	if raw := os.Getenv("CLOUD_ENDPOINT_OVERRIDES"); raw != "" {
		var over map[string]Endpoint
		if err := json.Unmarshal([]byte(raw), &over); err != nil {
			return Endpoint{}, fmt.Errorf("endpoints: CLOUD_ENDPOINT_OVERRIDES: %w", err)
		}
		if e, ok := over[service+"/"+string(r)]; ok {
			return e, nil
		}
	}
	u := url.URL{Scheme: "https", Host: service + "." + string(r) + "." + r.DNSSuffix()}
	return Endpoint{URL: u.String(), SigningRegion: string(r), SigningName: service}, nil
}
