/*
 * What changed between two versions of a series (front/rangediff):
 * git range-diff or an interdiff, one line a row, coloured as git
 * colours a diff.
 */
#include <stdlib.h>
#include <string.h>

#include "front/gitconfig.h"
#include "front/rangediff.h"
#include "mail/model.h"
#include "tui/app.h"
#include "tui/line.h"
#include "tui/views.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/vec.h"
#include "util/xmalloc.h"

struct diff_priv {
	struct vec lines;	/* char * */
	char *how;
	unsigned from, to;
};

static int diff_open(struct tui_view *v, const void *arg, struct err *err)
{
	struct diff_priv *p = v->priv;
	const struct tui_diff_arg *a = arg;
	struct sbuf out = SBUF_INIT, how = SBUF_INIT;
	char *linux_repo = front_config_path(v->app->cfg, "vger.linux");
	const char *s;
	int ret;

	p->from = a->from->version;
	p->to = a->to->version;
	ret = front_range_diff(v->app->src.db, linux_repo, a->from, a->to,
			       &out, &how, err);
	free(linux_repo);
	if (!ret) {
		for (s = out.buf; *s;) {
			const char *e = strchr(s, '\n');
			size_t n = e ? (size_t)(e - s) : strlen(s);

			vec_push(&p->lines, xstrndup(s, n));
			s += n + (e ? 1 : 0);
		}
		if (!p->lines.n)
			vec_push_str(&p->lines, "(no difference)");
		p->how = sbuf_detach(&how);
	}
	sbuf_release(&out);
	sbuf_release(&how);
	return ret;
}

static size_t diff_nrows(const struct tui_view *v)
{
	return ((const struct diff_priv *)v->priv)->lines.n;
}

/*
 * git's own output (range-diff, diff --no-index): its headers, hunks
 * and the +/- of the outer diff; range-diff indents those by four.
 */
static enum tui_style diff_style(const char *s)
{
	if (!strncmp(s, "    ", 4) && (s[4] == '+' || s[4] == '-' ||
					  s[4] == '@'))
		s += 4;
	if (!strncmp(s, "diff --git", 10) || !strncmp(s, "index ", 6) ||
	    !strncmp(s, "--- ", 4) || !strncmp(s, "+++ ", 4))
		return TUI_STYLE_DIFF_HEADER;
	if (!strncmp(s, "@@", 2))
		return TUI_STYLE_DIFF_CHUNK;
	if (*s == '+')
		return TUI_STYLE_DIFF_ADD;
	if (*s == '-')
		return TUI_STYLE_DIFF_DEL;
	if (*s >= '0' && *s <= '9')
		return TUI_STYLE_VERSION;	/* "1:  abc = 1:  def title" */
	return TUI_STYLE_DEFAULT;
}

static void diff_row(const struct tui_view *v, size_t i, struct tui_line *l)
{
	const struct diff_priv *p = v->priv;
	const char *s = p->lines.items[i];

	tui_line_add(l, diff_style(s), s);
}

static void diff_title(const struct tui_view *v, struct sbuf *out)
{
	const struct diff_priv *p = v->priv;

	sbuf_addf(out, "v%u -> v%u, %s", p->from, p->to,
		  p->how ? p->how : "");
}

static void diff_close(struct tui_view *v)
{
	struct diff_priv *p = v->priv;

	vec_release_str(&p->lines);
	free(p->how);
}

const struct tui_view_ops tui_diff_view = {
	.name = "range-diff",
	.scope = TUI_SCOPE_PAGER,
	.priv_size = sizeof(struct diff_priv),
	.cursor = 0,
	.open = diff_open,
	.nrows = diff_nrows,
	.row = diff_row,
	.title = diff_title,
	.close = diff_close,
};
