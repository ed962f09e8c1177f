//go:build !linux

package trace

import (
	"fmt"
	"runtime"
)

type sockNet struct{ network }

func openNet(Config) (*sockNet, error) {
	return nil, fmt.Errorf("tracing is not implemented on %s", runtime.GOOS)
}

func (*sockNet) close() {}
