package nsexec

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
)

// runtimeRoots are where container runtimes keep the state that names
// their containers; tests point them elsewhere.
type runtimeRoots struct {
	// Docker is dockerd's --data-root: containers/ID/config.v2.json.
	Docker string
	// Bundles are globs of OCI bundle config.json files, ID in place of
	// %s: containerd's task directories and containers/storage's (CRI-O,
	// Podman) userdata.
	Bundles []string
	// Storage are containers/storage roots with containers.json (Podman,
	// CRI-O names).
	Storage []string
}

var stateRoots = runtimeRoots{
	Docker: "/var/lib/docker",
	Bundles: []string{
		"/run/containerd/io.containerd.runtime.v2.task/*/%s/config.json",
		"/run/containers/storage/overlay-containers/%s/userdata/config.json",
		"/var/lib/containers/storage/overlay-containers/%s/userdata/config.json",
	},
	Storage: []string{
		"/var/lib/containers/storage/overlay-containers",
		"/run/containers/storage/overlay-containers",
	},
}

// Kubernetes annotations on OCI bundles: containerd's CRI plugin, then
// CRI-O's.
var (
	podNamespaceKeys  = []string{"io.kubernetes.cri.sandbox-namespace", "io.kubernetes.pod.namespace"}
	podNameKeys       = []string{"io.kubernetes.cri.sandbox-name", "io.kubernetes.pod.name"}
	containerNameKeys = []string{"io.kubernetes.cri.container-name", "io.kubernetes.container.name", "nerdctl/name"}
)

// nameContainer fills in c's name and pod from the runtime state under
// roots, where it is readable; missing state leaves them empty.
func nameContainer(c *Container, roots runtimeRoots) {
	if c.ID == "" {
		return
	}
	if c.Runtime == "docker" {
		var cfg struct{ Name string }
		if readJSON(filepath.Join(roots.Docker, "containers", c.ID, "config.v2.json"), &cfg) {
			c.Name = strings.TrimPrefix(cfg.Name, "/")
			return
		}
	}
	for _, pattern := range roots.Bundles {
		matches, _ := filepath.Glob(strings.Replace(pattern, "%s", c.ID, 1))
		for _, m := range matches {
			var spec struct{ Annotations map[string]string }
			if !readJSON(m, &spec) {
				continue
			}
			a := spec.Annotations
			c.Name = first(a, containerNameKeys)
			if ns, pod := first(a, podNamespaceKeys), first(a, podNameKeys); pod != "" {
				c.Pod = pod
				if ns != "" {
					c.Pod = ns + "/" + pod
				}
			}
			if c.Name != "" || c.Pod != "" {
				return
			}
		}
	}
	for _, dir := range roots.Storage {
		var list []struct {
			ID    string
			Names []string
		}
		if !readJSON(filepath.Join(dir, "containers.json"), &list) {
			continue
		}
		for _, e := range list {
			if e.ID == c.ID && len(e.Names) > 0 {
				c.Name = e.Names[0]
				return
			}
		}
	}
}

func readJSON(path string, v any) bool {
	b, err := os.ReadFile(path)
	return err == nil && json.Unmarshal(b, v) == nil
}

func first(m map[string]string, keys []string) string {
	for _, k := range keys {
		if v := m[k]; v != "" {
			return v
		}
	}
	return ""
}
