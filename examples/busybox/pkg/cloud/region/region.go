// Package region names the cloud's regions and their partitions.
package region

import "strings"

// Region is a region identifier such as "eu-west-1".
type Region string

// Known regions.
const (
	USEast1      Region = "us-east-1"
	USWest2      Region = "us-west-2"
	EUWest1      Region = "eu-west-1"
	EUCentral1   Region = "eu-central-1"
	APNortheast1 Region = "ap-northeast-1"
	CNNorth1     Region = "cn-north-1"
	USGovWest1   Region = "us-gov-west-1"
)

// All lists the known regions.
var All = []Region{USEast1, USWest2, EUWest1, EUCentral1, APNortheast1, CNNorth1, USGovWest1}

// Partition returns the partition the region belongs to.
func (r Region) Partition() string {
	switch {
	case strings.HasPrefix(string(r), "cn-"):
		return "cloud-cn"
	case strings.HasPrefix(string(r), "us-gov-"):
		return "cloud-us-gov"
	}
	return "cloud"
}

// DNSSuffix returns the DNS suffix of the region's partition.
func (r Region) DNSSuffix() string {
	if r.Partition() == "cloud-cn" {
		return "cloud.example.cn"
	}
	return "cloud.example.com"
}

// Valid reports whether r is a known region.
func (r Region) Valid() bool {
	for _, k := range All {
		if k == r {
			return true
		}
	}
	return false
}
