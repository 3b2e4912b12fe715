// Package grpcerr maps errors to RPC status codes for the admission API.
package grpcerr

import (
	"context"
	"errors"
)

// Code is an RPC status code.
type Code int

// Status codes, numbered as in gRPC.
const (
	OK                 Code = 0
	Canceled           Code = 1
	Unknown            Code = 2
	InvalidArgument    Code = 3
	DeadlineExceeded   Code = 4
	AlreadyExists      Code = 6
	FailedPrecondition Code = 9
	Unavailable        Code = 14
)

var names = map[Code]string{
	OK: "OK", Canceled: "Canceled", Unknown: "Unknown", InvalidArgument: "InvalidArgument",
	DeadlineExceeded: "DeadlineExceeded", AlreadyExists: "AlreadyExists",
	FailedPrecondition: "FailedPrecondition", Unavailable: "Unavailable",
}

func (c Code) String() string { return names[c] }

// Status is an error with a code.
type Status struct {
	Code Code
	Msg  string
}

func (s *Status) Error() string { return s.Code.String() + ": " + s.Msg }

// Handler handles one RPC.
type Handler func(ctx context.Context, req any) (any, error)

// Interceptor wraps h so that every error it returns is a *Status.
func Interceptor(h Handler) Handler {
	return func(ctx context.Context, req any) (any, error) {
		resp, err := h(ctx, req)
		if err == nil {
			return resp, nil
		}
		var st *Status
		if errors.As(err, &st) {
			return nil, st
		}
		return nil, &Status{Code: CodeOf(err), Msg: err.Error()}
	}
}

// CodeOf classifies err.
func CodeOf(err error) Code {
	switch {
	case err == nil:
		return OK
	case errors.Is(err, context.Canceled):
		return Canceled
	case errors.Is(err, context.DeadlineExceeded):
		return DeadlineExceeded
	}
	if c, ok := databaseCode(err); ok {
		return c
	}
	return Unknown
}
