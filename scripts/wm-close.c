/*
 * wm-close WINDOW-ID: asks an X11 window to close the way a window manager's
 * close button does (a WM_DELETE_WINDOW client message), which Xvfb without a
 * window manager cannot do otherwise; `xdotool windowclose` destroys the
 * window instead. The smoke test uses it to exercise close-to-tray.
 */
#include <X11/Xlib.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: wm-close WINDOW-ID\n");
		return 2;
	}
	Display *d = XOpenDisplay(NULL);
	if (d == NULL) {
		fprintf(stderr, "wm-close: cannot open display\n");
		return 1;
	}
	Window w = strtoul(argv[1], NULL, 0);
	XEvent e = {0};
	e.xclient.type = ClientMessage;
	e.xclient.window = w;
	e.xclient.message_type = XInternAtom(d, "WM_PROTOCOLS", False);
	e.xclient.format = 32;
	e.xclient.data.l[0] = XInternAtom(d, "WM_DELETE_WINDOW", False);
	e.xclient.data.l[1] = CurrentTime;
	XSendEvent(d, w, False, NoEventMask, &e);
	XCloseDisplay(d);
	return 0;
}
