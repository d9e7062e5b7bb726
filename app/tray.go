//go:build (linux || windows) && !bindings

package app

import (
	"sync"

	"github.com/getlantern/systray"
)

// The tray lives in the window's process. systray.Run would start a second
// GTK main loop (Linux) or message pump (Windows) on a thread Wails needs, so
// the tray uses systray.Register instead: it creates the indicator on the
// calling (main) thread and leaves the event loop to wails.Run, which runs
// GTK's main loop (Linux) or the thread's message loop (Windows) and so
// dispatches the tray's events too. Quitting goes through the Wails runtime:
// systray.Quit on Linux calls gtk_main_quit, which would pull the window's
// loop out from under Wails.

type systrayView struct {
	mu       sync.Mutex
	ready    bool
	status   *systray.MenuItem
	toggle   *systray.MenuItem
	alert    *systray.MenuItem
	dutyNow  *systray.MenuItem
	dutyNext *systray.MenuItem
	// line is the latest status or reminder, and now and next who is on
	// duty: the tooltip shows them together.
	line, now, next string
}

// tooltip puts the latest line and the duty lines in the tooltip; t.mu is held.
func (t *systrayView) tooltip() {
	tip := "不打烊 · " + t.line
	if t.now != "" {
		tip += "\n" + t.now + "\n" + t.next
	}
	systray.SetTooltip(tip)
}

func (t *systrayView) SetAlert(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.alert != nil {
		t.alert.SetTitle(line)
		t.alert.Show()
		t.line = line
		t.tooltip()
	}
}

func (t *systrayView) SetStatus(line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.status != nil {
		t.status.SetTitle(line)
		t.line = line
		t.tooltip()
	}
}

func (t *systrayView) SetDuty(now, next string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dutyNow == nil || (now == t.now && next == t.next) {
		return
	}
	t.now, t.next = now, next
	t.dutyNow.SetTitle(now)
	t.dutyNext.SetTitle(next)
	t.dutyNow.Show()
	t.dutyNext.Show()
	t.tooltip()
}

func (t *systrayView) SetHidden(hidden bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.toggle == nil {
		return
	}
	if hidden {
		t.toggle.SetTitle("显示窗口")
	} else {
		t.toggle.SetTitle("隐藏窗口")
	}
}

// startTray registers the tray icon and menu: show/hide window, a disabled
// status line, the latest reminder, who is on duty now and next, quit. Must run on the main thread before wails.Run.
func startTray(a *App) {
	view := &systrayView{}
	a.mu.Lock()
	a.tray = view
	a.mu.Unlock()
	systray.Register(func() {
		systray.SetIcon(trayIcon)
		// No SetTitle: on Linux it calls GTK directly from this goroutine,
		// unlike the icon and menu calls, which go through g_idle_add.
		systray.SetTooltip("不打烊 · 便民服务工作台")
		toggle := systray.AddMenuItem("隐藏窗口", "显示或隐藏工作台窗口")
		status := systray.AddMenuItem(statusLine(false, false), "工作状态")
		status.Disable()
		// The latest reminder for the signed-in person (extended-hours
		// bookings, due cases) or the county sync stall alarm; clicking it
		// opens the window.
		alertItem := systray.AddMenuItem("", "提醒")
		alertItem.Hide()
		// Who is on duty now and next, read-only, refreshed each minute
		// and on a roster change.
		dutyNow := systray.AddMenuItem("", "当前值班")
		dutyNow.Disable()
		dutyNow.Hide()
		dutyNext := systray.AddMenuItem("", "下一班值班")
		dutyNext.Disable()
		dutyNext.Hide()
		systray.AddSeparator()
		quit := systray.AddMenuItem("退出", "退出不打烊")
		view.mu.Lock()
		view.toggle, view.status, view.alert, view.ready = toggle, status, alertItem, true
		view.dutyNow, view.dutyNext = dutyNow, dutyNext
		view.mu.Unlock()
		a.refreshStatus()
		a.refreshDuty()
		for {
			select {
			case <-toggle.ClickedCh:
				a.toggleWindow()
			case <-alertItem.ClickedCh:
				a.showWindow()
			case <-quit.ClickedCh:
				a.quit()
				return
			}
		}
	}, nil)
}
