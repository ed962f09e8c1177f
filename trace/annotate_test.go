package trace

import "testing"

func TestClassify(t *testing.T) {
	tests := []struct {
		v6         bool
		typ, code  uint8
		mtu        int
		note       string
		final      bool
		descriptor string
	}{
		{false, 11, 0, 0, "", false, "ttl exceeded"},
		{false, 11, 1, 0, "!<11-1>", true, "reassembly time exceeded"},
		{false, 3, 3, 0, "", true, "port unreachable"},
		{false, 3, 0, 0, "!N", true, "net unreachable"},
		{false, 3, 1, 0, "!H", true, "host unreachable"},
		{false, 3, 2, 0, "!P", true, "protocol unreachable"},
		{false, 3, 4, 1400, "!F-1400", true, "fragmentation needed"},
		{false, 3, 5, 0, "!S", true, "source route failed"},
		{false, 3, 13, 0, "!X", true, "communication prohibited"},
		{false, 3, 14, 0, "!V", true, "host precedence"},
		{false, 3, 15, 0, "!C", true, "precedence cutoff"},
		{false, 3, 99, 0, "!<99>", true, "unknown code"},
		{false, 0, 0, 0, "", true, "echo reply"},
		{false, 12, 0, 0, "!<12-0>", true, "parameter problem"},
		{true, 3, 0, 0, "", false, "v6 hop limit exceeded"},
		{true, 1, 0, 0, "!N", true, "v6 no route"},
		{true, 1, 1, 0, "!X", true, "v6 admin prohibited"},
		{true, 1, 3, 0, "!H", true, "v6 address unreachable"},
		{true, 1, 4, 0, "", true, "v6 port unreachable"},
		{true, 1, 6, 0, "!<6>", true, "v6 reject route"},
		{true, 2, 0, 1280, "!F-1280", true, "v6 packet too big"},
		{true, 129, 0, 0, "", true, "v6 echo reply"},
	}
	for _, tt := range tests {
		note, final := classify(tt.v6, tt.typ, tt.code, tt.mtu)
		if note != tt.note || final != tt.final {
			t.Errorf("%s: got (%q, %v), want (%q, %v)", tt.descriptor, note, final, tt.note, tt.final)
		}
	}
}
