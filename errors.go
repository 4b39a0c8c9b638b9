// Package homeward holds the domain of Homeward: the records of the missing, their remains and the
// chain of custody, the rules that keep them valid, and the service interfaces that storage and
// transport adapters implement. It imports no storage, HTTP or job code.
package homeward

import (
	"errors"
	"fmt"
)

// Error codes shared by every adapter. HTTP maps them to status codes, the CLI to exit messages.
const (
	ECONFLICT     = "conflict"     // unique key taken, stale version, custody rule broken
	EINTERNAL     = "internal"     // a bug or an unavailable dependency
	EINVALID      = "invalid"      // bad input: the message names the record and field
	ENOTFOUND     = "not_found"    // no such record
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	EFORBIDDEN    = "forbidden"    // valid credentials, role does not allow the action
	ETOOLARGE     = "too_large"    // a request or computation exceeds a stated limit
	EUNAVAILABLE  = "unavailable"  // the server lacks a part the request needs (e.g. a job queue)
	EPRECONDITION = "precondition" // the record changed since the caller read it (a stale If-Match)
	ETOOMANY      = "too_many"     // too many attempts: wait (sign-in throttling)
	EMALFORMED    = "malformed"    // a request that cannot be read at all (JSON syntax, empty body)
	EUNSUPPORTED  = "unsupported"  // a request body of a media type the route does not take
	EMETHOD       = "method"       // a request method the address does not take
)

// Error is a domain error with a machine-readable code and a message fit for the user.
type Error struct {
	Code    string
	Message string
	// Field optionally names the offending field ("missing_person.service_number").
	Field string
	// Format and Args are the message before its values were put in (Message is the English text
	// made of them): a page translates the format and puts the values into the translation.
	Format string
	Args   []any
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Errorf builds an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// FieldErrorf builds an EINVALID *Error naming the field.
func FieldErrorf(field, format string, args ...any) *Error {
	return CodeFieldErrorf(EINVALID, field, format, args...)
}

// CodeFieldErrorf builds an *Error with the given code naming the field.
func CodeFieldErrorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for other errors and ""
// for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the *Error's message (with field) when there
// is one, a generic text for internal errors (their detail goes to the log, not to the user).
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error"
}

// ErrorMessageVerbose returns the full error text, for logs and the CLI (where the user is the
// operator and needs the detail).
func ErrorMessageVerbose(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
