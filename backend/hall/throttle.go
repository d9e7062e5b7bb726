package hall

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// tooMany answers 429 with how long to wait.
func tooMany(w http.ResponseWriter, wait time.Duration) {
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	msg := fmt.Sprintf("尝试次数过多，请%d秒后再试。", secs)
	if secs >= 60 {
		msg = fmt.Sprintf("尝试次数过多，请%d分钟后再试。", (secs+59)/60)
	}
	writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": msg, "code": "too_many"})
}
