package nsexec

import (
	"os"
	"path/filepath"
	"testing"
)

func TestNameContainer(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const (
		dockerID = "d000000000000000000000000000000000000000000000000000000000000001"
		ctrdID   = "c000000000000000000000000000000000000000000000000000000000000002"
		crioID   = "e000000000000000000000000000000000000000000000000000000000000003"
		podmanID = "f000000000000000000000000000000000000000000000000000000000000004"
		nerdID   = "a000000000000000000000000000000000000000000000000000000000000005"
	)
	write("docker/containers/"+dockerID+"/config.v2.json", `{"Name":"/web","ID":"x"}`)
	write("containerd/k8s.io/"+ctrdID+"/config.json", `{"annotations":{"io.kubernetes.cri.container-name":"nginx","io.kubernetes.cri.sandbox-name":"web-7d4b9","io.kubernetes.cri.sandbox-namespace":"shop"}}`)
	write("containerd/default/"+nerdID+"/config.json", `{"annotations":{"nerdctl/name":"cache"}}`)
	write("crio/"+crioID+"/userdata/config.json", `{"annotations":{"io.kubernetes.container.name":"POD","io.kubernetes.pod.name":"db-0","io.kubernetes.pod.namespace":"data"}}`)
	write("storage/containers.json", `[{"id":"`+podmanID+`","names":["ledger"]}]`)
	roots := runtimeRoots{
		Docker:  filepath.Join(dir, "docker"),
		Bundles: []string{filepath.Join(dir, "containerd/*/%s/config.json"), filepath.Join(dir, "crio/%s/userdata/config.json")},
		Storage: []string{filepath.Join(dir, "storage")},
	}
	cases := []struct {
		in        Container
		name, pod string
		short     string
	}{
		{Container{Runtime: "docker", ID: dockerID}, "web", "", "web"},
		{Container{Runtime: "containerd", ID: ctrdID}, "nginx", "shop/web-7d4b9", "shop/web-7d4b9"},
		{Container{Runtime: "containerd", ID: nerdID}, "cache", "", "cache"},
		{Container{Runtime: "cri-o", ID: crioID}, "POD", "data/db-0", "data/db-0"},
		{Container{Runtime: "podman", ID: podmanID}, "ledger", "", "ledger"},
		{Container{Runtime: "docker", ID: podmanID[:63] + "9"}, "", "", "docker:f00000000000"},
		{Container{Runtime: "kubernetes", PodUID: "u"}, "", "", "pod:u"},
	}
	for _, c := range cases {
		got := c.in
		nameContainer(&got, roots)
		if got.Name != c.name || got.Pod != c.pod || got.Short() != c.short {
			t.Errorf("nameContainer(%s %s) = name %q pod %q short %q; want %q %q %q", c.in.Runtime, c.in.ID, got.Name, got.Pod, got.Short(), c.name, c.pod, c.short)
		}
	}
}
