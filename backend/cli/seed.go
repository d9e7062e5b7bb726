package cli

import (
	"context"
	"fmt"
	"time"

	"budayang/backend/dirlock"
	"budayang/backend/seed"
)

// runSeed fills a freshly initialised data directory with generated data
// (see package seed); the program must not be running on it.
func runSeed(ctx context.Context, args []string, env Env) error {
	fs, data := newFlags("seed", env)
	scale := fs.String("scale", seed.Year.Name, "year or test")
	if err := parse(fs, args); err != nil {
		return err
	}
	sc, err := seed.ScaleByName(*scale)
	if err != nil {
		return err
	}
	lock, err := dirlock.Acquire(*data)
	if err != nil {
		return err
	}
	defer lock.Release()
	c, err := openCore(ctx, *data, env, "")
	if err != nil {
		return err
	}
	defer c.Close()
	start := time.Now()
	last := start
	n, err := seed.Run(ctx, c, sc, func(day string, done, of int) {
		if time.Since(last) >= 5*time.Second || done == of {
			last = time.Now()
			fmt.Fprintf(env.Stdout, "%s：第%d/%d个工作日\n", day, done, of)
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "已生成 %s 规模数据（%.0f 秒）：号票 %d，办件 %d，评价 %d（整改 %d），预约 %d，审计记录 %d；窗口工作人员 clerk01… 的密码为 %s\n",
		sc.Name, time.Since(start).Seconds(), n.Tickets, n.Cases, n.Ratings, n.Rectifications, n.Bookings, n.Audit, seed.ClerkPassword)
	return nil
}
