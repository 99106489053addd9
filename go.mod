module github.com/gin-simplejwt/simplejwt

go 1.26
