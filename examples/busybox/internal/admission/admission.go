// Package admission is the admission controller component.
package admission

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"example.com/busybox/internal/cli"
	"example.com/busybox/pkg/grpcerr"
	"example.com/busybox/pkg/policy"
	"example.com/busybox/pkg/protohelp"
	"example.com/busybox/pkg/schema"
)

// Component describes the admission controller to the busybox dispatcher.
var Component = cli.Component{
	Name:    "admission",
	Summary: "admission controller: validates workload specifications",
	Main:    Main,
}

// Main runs the admission controller with args (without the program name).
func Main(args []string) int {
	fs := cli.FlagSet("admission", "admission [workload.json...]")
	if code, done := cli.Parse(fs, args); done {
		return code
	}
	if fs.NArg() == 0 {
		field, _ := protohelp.GraphQLName("policy_rules")
		fmt.Printf("admission: ready (%s=%d); pass workload files to review them\n", field, policy.Rules())
		return 0
	}
	review := grpcerr.Interceptor(reviewOne)
	code := 0
	for _, path := range fs.Args() {
		if _, err := review(context.Background(), path); err != nil {
			fmt.Printf("deny %s: %v\n", path, err)
			code = 1
			continue
		}
		fmt.Printf("allow %s\n", path)
	}
	return code
}

func reviewOne(_ context.Context, req any) (any, error) {
	b, err := os.ReadFile(req.(string))
	if err != nil {
		return nil, err
	}
	var obj map[string]any
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, &grpcerr.Status{Code: grpcerr.InvalidArgument, Msg: err.Error()}
	}
	if err := schema.Workload.Validate(obj); err != nil {
		return nil, &grpcerr.Status{Code: grpcerr.InvalidArgument, Msg: err.Error()}
	}
	spec, _ := obj["spec"].(map[string]any)
	containers, _ := spec["containers"].([]any)
	for _, c := range containers {
		image, _ := c.(map[string]any)["image"].(string)
		if why := policy.CheckImage(image); why != "" {
			return nil, &grpcerr.Status{Code: grpcerr.FailedPrecondition, Msg: image + ": " + why}
		}
	}
	return "allowed", nil
}
