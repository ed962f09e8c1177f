package capture

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// maxInstructions is the kernel's BPF_MAXINSNS for classic programs.
const maxInstructions = 4096

// kernelProgram builds the program attached to the socket: first the
// checks libpcap makes in user space on Linux (the -Q direction, and
// dropping loopback's outgoing copies: the kernel hands a packet socket
// each loopback packet once going out and once coming back in), then the
// user's filter, or "accept snaplen bytes" without one. Doing the checks in
// the kernel means rejected packets are never copied to the ring and are
// not counted as received. loIndex is the loopback's ifindex, or 0 when
// loopback is not captured.
func kernelProgram(user []bpf.Instruction, dir Direction, loIndex, snaplen int) ([]bpf.RawInstruction, error) {
	if len(user) == 0 {
		user = []bpf.Instruction{bpf.RetConstant{Val: uint32(snaplen)}}
	}
	loadType := bpf.LoadExtension{Num: bpf.ExtType}
	loadIndex := bpf.LoadExtension{Num: bpf.ExtInterfaceIndex}
	isOut := func(skipTrue, skipFalse uint8) bpf.Instruction {
		return bpf.JumpIf{Cond: bpf.JumpEqual, Val: PacketOutgoing, SkipTrue: skipTrue, SkipFalse: skipFalse}
	}
	isLo := bpf.JumpIf{Cond: bpf.JumpEqual, Val: uint32(loIndex), SkipTrue: 0, SkipFalse: 1}
	reject := bpf.RetConstant{Val: 0}
	// Each prefix ends with reject; the user's program starts right after,
	// so "skip 1 past reject" from the instruction before it enters it.
	var pre []bpf.Instruction
	switch {
	case dir == In:
		pre = []bpf.Instruction{loadType, isOut(0, 1), reject}
	case dir == Out && loIndex > 0:
		pre = []bpf.Instruction{loadType, isOut(0, 2), loadIndex, isLo, reject}
	case dir == Out:
		pre = []bpf.Instruction{loadType, isOut(1, 0), reject}
	case loIndex > 0:
		pre = []bpf.Instruction{loadType, isOut(0, 3), loadIndex, isLo, reject}
	}
	prog := append(pre, user...)
	if len(prog) > maxInstructions {
		return nil, fmt.Errorf("filter program has %d instructions; the kernel takes at most %d", len(prog), maxInstructions)
	}
	return bpf.Assemble(prog)
}
