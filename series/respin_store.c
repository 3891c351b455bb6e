/*
 * What vger respin keeps in the repository: the cover letter (the branch
 * description), the sent versions (annotated tags vger/<branch>-vN),
 * and the tree names and their lists.
 */
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/trees.h"
#include "series/respin.h"
#include "series/respin_private.h"
#include "util/err.h"
#include "util/sbuf.h"
#include "util/scan.h"
#include "util/xmalloc.h"

#define RESPIN_COVER_MAX (1 << 20)

/* ---- versions, trees, cover letters ---- */

static int open_local_config(struct series_job *job, git_config **cfg,
			     struct err *err)
{
	if (git_config_open_ondisk(cfg, job->config_path) < 0)
		return respin_git_err(err, "%s", job->config_path);
	return 0;
}

int series_cover_get(struct series_job *job, const char *branch,
		     char **out, struct err *err)
{
	git_config *cfg;
	git_buf buf = GIT_BUF_INIT;
	struct sbuf key = SBUF_INIT;
	int ret;

	*out = NULL;
	if (!branch)
		return 0;
	ret = open_local_config(job, &cfg, err);
	if (ret)
		return ret;
	sbuf_addf(&key, "branch.%s.description", branch);
	if (!git_config_get_string_buf(&buf, cfg, key.buf) && buf.size)
		*out = xstrdup(buf.ptr);
	git_buf_dispose(&buf);
	git_config_free(cfg);
	sbuf_release(&key);
	return 0;
}

int series_cover_set(struct series_job *job, const char *branch,
		     const char *text, struct err *err)
{
	git_config *cfg;
	struct sbuf key = SBUF_INIT;
	int ret;

	if (!branch)
		return err_set(err, ERR_USAGE,
			       "no branch to keep the cover letter with");
	if (text && strlen(text) > RESPIN_COVER_MAX)
		return err_set(err, ERR_NOMEM, "cover letter over %d bytes",
			       RESPIN_COVER_MAX);
	ret = open_local_config(job, &cfg, err);
	if (ret)
		return ret;
	sbuf_addf(&key, "branch.%s.description", branch);
	if (text && *text) {
		if (git_config_set_string(cfg, key.buf, text) < 0)
			ret = respin_git_err(err, "%s", key.buf);
	} else if (git_config_delete_entry(cfg, key.buf) < 0 &&
		   git_error_last() &&
		   git_error_last()->klass != GIT_ERROR_CONFIG) {
		ret = respin_git_err(err, "%s", key.buf);
	}
	git_config_free(cfg);
	sbuf_release(&key);
	return ret;
}

static char *cover_changes_line(unsigned version)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "Changes in v%u:", version);
	return sbuf_detach(&sb);
}

char *series_cover_carry(const char *text, unsigned version,
			 const char *prev_msgid)
{
	struct sbuf out = SBUF_INIT, sec = SBUF_INIT, id = SBUF_INIT;
	char *want = cover_changes_line(version);
	const char *p, *at = NULL;

	if (!text)
		text = "*** SUBJECT HERE ***\n\n*** BLURB HERE ***\n";
	for (p = text; *p;) {
		size_t len = str_line_len(p);

		if (len == strlen(want) && !strncmp(p, want, len)) {
			free(want);
			return xstrdup(text);
		}
		if (!at && str_starts_with(p, "Changes in v"))
			at = p;
		p += len + (p[len] == '\n');
	}
	sbuf_addf(&sec, "%s\n- EDITME: what changed since v%u\n", want,
		  version - 1);
	if (prev_msgid) {
		sbuf_add(&id, prev_msgid + (*prev_msgid == '<'),
			 strlen(prev_msgid) - (*prev_msgid == '<'));
		if (id.len && id.buf[id.len - 1] == '>')
			sbuf_setlen(&id, id.len - 1);
		sbuf_addf(&sec, "\nv%u: https://lore.kernel.org/bpf/%s/\n",
			  version - 1, id.buf);
	}
	if (at) {
		sbuf_add(&out, text, (size_t)(at - text));
		sbuf_addf(&out, "%s\n%s", sec.buf, at);
	} else {
		sbuf_addstr(&out, text);
		sbuf_rtrim(&out);
		sbuf_addf(&out, "\n\n%s", sec.buf);
	}
	free(want);
	sbuf_release(&sec);
	sbuf_release(&id);
	return sbuf_detach(&out);
}

static void sent_tag_name(struct sbuf *sb, const char *branch, unsigned v)
{
	sbuf_addf(sb, "vger/%s-v%u", branch, v);
}

/* The last "Message-Id: " line of a sent tag's message, or NULL. */
static const char *tag_msgid_line(const char *msg)
{
	const char *m = msg ? strstr(msg, "Message-Id: ") : NULL;

	while (m && strstr(m + 1, "\nMessage-Id: "))
		m = strstr(m + 1, "\nMessage-Id: ") + 1;
	return m;
}

/* Its value, as written ("<...>"), blanks trimmed. */
static char *tag_msgid(const char *line)
{
	struct sbuf id = SBUF_INIT;

	sbuf_add(&id, line + 12, str_line_len(line + 12));
	sbuf_trim(&id);
	return sbuf_detach(&id);
}

/*
 * "vger/<branch>-v<N>": the branch and N, or 0 when name is not one
 * (no "-v", N not a plain positive number).  The last "-v" splits, as
 * a branch may have one ("topic-v9-v1" is topic-v9's v1).
 */
static unsigned sent_tag_parse(const char *name, char **branch)
{
	const char *rest = name, *dash = NULL, *p;
	long v;

	if (strncmp(rest, "vger/", 5))
		return 0;
	rest += 5;
	for (p = strstr(rest, "-v"); p; p = strstr(p + 1, "-v"))
		dash = p;
	if (!dash || dash == rest || dash[2] == '0' || dash[2] == '+' ||
	    str_to_long(dash + 2, &v) || v <= 0 || v >= 100000)
		return 0;
	*branch = xstrndup(rest, (size_t)(dash - rest));
	return (unsigned)v;
}

int series_sent_list(struct series_job *job, struct vec *out,
		     struct err *err)
{
	git_strarray names = { NULL, 0 };
	int ret = 0;

	if (git_tag_list_match(&names, "vger/*", job->repo) < 0)
		return respin_git_err(err, "listing tags %s", "vger/*");
	for (size_t i = 0; i < names.count; i++) {
		struct sbuf ref = SBUF_INIT;
		git_object *obj = NULL;
		git_reference *br = NULL;
		struct series_sent *s;
		const char *m;
		char *branch = NULL;
		unsigned v = sent_tag_parse(names.strings[i], &branch);

		if (!v)
			continue;
		sbuf_addf(&ref, "refs/tags/%s", names.strings[i]);
		if (git_revparse_single(&obj, job->repo, ref.buf) < 0 ||
		    git_object_type(obj) != GIT_OBJECT_TAG ||
		    !(m = tag_msgid_line(git_tag_message((git_tag *)obj)))) {
			/* not one vger wrote: no Message-Id to go by */
			git_error_clear();
			git_object_free(obj);
			sbuf_release(&ref);
			free(branch);
			continue;
		}
		s = xcalloc(1, sizeof(*s));
		s->branch = branch;
		s->version = v;
		s->msgid = tag_msgid(m);
		s->commit = xstrdup(git_oid_tostr_s(
			git_tag_target_id((git_tag *)obj)));
		s->branch_exists = !git_branch_lookup(&br, job->repo, branch,
						      GIT_BRANCH_LOCAL);
		git_error_clear();
		git_reference_free(br);
		git_object_free(obj);
		sbuf_release(&ref);
		vec_push(out, s);
	}
	git_strarray_dispose(&names);
	return ret;
}

void series_sent_free(void *sent)
{
	struct series_sent *s = sent;

	if (!s)
		return;
	free(s->branch);
	free(s->msgid);
	free(s->commit);
	free(s);
}

int series_branch_range(struct series_job *job, const char *branch,
			const char *base, char **out, struct err *err)
{
	git_reference *ref = NULL, *up = NULL;
	struct sbuf sb = SBUF_INIT;
	int ret = 0;

	*out = NULL;
	if (git_branch_lookup(&ref, job->repo, branch, GIT_BRANCH_LOCAL) < 0) {
		git_error_clear();
		return err_set(err, ERR_NOTFOUND, "no branch '%s' in this "
			       "repository", branch);
	}
	if (base) {
		sbuf_addf(&sb, "%s..%s", base, branch);
	} else if (!git_branch_upstream(&up, ref)) {
		git_object *obj = NULL;

		if (git_reference_peel(&obj, up, GIT_OBJECT_COMMIT) < 0)
			ret = respin_git_err(err, "the upstream of %s", branch);
		else
			sbuf_addf(&sb, "%s..%s",
				  git_oid_tostr_s(git_object_id(obj)), branch);
		git_object_free(obj);
	} else {
		git_error_clear();
		ret = err_set(err, ERR_USAGE, "branch '%s' has no upstream: "
			      "set vger.base or its upstream (git branch "
			      "--set-upstream-to)", branch);
	}
	if (!ret)
		*out = sbuf_detach(&sb);
	sbuf_release(&sb);
	git_reference_free(up);
	git_reference_free(ref);
	return ret;
}

int series_last_sent(struct series_job *job, const char *branch,
		     unsigned *version, char **msgid, char **cover,
		     struct err *err)
{
	git_strarray names = { NULL, 0 };
	struct sbuf pat = SBUF_INIT, name = SBUF_INIT;
	unsigned best = 0;
	int ret = 0;

	*version = 0;
	if (msgid)
		*msgid = NULL;
	if (cover)
		*cover = NULL;
	if (!branch)
		return 0;
	sbuf_addf(&pat, "vger/%s-v*", branch);
	if (git_tag_list_match(&names, pat.buf, job->repo) < 0)
		return respin_git_err(err, "listing tags %s", pat.buf);
	for (size_t i = 0; i < names.count; i++) {
		const char *num = names.strings[i] + pat.len - 1;
		long v;

		if (!str_to_long(num, &v) && v > 0 && v < 100000 &&
		    (unsigned)v > best && num[0] != '0' && num[0] != '+')
			best = (unsigned)v;
	}
	git_strarray_dispose(&names);
	if (best) {
		git_object *obj = NULL;
		const char *msg, *m;

		sbuf_addstr(&name, "refs/tags/");
		sent_tag_name(&name, branch, best);
		if (git_revparse_single(&obj, job->repo, name.buf) < 0) {
			ret = respin_git_err(err, "%s", name.buf);
			goto out;
		}
		*version = best;
		msg = git_object_type(obj) == GIT_OBJECT_TAG ?
		      git_tag_message((git_tag *)obj) : NULL;
		m = tag_msgid_line(msg);
		if (m && msgid)
			*msgid = tag_msgid(m);
		if (msg && cover) {
			struct sbuf c = SBUF_INIT;

			sbuf_add(&c, msg, m ? (size_t)(m - msg) : strlen(msg));
			sbuf_rtrim(&c);
			if (c.len) {
				sbuf_addch(&c, '\n');
				*cover = sbuf_detach(&c);
			}
			sbuf_release(&c);
		}
		git_object_free(obj);
	}
out:
	sbuf_release(&pat);
	sbuf_release(&name);
	return ret;
}

static git_signature *local_signature(struct series_job *job,
				      const char *who, const char *addr)
{
	git_config *cfg = NULL;
	git_buf name = GIT_BUF_INIT, mail = GIT_BUF_INIT;
	git_signature *sig = NULL;

	if (who && *who && addr && *addr)
		git_signature_now(&sig, who, addr);
	if (!sig && !git_config_open_ondisk(&cfg, job->config_path) &&
	    !git_config_get_string_buf(&name, cfg, "user.name") &&
	    !git_config_get_string_buf(&mail, cfg, "user.email"))
		git_signature_now(&sig, name.ptr, mail.ptr);
	if (!sig)
		git_signature_now(&sig, "vger", "vger@localhost");
	git_buf_dispose(&name);
	git_buf_dispose(&mail);
	git_config_free(cfg);
	return sig;
}

int series_record_sent(struct series_job *job, const char *branch,
		       unsigned version, const char *head_hex,
		       const char *msgid, const char *cover,
		       struct err *err)
{
	return series_record_sent_by(job, branch, version, head_hex, msgid,
				     cover, NULL, NULL, err);
}

int series_record_sent_by(struct series_job *job, const char *branch,
			  unsigned version, const char *head_hex,
			  const char *msgid, const char *cover,
			  const char *who, const char *addr,
			  struct err *err)
{
	struct sbuf name = SBUF_INIT, msg = SBUF_INIT;
	git_object *target = NULL;
	git_signature *sig = NULL;
	git_oid id;
	int ret = 0;

	if (!branch || !version || !msgid)
		return err_set(err, ERR_USAGE,
			       "a sent version needs a branch, a version "
			       "and a Message-Id");
	if (strchr(msgid, '\n'))
		return err_set(err, ERR_PARSE, "bad Message-Id");
	if (git_revparse_single(&target, job->repo,
				head_hex ? head_hex : branch) < 0) {
		ret = respin_git_err(err, "%s", head_hex ? head_hex : branch);
		goto out;
	}
	sent_tag_name(&name, branch, version);
	if (cover && *cover) {
		sbuf_addstr(&msg, cover);
		sbuf_rtrim(&msg);
		sbuf_addstr(&msg, "\n\n");
	}
	sbuf_addf(&msg, "Message-Id: %s\n", msgid);
	sig = local_signature(job, who, addr);
	if (git_tag_create(&id, job->repo, name.buf, target, sig, msg.buf,
			   0) < 0) {
		if (git_error_last() && git_error_last()->klass ==
		    GIT_ERROR_TAG)
			ret = err_set(err, ERR_STATE,
				      "%s was already recorded as sent",
				      name.buf);
		else
			ret = respin_git_err(err, "tag %s", name.buf);
	}
out:
	git_signature_free(sig);
	git_object_free(target);
	sbuf_release(&name);
	sbuf_release(&msg);
	return ret;
}

int series_branch_contains(struct series_job *job, const char *branch,
			   const char *hex, struct err *err)
{
	git_object *tip = NULL;
	git_oid id;
	int ret = 0;

	if (!branch || !hex || strlen(hex) != GIT_OID_HEXSZ ||
	    git_oid_fromstr(&id, hex) < 0 ||
	    git_revparse_single(&tip, job->repo, branch) < 0) {
		git_error_clear();
		goto out;
	}
	if (git_oid_equal(git_object_id(tip), &id)) {
		ret = 1;
		goto out;
	}
	/* a commit the repository does not have is no ancestor */
	ret = git_graph_descendant_of(job->repo, git_object_id(tip), &id);
	if (ret < 0 && git_error_last() &&
	    git_error_last()->klass == GIT_ERROR_ODB) {
		git_error_clear();
		ret = 0;
	} else if (ret < 0) {
		ret = respin_git_err(err, "%s", branch);
	}
out:
	git_object_free(tip);
	return ret;
}

char *series_tree_prefix(const char *tree, int rfc)
{
	struct sbuf sb = SBUF_INIT;

	if (rfc)
		sbuf_addstr(&sb, "RFC ");
	sbuf_addstr(&sb, "PATCH");
	tree = kernel_tree_prefix(tree);
	if (*tree)
		sbuf_addf(&sb, " %s", tree);
	return sbuf_detach(&sb);
}

void series_tree_cc(const char *tree, struct vec *out)
{
	const struct kernel_tree *t = kernel_tree_find(tree);
	const struct kernel_person *p;

	for (size_t i = 0; t && (p = kernel_person_at(i)); i++) {
		struct sbuf sb = SBUF_INIT;

		if (!(p->roles & t->cc))
			continue;
		sbuf_addf(&sb, "%s <%s>", p->name, p->email);
		vec_push(out, sbuf_detach(&sb));
	}
}
