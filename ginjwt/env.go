package ginjwt

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-simplejwt/simplejwt/ginjwt/tokens"
	"github.com/gin-simplejwt/simplejwt/views"
)

// SettingsFromEnv reads every SIMPLE_JWT key from environment variables named SIMPLE_JWT_<KEY>
// on top of base, for twelve-factor services:
//
//   - durations as Go durations ("240s", "5m", "24h") or plain seconds ("300", "0.5"); the
//     lifetimes must be positive (unset the variable for simplejwt's default), LEEWAY may be 0;
//   - booleans as true/false (also 1/0, as strconv.ParseBool);
//   - lists comma-separated (SIMPLE_JWT_AUTH_TOKEN_CLASSES=AccessToken,SlidingToken; the
//     dotted Python paths work too);
//   - None for the nullable keys (AUDIENCE, ISSUER, JWK_URL, TOKEN_TYPE_CLAIM, JTI_CLAIM,
//     VERIFYING_KEY, SIGNING_KEY_ID); the other keys cannot be None.
//
// Keys: SIGNING_KEY and VERIFYING_KEY hold PEM text or the secret itself. Their file forms,
// SIMPLE_JWT_SIGNING_KEY_FILE and SIMPLE_JWT_VERIFYING_KEY_FILE, name a file holding the key
// (Docker and Kubernetes secrets); trailing line breaks are trimmed from a secret. VERIFYING_KEYS
// holds kid=key entries separated by commas or line breaks (a PEM block may span lines; "=key"
// is the key of tokens without kid); kid=@path reads that key from a file;
// SIMPLE_JWT_VERIFYING_KEYS_FILE names a file holding the entries. Setting both X and X_FILE is
// an error; a _FILE that cannot be read, is empty or only whitespace is an error naming the
// variable. For compatibility, a key variable holding the path of a readable file reads that
// file; a value that names a file that cannot be read (a missing file in an existing directory,
// "./…", "../…", "~/…") is an error, never the key itself. tokens.Settings.Validate refuses
// the other values that read like paths, weak secrets and asymmetric material as HMAC secrets.
//
// lookup is os.LookupEnv when nil. The keys that name Python code (USER_AUTHENTICATION_RULE,
// the serializers, JSON_ENCODER, …) may only be None or empty, with an error that names the Go
// field to set instead. With the real environment (lookup nil), an unknown SIMPLE_JWT_
// variable is an error too (ErrUnknownSetting) — simplejwt ignores unknown keys, but a typo
// must not silently keep a default.
//
// Every problem is reported, one *tokens.SettingError per variable (joined), in the order of
// the settings table; no message shows a key.
func SettingsFromEnv(base Settings, lookup func(string) (string, bool)) (Settings, error) {
	s := base
	var environ []string
	if lookup == nil {
		lookup, environ = os.LookupEnv, os.Environ()
	}
	var errs []error
	for _, r := range envTable {
		errs = append(errs, r.load(&s, lookup)...)
	}
	errs = append(errs, unknownVariables(environ)...)
	return s, errors.Join(errs...)
}

// ErrUnknownSetting is returned (joined) by SettingsFromEnv for each SIMPLE_JWT_ variable of
// the process environment that names no setting.
var ErrUnknownSetting = errors.New("not a SIMPLE_JWT setting")

// envPrefix starts every variable SettingsFromEnv reads.
const envPrefix = "SIMPLE_JWT_"

// envKey is one row of the environment table: a SIMPLE_JWT key, the Go field of Settings it
// sets, and how its value (and the contents of its _FILE variable, for keys) is read. A key
// with no parser names Python code: it may only be None or empty.
type envKey struct {
	key   string // the Python name: ACCESS_TOKEN_LIFETIME
	field string // the Go field: AccessTokenLifetime ("" when Go has none)
	typ   reflect.Type
	parse func(v string) (reflect.Value, error)
	// parseFile reads the contents of SIMPLE_JWT_<KEY>_FILE; nil when there is no file form.
	parseFile func(contents string) (reflect.Value, error)
	// none is the bool field that None sets instead of field (TOKEN_TYPE_CLAIM = None sets
	// NoTokenTypeClaim); "" when None goes through parse.
	none string
	// env is the variable's name when it is not SIMPLE_JWT_<KEY> (Django's own settings, such
	// as LANGUAGE_CODE); "" for SIMPLE_JWT_<KEY>.
	env string
}

// variable is the name of the row's environment variable.
func (r envKey) variable() string {
	if r.env != "" {
		return r.env
	}
	return envPrefix + r.key
}

// named is r read from the variable env instead of SIMPLE_JWT_<KEY>.
func named(r envKey, env string) envKey {
	r.env = env
	return r
}

// envTable is every SIMPLE_JWT key, in the order of simplejwt's documentation: the serializer
// keys come from the endpoint table (views.Endpoints). Adding a setting to the environment is
// one row.
var envTable = slices.Concat([]envKey{
	row("ACCESS_TOKEN_LIFETIME", "AccessTokenLifetime", parseLifetime),
	row("REFRESH_TOKEN_LIFETIME", "RefreshTokenLifetime", parseLifetime),
	row("ROTATE_REFRESH_TOKENS", "RotateRefreshTokens", parseBool),
	row("BLACKLIST_AFTER_ROTATION", "BlacklistAfterRotation", parseBool),
	row("UPDATE_LAST_LOGIN", "UpdateLastLogin", parseBool),
	row("ALGORITHM", "Algorithm", parseName),
	fileRow("SIGNING_KEY", "SigningKey", parseSigningKey, keyFromFile),
	fileRow("VERIFYING_KEY", "VerifyingKey", parseVerifyingKey, keyFromFile),
	row("AUDIENCE", "Audience", parseAudience),
	row("ISSUER", "Issuer", parseNullable),
	row("JWK_URL", "JWKURL", parseNullable),
	row("LEEWAY", "Leeway", parseLeeway),
	row("AUTH_HEADER_TYPES", "AuthHeaderTypes", parseList),
	row("AUTH_HEADER_NAME", "AuthHeaderName", parseName),
	row("USER_ID_FIELD", "UserIDField", parseName),
	row("USER_ID_CLAIM", "UserIDClaim", parseName),
	code("USER_AUTHENTICATION_RULE", "UserAuthenticationRule"),
	code("ON_LOGIN_SUCCESS", "OnLoginSuccess"),
	code("ON_LOGIN_FAILED", "OnLoginFailed"),
	row("AUTH_TOKEN_CLASSES", "AuthTokenClasses", parseClasses),
	noneRow(row("TOKEN_TYPE_CLAIM", "TokenTypeClaim", parseName), "NoTokenTypeClaim"),
	noneRow(row("JTI_CLAIM", "JTIClaim", parseName), "NoJTIClaim"),
	code("TOKEN_USER_CLASS", "TokenUserClass"),
	row("SLIDING_TOKEN_REFRESH_EXP_CLAIM", "SlidingTokenRefreshExpClaim", parseName),
	row("SLIDING_TOKEN_LIFETIME", "SlidingTokenLifetime", parseLifetime),
	row("SLIDING_TOKEN_REFRESH_LIFETIME", "SlidingTokenRefreshLifetime", parseLifetime),
}, serializerKeys(), []envKey{
	row("CHECK_REVOKE_TOKEN", "CheckRevokeToken", parseBool),
	row("REVOKE_TOKEN_CLAIM", "RevokeTokenClaim", parseName),
	row("CHECK_USER_IS_ACTIVE", "AllowInactiveUsers", parseNegatedBool),
	code("JSON_ENCODER", ""),
	row("SIGNING_KEY_ID", "SigningKeyID", parseNullable),
	fileRow("VERIFYING_KEYS", "VerifyingKeys", parseVerifyingKeys, parseVerifyingKeys),
	row("PUBLISH_JWKS", "PublishJWKS", parseBool),
	row("SESSIONS", "Sessions", parseBool),
	row("REFRESH_TOKEN_REUSE_DETECTION", "RefreshTokenReuseDetection", parseBool),
	row("REFRESH_TOKEN_REUSE_GRACE_PERIOD", "RefreshTokenReuseGracePeriod", parseLeeway),
	// Django's i18n settings (Settings.Locale): LANGUAGE_CODE keeps Django's own name.
	named(row("LANGUAGE_CODE", "LanguageCode", parseName), "LANGUAGE_CODE"),
	row("LOCALE_MIDDLEWARE", "LocaleMiddleware", parseBool),
})

// serializerKeys are the serializer keys of the endpoint table: Python code, set in Go as
// Settings.Serializers["token_obtain_pair"].
func serializerKeys() []envKey {
	var keys []envKey
	for _, e := range views.Endpoints() {
		keys = append(keys, code(e.Setting, fmt.Sprintf("Serializers[%q]", e.Name)))
	}
	return keys
}

// row is a key read from its variable with parse, into the field of type T.
func row[T any](key, field string, parse func(string) (T, error)) envKey {
	return envKey{key: key, field: field, typ: reflect.TypeFor[T](), parse: valueOf(parse)}
}

// fileRow is a key that also has a _FILE variable, whose contents parseFile reads.
func fileRow[T any](key, field string, parse, parseFile func(string) (T, error)) envKey {
	r := row(key, field, parse)
	r.parseFile = valueOf(parseFile)
	return r
}

// noneRow is r whose None sets the bool field none (the claim settings simplejwt lets you set
// to None).
func noneRow(r envKey, none string) envKey {
	r.none = none
	return r
}

// code is a key that names Python code: Go sets field instead.
func code(key, field string) envKey { return envKey{key: key, field: field} }

func valueOf[T any](parse func(string) (T, error)) func(string) (reflect.Value, error) {
	return func(v string) (reflect.Value, error) {
		x, err := parse(v)
		return reflect.ValueOf(&x).Elem(), err
	}
}

// load reads the row's variables into s and returns their problems.
func (r envKey) load(s *Settings, lookup func(string) (string, bool)) []error {
	v, isSet := lookup(r.variable())
	if r.parse == nil {
		if isSet && v != "" && v != "None" {
			if r.field == "" {
				return r.fail(r.key, fmt.Errorf("names Python code (%q); in Go there is no such setting: claims are always encoded as PyJWT encodes them", v))
			}
			return r.fail(r.key, fmt.Errorf("names Python code (%q); set the Go field instead", v))
		}
		return nil
	}
	if r.none != "" && isSet && strings.TrimSpace(v) == "None" {
		reflect.ValueOf(s).Elem().FieldByName(r.none).SetBool(true)
		return nil
	}
	var file string
	fileSet := false
	if r.parseFile != nil {
		file, fileSet = lookup(envPrefix + r.key + "_FILE")
	}
	var val reflect.Value
	var err error
	switch {
	case isSet && fileSet:
		return r.fail(r.key+"_FILE", fmt.Errorf("%s%s is set too: keep one of them", envPrefix, r.key))
	case fileSet:
		var contents string
		if contents, err = namedFile(file); err != nil {
			return r.fail(r.key+"_FILE", err)
		}
		if val, err = r.parseFile(contents); err != nil {
			return r.fail(r.key+"_FILE", err)
		}
	case isSet:
		if val, err = r.parse(v); err != nil {
			return r.fail(r.key, err)
		}
	default:
		return nil
	}
	f := reflect.ValueOf(s).Elem().FieldByName(r.field)
	if !f.IsValid() || f.Type() != r.typ {
		panic("ginjwt: env table: Settings has no field " + r.field + " of type " + r.typ.String())
	}
	f.Set(val)
	return nil
}

// fail names the variable and the Go field in err; the errors of VERIFYING_KEYS entries name
// their entry.
func (r envKey) fail(variable string, err error) []error {
	var out []error
	var walk func(error)
	walk = func(err error) {
		var e *entryError
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, err := range j.Unwrap() {
				walk(err)
			}
		} else if errors.As(err, &e) {
			out = append(out, &tokens.SettingError{Key: variable, Field: fmt.Sprintf("%s[%q]", r.field, e.kid), Err: e.err})
		} else {
			out = append(out, &tokens.SettingError{Key: variable, Field: r.field, Err: err})
		}
	}
	walk(err)
	return out
}

// unknownVariables reports the SIMPLE_JWT_ variables of environ that name no setting, sorted.
func unknownVariables(environ []string) []error {
	known := map[string]bool{}
	for _, r := range envTable {
		known[r.key] = true
		if r.parseFile != nil {
			known[r.key+"_FILE"] = true
		}
	}
	var names []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if rest, ok := strings.CutPrefix(name, envPrefix); ok && !known[rest] {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	errs := make([]error, len(names))
	for i, name := range names {
		// simplejwt ignores unknown keys; refusing them keeps a typo from keeping a default.
		errs[i] = fmt.Errorf("%s is %w", name, ErrUnknownSetting)
	}
	return errs
}

// ParseDuration reads a Go duration ("5m", "240s") or a number of seconds ("300", "0.5"). NaN,
// infinities and durations beyond time.Duration's range (about 292 years) are errors.
func ParseDuration(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if f, err := strconv.ParseFloat(v, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		switch {
		case math.IsNaN(f) || math.IsInf(f, 0) && err == nil:
			return 0, fmt.Errorf("%q is not a finite number of seconds", v)
		case math.Abs(f*float64(time.Second)) >= math.MaxInt64:
			return 0, fmt.Errorf("%q is out of range (at most %d seconds, about 292 years)", v, int64(math.MaxInt64/int64(time.Second)))
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		if goDuration.MatchString(v) {
			return 0, fmt.Errorf("%q is out of range (at most about 292 years)", v)
		}
		return 0, fmt.Errorf("%q is neither a Go duration nor a number of seconds", v)
	}
	return d, nil
}

// goDuration is the syntax of time.ParseDuration: a value in it that does not parse overflows.
var goDuration = regexp.MustCompile(`^[-+]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+$`)

func parseLifetime(v string) (time.Duration, error) {
	d, err := ParseDuration(v)
	if err == nil && d <= 0 {
		err = fmt.Errorf("must be positive, got %s (unset the variable for simplejwt's default)", d)
	}
	return d, err
}

func parseLeeway(v string) (time.Duration, error) {
	d, err := ParseDuration(v)
	if err == nil && d < 0 {
		err = fmt.Errorf("must not be negative, got %s", d)
	}
	return d, err
}

func parseBool(v string) (bool, error) {
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		return false, fmt.Errorf("%q is not true or false", v)
	}
	return b, nil
}

// parseNegatedBool reads a Python boolean into a Go field that is its negation
// (CHECK_USER_IS_ACTIVE into AllowInactiveUsers).
func parseNegatedBool(v string) (bool, error) {
	b, err := parseBool(v)
	return !b, err
}

// parseName reads a setting that cannot be None (ALGORITHM, the claim and field names).
func parseName(v string) (string, error) {
	if v = strings.TrimSpace(v); v == "None" {
		return "", errors.New("cannot be None")
	}
	return v, nil
}

// parseNullable reads a setting whose None is empty (ISSUER, JWK_URL, SIGNING_KEY_ID).
func parseNullable(v string) (string, error) {
	if v = strings.TrimSpace(v); v == "None" {
		return "", nil
	}
	return v, nil
}

func parseList(v string) ([]string, error) { return splitList(v), nil }

func parseAudience(v string) ([]string, error) {
	if strings.TrimSpace(v) == "None" {
		return nil, nil
	}
	return splitList(v), nil
}

func parseClasses(v string) ([]tokens.Class, error) {
	var classes []tokens.Class
	for _, name := range splitList(v) {
		c, ok := tokens.ClassByName(name)
		if !ok {
			return nil, fmt.Errorf("unknown token class %q", name)
		}
		classes = append(classes, c)
	}
	return classes, nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseSigningKey reads SIMPLE_JWT_SIGNING_KEY: set, it may not be empty (an unset secret
// substituted into the environment must not become "no key").
func parseSigningKey(v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", errors.New("is set but empty: give the key, or unset the variable")
	}
	return keyValue(v, "name its file in SIMPLE_JWT_SIGNING_KEY_FILE")
}

// parseVerifyingKey reads SIMPLE_JWT_VERIFYING_KEY: None or empty is simplejwt's default "".
func parseVerifyingKey(v string) (string, error) {
	if t := strings.TrimSpace(v); t == "" || t == "None" {
		return "", nil
	}
	return keyValue(v, "name its file in SIMPLE_JWT_VERIFYING_KEY_FILE")
}

// keyValue reads a key given in a variable: the value itself, or, for compatibility, the
// contents of the file it names. A value that names a file that cannot be read is an error
// (without the value, which may be a secret) ending with fileHint, how to give a key file.
func keyValue(v, fileHint string) (string, error) {
	if strings.Contains(v, "-----BEGIN") {
		return v, nil
	}
	path := strings.TrimSpace(v)
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		key, err := readKeyFile(path)
		if err != nil {
			return "", fmt.Errorf("names a file that %w", err)
		}
		return key, nil
	} else if namesFile(path) {
		if err == nil {
			err = errors.New("not a regular file")
		}
		hint := "pass the key itself, or " + fileHint
		if strings.HasPrefix(path, "~/") {
			hint = "~ is not expanded: give the full path"
		}
		return "", fmt.Errorf("names a file that cannot be read (%v); %s", withoutPath(err), hint)
	}
	return v, nil
}

// namesFile reports whether a value that is no readable file was meant as one: it starts with
// "./", "../" or "~/" (no secret does), or it is an absolute path below an existing directory
// (other than "/"). tokens.Settings.Validate refuses the other values that read like paths.
func namesFile(v string) bool {
	if strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../") || strings.HasPrefix(v, "~/") {
		return true
	}
	if !strings.HasPrefix(v, "/") {
		return false
	}
	for dir := filepath.Dir(v); dir != "/" && dir != "."; dir = filepath.Dir(dir) {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return true
		}
	}
	return false
}

// withoutPath drops the path from a file error: "no such file or directory".
func withoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// maxKeyFile caps what a key file may hold: a key, not a disk image.
const maxKeyFile = 1 << 20

// readKeyFile reads a key file: PEM as it is, a secret without its trailing line breaks. An
// empty or whitespace-only file, or one over 1 MiB, is an error. The errors do not name the
// file (see namedFile).
func readKeyFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("cannot be read (%w)", withoutPath(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFile+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("cannot be read (%w)", withoutPath(err))
	case len(b) > maxKeyFile:
		return "", errors.New("is larger than 1 MiB: not a key file")
	case strings.TrimSpace(string(b)) == "":
		return "", errors.New("is empty")
	}
	return keyFromFile(string(b))
}

// namedFile reads the key file a _FILE variable or a kid=@path entry names; its errors name
// the file (a path given as one is not a secret).
func namedFile(path string) (string, error) {
	if strings.TrimSpace(path) == "" {
		return "", errors.New("names no file")
	}
	key, err := readKeyFile(path)
	if err != nil {
		return "", fmt.Errorf("%s %w", path, err)
	}
	return key, nil
}

// keyFromFile is the key held by a key file's contents.
func keyFromFile(contents string) (string, error) {
	if strings.Contains(contents, "-----BEGIN") {
		return contents, nil
	}
	return strings.TrimRight(contents, "\r\n"), nil
}

// entryError is the problem of one VERIFYING_KEYS entry, named by its kid.
type entryError struct {
	kid string
	err error
}

func (e *entryError) Error() string { return fmt.Sprintf("%q: %v", e.kid, e.err) }

// parseVerifyingKeys reads VERIFYING_KEYS entries: kid=key or kid=@path, separated by commas or
// line breaks outside PEM blocks.
func parseVerifyingKeys(v string) (map[string]string, error) {
	keys := map[string]string{}
	var errs []error
	for _, entry := range splitEntries(v) {
		kid, key, found := strings.Cut(entry, "=")
		kid, key = strings.TrimSpace(kid), strings.TrimSpace(key)
		if !found {
			errs = append(errs, errors.New("an entry is not kid=key (kid=@path reads the key from a file)"))
			continue
		}
		if _, dup := keys[kid]; dup {
			errs = append(errs, &entryError{kid, errors.New("is given twice")})
			continue
		}
		var err error
		if path, isFile := strings.CutPrefix(key, "@"); isFile {
			key, err = namedFile(path)
		} else {
			key, err = keyValue(key, "write kid=@path")
		}
		if err != nil {
			errs = append(errs, &entryError{kid, err})
			continue
		}
		keys[kid] = key
	}
	return keys, errors.Join(errs...)
}

// pemBlock matches a PEM block, whose line breaks do not separate VERIFYING_KEYS entries.
var pemBlock = regexp.MustCompile(`(?s)-----BEGIN [^\n]*?-----.*?-----END [^\n]*?-----`)

// splitEntries splits v at commas and line breaks outside PEM blocks, dropping empty entries.
func splitEntries(v string) []string {
	blocks := pemBlock.FindAllStringIndex(v, -1)
	var out []string
	add := func(e string) {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	start := 0
	for i := 0; i < len(v); i++ {
		if len(blocks) > 0 && i == blocks[0][0] {
			i, blocks = blocks[0][1]-1, blocks[1:]
			continue
		}
		if v[i] == ',' || v[i] == '\n' {
			add(v[start:i])
			start = i + 1
		}
	}
	add(v[start:])
	return out
}
