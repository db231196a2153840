package emulator

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
)

var consentHidden = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)

// Authorize plays a user in a browser, for tests: it opens authorizeURL,
// logs in, and clicks Allow (or Deny), and returns the redirect it gets.
func Authorize(authorizeURL, user, password string, allow bool) (*url.URL, error) {
	au, err := url.Parse(authorizeURL)
	if err != nil {
		return nil, err
	}
	base := au.Scheme + "://" + au.Host
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	page, err := readPage(c.Get(authorizeURL))
	if err != nil {
		return nil, err
	}
	form := hiddenFieldsOf(page)
	form.Set("user_name", user)
	form.Set("user_password", password)
	if page, err = readPage(c.PostForm(base+"/login.do", form)); err != nil {
		return nil, err
	}
	form = hiddenFieldsOf(page)
	form.Set("action", map[bool]string{true: "allow", false: "deny"}[allow])
	res, err := c.PostForm(base+"/oauth_auth.do", form)
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("consent answered %s, want a redirect", res.Status)
	}
	return url.Parse(res.Header.Get("Location"))
}

func hiddenFieldsOf(page string) url.Values {
	v := url.Values{}
	for _, m := range consentHidden.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], html.UnescapeString(m[2]))
	}
	return v
}

func readPage(res *http.Response, err error) (string, error) {
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s answered %s: %s", res.Request.URL.Path, res.Status, b)
	}
	return string(b), err
}
