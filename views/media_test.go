package views_test

import (
	"slices"
	"testing"

	"github.com/gin-simplejwt/simplejwt/views"
)

// TestMediaTypesCannotBeChanged: Parses and Renders hand out copies, so no caller can change
// what every view parses or what OPTIONS reports.
func TestMediaTypesCannotBeChanged(t *testing.T) {
	for name, get := range map[string]func() []string{"Parses": views.Parses, "Renders": views.Renders} {
		want := get()
		got := get()
		got[0] = "text/plain"
		if !slices.Equal(get(), want) || want[0] == "text/plain" {
			t.Errorf("%s: changing the result changed the package: %v", name, get())
		}
	}
	if want := []string{"application/json", "application/x-www-form-urlencoded", "multipart/form-data"}; !slices.Equal(views.Parses(), want) {
		t.Errorf("Parses() = %v, want DRF's default parsers %v", views.Parses(), want)
	}
}
