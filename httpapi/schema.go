package httpapi

import (
	"fmt"
	"path"
	"reflect"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// enumerated is a string type with a closed set of values (roles, statuses, kinds), which the
// document lists as its enum.
type enumerated interface{ EnumValues() []string }

var enumeratedType = reflect.TypeFor[enumerated]()

// schemaCustomizer adds to openapi3gen's schemas what the Go types say and it does not read:
//   - required: a struct field without omitempty/omitzero is always in the JSON the server writes;
//   - nullable: a slice or map without omitempty is written as null when empty (a pointer is
//     already nullable);
//   - enum: a field of an enumerated type, or with an enum:"a,b" tag, takes only those values.
func schemaCustomizer(_ string, t reflect.Type, tag reflect.StructTag, schema *openapi3.Schema) error {
	if t.Kind() == reflect.Struct && len(schema.Properties) > 0 {
		schema.Required = requiredFields(t)
	}
	if (t.Kind() == reflect.Slice || t.Kind() == reflect.Map) && tag != "" && !omitted(tag) && t != rawJSONType {
		schema.Nullable = true
	}
	if vals := enumOf(t, tag); len(vals) > 0 && schema.Type.Is("string") {
		schema.Enum = nil
		for _, v := range vals {
			schema.Enum = append(schema.Enum, v)
		}
	}
	return nil
}

var rawJSONType = reflect.TypeFor[[]byte]()

func enumOf(t reflect.Type, tag reflect.StructTag) []string {
	if e, ok := tag.Lookup("enum"); ok {
		return strings.Split(e, ",")
	}
	if t.Kind() == reflect.String && t.Implements(enumeratedType) {
		return reflect.Zero(t).Interface().(enumerated).EnumValues()
	}
	return nil
}

// omitted reports whether a field's json tag leaves it out when empty.
func omitted(tag reflect.StructTag) bool {
	_, opts, _ := strings.Cut(tag.Get("json"), ",")
	for _, o := range strings.Split(opts, ",") {
		if o == "omitempty" || o == "omitzero" {
			return true
		}
	}
	return false
}

// requiredFields lists the JSON names of t's fields that are always written, embedded structs'
// fields included as encoding/json flattens them (a field of t hides an embedded one of its name).
func requiredFields(t reflect.Type) []string {
	req := map[string]bool{}
	var order []string
	set := func(name string, r bool) {
		if _, seen := req[name]; !seen {
			order = append(order, name)
		}
		req[name] = r
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for _, n := range requiredFields(f.Type) {
				if _, own := t.FieldByName(n); !own {
					set(n, true)
				}
			}
		}
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue // openapi3gen describes only fields with a json name
		}
		set(name, !omitted(f.Tag))
	}
	var out []string
	for _, n := range order {
		if req[n] {
			out = append(out, n)
		}
	}
	return out
}

// A request body's schema requires nothing: the server fills in what a client leaves out (ids,
// times, defaults) and refuses what it cannot do without, naming the field (422). So a type that
// is also an answer gets a second component, <Name>Input: a copy, with the components it refers
// to copied in, that requires nothing; a type only sent is described that way under its own name.
// The document's references must be resolved first.
func addInputSchemas(doc *openapi3.T, routes []route) {
	for _, rt := range routes {
		if rt.request == "" {
			continue
		}
		in := inputSchema(rt.request, routes)
		if _, done := doc.Components.Schemas[in]; done && in != rt.request {
			continue
		}
		doc.Components.Schemas[in] = optionalCopy(doc.Components.Schemas[rt.request], 0)
	}
}

// inputSchema names the schema of a request body of the given type.
func inputSchema(name string, routes []route) string {
	for _, rt := range routes {
		if rt.response == name || rt.failure == name {
			return name + "Input"
		}
	}
	return name
}

// optionalCopy copies a schema, references resolved and copied in, without required, and with
// every field nullable: the server reads a null as the field left out.
func optionalCopy(r *openapi3.SchemaRef, depth int) *openapi3.SchemaRef {
	if r == nil || r.Value == nil || depth > 12 {
		return r
	}
	c := *r.Value
	c.Required = nil
	c.Nullable = depth > 0
	if c.Properties != nil {
		c.Properties = openapi3.Schemas{}
		for name, p := range r.Value.Properties {
			c.Properties[name] = optionalCopy(p, depth+1)
		}
	}
	c.Items = optionalCopy(c.Items, depth+1)
	c.AdditionalProperties.Schema = optionalCopy(c.AdditionalProperties.Schema, depth+1)
	return &openapi3.SchemaRef{Value: &c}
}

// componentName names the component of a struct type: the domain's types by their own name,
// another package's prefixed with it (dvi.Report is DviReport; osteo's with Osteometric, as the
// domain and the API have their own OsteoReferenceSample and OsteoSortResult).
func componentName(t reflect.Type) string {
	pkg := path.Base(t.PkgPath())
	switch pkg {
	case "homeward", ".":
		return t.Name()
	case "osteo":
		return "Osteometric" + t.Name()
	case "httpapi": // the API's own request and answer types
		return "Api" + strings.ToUpper(t.Name()[:1]) + t.Name()[1:]
	}
	return strings.ToUpper(pkg[:1]) + pkg[1:] + t.Name()
}

// componentNamer is componentName that remembers which type took each name and reports the
// first name two types would share.
func componentNamer(conflict *error) func(reflect.Type) string {
	taken := map[string]reflect.Type{}
	return func(t reflect.Type) string {
		name := componentName(t)
		if other, ok := taken[name]; ok && name != "" && other != t && *conflict == nil {
			*conflict = fmt.Errorf("openapi: %v and %v would both be the schema %s", other, t, name)
		}
		taken[name] = t
		return name
	}
}
