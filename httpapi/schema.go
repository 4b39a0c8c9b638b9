package httpapi

import (
	"encoding/json"
	"fmt"
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
// is also an answer gets a second component, <Name>Input, without required; a type only sent
// is described that way under its own name.
func addInputSchemas(doc *openapi3.T, routes []route) error {
	for _, rt := range routes {
		if rt.request == "" {
			continue
		}
		in := inputSchema(rt.request, routes)
		if _, done := doc.Components.Schemas[in]; done && in != rt.request {
			continue
		}
		b, err := json.Marshal(doc.Components.Schemas[rt.request].Value)
		if err != nil {
			return fmt.Errorf("openapi: input schema %s: %w", in, err)
		}
		var s openapi3.Schema
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("openapi: input schema %s: %w", in, err)
		}
		optional(&s)
		doc.Components.Schemas[in] = openapi3.NewSchemaRef("", &s)
	}
	return nil
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

func optional(s *openapi3.Schema) {
	if s == nil {
		return
	}
	s.Required = nil
	for _, p := range s.Properties {
		optional(p.Value)
	}
	if s.Items != nil {
		optional(s.Items.Value)
	}
	if s.AdditionalProperties.Schema != nil {
		optional(s.AdditionalProperties.Schema.Value)
	}
}
