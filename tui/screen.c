#include <curses.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "tui/screen.h"
#include "tui/style.h"
#include "util/err.h"

static SCREEN *screen;
static struct termios saved_tty;
static int have_tty;
/* What a signal handler writes to put the terminal back. */
static char restore_seq[256];
static size_t restore_len;
static volatile sig_atomic_t restored;

static void add_seq(const char *cap)
{
	char *s = tigetstr((char *)cap);
	size_t n;

	if (!s || s == (char *)-1)
		return;
	n = strlen(s);
	if (restore_len + n < sizeof(restore_seq)) {
		memcpy(restore_seq + restore_len, s, n);
		restore_len += n;
	}
}

void tui_screen_restore_raw(void)
{
	ssize_t r;

	if (restored || !screen)
		return;
	restored = 1;
	if (restore_len)
		r = write(STDOUT_FILENO, restore_seq, restore_len);
	/* Mouse reporting off, as xterm spells it. */
	r = write(STDOUT_FILENO, "\033[?1000l\033[?1002l\033[?1006l", 24);
	(void)r;
	if (have_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

static void on_crash(int sig)
{
	tui_screen_restore_raw();
	signal(sig, SIG_DFL);
	raise(sig);
}

int tui_screen_open(const struct tui_color *table, enum tui_color_mode *mode,
		    struct err *err)
{
	static const int crash[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
				     SIGILL };
	const char *no_color = getenv("NO_COLOR");

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return err_set(err, ERR_IO, "the TUI needs a terminal");
	have_tty = !tcgetattr(STDIN_FILENO, &saved_tty);
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return err_set(err, ERR_IO, "cannot use terminal '%s'",
			       getenv("TERM") ? getenv("TERM") : "(unset)");
	set_term(screen);
	restored = 0;
	restore_len = 0;
	add_seq("sgr0");
	add_seq("cnorm");
	add_seq("rmkx");
	add_seq("rmcup");
	for (size_t i = 0; i < sizeof(crash) / sizeof(crash[0]); i++)
		signal(crash[i], on_crash);
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED |
		  BUTTON5_PRESSED, NULL);
	*mode = TUI_COLORS_NONE;
	if (has_colors() && !(no_color && *no_color)) {
		start_color();
		use_default_colors();
		*mode = COLORS >= 256 ? TUI_COLORS_256 : TUI_COLORS_8;
	}
	tui_paint_colors(table, *mode);
	return 0;
}

void tui_screen_close(void)
{
	if (!screen)
		return;
	endwin();
	delscreen(screen);
	screen = NULL;
	restored = 1;
}
