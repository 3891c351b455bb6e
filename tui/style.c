#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/style.h"
#include "util/sbuf.h"
#include "util/scan.h"

static const struct {
	const char *name;
	struct tui_color color;
} styles[] = {
#define STYLE(id, name, fg, bg, attr, mono) { name, { fg, bg, attr, mono } },
#include "tui/styles.def"
#undef STYLE
};

void tui_style_defaults(struct tui_color *table)
{
	for (int i = 0; i < TUI_N_STYLES; i++)
		table[i] = styles[i].color;
}

int tui_style_by_name(const char *name)
{
	for (int i = 0; i < TUI_N_STYLES; i++)
		if (!strcasecmp(styles[i].name, name))
			return i;
	return -1;
}

const char *tui_style_name(enum tui_style st)
{
	return (unsigned)st < TUI_N_STYLES ? styles[st].name : "?";
}

/* git's colour names (color.c's color_names), in ANSI order. */
static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static const struct {
	const char *name;
	unsigned attr;
} attr_names[] = {
	{ "bold", TUI_A_BOLD }, { "dim", TUI_A_DIM },
	{ "ul", TUI_A_UNDERLINE }, { "underline", TUI_A_UNDERLINE },
	{ "reverse", TUI_A_REVERSE }, { "italic", TUI_A_ITALIC },
	{ "blink", TUI_A_BLINK },
};

/* One colour word: 1 and *c set, 0 when the word is no colour. */
static int color_word(const char *w, short *c)
{
	long n;

	if (!strcasecmp(w, "normal") || !strcasecmp(w, "default")) {
		*c = -1;
		return 1;
	}
	for (int i = 0; i < 8; i++) {
		if (!strcasecmp(w, color_names[i])) {
			*c = (short)i;
			return 1;
		}
		/* "brightred": the upper eight of the 16. */
		if (!strncasecmp(w, "bright", 6) &&
		    !strcasecmp(w + 6, color_names[i])) {
			*c = (short)(i + 8);
			return 1;
		}
	}
	if (!str_to_long(w, &n) && n >= -1 && n <= 255) {
		*c = (short)n;
		return 1;
	}
	return 0;
}

/*
 * Hand-written: git's own colour parser lives in git, not in libgit2,
 * and the syntax is a handful of words.
 */
int tui_color_parse(const char *value, struct tui_color *out)
{
	struct tui_color c = { -1, -1, 0, 0 };
	int ncolors = 0;
	const char *p = value;

	c.mono = out->mono;
	while (*p) {
		struct sbuf w = SBUF_INIT;
		short col;
		int ok = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		while (*p && *p != ' ' && *p != '\t')
			sbuf_addch(&w, *p++);
		if (!w.len) {
			sbuf_release(&w);
			break;
		}
		if (ncolors < 2 && color_word(w.buf, &col)) {
			if (ncolors++ == 0)
				c.fg = col;
			else
				c.bg = col;
			ok = 1;
		}
		for (size_t i = 0; !ok && i < sizeof(attr_names) /
		     sizeof(attr_names[0]); i++) {
			if (!strcasecmp(w.buf, attr_names[i].name)) {
				c.attr |= attr_names[i].attr;
				ok = 1;
			}
		}
		sbuf_release(&w);
		if (!ok)
			return -1;
	}
	if (c.attr)
		c.mono = c.attr;
	*out = c;
	return 0;
}

short tui_color_to_8(short c)
{
	int r, g, b, max;

	if (c < 0)
		return c;
	if (c < 16)
		return c % 8;
	if (c >= 232)		/* the grey ramp */
		return c < 244 ? 0 : 7;
	c -= 16;
	r = c / 36;
	g = c / 6 % 6;
	b = c % 6;
	max = r > g ? (r > b ? r : b) : (g > b ? g : b);
	if (!max)
		return 0;
	/* A component counts when it is at least half the strongest. */
	r = 2 * r >= max;
	g = 2 * g >= max;
	b = 2 * b >= max;
	/* ANSI order: bit 0 red, bit 1 green, bit 2 blue. */
	return (short)(r | g << 1 | b << 2);
}
