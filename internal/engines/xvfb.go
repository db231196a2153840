//go:build !js

package engines

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// xvfb is a virtual X display of its own: Xvfb picks a free display
// number and writes it to a pipe (-displayfd), so parallel runs don't collide.
type xvfb struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	Display string // e.g. ":3"
}

func startXvfb() (*xvfb, error) {
	path, err := findExec("Xvfb", "xvfb", "/usr/bin/Xvfb", "Xvfb")
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	x := &xvfb{exited: make(chan struct{})}
	said := newTail(20)
	x.cmd = exec.Command(path, "-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
	x.cmd.ExtraFiles = []*os.File{w}
	x.cmd.Stderr = writerFunc(func(p []byte) { said.add(strings.TrimSpace(string(p))) })
	if err := x.cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("starting Xvfb: %w", err)
	}
	w.Close()
	go func() {
		x.cmd.Wait()
		close(x.exited)
	}()
	display := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(r).ReadString('\n')
		display <- strings.TrimSpace(line)
	}()
	select {
	case d := <-display:
		if d == "" {
			x.Close()
			return nil, fmt.Errorf("Xvfb gave no display number; it said:\n%s", said)
		}
		x.Display = ":" + d
		return x, nil
	case <-time.After(step):
		x.Close()
		return nil, fmt.Errorf("Xvfb gave no display number within %v; it said:\n%s", step, said)
	}
}

func (x *xvfb) Close() {
	x.cmd.Process.Kill()
	<-x.exited
}

// writerFunc is an io.Writer that hands each write to a function.
type writerFunc func(p []byte)

func (f writerFunc) Write(p []byte) (int, error) {
	f(p)
	return len(p), nil
}
