package main

import (
	"context"
	"io"

	"github.com/nsdiag/nsdiag/nsexec"
)

// demoLab is what `nsdiag lab demo` hands each step: the namespaces of the
// embedded demo topology (h1 -- r1 -- h2, see demo.yaml) and their addresses.
type demoLab struct {
	Out        io.Writer
	H1, R1, H2 nsexec.Target
	// H1Addr4/6 and H2Addr4/6 are the hosts' addresses; R1Left4 is the
	// router's address on h1's link.
	H1Addr4, H1Addr6 string
	H2Addr4, H2Addr6 string
	R1Left4          string
}

// demoStep is one diagnostic the demo runs; engines add theirs from init
// with registerDemoStep. Steps run in order of their order field.
type demoStep struct {
	order int
	title string
	run   func(ctx context.Context, lab *demoLab) error
}

var demoSteps []demoStep

func registerDemoStep(s demoStep) { demoSteps = append(demoSteps, s) }
