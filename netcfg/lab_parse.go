package netcfg

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/nsdiag/nsdiag/nsexec"
	"go.yaml.in/yaml/v3"
)

// LoadLab reads and checks a lab file.
func LoadLab(path string) (*Lab, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read lab file: %w", err)
	}
	return ParseLab(path, data)
}

// ParseLab reads a lab file and checks it completely, so that nothing is
// built from a file with a mistake in it. The format:
//
//	nodes:                      # each node is a network namespace
//	  h1:
//	    interfaces:             # device: [address/prefix, ...]
//	      h1-eth0: [10.0.1.1/24, "fd00:1::1/64"]
//	    routes: ["default via 10.0.1.254"]
//	  r1:
//	    forward: true           # IPv4 and IPv6 forwarding
//	    sysctls: {net.ipv4.icmp_ratelimit: 0}
//	    bridges: {br0: [r1-eth0, r1-eth1]}
//	    interfaces: {br0: [10.0.1.254/24]}
//	links:                      # veth pairs, node:device at each end
//	  - [h1:h1-eth0, r1:r1-eth0]
//	  - {ends: [h2:h2-eth0, r1:r1-eth1], mtu: 1400}
//
// Errors are *LabError with the line and column of the problem.
func ParseLab(file string, data []byte) (*Lab, error) {
	p := &labParser{lab: &Lab{File: file}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, p.syntaxError(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &LabError{File: file, Msg: "empty lab file; it needs a nodes: section"}
	}
	if err := p.top(doc.Content[0]); err != nil {
		return nil, err
	}
	return p.lab, nil
}

type labParser struct {
	lab *Lab
	// ends records where each node's veth ends are declared (node -> dev).
	ends map[string]map[string]*yaml.Node
	// bridges records each node's bridges the same way.
	bridges map[string]map[string]*yaml.Node
}

// yamlLine is compiled on first use: every nsdiag command starts with the
// package's init, and only a bad lab file needs it.
var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })

// syntaxError turns the YAML library's "yaml: line 3: ..." into FILE:3: ....
func (p *labParser) syntaxError(err error) error {
	msg := err.Error()
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &LabError{File: p.lab.File, Line: line, Msg: "bad YAML: " + m[2]}
	}
	return &LabError{File: p.lab.File, Msg: "bad YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

func (p *labParser) errorf(n *yaml.Node, format string, args ...any) error {
	return &LabError{File: p.lab.File, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)}
}

// deref follows aliases, so anchors may be used to share parts of a file.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// mapping walks a mapping node's pairs in file order, refusing keys that
// are not plain scalars or that repeat.
func (p *labParser) mapping(n *yaml.Node, what string, fn func(key string, k, v *yaml.Node) error) error {
	n = deref(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "%s must be a mapping (key: value lines)", what)
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			return p.errorf(k, "keys in %s must be plain names", what)
		}
		if line, dup := seen[k.Value]; dup {
			return p.errorf(k, "%q appears twice in %s (first at line %d)", k.Value, what, line)
		}
		seen[k.Value] = k.Line
		if err := fn(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

// strings reads a list of strings; a lone scalar is a list of one and null
// an empty list.
func (p *labParser) strings(n *yaml.Node, what string) ([]string, []*yaml.Node, error) {
	n = deref(n)
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return nil, nil, nil
	case n.Kind == yaml.ScalarNode:
		return []string{n.Value}, []*yaml.Node{n}, nil
	case n.Kind != yaml.SequenceNode:
		return nil, nil, p.errorf(n, "%s must be a list such as [a, b]", what)
	}
	var out []string
	var nodes []*yaml.Node
	for _, e := range n.Content {
		e = deref(e)
		if e.Kind != yaml.ScalarNode || e.Tag == "!!null" {
			return nil, nil, p.errorf(e, "%s: each entry must be a single value", what)
		}
		out = append(out, e.Value)
		nodes = append(nodes, e)
	}
	return out, nodes, nil
}

func (p *labParser) top(root *yaml.Node) error {
	var nodes, links *yaml.Node
	err := p.mapping(root, "the lab file", func(key string, k, v *yaml.Node) error {
		switch key {
		case "nodes":
			nodes = v
		case "links":
			links = v
		default:
			return p.errorf(k, "unknown section %q; a lab file has nodes: and links:", key)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if nodes == nil {
		return p.errorf(root, "no nodes: section; a lab needs at least one node")
	}
	p.ends = map[string]map[string]*yaml.Node{}
	p.bridges = map[string]map[string]*yaml.Node{}
	ifaces := map[*LabNode][]*yaml.Node{}
	routes := map[*LabNode][]*yaml.Node{}
	err = p.mapping(nodes, "nodes", func(name string, k, v *yaml.Node) error {
		if err := nsexec.ValidName(name); err != nil {
			return p.errorf(k, "node %v", err)
		}
		node := &LabNode{Name: name}
		p.lab.Nodes = append(p.lab.Nodes, node)
		p.ends[name] = map[string]*yaml.Node{}
		p.bridges[name] = map[string]*yaml.Node{}
		var err error
		ifaces[node], routes[node], err = p.node(node, v)
		return err
	})
	if err != nil {
		return err
	}
	if len(p.lab.Nodes) == 0 {
		return p.errorf(nodes, "nodes: is empty; a lab needs at least one node")
	}
	if links != nil {
		if err := p.links(links); err != nil {
			return err
		}
	}
	for _, node := range p.lab.Nodes {
		if err := p.crossCheck(node, ifaces[node], routes[node]); err != nil {
			return err
		}
	}
	return nil
}

// node reads one node; it returns the nodes of its interface names and of
// its routes, checked against the links once those are read.
func (p *labParser) node(node *LabNode, v *yaml.Node) (ifaces, routes []*yaml.Node, err error) {
	what := fmt.Sprintf("node %s", node.Name)
	err = p.mapping(v, what, func(key string, k, v *yaml.Node) error {
		switch key {
		case "forward":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				return p.errorf(v, "%s: forward must be true or false", what)
			}
			node.Forward = v.Value == "true" || v.Value == "True" || v.Value == "TRUE"
		case "sysctls":
			return p.mapping(v, what+" sysctls", func(key string, k, v *yaml.Node) error {
				if err := checkSysctlKey(key); err != nil {
					return p.errorf(k, "%s: %v", what, err)
				}
				if v.Kind != yaml.ScalarNode || v.Tag == "!!null" || strings.ContainsAny(v.Value, "\n") {
					return p.errorf(v, "%s: sysctl %s needs a single value", what, key)
				}
				node.Sysctls = append(node.Sysctls, LabSysctl{Key: key, Value: v.Value})
				return nil
			})
		case "interfaces":
			return p.mapping(v, what+" interfaces", func(dev string, k, v *yaml.Node) error {
				if err := ValidIfName(dev); err != nil {
					return p.errorf(k, "%s: %v", what, err)
				}
				addrs, an, err := p.strings(v, fmt.Sprintf("addresses of %s in %s", dev, what))
				if err != nil {
					return err
				}
				seen := map[string]bool{}
				for i, a := range addrs {
					ipn, err := ParseCIDR(a)
					if err != nil {
						return p.errorf(an[i], "%s, %s: %v", what, dev, err)
					}
					if seen[ipn.String()] {
						return p.errorf(an[i], "%s, %s: address %s is listed twice", what, dev, a)
					}
					seen[ipn.String()] = true
				}
				node.Interfaces = append(node.Interfaces, LabIface{Name: dev, Addrs: addrs})
				ifaces = append(ifaces, k)
				return nil
			})
		case "bridges":
			return p.mapping(v, what+" bridges", func(br string, k, v *yaml.Node) error {
				if err := ValidIfName(br); err != nil {
					return p.errorf(k, "%s: bridge %v", what, err)
				}
				ports, pn, err := p.strings(v, fmt.Sprintf("ports of bridge %s in %s", br, what))
				if err != nil {
					return err
				}
				for i, port := range ports {
					if err := ValidIfName(port); err != nil {
						return p.errorf(pn[i], "%s, bridge %s: %v", what, br, err)
					}
				}
				node.Bridges = append(node.Bridges, LabBridge{Name: br, Ports: ports})
				p.bridges[node.Name][br] = k
				return nil
			})
		case "routes":
			rs, rn, err := p.strings(v, what+" routes")
			if err != nil {
				return err
			}
			for i, s := range rs {
				r, err := ParseRouteString(s)
				if err == nil {
					_, _, _, err = r.resolve()
				}
				if err != nil {
					return p.errorf(rn[i], "%s: %v", what, err)
				}
				node.Routes = append(node.Routes, r)
				routes = append(routes, rn[i])
			}
		default:
			return p.errorf(k, "%s: unknown key %q; a node has interfaces, routes, forward, bridges and sysctls", what, key)
		}
		return nil
	})
	return ifaces, routes, err
}

// links reads the links: section. Each entry is [node:dev, node:dev] or
// {ends: [node:dev, node:dev], mtu: N}.
func (p *labParser) links(n *yaml.Node) error {
	n = deref(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return p.errorf(n, "links: must be a list of [node:device, node:device] pairs")
	}
	for _, e := range n.Content {
		e = deref(e)
		var link LabLink
		endsNode := e
		if e.Kind == yaml.MappingNode {
			endsNode = nil
			err := p.mapping(e, "a link", func(key string, k, v *yaml.Node) error {
				switch key {
				case "ends":
					endsNode = v
				case "mtu":
					mtu, err := strconv.Atoi(v.Value)
					if v.Kind != yaml.ScalarNode || err != nil || mtu < 68 || mtu > 65535 {
						return p.errorf(v, "link mtu must be a number from 68 to 65535")
					}
					link.MTU = mtu
				default:
					return p.errorf(k, "unknown key %q in a link; a link has ends and mtu", key)
				}
				return nil
			})
			if err != nil {
				return err
			}
			if endsNode == nil {
				return p.errorf(e, "link has no ends: [node:device, node:device]")
			}
		}
		ends, en, err := p.strings(endsNode, "a link")
		if err != nil {
			return err
		}
		if len(ends) != 2 {
			return p.errorf(endsNode, "a link joins exactly two ends, such as [h1:h1-eth0, r1:r1-eth0]; this one has %d", len(ends))
		}
		for i, s := range ends {
			end, err := p.end(s, en[i])
			if err != nil {
				return err
			}
			if i == 0 {
				link.A = end
			} else {
				link.B = end
			}
		}
		p.lab.Links = append(p.lab.Links, link)
	}
	return nil
}

func (p *labParser) end(s string, n *yaml.Node) (LabEnd, error) {
	node, dev, ok := strings.Cut(s, ":")
	if !ok {
		return LabEnd{}, p.errorf(n, "link end %q must be node:device, such as h1:h1-eth0", s)
	}
	if p.lab.Node(node) == nil {
		return LabEnd{}, p.errorf(n, "link end %q names node %q, which is not under nodes:", s, node)
	}
	if err := ValidIfName(dev); err != nil {
		return LabEnd{}, p.errorf(n, "link end %q: %v", s, err)
	}
	if dev == "lo" {
		return LabEnd{}, p.errorf(n, "link end %q: lo is the loopback device; name the veth end something else", s)
	}
	if prev, dup := p.ends[node][dev]; dup {
		return LabEnd{}, p.errorf(n, "device %s of node %s is already a link end at line %d", dev, node, prev.Line)
	}
	p.ends[node][dev] = n
	return LabEnd{Node: node, Dev: dev}, nil
}

// checkSysctlKey accepts net.* keys in dotted form, as SetSysctl does.
func checkSysctlKey(key string) error {
	if !strings.HasPrefix(key, "net.") || strings.Contains(key, "..") || strings.ContainsAny(key, "/ \t") || strings.HasSuffix(key, ".") {
		return fmt.Errorf("bad sysctl %q: only net.* keys (such as net.ipv4.icmp_ratelimit) belong to a network namespace", key)
	}
	return nil
}

// crossCheck checks that every device a node names exists in the lab: its
// addressed interfaces, bridge ports and route devices.
func (p *labParser) crossCheck(node *LabNode, ifaces, routes []*yaml.Node) error {
	ends, bridges := p.ends[node.Name], p.bridges[node.Name]
	known := func(dev string) bool { return dev == "lo" || ends[dev] != nil || bridges[dev] != nil }
	for i, iface := range node.Interfaces {
		if !known(iface.Name) {
			return p.errorf(ifaces[i], "node %s: interface %s is not a link end (links: [%s:%s, ...]), a bridge of the node or lo", node.Name, iface.Name, node.Name, iface.Name)
		}
	}
	port := map[string]string{}
	for _, br := range node.Bridges {
		if ends[br.Name] != nil {
			return p.errorf(bridges[br.Name], "node %s: bridge %s has the name of a link end", node.Name, br.Name)
		}
		for _, dev := range br.Ports {
			if ends[dev] == nil {
				return p.errorf(bridges[br.Name], "node %s: bridge %s port %s is not a link end of this node", node.Name, br.Name, dev)
			}
			if other, dup := port[dev]; dup {
				return p.errorf(bridges[br.Name], "node %s: %s is a port of both %s and %s", node.Name, dev, other, br.Name)
			}
			port[dev] = br.Name
		}
	}
	for i, r := range node.Routes {
		if r.Dev != "" && !known(r.Dev) {
			return p.errorf(routes[i], "node %s: route %s uses device %s, which the node does not have", node.Name, r, r.Dev)
		}
	}
	return nil
}
