//go:build !js

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// OutputKind says what an Output is.
type OutputKind string

const (
	Console   OutputKind = "console"   // a console call
	Exception OutputKind = "exception" // an uncaught exception
	LogEntry  OutputKind = "log"       // a browser log entry: network errors, CSP reports, …
	Note      OutputKind = "note"      // from this package: a target it could not follow
)

// Output is one thing a target printed or threw.
type Output struct {
	From   string // "page", "popup", "worker", "shared worker", or Capture's name
	Kind   OutputKind
	Level  string // console: log, error, assert, …; log: verbose, info, warning, error
	Source string // log: network, security, javascript, …
	Text   string
	URL    string // exception and log: where
	Line   int64
}

// String is the output as one line, e.g. "worker console.error: boom".
func (o Output) String() string {
	switch o.Kind {
	case Console:
		return fmt.Sprintf("%s console.%s: %s", o.From, o.Level, o.Text)
	case Exception:
		return fmt.Sprintf("%s exception: %s (%s:%d)", o.From, o.Text, o.URL, o.Line)
	case LogEntry:
		return fmt.Sprintf("%s log %s/%s: %s %s", o.From, o.Source, o.Level, o.Text, o.URL)
	}
	return o.From + ": " + o.Text
}

// Capture sends the output of the target behind ctx, a chromedp context,
// to fn as coming from from. Open and the targets it follows do this
// already; Capture is for tabs made with chromedp directly.
func Capture(ctx context.Context, from string, fn func(Output)) {
	capture(ctx, from, fn)
}

func capture(ctx context.Context, from string, fn func(Output)) {
	if fn == nil {
		return
	}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			parts := make([]string, 0, len(ev.Args))
			for _, a := range ev.Args {
				parts = append(parts, argText(a))
			}
			fn(Output{From: from, Kind: Console, Level: string(ev.Type), Text: strings.Join(parts, " ")})
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg = d.Exception.Description
			}
			fn(Output{From: from, Kind: Exception, Text: msg, URL: d.URL, Line: d.LineNumber})
		case *log.EventEntryAdded:
			e := ev.Entry
			fn(Output{From: from, Kind: LogEntry, Level: string(e.Level), Source: string(e.Source), Text: e.Text, URL: e.URL, Line: e.LineNumber})
		}
	})
}

// argText is a console argument as the console shows it: strings
// unquoted, other values as JSON or as DevTools describes them.
func argText(a *runtime.RemoteObject) string {
	switch {
	case a.Value != nil:
		var s string
		if json.Unmarshal(a.Value, &s) != nil {
			s = string(a.Value)
		}
		return s
	case a.UnserializableValue != "":
		return string(a.UnserializableValue)
	}
	return a.Description
}
