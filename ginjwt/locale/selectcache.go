package locale

import "sync"

// maxSelections bounds the selection cache: the distinct Accept-Language values seen are few
// (one per browser language setup), but a client may send any value; past the bound, further
// values are chosen on each request, as without the cache.
const maxSelections = 512

// maxCachedValue is the longest Accept-Language value kept (Django's
// ACCEPT_LANGUAGE_HEADER_MAX_LENGTH, 500): the cache holds at most 512 × 500 bytes of keys
// whatever clients send; a longer value is chosen on each request.
const maxCachedValue = 500

// selectionCache maps an Accept-Language value to the Language it selects.
type selectionCache struct {
	mu sync.RWMutex
	m  map[string]Language
}

func (s *selectionCache) get(accept string) (Language, bool) {
	s.mu.RLock()
	lang, ok := s.m[accept]
	s.mu.RUnlock()
	return lang, ok
}

func (s *selectionCache) put(accept string, lang Language) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]Language{}
	}
	if len(s.m) < maxSelections && len(accept) <= maxCachedValue {
		s.m[accept] = lang
	}
}
