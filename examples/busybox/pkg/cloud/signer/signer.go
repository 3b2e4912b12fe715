// Package signer signs HTTP requests with HMAC-SHA256 over a canonical form
// of the request.
package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sort"
	"strings"
	"time"

	"example.com/busybox/pkg/cloud/credentials"
)

// Signer signs requests for one service in one region.
type Signer struct {
	Service string
	Region  string
	Now     func() time.Time
}

// Sign adds the date, token and authorization headers to req.
// payloadHash is the hex SHA-256 of the body.
func (s *Signer) Sign(req *http.Request, creds credentials.Credentials, payloadHash string) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	t := now().UTC()
	stamp, day := t.Format("20060102T150405Z"), t.Format("20060102")
	req.Header.Set("X-Cloud-Date", stamp)
	if creds.SessionToken != "" {
		req.Header.Set("X-Cloud-Security-Token", creds.SessionToken)
	}
	names, canon := canonicalHeaders(req)
	canonical := strings.Join([]string{req.Method, req.URL.EscapedPath(), req.URL.RawQuery, canon, names, payloadHash}, "\n")
	scope := day + "/" + s.Region + "/" + s.Service + "/cloud_request"
	toSign := "CLOUD-HMAC-SHA256\n" + stamp + "\n" + scope + "\n" + hexSHA256(canonical)
	key := mac([]byte("CLOUD"+creds.SecretAccessKey), day)
	for _, part := range []string{s.Region, s.Service, "cloud_request"} {
		key = mac(key, part)
	}
	sig := hex.EncodeToString(mac(key, toSign))
	req.Header.Set("Authorization", "CLOUD-HMAC-SHA256 Credential="+creds.AccessKeyID+"/"+scope+
		", SignedHeaders="+names+", Signature="+sig)
}

func canonicalHeaders(req *http.Request) (names, canon string) {
	keys := make([]string, 0, len(req.Header)+1)
	for k := range req.Header {
		keys = append(keys, strings.ToLower(k))
	}
	keys = append(keys, "host")
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := req.Header.Get(k)
		if k == "host" {
			v = req.Host
			if v == "" {
				v = req.URL.Host
			}
		}
		b.WriteString(k + ":" + strings.TrimSpace(v) + "\n")
	}
	return strings.Join(keys, ";"), b.String()
}

func mac(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

func hexSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
