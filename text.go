package homeward

import (
	"reflect"
	"strings"
	"unicode/utf8"
)

// CheckText refuses a record whose text fields hold bytes no store keeps faithfully: invalid UTF-8
// (PostgreSQL refuses it, JSON silently replaces it) and NUL characters (PostgreSQL refuses them in
// text). It walks v's exported string fields, in nested structs, pointers and slices, and names the
// first bad one as record.json_name.
func CheckText(record string, v any) error {
	return checkText(record, reflect.ValueOf(v))
}

func checkText(path string, v reflect.Value) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return checkText(path, v.Elem())
	case reflect.String:
		s := v.String()
		if !utf8.ValidString(s) {
			return FieldErrorf(path, "is not valid UTF-8 text")
		}
		if strings.ContainsRune(s, 0) {
			return FieldErrorf(path, "contains a NUL character")
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil // bytes are not text
		}
		for i := 0; i < v.Len(); i++ {
			if err := checkText(path, v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if err := checkText(path, it.Key()); err != nil {
				return err
			}
			if err := checkText(path, it.Value()); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			p := path
			switch {
			case name == "-":
				continue
			case f.Anonymous && name == "":
			case name != "":
				p = path + "." + name
			default:
				p = path + "." + strings.ToLower(f.Name)
			}
			if err := checkText(p, v.Field(i)); err != nil {
				return err
			}
		}
	}
	return nil
}
