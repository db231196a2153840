//go:build !js

package engines

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// webdriver is a W3C WebDriver classic session: plain HTTP and JSON.
type webdriver struct {
	base string // http://127.0.0.1:PORT/session/ID
}

// wdError is a WebDriver error answer's value.
type wdError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// wdCall sends method url with body (nil: none) and decodes the answer's
// value into out (if not nil), within timeout.
func wdCall(timeout time.Duration, method, url string, body, out any) error {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("no answer within %v", timeout)
		}
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	var answer struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(data, &answer); err != nil {
		return fmt.Errorf("%s %s answered %s: %.200s", method, url, res.Status, data)
	}
	if res.StatusCode != http.StatusOK {
		var e wdError
		_ = json.Unmarshal(answer.Value, &e)
		return fmt.Errorf("%s: %s", e.Error, e.Message)
	}
	if out != nil {
		return json.Unmarshal(answer.Value, out)
	}
	return nil
}

func (d *webdriver) call(timeout time.Duration, method, path string, body, out any) error {
	return wdCall(timeout, method, d.base+path, body, out)
}
