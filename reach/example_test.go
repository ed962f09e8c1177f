package reach_test

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/nsdiag/nsdiag/reach"
)

// A policy where nothing but the application reaches the database, checked
// against a matrix in which the web tier reaches it too.
func ExampleCheck() {
	policy := `
* db    block   # nothing reaches the database...
app db  reach   # ...except the application
`
	e, err := reach.ParseExpect(strings.NewReader(policy), "policy.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	addr := netip.MustParseAddr
	eps := []reach.Endpoint{
		{Name: "app", Addrs: []netip.Addr{addr("10.0.0.1")}},
		{Name: "web", Addrs: []netip.Addr{addr("10.0.0.2")}},
		{Name: "db", Addrs: []netip.Addr{addr("10.0.0.3")}},
	}
	m := reach.NewMatrix(eps)
	for _, j := range reach.Jobs(reach.Config{Endpoints: eps}) {
		m.Add(reach.Result{From: j.From, To: j.To, Addr: j.Addr, Outcome: reach.Reached, Sent: 3, Received: 3})
	}
	for _, x := range reach.Check(m, e) {
		fmt.Printf("%s -> %s: want %s, got %s (line %d)\n", x.From, x.To, x.Want, x.Status, x.Rule.Line)
	}
	// Output:
	// web -> db: want block, got reach (line 2)
}
