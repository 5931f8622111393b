package storage

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// These checks judge the FHIR export by what the standard says, not by the
// code that wrote it: HL7's R4 JSON schema (testdata/README.md says where
// the copy comes from) through a JSON-schema validator, and a reference
// and transaction check written from the spec over plain maps.

var fhirSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open(filepath.Join("testdata", "fhir-r4.schema.json.gz"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("fhir schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(zr)
	if err != nil {
		return nil, fmt.Errorf("fhir schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	const url = "http://hl7.org/fhir/json-schema/4.0"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
})

// schemaErrors validates a FHIR JSON document against the R4 schema and
// returns one line per failure ("/entry/3/resource/gender: ...").
func schemaErrors(t *testing.T, doc []byte) []string {
	t.Helper()
	sch, err := fhirSchema()
	if err != nil {
		t.Fatalf("the R4 schema does not load: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	err = sch.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("validate: %v", err)
	}
	var out []string
	compactErrors(ve, &out)
	slices.Sort(out)
	return slices.Compact(out)
}

var english = message.NewPrinter(language.English)

// compactErrors keeps the leaves of the validator's error tree. The schema
// picks a resource's definition with a oneOf over every resource type, so
// each resource that fails carries one failure per type; the branches of
// other resource types are dropped, which leaves the real failures (or,
// for a resourceType that is none of them, the oneOf itself).
func compactErrors(e *jsonschema.ValidationError, out *[]string) {
	var causes []*jsonschema.ValidationError
	for _, c := range e.Causes {
		if _, ok := e.ErrorKind.(*kind.OneOf); !ok || !otherResourceType(c, c.InstanceLocation) {
			causes = append(causes, c)
		}
	}
	if len(causes) == 0 {
		*out = append(*out, "/"+strings.Join(e.InstanceLocation, "/")+": "+e.ErrorKind.LocalizedString(english))
		return
	}
	for _, c := range causes {
		compactErrors(c, out)
	}
}

// otherResourceType reports whether a oneOf branch failed because the
// value at at is not of the branch's resource type.
func otherResourceType(e *jsonschema.ValidationError, at []string) bool {
	if _, ok := e.ErrorKind.(*kind.Const); ok && slices.Equal(e.InstanceLocation, append(slices.Clip(at), "resourceType")) {
		return true
	}
	return slices.ContainsFunc(e.Causes, func(c *jsonschema.ValidationError) bool { return otherResourceType(c, at) })
}

// referenceErrors lists the references in a Bundle that resolve to none of
// its entries: a reference resolves to an entry whose fullUrl it is, or
// whose resource is Type/id (R4 Bundle, "Resolving references in Bundles").
func referenceErrors(t *testing.T, doc []byte) []string {
	t.Helper()
	var bundle map[string]any
	if err := json.Unmarshal(doc, &bundle); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	targets := map[string]bool{}
	entries, _ := bundle["entry"].([]any)
	for _, e := range entries {
		entry, _ := e.(map[string]any)
		if u, ok := entry["fullUrl"].(string); ok {
			targets[u] = true
		}
		res, _ := entry["resource"].(map[string]any)
		rt, _ := res["resourceType"].(string)
		id, _ := res["id"].(string)
		if rt != "" && id != "" {
			targets[rt+"/"+id] = true
		}
	}
	var bad []string
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "reference" && !targets[s] {
					bad = append(bad, path+": "+s)
				}
				walk(path+"/"+k, x)
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s/%d", path, i), x)
			}
		}
	}
	walk("", bundle)
	slices.Sort(bad)
	return bad
}

// transactionErrors checks the R4 rules for a transaction Bundle that the
// schema cannot: every entry has a request; a PUT's url is Type/id of its
// own resource; no resource is named twice ("it is an error if the same
// resource appears more than once", http.html#trules).
func transactionErrors(t *testing.T, doc []byte) []string {
	t.Helper()
	var bundle struct {
		Type  string `json:"type"`
		Entry []struct {
			FullURL  string         `json:"fullUrl"`
			Resource map[string]any `json:"resource"`
			Request  *struct {
				Method string `json:"method"`
				URL    string `json:"url"`
			} `json:"request"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(doc, &bundle); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	var bad []string
	if bundle.Type != "transaction" {
		bad = append(bad, "type "+bundle.Type)
	}
	seen := map[string]bool{}
	for i, e := range bundle.Entry {
		if e.Request == nil {
			bad = append(bad, fmt.Sprintf("entry %d: no request", i))
			continue
		}
		self := fmt.Sprint(e.Resource["resourceType"], "/", e.Resource["id"])
		if e.Request.Method != "PUT" || e.Request.URL != self {
			bad = append(bad, fmt.Sprintf("entry %d: %s %s for %s", i, e.Request.Method, e.Request.URL, self))
		}
		if seen[self] || seen[e.FullURL] {
			bad = append(bad, fmt.Sprintf("entry %d: %s is in the Bundle twice", i, self))
		}
		seen[self], seen[e.FullURL] = true, true
	}
	return bad
}

func TestFHIRExportPassesR4Schema(t *testing.T) {
	s := newStore(t)
	exportSample(t, s)
	golden, err := os.ReadFile(filepath.Join("testdata", "export", "fhir.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tx bytes.Buffer
	if err := s.ExportFHIRBundle(context.Background(), &tx, ExportFilter{}, t0, true); err != nil {
		t.Fatal(err)
	}
	since := exportFHIR(t, s, ExportFilter{Since: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)})
	for _, c := range []struct {
		name string
		doc  []byte
	}{{"golden collection", golden}, {"transaction", tx.Bytes()}, {"since", since}} {
		t.Run(c.name, func(t *testing.T) {
			if errs := schemaErrors(t, c.doc); len(errs) > 0 {
				t.Errorf("%d R4 schema errors:\n%s", len(errs), strings.Join(errs, "\n"))
			}
			if errs := referenceErrors(t, c.doc); len(errs) > 0 {
				t.Errorf("%d references resolve to no entry:\n%s", len(errs), strings.Join(errs, "\n"))
			}
		})
	}
	if errs := transactionErrors(t, tx.Bytes()); len(errs) > 0 {
		t.Errorf("transaction rules:\n%s", strings.Join(errs, "\n"))
	}
}

// TestFHIRChecksCanFail: each check rejects a copy of the golden Bundle
// spoiled in the way it looks for.
func TestFHIRChecksCanFail(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("testdata", "export", "fhir.json"))
	if err != nil {
		t.Fatal(err)
	}
	// spoil decodes the golden Bundle, changes its first resource of type
	// rt, and encodes it again.
	spoil := func(rt string, change func(res, entry map[string]any)) []byte {
		var bundle map[string]any
		if err := json.Unmarshal(golden, &bundle); err != nil {
			t.Fatal(err)
		}
		for _, e := range bundle["entry"].([]any) {
			entry := e.(map[string]any)
			if res := entry["resource"].(map[string]any); res["resourceType"] == rt {
				change(res, entry)
				break
			}
		}
		b, err := json.Marshal(bundle)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, c := range []struct {
		name, rt string
		change   func(res, entry map[string]any)
		want     string
	}{
		{"gender a number", "Patient", func(r, _ map[string]any) { r["gender"] = 7 }, "/resource/gender: value must be one of 'male'"},
		{"unknown property", "Patient", func(r, _ map[string]any) { r["nickname"] = "Ann" }, "/resource: additional properties 'nickname' not allowed"},
		{"score a string", "Observation", func(r, _ map[string]any) { r["valueInteger"] = "6" }, "/resource/valueInteger: got string, want number"},
		{"date not a dateTime", "Encounter", func(r, _ map[string]any) { r["period"] = map[string]any{"start": "yesterday"} }, "/resource/period/start: 'yesterday' does not match pattern"},
		{"resource of no type", "Flag", func(r, _ map[string]any) { r["resourceType"] = "Warning" }, "/resource: 'oneOf' failed, none matched"},
	} {
		t.Run(c.name, func(t *testing.T) {
			errs := schemaErrors(t, spoil(c.rt, c.change))
			if len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), c.want) {
				t.Fatalf("the R4 schema did not reject it as %q:\n%s", c.want, strings.Join(errs, "\n"))
			}
			if len(errs) > 3 {
				t.Errorf("%d lines for one fault: the errors are not compact:\n%s", len(errs), strings.Join(errs, "\n"))
			}
		})
	}
	t.Run("dangling reference", func(t *testing.T) {
		doc := spoil("Encounter", func(r, _ map[string]any) {
			r["subject"] = map[string]any{"reference": "Patient/no-such-person"}
		})
		if errs := referenceErrors(t, doc); len(errs) != 1 || !strings.Contains(errs[0], "/subject: Patient/no-such-person") {
			t.Fatalf("the dangling reference was not found: %v", errs)
		}
		if errs := schemaErrors(t, doc); len(errs) > 0 {
			t.Fatalf("the schema rejected a well-formed reference: %v", errs)
		}
	})
	t.Run("transaction PUTs on another type", func(t *testing.T) {
		var bundle map[string]any
		if err := json.Unmarshal(golden, &bundle); err != nil {
			t.Fatal(err)
		}
		bundle["type"] = "transaction"
		for _, e := range bundle["entry"].([]any) {
			res := e.(map[string]any)["resource"].(map[string]any)
			e.(map[string]any)["request"] = map[string]any{"method": "PUT", "url": "Patient/" + res["id"].(string)}
		}
		b, _ := json.Marshal(bundle)
		errs := transactionErrors(t, b)
		if len(errs) == 0 || !strings.Contains(strings.Join(errs, "\n"), "PUT Patient/") {
			t.Fatalf("PUTs on the wrong type were not found: %v", errs)
		}
	})
}
