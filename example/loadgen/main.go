// Command loadgen drives one endpoint of a running simplejwt service (the Go example or the
// Django reference project) with closed-loop HTTP clients for a fixed time and prints the
// requests per second it got answered with 200, and the count of other answers. It logs in once
// first, to get the tokens the GET and refresh cases send.
//
//	loadgen -base http://127.0.0.1:8000 -case me -c 32 -d 3s -user alice -password pw
//
// Cases: me (GET /api/me/ with the access token: the database-backed user), stateless (GET
// /api/me/stateless/ with the access token: no database), refresh (POST /api/token/refresh/,
// the same refresh token each time: no rotation), obtain (POST /api/token/ with the password:
// one PBKDF2 run each). .ci/compare.sh runs it against both services; the floor of an obtain's
// cost, one password check, is timed by the served binary itself (example timehasher).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8000", "the service's base URL")
	kase := flag.String("case", "me", "me, stateless, refresh or obtain")
	conns := flag.Int("c", 32, "concurrent clients")
	dur := flag.Duration("d", 3*time.Second, "how long to send")
	user := flag.String("user", "alice", "username")
	password := flag.String("password", "", "password")
	flag.Parse()
	if err := run(*base, *kase, *conns, *dur, *user, *password); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(base, kase string, conns int, dur time.Duration, user, password string) error {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}, Timeout: 30 * time.Second}
	login, _ := json.Marshal(map[string]string{"username": user, "password": password})
	pair, err := post(client, base+"/api/token/", login)
	if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	var newReq func() (*http.Request, error)
	switch kase {
	case "me":
		newReq = authGet(base+"/api/me/", pair["access"])
	case "stateless":
		newReq = authGet(base+"/api/me/stateless/", pair["access"])
	case "refresh":
		body, _ := json.Marshal(map[string]string{"refresh": pair["refresh"]})
		newReq = jsonPost(base+"/api/token/refresh/", body)
	case "obtain":
		newReq = jsonPost(base+"/api/token/", login)
	default:
		return fmt.Errorf("unknown case %q", kase)
	}
	var ok, other atomic.Int64
	deadline := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				req, err := newReq()
				if err != nil {
					other.Add(1)
					continue
				}
				resp, err := client.Do(req)
				if err != nil {
					other.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					ok.Add(1)
				} else {
					other.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	fmt.Printf("%s %.1f req/s (%d ok, %d other, %s, %d clients)\n", kase, float64(ok.Load())/elapsed.Seconds(), ok.Load(), other.Load(), elapsed.Round(time.Millisecond), conns)
	return nil
}

// authGet is a GET of url with the access token.
func authGet(url, access string) func() (*http.Request, error) {
	return func() (*http.Request, error) {
		r, err := http.NewRequest(http.MethodGet, url, nil)
		if err == nil {
			r.Header.Set("Authorization", "Bearer "+access)
		}
		return r, err
	}
}

func jsonPost(url string, body []byte) func() (*http.Request, error) {
	return func() (*http.Request, error) {
		r, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err == nil {
			r.Header.Set("Content-Type", "application/json")
		}
		return r, err
	}
}

func post(client *http.Client, url string, body []byte) (map[string]string, error) {
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %d %s", url, resp.StatusCode, b)
	}
	var out map[string]string
	return out, json.Unmarshal(b, &out)
}
