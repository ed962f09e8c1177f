package reach

import (
	"net/netip"
	"slices"
	"sort"
	"time"
)

// Status sums up the probes from one namespace to another.
type Status int

const (
	// Reach: every address of the destination answered.
	Reach Status = iota
	// Partial: some addresses answered, others did not (often one family).
	Partial
	// Unreachable: no address answered.
	Unreachable
	// NoAddrs: the destination has no address to probe.
	NoAddrs
	// Self is the diagonal: a namespace is not probed from itself.
	Self
)

var statusNames = [...]string{"reach", "partial", "unreachable", "no-addrs", "self"}

func (s Status) String() string { return statusNames[s] }

// Cell is one (source, destination) pair of the matrix.
type Cell struct {
	From, To string
	Status   Status
	// Results holds one Result per destination address, in the order of
	// the destination's addresses.
	Results []Result
}

// RTT is the shortest round trip over the addresses that answered.
func (c Cell) RTT() time.Duration {
	var best time.Duration
	for _, r := range c.Results {
		if r.Outcome == Reached && (best == 0 || r.RTT < best) {
			best = r.RTT
		}
	}
	return best
}

// Matrix is the reachability of every ordered pair of endpoints.
type Matrix struct {
	// Names are the endpoints, rows and columns in this order.
	Names []string
	cells map[[2]string]*Cell
	addrs map[string][]netip.Addr
}

// NewMatrix makes an empty matrix for endpoints; Add fills it.
func NewMatrix(endpoints []Endpoint) *Matrix {
	m := &Matrix{cells: map[[2]string]*Cell{}, addrs: map[string][]netip.Addr{}}
	for _, e := range endpoints {
		m.Names = append(m.Names, e.Name)
		m.addrs[e.Name] = e.Addrs
	}
	for _, from := range endpoints {
		for _, to := range endpoints {
			c := &Cell{From: from.Name, To: to.Name}
			switch {
			case from.Name == to.Name:
				c.Status = Self
			case len(to.Addrs) == 0:
				c.Status = NoAddrs
			default:
				c.Status = Unreachable
			}
			m.cells[[2]string{from.Name, to.Name}] = c
		}
	}
	return m
}

// Add records a result in its cell and updates the cell's status.
func (m *Matrix) Add(r Result) {
	c := m.cells[[2]string{r.From, r.To}]
	if c == nil || c.Status == Self {
		return
	}
	order := m.addrs[r.To]
	at := sort.Search(len(c.Results), func(i int) bool {
		return slices.Index(order, c.Results[i].Addr) > slices.Index(order, r.Addr)
	})
	c.Results = slices.Insert(c.Results, at, r)
	reached := 0
	for _, x := range c.Results {
		if x.Outcome == Reached {
			reached++
		}
	}
	switch {
	case reached == 0:
		c.Status = Unreachable
	case reached == len(order) && len(c.Results) == reached:
		c.Status = Reach
	default:
		c.Status = Partial
	}
}

// Cell returns the cell for from -> to; ok is false for unknown names.
func (m *Matrix) Cell(from, to string) (Cell, bool) {
	c := m.cells[[2]string{from, to}]
	if c == nil {
		return Cell{}, false
	}
	return *c, true
}
