package worker

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// oddPath says what is wrong with an API path that a server behind the
// instance could read other than the worker does, or "" if nothing is.
// raw is the path as sent (still %-escaped), unescaped its decoded form.
// Java servers such as the instance's read ';' as the start of path
// parameters (so "/..;/" is a dot segment there); a double encoding
// (%252e) or an overlong UTF-8 one (%c0%ae) decodes to a dot on servers
// that decode twice or leniently; and Unicode look-alikes of '.', '/' and
// '\' become them under compatibility normalisation.
func oddPath(raw, unescaped string) string {
	lower := strings.ToLower(raw)
	switch {
	case strings.Contains(raw, ";") || strings.Contains(lower, "%3b"):
		return "has ';' (or %3B) in its path, which Java servers read as path parameters"
	case strings.Contains(lower, "%25"):
		return "has an encoded '%' (%25) in its path: a double encoding"
	case !utf8.ValidString(unescaped):
		return "has a %-escape that is not valid UTF-8 (overlong, such as %c0%ae, or malformed) in its path"
	}
	for _, r := range unescaped {
		switch {
		case r < 0x20 || r >= 0x7f && r < 0xa0:
			return "has a control character, encoded or not, in its path"
		case r == utf8.RuneError:
			return "has U+FFFD, the mark of a bad encoding, in its path"
		case lookalike(r):
			return fmt.Sprintf("has %q (%U), a look-alike of '.', '/', '\\' or other URL punctuation, in its path", r, r)
		}
	}
	return ""
}

// lookalike reports whether r is a Unicode character that looks like, or
// normalises (NFKC, or IDNA's mapping of full stops) to, URL punctuation.
func lookalike(r rune) bool {
	switch {
	case r >= 0xff01 && r <= 0xff5e: // fullwidth forms of ASCII: ．／＼％；？＃ …
		return true
	case r >= 0xfe50 && r <= 0xfe6b: // small forms: ﹒ ﹨ ﹪ ﹔ ﹖ ﹟ …
		return true
	case r >= 0x2488 && r <= 0x249b: // ⒈ … ⒛: "1." … "20."
		return true
	}
	switch r {
	case 0x2024, 0x2025, 0x2026, // one and two dot leaders, ellipsis
		0x3002, 0xff61, // ideographic full stops
		0x0589, 0x06d4, 0x0701, 0x0702, 0x2e3c, 0xa4ff, 0xa60e, 0xa6f3, 0x1f100, // other full stops
		0x00b7, 0x2027, 0x2219, 0x22c5, 0x30fb, 0xff65, // middle dots
		0x2044, 0x2215, 0x2571, 0x29f8, 0x2afd, // slashes
		0x2216, 0x29f5, 0x29f9, 0x2572, // backslashes
		0x2100, 0x2101, 0x2105, 0x2106: // ℀ ℁ ℅ ℆, which hold a '/'
		return true
	}
	return false
}
