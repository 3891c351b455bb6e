#include <string.h>

#include "cli/cli.h"
#include "cli/model.h"
#include "cli/out.h"
#include "front/compose.h"
#include "front/model.h"
#include "mail/model.h"
#include "util/err.h"
#include "util/sbuf.h"

int cli_model_load(const char *cmd, const struct front_model_args *args,
		   size_t limit, struct mail_model **out)
{
	struct err err = ERR_INIT;

	if (front_model_open(args, limit, out, &err))
		return cli_fail(cmd, &err);
	if ((*out)->warnings.n) {
		struct mail_model *m = *out;
		struct sbuf sb = SBUF_INIT;

		cli_add_text(&sb, m->warnings.items[0]);
		cli_warn(cmd, "%zu message%s skipped or incomplete (first: %s)",
			 m->warnings.n, m->warnings.n == 1 ? "" : "s", sb.buf);
		sbuf_release(&sb);
	}
	return 0;
}

int cli_model_option(int c, const char *arg, struct front_model_args *args,
		     int *json)
{
	switch (c) {
	case CLI_OPT_DB:
		args->db = arg;
		return 1;
	case CLI_OPT_QUERY:
		args->query = arg;
		return 1;
	case CLI_OPT_JSON:
		*json = 1;
		return 1;
	case CLI_OPT_NO_CACHE:
		args->no_cache = 1;
		return 1;
	}
	return 0;
}

void cli_add_text(struct sbuf *sb, const char *s)
{
	if (s)
		sbuf_add_sanitized(sb, s, strlen(s));
}

void cli_print_list(FILE *f, const char *label, const struct vec *v)
{
	struct sbuf line = SBUF_INIT, sb = SBUF_INIT;

	if (front_address_line(&line, label, v)) {
		/* label and ", " are plain: the line is safe as its parts */
		sbuf_add_sanitized(&sb, line.buf, line.len);
		sbuf_addch(&sb, '\n');
		cli_out(f, sb.buf);
	}
	sbuf_release(&sb);
	sbuf_release(&line);
}
