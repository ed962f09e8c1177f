package nsexec

import (
	"reflect"
	"strings"
	"testing"
)

const (
	cid  = "3f4e1d2c5b6a79880123456789abcdef0123456789abcdef0123456789abcdef"
	cid2 = "aaaabbbbccccddddeeeeffff00001111222233334444555566667777888899990"
)

func TestParseCgroup(t *testing.T) {
	uid := "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"
	uidU := strings.ReplaceAll(uid, "-", "_")
	cases := []struct {
		name, in string
		want     Container
		ok       bool
	}{
		{"docker systemd v2", "0::/system.slice/docker-" + cid + ".scope\n", Container{Runtime: "docker", ID: cid}, true},
		{"docker cgroupfs v1", "12:memory:/docker/" + cid + "\n11:cpu:/docker/" + cid + "\n", Container{Runtime: "docker", ID: cid}, true},
		{"containerd in a kubepods slice", "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + uidU + ".slice/cri-containerd-" + cid + ".scope\n",
			Container{Runtime: "containerd", ID: cid, PodUID: uid}, true},
		{"cri-o", "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + uidU + ".slice/crio-" + cid + ".scope\n",
			Container{Runtime: "cri-o", ID: cid, PodUID: uid}, true},
		{"cri-o conmon is not the container", "0::/kubepods.slice/kubepods-pod" + uidU + ".slice/crio-conmon-" + cid + ".scope\n",
			Container{Runtime: "kubernetes", PodUID: uid}, true},
		{"kubepods cgroupfs v1", "4:memory:/kubepods/besteffort/pod" + uid + "/" + cid + "\n", Container{Runtime: "kubernetes", ID: cid, PodUID: uid}, true},
		{"pod slice only", "0::/kubepods.slice/kubepods-pod" + uidU + ".slice\n", Container{Runtime: "kubernetes", PodUID: uid}, true},
		{"podman root", "0::/machine.slice/libpod-" + cid + ".scope/container\n", Container{Runtime: "podman", ID: cid}, true},
		{"podman rootless", "0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + cid + ".scope\n", Container{Runtime: "podman", ID: cid}, true},
		{"first container wins", "0::/system.slice/docker-" + cid + ".scope\n1:name=systemd:/docker/" + cid2[:64] + "\n", Container{Runtime: "docker", ID: cid}, true},
		{"login session", "0::/user.slice/user-1000.slice/session-4.scope\n", Container{}, false},
		{"host root", "0::/\n", Container{}, false},
		{"short hex is no ID", "0::/system.slice/docker-abc.scope\n", Container{}, false},
		{"empty", "", Container{}, false},
		{"garbage", "::::\nno colons here\n", Container{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := parseCgroup(c.in)
			if ok != c.ok || got != c.want {
				t.Errorf("parseCgroup(%q) = %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
			}
		})
	}
}

func TestContainerShort(t *testing.T) {
	cases := []struct {
		c    Container
		want string
	}{
		{Container{Runtime: "docker", ID: cid, Name: "web"}, "web"},
		{Container{Runtime: "docker", ID: cid}, "docker:3f4e1d2c5b6a"},
		{Container{Runtime: "kubernetes", PodUID: "u-1"}, "pod:u-1"},
		{Container{}, ""},
	}
	for _, c := range cases {
		if got := c.c.Short(); got != c.want {
			t.Errorf("%+v.Short() = %q, want %q", c.c, got, c.want)
		}
	}
}

func TestParseMountinfo(t *testing.T) {
	in := strings.Join([]string{
		"22 1 0:21 / /proc rw,nosuid shared:5 - proc proc rw",
		"610 29 0:4 net:[4026532281] /run/netns/ns1 rw shared:310 - nsfs nsfs rw",
		"611 29 0:4 net:[4026532281] /run/netns/ns1 rw shared:310 - nsfs nsfs rw",
		"700 25 0:4 net:[4026532400] /run/docker/netns/1c2d3e4f rw - nsfs nsfs rw",
		"701 25 0:4 net:[4026532401] /tmp/with\\040space rw master:1 shared:2 - nsfs nsfs rw",
		"702 25 0:4 mnt:[4026532500] /tmp/mntns rw - nsfs nsfs rw",
		"703 25 259:3 net:[4026532600] /weird rw - ext4 /dev/x rw",
		"704 25 0:4 net:[bad] /bad rw - nsfs nsfs rw",
		"short line",
	}, "\n")
	dev := mkdev(0, 4)
	want := []nsfsMount{
		{dev, 4026532281, "/run/netns/ns1"},
		{dev, 4026532281, "/run/netns/ns1"},
		{dev, 4026532400, "/run/docker/netns/1c2d3e4f"},
		{dev, 4026532401, "/tmp/with space"},
	}
	if got := parseMountinfo(in); !reflect.DeepEqual(got, want) {
		t.Errorf("parseMountinfo:\n got %+v\nwant %+v", got, want)
	}
}

func TestMkdev(t *testing.T) {
	// Values checked against glibc's makedev.
	cases := []struct {
		maj, min uint32
		want     uint64
	}{{0, 4, 4}, {8, 1, 0x801}, {259, 3, 0x10303}, {0, 300, 0x10002c}}
	for _, c := range cases {
		if got := mkdev(c.maj, c.min); got != c.want {
			t.Errorf("mkdev(%d, %d) = %#x, want %#x", c.maj, c.min, got, c.want)
		}
	}
}

func TestUnescapeMount(t *testing.T) {
	cases := map[string]string{
		`/a\040b`:     "/a b",
		`/tab\011x`:   "/tab\tx",
		`/back\134sl`: `/back\sl`,
		`/end\04`:     `/end\04`,
		`/bad\9xx`:    `/bad\9xx`,
		`/plain`:      "/plain",
		`\040\040`:    "  ",
	}
	for in, want := range cases {
		if got := unescapeMount(in); got != want {
			t.Errorf("unescapeMount(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseCgroup(f *testing.F) {
	f.Add("0::/system.slice/docker-" + cid + ".scope\n")
	f.Add("4:memory:/kubepods/besteffort/pod1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d/" + cid)
	f.Add("0::/")
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := parseCgroup(s)
		if ok != (c.ID != "" || c.PodUID != "") {
			t.Fatalf("ok=%v for %+v", ok, c)
		}
		if ok && c.Runtime == "" {
			t.Fatalf("container without a runtime: %+v", c)
		}
	})
}

func FuzzParseMountinfo(f *testing.F) {
	f.Add("610 29 0:4 net:[4026532281] /run/netns/ns1 rw shared:310 - nsfs nsfs rw\n")
	f.Add("701 25 0:4 net:[1] /tmp/a\\040b rw - nsfs nsfs rw")
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range parseMountinfo(s) {
			if m.Ino == 0 || m.Point == "" {
				t.Fatalf("bad mount %+v from %q", m, s)
			}
		}
	})
}
