package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
)

const demoClient = "snworker-demo"

// options are the command line's settings.
type options struct {
	addr         string // the app's listen address
	instanceAddr string // the emulator's listen address
	instance     string // a real instance's origin; empty to start the emulator
	clientID     string
	endpoints    string // "openfin" or "servicenow"
	dist         string
	verbose      bool
}

func parseFlags(args []string, out io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("example", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintln(out, "Usage: go run ./example [flags]\n\nServes the snworker demo app and, unless -instance is given, an emulated ServiceNow instance.\n\nFlags:")
		fs.PrintDefaults()
	}
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "the app's listen address")
	fs.StringVar(&o.instanceAddr, "instance-addr", "127.0.0.1:8081", "the emulated instance's listen address")
	fs.StringVar(&o.instance, "instance", "", "a real instance, such as https://name.service-now.com (then no emulator starts; needs -client-id)")
	fs.StringVar(&o.clientID, "client-id", demoClient, "the OAuth application's client ID")
	fs.StringVar(&o.endpoints, "endpoints", "openfin", "token endpoints: openfin (the OpenFin Store app's REST API) or servicenow (/oauth_token.do, which must send CORS headers)")
	fs.StringVar(&o.dist, "dist", "dist", "the module folder that make build fills")
	fs.BoolVar(&o.verbose, "v", false, "log every request the app serves")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q; flags only (see -h)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.endpoints != "openfin" && o.endpoints != "servicenow" {
		return o, fmt.Errorf("-endpoints %q: want openfin or servicenow", o.endpoints)
	}
	if strings.TrimSpace(o.clientID) == "" {
		return o, fmt.Errorf("-client-id %q: want the OAuth application's client ID", o.clientID)
	}
	if o.instance == "" {
		return o, nil
	}
	origin, err := instanceOrigin(o.instance)
	if err != nil {
		return o, err
	}
	o.instance = origin
	if !set["client-id"] {
		return o, fmt.Errorf("-instance %s needs -client-id: the client ID of the instance's OAuth application (see README)", origin)
	}
	if set["instance-addr"] {
		return o, fmt.Errorf("-instance-addr is the emulator's address; no emulator starts with -instance")
	}
	return o, nil
}

// instanceOrigin checks an instance URL and returns its origin: https, or
// http on a loopback host, with nothing after the host but a "/".
func instanceOrigin(s string) (string, error) {
	bad := fmt.Errorf("-instance %q: want an instance URL such as https://name.service-now.com (http only on localhost)", s)
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", bad
	}
	switch u.Scheme {
	case "https":
	case "http":
		if h := u.Hostname(); h != "localhost" && !net.ParseIP(h).IsLoopback() {
			return "", bad
		}
	default:
		return "", bad
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}
