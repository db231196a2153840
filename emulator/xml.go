package emulator

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// format is a response format the REST APIs can produce.
type format int

const (
	formatNone format = iota
	formatJSON
	formatXML
)

// negotiate picks JSON or XML from an Accept header, honouring q values;
// formatNone means neither is acceptable.
func negotiate(accept string) format {
	if strings.TrimSpace(accept) == "" {
		return formatJSON
	}
	best, bestQ := formatNone, 0.0
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, ok := params["q"]; ok {
			if q, err = strconv.ParseFloat(v, 64); err != nil {
				continue
			}
		}
		f := formatNone
		switch mt {
		case "application/json", "application/*", "*/*":
			f = formatJSON
		case "application/xml", "text/xml":
			f = formatXML
		}
		if f != formatNone && q > bestQ {
			best, bestQ = f, q
		}
	}
	return best
}

// acceptsJSON reports whether an Accept header admits application/json.
func acceptsJSON(accept string) bool { return negotiate(accept) == formatJSON }

func wantsXML(r *http.Request) bool { return negotiate(r.Header.Get("Accept")) == formatXML }

// writeXMLResult writes v as ServiceNow does: a record is
// <response><result><field>value</field>…</result></response>, and a list
// repeats <result> once per record.
func writeXMLResult(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	b.WriteString(xml.Header[:len(xml.Header)-1])
	b.WriteString("<response>")
	switch v := v.(type) {
	case []map[string]any:
		for _, rec := range v {
			xmlElement(&b, "result", rec)
		}
	default:
		xmlElement(&b, "result", v)
	}
	b.WriteString("</response>")
	writeBody(w, status, xmlType, b.Bytes())
}

func writeXMLError(w http.ResponseWriter, status int, message string, detail any) {
	var b bytes.Buffer
	b.WriteString(xml.Header[:len(xml.Header)-1])
	b.WriteString("<response>")
	d := ""
	if s, ok := detail.(string); ok {
		d = s
	}
	xmlElement(&b, "error", map[string]any{"message": message, "detail": d})
	xmlElement(&b, "status", "failure")
	b.WriteString("</response>")
	writeBody(w, status, xmlType, b.Bytes())
}

// xmlElement writes <name>v</name>; maps become child elements in name
// order, and an empty value is <name/>.
func xmlElement(b *bytes.Buffer, name string, v any) {
	switch v := v.(type) {
	case map[string]any:
		b.WriteString("<" + name + ">")
		for _, k := range slices.Sorted(maps.Keys(v)) {
			xmlElement(b, k, v[k])
		}
		b.WriteString("</" + name + ">")
	case map[string]string:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = x
		}
		xmlElement(b, name, m)
	default:
		s := ""
		switch x := v.(type) {
		case string:
			s = x
		case nil:
		default:
			s = fmt.Sprint(x)
		}
		if s == "" {
			b.WriteString("<" + name + "/>")
			return
		}
		b.WriteString("<" + name + ">")
		b.WriteString(xmlText.Replace(s))
		b.WriteString("</" + name + ">")
	}
}

var xmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// xmlFieldValues reads an XML request body, <request><entry><field>value
// </field>…</entry></request>, or any root whose children are the fields.
func xmlFieldValues(body []byte) (map[string]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	out := map[string]string{}
	depth, fieldDepth, roots := 0, 0, 0
	var field string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 {
				roots++
			}
			if fieldDepth == 0 && depth == 2 && t.Name.Local == "entry" {
				fieldDepth = 3
			} else if fieldDepth == 0 && depth == 2 {
				fieldDepth = 2
			}
			if depth == fieldDepth {
				field = t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if field != "" {
				text.Write(t)
			}
		case xml.EndElement:
			if depth == fieldDepth && field != "" {
				out[field] = text.String()
				field = ""
			}
			depth--
		}
	}
	if roots != 1 {
		return nil, errNotObject
	}
	return out, nil
}
