package capture

import (
	"encoding/binary"
	"fmt"
	"os"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The ring reader is written here on x/sys/unix rather than taken from
// gopacket/afpacket because afpacket does not expose the sockaddr_ll the
// kernel puts behind each TPACKET_V3 header: without its packet type and
// protocol there is no cooked header for "any", no In/Out, and no way to
// tell loopback's outgoing copies apart.

const (
	// tpacket3HdrLen is TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): where
	// the sockaddr_ll starts behind each packet header.
	tpacket3HdrLen = (int(unsafe.Sizeof(unix.Tpacket3Hdr{})) + unix.TPACKET_ALIGNMENT - 1) &^ (unix.TPACKET_ALIGNMENT - 1)
	// blockDescHdr is the offset of tpacket_hdr_v1 in a block descriptor.
	blockDescHdr = 8
	sll2HdrLen   = 20
	sll1HdrLen   = 16
)

// ring is a TPACKET_V3 receive ring: blocks the kernel fills with packets
// and hands over whole.
type ring struct {
	fd        int
	mem       []byte
	blockSize int
	blocks    int
	cur       int
}

// setupRing switches fd to TPACKET_V3, reserves room for a cooked header
// in front of each packet and maps the ring.
func setupRing(fd, size, reserve int, timeoutMS int) (*ring, error) {
	if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_VERSION, unix.TPACKET_V3); err != nil {
		return nil, os.NewSyscallError("setsockopt PACKET_VERSION TPACKET_V3", err)
	}
	if reserve > 0 {
		if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_RESERVE, reserve); err != nil {
			return nil, os.NewSyscallError("setsockopt PACKET_RESERVE", err)
		}
	}
	// A block must hold the largest packet (64 KiB GSO frames on veth plus
	// headers); several blocks let the kernel fill one while we read
	// another. Each block handed over costs a wakeup, so blocks are as
	// large as libpcap's (512 KiB for the default snap length) as long
	// as the ring keeps at least eight of them.
	blockSize := 1 << 19
	for blockSize*8 > size && blockSize > 1<<16 {
		blockSize >>= 1
	}
	blocks := size / blockSize
	if blocks < 2 {
		blocks = 2
	}
	req := unix.TpacketReq3{
		Block_size:     uint32(blockSize),
		Block_nr:       uint32(blocks),
		Frame_size:     unix.TPACKET_ALIGNMENT << 7,
		Retire_blk_tov: uint32(timeoutMS),
	}
	req.Frame_nr = req.Block_size / req.Frame_size * req.Block_nr
	if err := unix.SetsockoptTpacketReq3(fd, unix.SOL_PACKET, unix.PACKET_RX_RING, &req); err != nil {
		return nil, os.NewSyscallError("setsockopt PACKET_RX_RING", err)
	}
	mem, err := unix.Mmap(fd, 0, blockSize*blocks, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_LOCKED|unix.MAP_POPULATE)
	if err != nil {
		// MAP_LOCKED fails under a low RLIMIT_MEMLOCK; the ring works
		// unlocked too.
		mem, err = unix.Mmap(fd, 0, blockSize*blocks, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
		if err != nil {
			return nil, os.NewSyscallError("mmap packet ring", err)
		}
	}
	return &ring{fd: fd, mem: mem, blockSize: blockSize, blocks: blocks}, nil
}

func (r *ring) close() {
	if r.mem != nil {
		unix.Munmap(r.mem)
		r.mem = nil
	}
}

// blockStatus points at the current block's status word, which the kernel
// and we hand back and forth.
func (r *ring) blockStatus() *uint32 {
	return (*uint32)(unsafe.Pointer(&r.mem[r.cur*r.blockSize+blockDescHdr]))
}

// ready reports whether the kernel has handed the current block to us.
func (r *ring) ready() bool {
	return atomic.LoadUint32(r.blockStatus())&unix.TP_STATUS_USER != 0
}

// release gives the current block back to the kernel and moves on.
func (r *ring) release() {
	atomic.StoreUint32(r.blockStatus(), unix.TP_STATUS_KERNEL)
	r.cur++
	if r.cur == r.blocks {
		r.cur = 0
	}
}

// frame is one packet in a block, as the kernel laid it out.
type frame struct {
	hdr *unix.Tpacket3Hdr
	sll *unix.RawSockaddrLinklayer
	off int // offset of the header in the block
}

// walk calls fn for each packet of the current block until fn returns
// false. It checks every offset against the block so a confused kernel
// header can never make us read outside the ring.
func (r *ring) walk(fn func(block []byte, f *frame) bool) error {
	block := r.mem[r.cur*r.blockSize : (r.cur+1)*r.blockSize]
	bh := (*unix.TpacketHdrV1)(unsafe.Pointer(&block[blockDescHdr]))
	off := int(bh.Offset_to_first_pkt)
	var f frame
	for i := uint32(0); i < bh.Num_pkts; i++ {
		if off <= 0 || off+tpacket3HdrLen+int(unsafe.Sizeof(unix.RawSockaddrLinklayer{})) > len(block) {
			return fmt.Errorf("packet ring: packet %d of block %d at offset %d lies outside the block", i, r.cur, off)
		}
		f.hdr = (*unix.Tpacket3Hdr)(unsafe.Pointer(&block[off]))
		f.sll = (*unix.RawSockaddrLinklayer)(unsafe.Pointer(&block[off+tpacket3HdrLen]))
		f.off = off
		if off+int(f.hdr.Mac)+int(f.hdr.Snaplen) > len(block) {
			return fmt.Errorf("packet ring: packet %d of block %d overruns the block", i, r.cur)
		}
		if !fn(block, &f) {
			return nil
		}
		if f.hdr.Next_offset == 0 {
			break
		}
		off += int(f.hdr.Next_offset)
	}
	return nil
}

// putSLL2 writes a Linux cooked v2 header (LINKTYPE_LINUX_SLL2) for sll
// into b, as libpcap does for "any".
func putSLL2(b []byte, sll *unix.RawSockaddrLinklayer) {
	// sll_protocol is already in network byte order in memory.
	*(*uint16)(unsafe.Pointer(&b[0])) = sll.Protocol
	b[2], b[3] = 0, 0
	binary.BigEndian.PutUint32(b[4:8], uint32(sll.Ifindex))
	binary.BigEndian.PutUint16(b[8:10], sll.Hatype)
	b[10] = sll.Pkttype
	b[11] = sll.Halen
	copy(b[12:20], sll.Addr[:])
}

// putSLL1 writes a Linux cooked v1 header (LINKTYPE_LINUX_SLL): packet
// type, hardware type, address length, address, protocol.
func putSLL1(b []byte, sll *unix.RawSockaddrLinklayer) {
	binary.BigEndian.PutUint16(b[0:2], uint16(sll.Pkttype))
	binary.BigEndian.PutUint16(b[2:4], sll.Hatype)
	binary.BigEndian.PutUint16(b[4:6], uint16(sll.Halen))
	copy(b[6:14], sll.Addr[:])
	*(*uint16)(unsafe.Pointer(&b[14])) = sll.Protocol
}
