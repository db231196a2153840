package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConcurrentWrites(t *testing.T) {
	e := newEnv(t)
	tok := e.accessToken(adminID)
	shared := "/api/now/table/incident/" + seedID("incident", 3)
	_, body := e.api("GET", shared, tok, "")
	var before int
	_, err := fmt.Sscan(result(t, body)["sys_mod_count"].(string), &before)
	require.NoError(t, err)

	const workers, each = 8, 10
	var mu sync.Mutex
	numbers := map[string]bool{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				req := func(method, path, body string) (int, string) {
					return plainRequest(e.ts.URL+path, method, tok, body)
				}
				status, b := req("POST", "/api/now/table/incident", fmt.Sprintf(`{"short_description":"w%d-%d"}`, w, i))
				if !assert.Equal(t, http.StatusCreated, status) {
					return
				}
				var created struct{ Result map[string]any }
				if !assert.NoError(t, json.Unmarshal([]byte(b), &created)) {
					return
				}
				mu.Lock()
				numbers[created.Result["number"].(string)] = true
				mu.Unlock()
				status, _ = req("PATCH", shared, `{"state":"2"}`)
				assert.Equal(t, http.StatusOK, status)
				status, _ = req("GET", "/api/now/table/incident?sysparm_query=short_descriptionSTARTSWITHw&sysparm_limit=5", "")
				assert.Equal(t, http.StatusOK, status)
				if i%2 == 0 {
					status, _ = req("DELETE", "/api/now/table/incident/"+created.Result["sys_id"].(string), "")
					assert.Equal(t, http.StatusNoContent, status)
				}
			}
		}()
	}
	wg.Wait()
	assert.Len(t, numbers, workers*each, "every insert got its own number")
	_, body = e.api("GET", shared, tok, "")
	assert.Equal(t, fmt.Sprint(before+workers*each), result(t, body)["sys_mod_count"])
	resp, _ := e.api("GET", "/api/now/table/incident?sysparm_limit=1", tok, "")
	assert.Equal(t, fmt.Sprint(300+workers*each/2), resp.Header.Get("X-Total-Count"))
}

// plainRequest is a request helper safe to call off the test goroutine.
func plainRequest(u, method, token, body string) (int, string) {
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err.Error()
	}
	return resp.StatusCode, string(b)
}
