package ginjwt

import "time"

// SetUserCacheTiming sets how often j's user cache proves its feed alive and how long it waits
// before listening again after the feed failed, so that tests need not wait for the defaults.
// Call it before FollowUsers.
func SetUserCacheTiming(j *JWT, probe, retry time.Duration) {
	j.userCache.probe, j.userCache.retry = probe, retry
}
