package locale

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Arg is an argument of Format: a keyword argument ({name}) or a positional one ({} or {0}).
type Arg struct {
	name  string
	value any
}

// Named is the keyword argument name=value.
func Named(name string, value any) Arg { return Arg{name: name, value: value} }

// Positional is a positional argument.
func Positional(value any) Arg { return Arg{value: value} }

// ErrFormat is wrapped by the errors of Format: a template or an argument Python's str.format
// would reject (KeyError, IndexError, ValueError), or a format this port does not support.
var ErrFormat = errors.New("locale: format")

// Format is Python's str.format as upstream applies it to a translated message: {name} takes a
// Named argument, {} and {0} the Positional ones (automatic and manual numbering cannot mix),
// {{ and }} are literal braces. A value is a string, an integer type or a rune; a field may
// carry the format spec d, x or X for integers ({code_point:X} gives "D800"), s for strings.
// Attribute and index access, conversions (!r) and other specs are errors, as are missing
// arguments: Django answers those with a server error, so a caller should fall back to the
// English message.
func Format(template string, args ...Arg) (string, error) {
	if strings.IndexByte(template, '{') < 0 && strings.IndexByte(template, '}') < 0 {
		return template, nil
	}
	var b strings.Builder
	auto, manual := 0, false
	for i := 0; i < len(template); i++ {
		c := template[i]
		switch {
		case c == '}':
			if i+1 < len(template) && template[i+1] == '}' {
				b.WriteByte('}')
				i++
				continue
			}
			return "", fmt.Errorf("%w: single '}' encountered in format string", ErrFormat)
		case c != '{':
			b.WriteByte(c)
			continue
		}
		if i+1 < len(template) && template[i+1] == '{' {
			b.WriteByte('{')
			i++
			continue
		}
		end := strings.IndexByte(template[i:], '}')
		if end < 0 {
			return "", fmt.Errorf("%w: single '{' encountered in format string", ErrFormat)
		}
		field := template[i+1 : i+end]
		i += end
		name, spec, _ := strings.Cut(field, ":")
		if strings.ContainsAny(name, "{!.[") || strings.Contains(spec, "{") {
			return "", fmt.Errorf("%w: unsupported field {%s}", ErrFormat, field)
		}
		var value any
		switch {
		case name == "":
			if manual {
				return "", fmt.Errorf("%w: cannot switch from manual field specification to automatic field numbering", ErrFormat)
			}
			v, ok := positional(args, auto)
			if !ok {
				return "", fmt.Errorf("%w: replacement index %d out of range for positional args tuple", ErrFormat, auto)
			}
			value, auto = v, auto+1
		case name[0] >= '0' && name[0] <= '9':
			n, err := strconv.Atoi(name)
			if err != nil {
				return "", fmt.Errorf("%w: bad field {%s}", ErrFormat, field)
			}
			if auto > 0 {
				return "", fmt.Errorf("%w: cannot switch from automatic field numbering to manual field specification", ErrFormat)
			}
			v, ok := positional(args, n)
			if !ok {
				return "", fmt.Errorf("%w: replacement index %d out of range for positional args tuple", ErrFormat, n)
			}
			value, manual = v, true
		default:
			v, ok := named(args, name)
			if !ok {
				return "", fmt.Errorf("%w: missing argument %q", ErrFormat, name)
			}
			value = v
		}
		s, err := formatValue(value, spec)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func positional(args []Arg, n int) (any, bool) {
	for _, a := range args {
		if a.name != "" {
			continue
		}
		if n == 0 {
			return a.value, true
		}
		n--
	}
	return nil, false
}

func named(args []Arg, name string) (any, bool) {
	for _, a := range args {
		if a.name == name {
			return a.value, true
		}
	}
	return nil, false
}

func formatValue(v any, spec string) (string, error) {
	var n int64
	switch x := v.(type) {
	case string:
		if spec == "" || spec == "s" {
			return x, nil
		}
		return "", fmt.Errorf("%w: unknown format code %q for a string", ErrFormat, spec)
	case int:
		n = int64(x)
	case int64:
		n = x
	case int32:
		n = int64(x)
	default:
		return "", fmt.Errorf("%w: unsupported argument type %T", ErrFormat, v)
	}
	switch spec {
	case "", "d":
		return strconv.FormatInt(n, 10), nil
	case "x":
		return pyHex(n, false), nil
	case "X":
		return pyHex(n, true), nil
	}
	return "", fmt.Errorf("%w: unknown format code %q for an integer", ErrFormat, spec)
}

// pyHex is format(n, "x") / format(n, "X"): the sign, then the digits.
func pyHex(n int64, upper bool) string {
	neg := n < 0
	u := uint64(n)
	if neg {
		u = -u
	}
	s := strconv.FormatUint(u, 16)
	if upper {
		s = strings.ToUpper(s)
	}
	if neg {
		return "-" + s
	}
	return s
}
