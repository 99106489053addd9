package models_test

import (
	"os"
	"testing"

	"github.com/gin-simplejwt/simplejwt/models"
	"github.com/gin-simplejwt/simplejwt/models/dburl"
)

// TestMain gives the tests inside package models dburl.Open (see models.OpenURL).
func TestMain(m *testing.M) {
	models.OpenURL = dburl.Open
	os.Exit(m.Run())
}
