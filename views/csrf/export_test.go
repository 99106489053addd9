package csrf

// Internals for the external tests (interop_test.go): the urlsplit port and its cases, to
// compare with Python's own urlsplit.

// URLSplit returns urlsplit(s) as (scheme, netloc, path, query, fragment, geturl()).
func URLSplit(s string) ([6]string, error) {
	u, err := urlsplit(s)
	if err != nil {
		return [6]string{}, err
	}
	return [6]string{u.scheme, u.netloc, u.path, u.query, u.fragment, u.geturl()}, nil
}

// URLSplitCase is one case of urlsplitCases: the input, and whether Python 3.11 answers
// otherwise than 3.12+ (the port follows 3.12+).
type URLSplitCase struct {
	In    string
	Py311 bool
}

// URLSplitCases returns the inputs of urlsplitCases.
func URLSplitCases() []URLSplitCase {
	out := make([]URLSplitCase, len(urlsplitCases))
	for i, c := range urlsplitCases {
		out[i] = URLSplitCase{In: c.in, Py311: c.py311}
	}
	return out
}
